using System.Buffers;
using System.Buffers.Binary;
using Amazon.Runtime.EventStreams;

namespace Gateway.Providers.Bedrock.Streaming;

/// <summary>One decoded frame of an <c>application/vnd.amazon.eventstream</c> body.</summary>
/// <param name="MessageType"><c>:message-type</c>: <c>event</c>, <c>exception</c> or <c>error</c>.</param>
/// <param name="Type"><c>:event-type</c> for events, <c>:exception-type</c> for exceptions, <c>:error-code</c> for errors.</param>
/// <param name="Payload">The JSON payload (for <c>error</c> frames, <c>:error-message</c> as text).</param>
internal readonly record struct EventStreamFrame(string MessageType, string Type, byte[] Payload);

/// <summary>
/// Reads AWS event-stream frames from a response body one at a time, never more than one frame in memory. Framing is read
/// here (the 4-byte total length says how much to read); decoding and both CRC checks are AWSSDK.Core's
/// <see cref="EventStreamMessage.FromBuffer"/>, always called with offset 0 (see aws-notes: its length argument is an
/// end index). A body that ends inside a frame throws <see cref="EndOfStreamException"/>; a bad CRC or header block,
/// <see cref="InvalidDataException"/>.
/// </summary>
internal sealed class EventStreamReader(Stream body)
{
    private const int PreludeLength = 12;
    private const int MinFrame = 16;
    /// <summary>AWS caps an event-stream message at 16 MiB; anything larger is a corrupt length, not a big frame.</summary>
    private const int MaxFrame = 16 * 1024 * 1024;

    private readonly byte[] _prelude = new byte[PreludeLength];

    /// <summary>The next frame, or null at a clean end of body (between frames).</summary>
    public async ValueTask<EventStreamFrame?> ReadAsync(CancellationToken cancellationToken)
    {
        var prelude = _prelude;
        var first = await body.ReadAtLeastAsync(prelude, PreludeLength, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        if (first == 0)
            return null;
        if (first < PreludeLength)
            throw new EndOfStreamException("The event stream ended inside a frame prelude.");
        var total = BinaryPrimitives.ReadInt32BigEndian(prelude);
        if (total is < MinFrame or > MaxFrame)
            throw new InvalidDataException($"Event-stream frame length {total} is out of range.");
        var buffer = ArrayPool<byte>.Shared.Rent(total);
        try
        {
            prelude.CopyTo(buffer, 0);
            await body.ReadExactlyAsync(buffer.AsMemory(PreludeLength, total - PreludeLength), cancellationToken).ConfigureAwait(false);
            return Decode(buffer, total);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    internal static EventStreamFrame Decode(byte[] buffer, int length)
    {
        EventStreamMessage message;
        try
        {
            message = EventStreamMessage.FromBuffer(buffer, 0, length);
        }
        catch (Exception e) when (e is EventStreamChecksumFailureException or EventStreamParseException or ArgumentException or IndexOutOfRangeException)
        {
            throw new InvalidDataException("An event-stream frame failed its checksum or could not be parsed.", e);
        }
        var messageType = Header(message, ":message-type") ?? "event";
        return messageType switch
        {
            "exception" => new EventStreamFrame(messageType, Header(message, ":exception-type") ?? "", message.Payload ?? []),
            "error" => new EventStreamFrame(messageType, Header(message, ":error-code") ?? "",
                System.Text.Encoding.UTF8.GetBytes(Header(message, ":error-message") ?? "")),
            _ => new EventStreamFrame(messageType, Header(message, ":event-type") ?? "", message.Payload ?? []),
        };
    }

    private static string? Header(EventStreamMessage message, string name) =>
        message.Headers.TryGetValue(name, out var header) && header.HeaderType == EventStreamHeaderType.String ? header.AsString() : null;
}
