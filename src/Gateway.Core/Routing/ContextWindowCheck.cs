using Gateway.Core.OpenAI;
using Gateway.Core.Pricing;
using Microsoft.ML.Tokenizers;

namespace Gateway.Core.Routing;

/// <summary>
/// Decides before sending whether a prompt can fit a deployment's context window (<c>model_info.max_input_tokens</c>,
/// else the price catalog). Tokenizing is skipped when the body is smaller than the window in bytes, since a token is at
/// least one byte; otherwise the o200k tokenizer counts the message text once per request.
/// </summary>
internal sealed class ContextWindowCheck(PriceCatalog catalog)
{
    private static readonly Lazy<Tokenizer> Tokenizer = new(() => TiktokenTokenizer.CreateForEncoding("o200k_base"));
    private const int PerMessageOverhead = 4;

    public int? ContextWindow(Deployment deployment)
    {
        if (deployment.ModelInfo.TryGetValue("max_input_tokens", out var configured) && int.TryParse(configured, out var n))
            return n;
        return catalog.TryGet(deployment.Provider, deployment.ModelId, deployment.Param("aws_region_name"), out var price) ? price.ContextWindow : null;
    }

    /// <summary>A per-request predicate for the router; counts tokens at most once.</summary>
    public Func<Deployment, bool> For(ChatRequest request, int bodyBytes)
    {
        long? counted = null;
        return deployment =>
        {
            if (ContextWindow(deployment) is not { } window || bodyBytes <= window)
                return false;
            counted ??= CountPromptTokens(request);
            return counted > window;
        };
    }

    public static long CountPromptTokens(ChatRequest request)
    {
        long total = 0;
        foreach (var message in request.Messages.EnumerateArray())
        {
            total += PerMessageOverhead;
            if (!message.TryGetProperty("content", out var content))
                continue;
            if (content.ValueKind == System.Text.Json.JsonValueKind.String)
                total += Tokenizer.Value.CountTokens(content.GetString()!);
            else if (content.ValueKind == System.Text.Json.JsonValueKind.Array)
                foreach (var part in content.EnumerateArray())
                    if (part.TryGetProperty("text", out var text) && text.ValueKind == System.Text.Json.JsonValueKind.String)
                        total += Tokenizer.Value.CountTokens(text.GetString()!);
        }
        return total;
    }
}
