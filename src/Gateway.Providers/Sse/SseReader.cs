using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;

namespace Gateway.Providers.Sse;

/// <summary>
/// Reads Server-Sent Events (https://html.spec.whatwg.org/multipage/server-sent-events.html) from a stream
/// as they arrive. Reuses two buffers for the whole stream, so events cost no allocation once warm.
/// </summary>
public static class SseReader
{
    private const int MaxEventBytes = 16 * 1024 * 1024;

    public static async IAsyncEnumerable<SseEvent> ReadAsync(Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 4 * 1024, minimumReadSize: 1024, leaveOpen: true));
        var data = new ArrayBufferWriter<byte>(4096);
        var name = new ArrayBufferWriter<byte>(32);
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                var buffer = result.Buffer;
                while (TryReadLine(ref buffer, out var line))
                {
                    if (line.IsEmpty)
                    {
                        if (data.WrittenCount > 0)
                        {
                            yield return new SseEvent(name.WrittenMemory, data.WrittenMemory);
                        }
                        data.ResetWrittenCount();
                        name.ResetWrittenCount();
                        continue;
                    }
                    AppendField(line, data, name);
                    if (data.WrittenCount > MaxEventBytes)
                        throw new InvalidDataException("An upstream event exceeded 16 MB.");
                }
                reader.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
                    if (data.WrittenCount > 0)
                        yield return new SseEvent(name.WrittenMemory, data.WrittenMemory);
                    yield break;
                }
            }
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
        }
    }

    private static bool TryReadLine(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> line)
    {
        var position = buffer.PositionOf((byte)'\n');
        if (position is null)
        {
            line = default;
            return false;
        }
        line = buffer.Slice(0, position.Value);
        if (!line.IsEmpty && EndsWithCarriageReturn(line))
            line = line.Slice(0, line.Length - 1);
        buffer = buffer.Slice(buffer.GetPosition(1, position.Value));
        return true;
    }

    private static bool EndsWithCarriageReturn(ReadOnlySequence<byte> line) =>
        line.Slice(line.Length - 1).FirstSpan[0] == (byte)'\r';

    private static void AppendField(ReadOnlySequence<byte> line, ArrayBufferWriter<byte> data, ArrayBufferWriter<byte> name)
    {
        Span<byte> small = stackalloc byte[256];
        var span = line.IsSingleSegment ? line.FirstSpan : Flatten(line, small);
        if (span[0] == (byte)':')
            return; // comment, e.g. ": ping"
        var colon = span.IndexOf((byte)':');
        var field = colon < 0 ? span : span[..colon];
        var value = colon < 0 ? ReadOnlySpan<byte>.Empty : span[(colon + 1)..];
        if (!value.IsEmpty && value[0] == (byte)' ')
            value = value[1..];
        if (field.SequenceEqual("data"u8))
        {
            if (data.WrittenCount > 0)
                data.Write("\n"u8);
            data.Write(value);
        }
        else if (field.SequenceEqual("event"u8))
        {
            name.ResetWrittenCount();
            name.Write(value);
        }
    }

    private static ReadOnlySpan<byte> Flatten(ReadOnlySequence<byte> line, Span<byte> small) =>
        line.Length <= small.Length ? Copy(line, small) : line.ToArray();

    private static ReadOnlySpan<byte> Copy(ReadOnlySequence<byte> line, Span<byte> small)
    {
        line.CopyTo(small);
        return small[..(int)line.Length];
    }
}
