namespace Gateway.Providers.Sse;

/// <summary>One Server-Sent Event. Both buffers are only valid until the reader moves to the next event.</summary>
public readonly record struct SseEvent(ReadOnlyMemory<byte> Event, ReadOnlyMemory<byte> Data);
