using Gateway.Core.Errors;
using Gateway.Core.OpenAI;

namespace Gateway.Core.Providers;

/// <summary>Implemented by providers that translate requests: the OpenAI request fields they can honour.
/// Providers that forward the body as-is (OpenAI-compatible) do not implement it: everything passes through.</summary>
public interface IChatParameterSupport
{
    IReadOnlySet<string> SupportedChatParameters { get; }
}

/// <summary>
/// The one place unsupported parameters are decided: a 400 naming the parameter and the provider, or, with
/// <c>drop_params</c>, the list of what was dropped (the host returns it in a response header). Never silent.
/// </summary>
public static class ParameterSupport
{
    /// <summary>Fields every chat request may carry that never need provider support.</summary>
    private static readonly HashSet<string> Always = ["model", "messages", "stream", "stream_options"];

    public static IReadOnlyList<string> Check(ChatRequest request, IReadOnlySet<string> supported, bool dropParams, string provider)
    {
        List<string>? unsupported = null;
        foreach (var property in request.Root.EnumerateObject())
        {
            if (Always.Contains(property.Name) || GatewayRequestOptions.FieldNames.Contains(property.Name) || supported.Contains(property.Name) || property.Value.ValueKind == System.Text.Json.JsonValueKind.Null)
                continue;
            (unsupported ??= []).Add(property.Name);
        }
        if (unsupported is null)
            return [];
        if (!dropParams)
            throw GatewayError.InvalidRequest(
                $"Parameter '{unsupported[0]}' is not supported by provider '{provider}'" +
                (unsupported.Count > 1 ? $" (nor: {string.Join(", ", unsupported.Skip(1))})" : "") +
                ". Remove it, or set drop_params: true to drop unsupported parameters.",
                unsupported[0], "unsupported_parameter");
        return unsupported;
    }
}
