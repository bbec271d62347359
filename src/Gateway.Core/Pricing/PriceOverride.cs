namespace Gateway.Core.Pricing;

/// <summary>
/// A deployment's own prices in USD per token, as LiteLLM names them in <c>litellm_params</c>: <c>input_cost_per_token</c>,
/// <c>output_cost_per_token</c>, <c>cache_read_input_token_cost</c>, <c>cache_creation_input_token_cost</c>,
/// <c>output_cost_per_reasoning_token</c>. Each set field replaces the catalog's; a model the catalog lacks is priced
/// from the override alone when it has both input and output prices.
/// </summary>
public sealed record PriceOverride(decimal? Input, decimal? Output, decimal? CacheRead, decimal? CacheWrite, decimal? Reasoning)
{
    public static readonly IReadOnlyList<string> ParamNames =
        ["input_cost_per_token", "output_cost_per_token", "cache_read_input_token_cost", "cache_creation_input_token_cost", "output_cost_per_reasoning_token"];
}
