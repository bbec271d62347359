using Gateway.Core.Routing;
using Gateway.Core.Usage;

namespace Gateway.Core.Pricing;

/// <summary>
/// Cost in exact decimal USD from the provider's own token counts. Prompt tokens include cache reads and writes, so
/// the uncached part is what remains after both; each part pays its own rate (never counted twice, LiteLLM issue 9812).
/// Reasoning tokens are part of the completion count and pay the reasoning rate (the output rate unless priced apart).
/// </summary>
internal sealed class CostCalculator(PriceCatalog catalog)
{
    /// <summary>The price a deployment pays: the catalog's, with the deployment's own overrides applied; null when neither
    /// prices the model (its usage is then flagged unpriced, never costed as zero).</summary>
    public ModelPrice? PriceOf(Deployment deployment)
    {
        if (deployment.Provider == "mock" && deployment.Prices is null)
            return Free(deployment);
        var price = catalog.TryGet(PricingProvider(deployment), deployment.Param("base_model") ?? deployment.ModelId, deployment.Param("aws_region_name"), out var p)
            ? p
            : null;
        if (deployment.Prices is not { } o)
            return price;
        if (price is null)
            return o is { Input: { } input, Output: { } output }
                ? new ModelPrice
                {
                    Provider = deployment.Provider, Model = deployment.ModelId, Input = input, Output = output, CacheRead = o.CacheRead,
                    CacheWrite = o.CacheWrite, Reasoning = o.Reasoning, ContextWindow = 0, Note = "deployment price override",
                }
                : null;
        // Long-context tiers are the catalog's list prices; a negotiated override replaces them too.
        return price with
        {
            Input = o.Input ?? price.Input, Output = o.Output ?? price.Output, CacheRead = o.CacheRead ?? price.CacheRead,
            CacheWrite = o.CacheWrite ?? price.CacheWrite, Reasoning = o.Reasoning ?? price.Reasoning,
            Tiers = o.Input is null && o.Output is null ? price.Tiers : [],
        };
    }

    /// <summary>The built-in mock model runs in-process and costs nothing; it is priced at zero, not unpriced.</summary>
    private static ModelPrice Free(Deployment deployment) => new()
    {
        Provider = deployment.Provider, Model = deployment.ModelId, Input = 0, Output = 0, ContextWindow = 0, Note = "built-in mock: free",
    };

    public static decimal Cost(TokenUsage usage, ModelPrice price)
    {
        var rates = PriceCatalog.PriceFor(price, usage.PromptTokens);
        var uncached = Math.Max(0, usage.PromptTokens - usage.CachedReadTokens - usage.CacheWriteTokens);
        var reasoning = Math.Min(usage.ReasoningTokens, usage.CompletionTokens);
        return uncached * rates.Input
               + usage.CachedReadTokens * rates.CacheRead
               + usage.CacheWriteTokens * rates.CacheWrite
               + (usage.CompletionTokens - reasoning) * rates.Output
               + reasoning * rates.Reasoning;
    }

    /// <summary>The most a request can cost: every prompt token uncached, and the full output allowance.</summary>
    public static decimal WorstCase(long promptTokens, long maxOutputTokens, ModelPrice price)
    {
        var rates = PriceCatalog.PriceFor(price, promptTokens);
        return promptTokens * rates.Input + maxOutputTokens * Math.Max(rates.Output, rates.Reasoning);
    }

    /// <summary>Azure deployments are priced from the catalog's azure entries by <c>base_model</c>, else the deployment name.</summary>
    private static string PricingProvider(Deployment deployment) => deployment.Provider;
}
