using System.Text;
using Gateway.Providers.Sse;

namespace Gateway.Tests.Providers.Sse;

public sealed class SseReaderTests
{
    private static async Task<List<(string Event, string Data)>> ReadAll(string wire, int maxPiece = 3)
    {
        using var stream = new TrickleStream(Encoding.UTF8.GetBytes(wire), maxPiece);
        var events = new List<(string, string)>();
        await foreach (var e in SseReader.ReadAsync(stream, CancellationToken.None))
        {
            // The reader reuses its buffers: copy before moving next.
            var name = e.Event.ToArray();
            var data = e.Data.ToArray();
            events.Add((Encoding.UTF8.GetString(name), Encoding.UTF8.GetString(data)));
        }
        return events;
    }

    private static async Task<List<string>> ReadData(string wire, int maxPiece = 3) =>
        (await ReadAll(wire, maxPiece)).Select(e => e.Data).ToList();

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task ReadAsync_EventsSplitMidLine_ReassemblesEach(int maxPiece)
    {
        var wire = "data: {\"id\":\"c1\",\"choices\":[{\"delta\":{\"content\":\"Hel\"}}]}\n\n" +
                   "data: {\"id\":\"c1\",\"choices\":[{\"delta\":{\"content\":\"lo\"}}]}\n\n" +
                   "data: [DONE]\n\n";

        var data = await ReadData(wire, maxPiece);

        Assert.Equal(
        [
            "{\"id\":\"c1\",\"choices\":[{\"delta\":{\"content\":\"Hel\"}}]}",
            "{\"id\":\"c1\",\"choices\":[{\"delta\":{\"content\":\"lo\"}}]}",
            "[DONE]",
        ], data);
    }

    [Fact]
    public async Task ReadAsync_CrlfLineEndings_StripsCarriageReturns()
    {
        var data = await ReadData("data: one\r\n\r\ndata: two\r\n\r\n");

        Assert.Equal(["one", "two"], data);
    }

    [Fact]
    public async Task ReadAsync_CommentLines_Ignored()
    {
        var data = await ReadData(": ping\n\n: keep-alive\ndata: x\n: between\n\n:\n\n");

        Assert.Equal(["x"], data);
    }

    [Fact]
    public async Task ReadAsync_EventNames_ReportedAndResetPerEvent()
    {
        var wire = "event: message_start\ndata: {\"type\":\"message_start\"}\n\n" +
                   "event: ping\ndata: {}\n\n" +
                   "data: unnamed\n\n";

        var events = await ReadAll(wire);

        Assert.Equal(
        [
            ("message_start", "{\"type\":\"message_start\"}"),
            ("ping", "{}"),
            ("", "unnamed"),
        ], events);
    }

    [Fact]
    public async Task ReadAsync_MultiLineData_JoinedWithNewline()
    {
        var data = await ReadData("data: line1\ndata: line2\ndata:line3\n\n");

        Assert.Equal(["line1\nline2\nline3"], data);
    }

    [Fact]
    public async Task ReadAsync_SpaceAfterColon_OnlyFirstRemoved()
    {
        var data = await ReadData("data:  two spaces\n\n");

        Assert.Equal([" two spaces"], data);
    }

    [Fact]
    public async Task ReadAsync_UnknownFields_Ignored()
    {
        var data = await ReadData("id: 7\nretry: 1000\ndata: kept\n\n");

        Assert.Equal(["kept"], data);
    }

    [Fact]
    public async Task ReadAsync_FinalEventWithoutBlankLine_StillYielded()
    {
        var data = await ReadData("data: first\n\ndata: last\n");

        Assert.Equal(["first", "last"], data);
    }

    [Fact]
    public async Task ReadAsync_EmptyStream_YieldsNothing()
    {
        Assert.Empty(await ReadAll(""));
    }

    [Fact]
    public async Task ReadAsync_OnlyBlankLinesAndComments_YieldsNothing()
    {
        Assert.Empty(await ReadAll("\n\n: ping\n\n\r\n"));
    }

    [Fact]
    public async Task ReadAsync_LinesCrossingBufferSegments_KeptIntact()
    {
        // Enough bytes to span several 16 KB pipe segments, with short and long (> 256 byte) lines straddling them.
        var expected = Enumerable.Range(0, 300).Select(i => new string((char)('a' + i % 26), 1 + i * 7 % 600)).ToList();
        var wire = string.Concat(expected.Select(d => $"data: {d}\n\n"));

        var data = await ReadData(wire, maxPiece: 3);

        Assert.Equal(expected, data);
    }

    [Fact]
    public async Task ReadAsync_EventLargerThanBuffer_ReturnedWhole()
    {
        var big = new string('x', 40_000);

        var data = await ReadData($"data: {big}\r\n\r\ndata: after\r\n\r\n", maxPiece: 4096);

        Assert.Equal([big, "after"], data);
    }

    /// <summary>Returns at most <c>maxPiece</c> bytes per read (cycling 1, 2, ... maxPiece), as a slow network would.</summary>
    private sealed class TrickleStream(byte[] bytes, int maxPiece) : Stream
    {
        private int _position;
        private int _next;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var piece = Math.Min(Math.Min(_next++ % maxPiece + 1, buffer.Length), bytes.Length - _position);
            bytes.AsSpan(_position, piece).CopyTo(buffer);
            _position += piece;
            return piece;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await Task.Yield();
            return Read(buffer.Span);
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush() => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
