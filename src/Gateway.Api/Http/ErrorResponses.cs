using System.Text.Json;
using Gateway.Core.Errors;
using Gateway.Core.OpenAI;

namespace Gateway.Api.Http;

/// <summary>Writes OpenAI's error envelope; the only way an error reaches a client.</summary>
internal static class ErrorResponses
{
    public static Task WriteAsync(HttpContext context, GatewayError error)
    {
        var response = context.Response;
        response.StatusCode = error.StatusCode;
        response.ContentType = "application/json";
        if (error.RetryAfter is { } retryAfter)
            response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return response.Body.WriteAsync(Serialize(error), context.RequestAborted).AsTask();
    }

    public static byte[] Serialize(GatewayError error) =>
        JsonSerializer.SerializeToUtf8Bytes(Envelope(error), OpenAIJsonContext.Default.ErrorEnvelope);

    public static ErrorEnvelope Envelope(GatewayError error) =>
        new(new ErrorBody(error.Message, error.Type, error.Param, error.Code));

    public static GatewayError Internal(string requestId) =>
        new(ErrorKind.Internal, 500, $"The gateway failed unexpectedly. Quote request id {requestId} when reporting it.", "api_error", "internal_error");
}
