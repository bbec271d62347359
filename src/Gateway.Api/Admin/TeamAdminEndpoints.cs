using Gateway.Api.Auth;
using Gateway.Core.Errors;
using Gateway.Core.Storage;

namespace Gateway.Api.Admin;

/// <summary>LiteLLM's <c>/team/*</c> and <c>/customer/*</c> admin routes.</summary>
internal static class TeamAdminEndpoints
{
    public static async Task NewAsync(HttpContext context, CallerAuthenticator auth, ITeamStore teams, AdminRules rules, TimeProvider time)
    {
        var ct = await KeyAdminEndpoints.AuthorizeAsync(context, auth);
        var (document, body) = await AdminBody.ReadAsync(context.Request, ct);
        using (document)
        {
            var now = time.GetUtcNow();
            var team = Apply(new TeamRecord { TeamId = body.String("team_id") ?? "team-" + Guid.NewGuid().ToString("N")[..12], CreatedAt = now }, body, rules)
                with { UpdatedAt = now };
            if (!await teams.CreateAsync(team, ct))
                throw GatewayError.InvalidRequest($"Team '{team.TeamId}' already exists.", "team_id", "already_exists");
            await AdminJson.WriteAsync(context, w => AdminJson.Team(w, team));
        }
    }

    public static async Task UpdateAsync(HttpContext context, CallerAuthenticator auth, ITeamStore teams, AdminRules rules, TimeProvider time)
    {
        var ct = await KeyAdminEndpoints.AuthorizeAsync(context, auth);
        var (document, body) = await AdminBody.ReadAsync(context.Request, ct);
        using (document)
        {
            var existing = await teams.GetAsync(body.RequiredString("team_id"), ct) ?? throw GatewayError.NotFound("No such team.");
            var team = Apply(existing, body, rules) with { UpdatedAt = time.GetUtcNow() };
            if (!await teams.UpdateAsync(team, ct))
                throw GatewayError.NotFound("No such team.");
            auth.ForgetTeam(team.TeamId);
            await AdminJson.WriteAsync(context, w => AdminJson.Team(w, team));
        }
    }

    public static async Task DeleteAsync(HttpContext context, CallerAuthenticator auth, ITeamStore teams)
    {
        var ct = await KeyAdminEndpoints.AuthorizeAsync(context, auth);
        var (document, body) = await AdminBody.ReadAsync(context.Request, ct);
        using (document)
        {
            var deleted = new List<string>();
            foreach (var id in body.Strings("team_ids") ?? throw GatewayError.InvalidRequest("Missing required parameter: 'team_ids'.", "team_ids", "missing_required_parameter"))
            {
                if (await teams.DeleteAsync(id, ct))
                    deleted.Add(id);
                auth.ForgetTeam(id);
            }
            await AdminJson.WriteAsync(context, w =>
            {
                w.WriteStartObject();
                w.WriteStartArray("deleted_teams");
                deleted.ForEach(w.WriteStringValue);
                w.WriteEndArray();
                w.WriteEndObject();
            });
        }
    }

    public static async Task InfoAsync(HttpContext context, CallerAuthenticator auth, ITeamStore teams, AdminRules rules)
    {
        var ct = await KeyAdminEndpoints.AuthorizeAsync(context, auth);
        var team = await teams.GetAsync(KeyAdminEndpoints.Query(context, "team_id"), ct) ?? throw GatewayError.NotFound("No such team.");
        var (spend, reset) = await rules.SpendAsync($"team:{team.TeamId}", team.BudgetDuration, ct);
        await AdminJson.WriteAsync(context, w => AdminJson.Team(w, team, spend, reset));
    }

    public static async Task ListAsync(HttpContext context, CallerAuthenticator auth, ITeamStore teams)
    {
        var ct = await KeyAdminEndpoints.AuthorizeAsync(context, auth);
        var token = context.Request.Query["page_token"].ToString();
        var page = await teams.ListAsync(AdminRules.PageSize(context.Request), token.Length == 0 ? null : token, ct);
        await AdminJson.WriteAsync(context, w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("teams");
            foreach (var team in page.Teams)
                AdminJson.Team(w, team);
            w.WriteEndArray();
            if (page.NextPageToken is { } next) w.WriteString("next_page_token", next); else w.WriteNull("next_page_token");
            w.WriteEndObject();
        });
    }

    public static async Task NewCustomerAsync(HttpContext context, CallerAuthenticator auth, ICustomerStore customers, TimeProvider time)
    {
        var ct = await KeyAdminEndpoints.AuthorizeAsync(context, auth);
        var (document, body) = await AdminBody.ReadAsync(context.Request, ct);
        using (document)
        {
            var customer = new CustomerRecord
            {
                UserId = body.RequiredString("user_id"),
                Alias = body.String("alias"),
                MaxBudget = body.Money("max_budget"),
                BudgetDuration = AdminRules.Duration(body),
                Blocked = body.Bool("blocked") ?? false,
                CreatedAt = time.GetUtcNow(),
            };
            await customers.PutAsync(customer, ct);
            await AdminJson.WriteAsync(context, w => AdminJson.Customer(w, customer));
        }
    }

    public static async Task CustomerInfoAsync(HttpContext context, CallerAuthenticator auth, ICustomerStore customers, AdminRules rules)
    {
        var ct = await KeyAdminEndpoints.AuthorizeAsync(context, auth);
        var id = context.Request.Query["end_user_id"].ToString() is { Length: > 0 } e ? e : KeyAdminEndpoints.Query(context, "user_id");
        var customer = await customers.GetAsync(id, ct) ?? throw GatewayError.NotFound("No such customer.");
        var (spend, reset) = await rules.SpendAsync($"user:{customer.UserId}", customer.BudgetDuration, ct);
        await AdminJson.WriteAsync(context, w => AdminJson.Customer(w, customer, spend, reset));
    }

    private static TeamRecord Apply(TeamRecord team, AdminBody body, AdminRules rules)
    {
        var updated = team with
        {
            TeamAlias = body.Has("team_alias") ? body.String("team_alias") : team.TeamAlias,
            MaxBudget = body.Has("max_budget") ? body.Money("max_budget") : team.MaxBudget,
            SoftBudget = body.Has("soft_budget") ? body.Money("soft_budget") : team.SoftBudget,
            BudgetDuration = body.Has("budget_duration") ? AdminRules.Duration(body) : team.BudgetDuration,
            RpmLimit = body.Has("rpm_limit") ? (int?)body.Count("rpm_limit") : team.RpmLimit,
            TpmLimit = body.Has("tpm_limit") ? body.Count("tpm_limit") : team.TpmLimit,
            MaxParallelRequests = body.Has("max_parallel_requests") ? (int?)body.Count("max_parallel_requests") : team.MaxParallelRequests,
            Models = rules.Models(body) ?? team.Models,
            Metadata = body.Map("metadata") ?? team.Metadata,
            Blocked = body.Bool("blocked") ?? team.Blocked,
        };
        AdminRules.CheckBudgets(updated.MaxBudget, updated.SoftBudget);
        return updated;
    }
}
