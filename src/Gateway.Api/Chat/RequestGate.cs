using Gateway.Api.Http;
using Gateway.Core.Configuration;
using Gateway.Core.Errors;
using Gateway.Core.Governance;
using Gateway.Core.OpenAI;
using Gateway.Core.Pricing;
using Gateway.Core.Routing;
using Gateway.Core.Storage;

namespace Gateway.Api.Chat;

/// <summary>
/// What a caller must pass before a model is called: the key's model aliases and allowlists (its team's too), the end
/// user's block and budget, and the budget and rate-limit admission. Prompt tokens are counted with the tokenizer only
/// when a budget or token limit needs them.
/// </summary>
internal sealed class RequestGate(GovernanceService governance, ICustomerStore customers, RequestCostEstimator estimator,
    GatewayConfig config, TimeProvider time)
{
    public const string EndUserHeader = "x-gateway-end-user";
    private readonly TtlCache<CustomerRecord> _customers = new(config.KeyCacheTtl, time);

    /// <summary>The group to route to: the key's alias for the requested name, if any; 403 when the key or team may not use it.</summary>
    public static string ResolveModel(Caller caller, string requested)
    {
        var model = caller.Key?.Aliases.TryGetValue(requested, out var aliased) == true ? aliased : requested;
        if (caller.Key is { Models.Count: > 0 } key && !key.Models.Contains(model) && !key.Models.Contains(requested))
            throw GatewayError.Forbidden($"API key '{key.KeyAlias ?? key.KeyId}' may not use model '{requested}'.");
        if (caller.Team is { Models.Count: > 0 } team && !team.Models.Contains(model))
            throw GatewayError.Forbidden($"Team '{team.TeamAlias ?? team.TeamId}' may not use model '{requested}'.");
        return model;
    }

    public async Task AdmitAsync(HttpContext context, RequestState state, Caller caller, string group, ChatRequest? chat, int bodyBytes,
        CancellationToken cancellationToken)
    {
        var userId = context.Request.Headers[EndUserHeader].ToString() is { Length: > 0 } h ? h : chat?.User;
        state.EndUser = userId;
        var endUser = await EndUserAsync(userId, cancellationToken);
        var needsBudget = caller.Key?.MaxBudget is not null || caller.Team?.MaxBudget is not null || endUser?.MaxBudget is not null;
        var needsTokens = needsBudget || caller.Key?.TpmLimit is not null || caller.Team?.TpmLimit is not null;
        if (!needsTokens && caller.Key?.RpmLimit is null && caller.Team?.RpmLimit is null &&
            caller.Key?.MaxParallelRequests is null && caller.Team?.MaxParallelRequests is null)
            return;
        var tokens = needsTokens && chat is not null ? ContextWindowCheck.CountPromptTokens(chat) : bodyBytes / 4;
        var worst = needsBudget ? estimator.WorstCase(group, chat?.Options.Fallbacks, tokens, chat is null ? 0 : chat.MaxTokens) : 0;
        state.Admission = await governance.AdmitAsync(caller, endUser, tokens, worst, cancellationToken);
        RateLimitHeaders.Write(context.Response, state.Admission);
    }

    private async Task<CustomerRecord?> EndUserAsync(string? userId, CancellationToken cancellationToken)
    {
        if (userId is null)
            return null;
        var endUser = await _customers.GetOrLoadAsync(userId, customers.GetAsync, cancellationToken);
        return endUser?.Blocked == true ? throw GatewayError.Forbidden($"End user '{endUser.Alias ?? endUser.UserId}' is blocked.") : endUser;
    }
}
