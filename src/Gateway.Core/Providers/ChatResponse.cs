using Gateway.Core.Usage;

namespace Gateway.Core.Providers;

/// <summary>A complete non-streaming answer, already in OpenAI's <c>chat.completion</c> JSON.</summary>
public sealed record ChatResponse(ReadOnlyMemory<byte> Body, TokenUsage? Usage, string? ProviderModel = null);
