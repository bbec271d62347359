using System.Globalization;
using System.Text.Json.Nodes;

namespace Gateway.Api.Http;

/// <summary>
/// What a request cost and what its key has spent this budget period, in plain decimal USD: response headers on
/// ordinary answers; on streams (whose headers leave before the cost is known) fields of the final usage chunk, and
/// HTTP trailers where the connection supports them. An unpriced request reports <c>unpriced</c>, never 0.
/// </summary>
internal static class CostHeaders
{
    public const string Cost = "x-gateway-cost";
    public const string KeySpend = "x-gateway-key-spend";

    public static void Write(HttpResponse response, RequestState state)
    {
        response.Headers[Cost] = CostText(state);
        if (state.KeySpend is { } spend)
            response.Headers[KeySpend] = Usd(spend);
    }

    public static void DeclareTrailers(HttpResponse response)
    {
        if (!response.SupportsTrailers())
            return;
        response.DeclareTrailer(Cost);
        response.DeclareTrailer(KeySpend);
    }

    public static void AppendTrailers(HttpResponse response, RequestState state)
    {
        if (!response.SupportsTrailers())
            return;
        response.AppendTrailer(Cost, CostText(state));
        if (state.KeySpend is { } spend)
            response.AppendTrailer(KeySpend, Usd(spend));
    }

    /// <summary>The provider's final usage chunk with <c>x_gateway_cost</c> and <c>x_gateway_key_spend</c> added (strings,
    /// so no JSON parser rounds them). Once per stream, so parsing it is affordable.</summary>
    public static byte[] AddToUsageChunk(ReadOnlySpan<byte> chunk, RequestState state)
    {
        var node = JsonNode.Parse(chunk) as JsonObject ?? throw new InvalidOperationException("usage chunk is not an object");
        node["x_gateway_cost"] = CostText(state);
        if (state.KeySpend is { } spend)
            node["x_gateway_key_spend"] = Usd(spend);
        return System.Text.Encoding.UTF8.GetBytes(node.ToJsonString());
    }

    private static string CostText(RequestState state) => state.Cost is { } cost ? Usd(cost) : "unpriced";

    public static string Usd(decimal value) => value.ToString("0.############################", CultureInfo.InvariantCulture);
}
