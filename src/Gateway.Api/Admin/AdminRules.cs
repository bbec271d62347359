using Gateway.Core.Errors;
using Gateway.Core.Governance;
using Gateway.Core.Routing;
using Gateway.Core.Storage;

namespace Gateway.Api.Admin;

/// <summary>Validation shared by keys and teams, and the spend lookup the info routes show.</summary>
internal sealed class AdminRules(ModelRegistry registry, IMeterStore meters, TimeProvider time)
{
    public List<string>? Models(AdminBody body, string name = "models")
    {
        var models = body.Strings(name);
        foreach (var model in models ?? [])
            CheckModel(model, name);
        return models;
    }

    public void CheckModel(string model, string param)
    {
        if (!registry.TryGetGroup(model, out _))
            throw GatewayError.InvalidRequest($"'{param}' names '{model}', which is not a configured model_name.", param, "invalid_value");
    }

    public static string? Duration(AdminBody body)
    {
        var duration = body.String("budget_duration");
        return BudgetPeriod.IsValid(duration)
            ? duration
            : throw GatewayError.InvalidRequest($"'budget_duration' must be one of {string.Join(", ", BudgetPeriod.Durations)}.", "budget_duration", "invalid_value");
    }

    public static void CheckBudgets(decimal? max, decimal? soft)
    {
        if (max is { } m && soft is { } s && s > m)
            throw GatewayError.InvalidRequest("'soft_budget' must not exceed 'max_budget'.", "soft_budget", "invalid_value");
    }

    public async Task<(MeterSnapshot Spend, DateTimeOffset? Reset)> SpendAsync(string entity, string? duration, CancellationToken cancellationToken)
    {
        var period = BudgetPeriod.For(duration, time.GetUtcNow());
        return (await meters.GetAsync(new MeterKey(entity, "spend", period.Id), cancellationToken), period.Reset);
    }

    public static int PageSize(HttpRequest request)
    {
        var text = request.Query["page_size"].ToString();
        if (text.Length == 0)
            return 100;
        return int.TryParse(text, out var n) && n is >= 1 and <= 1000
            ? n
            : throw GatewayError.InvalidRequest("'page_size' must be between 1 and 1000.", "page_size", "invalid_value");
    }
}
