using System.IO.Pipelines;
using System.Text.Json;
using Gateway.Core.Errors;

namespace Gateway.Api.Http;

/// <summary>Writes Server-Sent Events straight into the response pipe and flushes each, so clients see every chunk as it arrives.</summary>
internal static class SseWriter
{
    private static ReadOnlySpan<byte> DataPrefix => "data: "u8;
    private static ReadOnlySpan<byte> EventEnd => "\n\n"u8;

    public static void Start(HttpResponse response)
    {
        response.StatusCode = 200;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
    }

    public static ValueTask<FlushResult> WriteDataAsync(PipeWriter writer, ReadOnlySpan<byte> data, CancellationToken cancellationToken)
    {
        var span = writer.GetSpan(DataPrefix.Length + data.Length + EventEnd.Length);
        DataPrefix.CopyTo(span);
        data.CopyTo(span[DataPrefix.Length..]);
        EventEnd.CopyTo(span[(DataPrefix.Length + data.Length)..]);
        writer.Advance(DataPrefix.Length + data.Length + EventEnd.Length);
        return writer.FlushAsync(cancellationToken);
    }

    public static ValueTask<FlushResult> WriteDoneAsync(PipeWriter writer, CancellationToken cancellationToken) =>
        WriteDataAsync(writer, "[DONE]"u8, cancellationToken);

    /// <summary>A failure after the stream started: an OpenAI-style error event, so clients never mistake it for a complete answer.</summary>
    public static ValueTask<FlushResult> WriteErrorAsync(PipeWriter writer, GatewayError error, CancellationToken cancellationToken) =>
        WriteDataAsync(writer, JsonSerializer.SerializeToUtf8Bytes(ErrorResponses.Envelope(error), Core.OpenAI.OpenAIJsonContext.Default.ErrorEnvelope), cancellationToken);
}
