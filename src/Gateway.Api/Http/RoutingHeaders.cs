namespace Gateway.Api.Http;

/// <summary>Tells the caller what routing did: the deployment that answered, attempts made, fallbacks taken, parameters dropped.</summary>
internal static class RoutingHeaders
{
    public const string Deployment = "x-gateway-deployment";
    public const string Attempts = "x-gateway-attempts";
    public const string Fallbacks = "x-gateway-fallbacks";
    public const string DroppedParams = "x-gateway-dropped-params";

    public static void Write(HttpResponse response, RequestState state)
    {
        var headers = response.Headers;
        if (state.Trace.Deployment is { } deployment)
            headers[Deployment] = Safe(deployment.Id);
        headers[Attempts] = state.Trace.Attempts.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (state.Trace.Fallbacks.Count > 0)
            headers[Fallbacks] = Safe(string.Join(",", state.Trace.Fallbacks));
        if (state.DroppedParams.Count > 0)
            headers[DroppedParams] = Safe(string.Join(",", state.DroppedParams));
    }

    /// <summary>Header values must be printable ASCII; names that came from a request body or config may not be,
    /// so anything else is percent-encoded rather than failing the response.</summary>
    public static string Safe(string value)
    {
        foreach (var c in value)
            if (c is < ' ' or > '~')
                return Uri.EscapeDataString(value);
        return value;
    }
}
