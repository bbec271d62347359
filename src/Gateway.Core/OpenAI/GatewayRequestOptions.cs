using System.Text.Json;
using Gateway.Core.Errors;

namespace Gateway.Core.OpenAI;

/// <summary>
/// Body fields meant for the gateway, not the model (LiteLLM's names): per-request <c>fallbacks</c>, <c>num_retries</c>,
/// <c>timeout</c> and <c>mock_testing_fallbacks</c>. They are read here and never forwarded upstream.
/// </summary>
public sealed record GatewayRequestOptions
{
    public static readonly IReadOnlySet<string> FieldNames = new HashSet<string>(StringComparer.Ordinal)
        { "fallbacks", "num_retries", "timeout", "mock_testing_fallbacks" };

    public static readonly GatewayRequestOptions None = new();

    public IReadOnlyList<string>? Fallbacks { get; init; }
    public int? NumRetries { get; init; }
    public TimeSpan? Timeout { get; init; }
    public bool MockTestingFallbacks { get; init; }

    internal static GatewayRequestOptions Read(JsonElement root)
    {
        if (!root.TryGetProperty("fallbacks", out _) && !root.TryGetProperty("num_retries", out _) &&
            !root.TryGetProperty("timeout", out _) && !root.TryGetProperty("mock_testing_fallbacks", out _))
            return None;
        var retries = RequestFields.Optional(root, "num_retries", JsonValueKind.Number, "an integer") is { } r
            ? r.TryGetInt32(out var n) && n is >= 0 and <= 10 ? n : throw GatewayError.InvalidRequest("'num_retries' must be an integer from 0 to 10.", "num_retries", "invalid_value")
            : (int?)null;
        var timeout = RequestFields.OptionalNumber(root, "timeout", 0.001, 3600);
        return new GatewayRequestOptions
        {
            Fallbacks = ReadFallbacks(root),
            NumRetries = retries,
            Timeout = timeout is { } t ? TimeSpan.FromSeconds(t) : null,
            MockTestingFallbacks = RequestFields.OptionalBool(root, "mock_testing_fallbacks") ?? false,
        };
    }

    private static List<string>? ReadFallbacks(JsonElement root)
    {
        if (RequestFields.Optional(root, "fallbacks", JsonValueKind.Array, "an array of model names") is not { } list)
            return null;
        var result = new List<string>();
        var i = 0;
        foreach (var item in list.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String || item.GetString() is not { Length: > 0 } name)
                throw RequestFields.WrongType($"fallbacks[{i}]", "a model name");
            result.Add(name);
            i++;
        }
        return result;
    }
}
