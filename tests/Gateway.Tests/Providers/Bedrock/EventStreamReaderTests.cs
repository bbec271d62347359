using System.Text;
using Gateway.Providers.Bedrock.Streaming;
using Gateway.Testing.Fakes.Bedrock;

namespace Gateway.Tests.Providers.Bedrock;

/// <summary>The gateway's event-stream reader (AWSSDK.Core's decoder behind our framing) against the test encoder,
/// which is written independently from the format description (and checked by boto3 in the end-to-end tests).</summary>
public sealed class EventStreamReaderTests
{
    [Fact]
    public async Task Read_FramesDeliveredOneByteAtATime_DecodeInOrderThenEndCleanly()
    {
        var bytes = Concat(BedrockEventStream.MessageStart(), BedrockEventStream.Text(0, "Hi"),
            BedrockEventStream.Exception("throttlingException", "slow down"));
        var reader = new EventStreamReader(new TrickleStream(bytes));

        var start = await reader.ReadAsync(CancellationToken.None);
        var text = await reader.ReadAsync(CancellationToken.None);
        var exception = await reader.ReadAsync(CancellationToken.None);

        Assert.Equal(("event", "messageStart"), (start!.Value.MessageType, start.Value.Type));
        Assert.Equal(("event", "contentBlockDelta"), (text!.Value.MessageType, text.Value.Type));
        Assert.Contains("\"text\":\"Hi\"", Encoding.UTF8.GetString(text.Value.Payload));
        Assert.Equal(("exception", "throttlingException"), (exception!.Value.MessageType, exception.Value.Type));
        Assert.Null(await reader.ReadAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Read_CorruptPayload_FailsTheChecksum()
    {
        var frame = BedrockEventStream.Text(0, "Hello");
        frame[^8] ^= 0x20;

        await Assert.ThrowsAsync<InvalidDataException>(() => new EventStreamReader(new MemoryStream(frame)).ReadAsync(CancellationToken.None).AsTask());
    }

    [Fact]
    public async Task Read_BodyEndingInsideAFrame_IsEndOfStream()
    {
        var frame = BedrockEventStream.Text(0, "Hello");

        await Assert.ThrowsAsync<EndOfStreamException>(() =>
            new EventStreamReader(new MemoryStream(frame[..^3])).ReadAsync(CancellationToken.None).AsTask());
        await Assert.ThrowsAsync<EndOfStreamException>(() =>
            new EventStreamReader(new MemoryStream(frame[..5])).ReadAsync(CancellationToken.None).AsTask());
    }

    [Fact]
    public async Task Read_AbsurdLengthPrefix_IsRefusedBeforeAllocating()
    {
        var frame = BedrockEventStream.Text(0, "Hello");
        frame[0] = 0x7F;

        await Assert.ThrowsAsync<InvalidDataException>(() => new EventStreamReader(new MemoryStream(frame)).ReadAsync(CancellationToken.None).AsTask());
    }

    [Fact]
    public void Crc32_MatchesTheStandardCheckValue() =>
        Assert.Equal(0xCBF43926u, BedrockEventStream.Crc32("123456789"u8));

    private static byte[] Concat(params byte[][] frames) => frames.SelectMany(f => f).ToArray();

    /// <summary>A body that hands out one byte per read, as a slow network might.</summary>
    private sealed class TrickleStream(byte[] data) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(1, buffer.Length)], cancellationToken);
    }
}
