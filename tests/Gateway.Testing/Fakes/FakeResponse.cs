namespace Gateway.Testing.Fakes;

/// <summary>What a fake upstream answers with: a JSON body, or an SSE stream whose chunks, timing and failure the test sets.</summary>
public sealed record FakeResponse
{
    public int Status { get; init; } = 200;
    public Dictionary<string, string> Headers { get; init; } = new(StringComparer.OrdinalIgnoreCase);
    public string? Body { get; init; }
    public string ContentType { get; init; } = "application/json";
    /// <summary>SSE <c>data:</c> payloads, each sent (and flushed) after its delay.</summary>
    public IReadOnlyList<FakeChunk>? Chunks { get; init; }
    /// <summary>Raw bytes written as-is after the chunks (e.g. an Anthropic/Bedrock framing the test builds itself).</summary>
    public IReadOnlyList<(byte[] Bytes, TimeSpan Delay)>? RawParts { get; init; }
    public bool SendDone { get; init; } = true;
    /// <summary>Wait before sending status and headers (simulates a slow or hung upstream).</summary>
    public TimeSpan DelayBeforeHeaders { get; init; }
    /// <summary>After this many chunks the connection is reset mid-stream.</summary>
    public int? AbortAfterChunks { get; init; }

    public FakeResponse WithHeader(string name, string value) =>
        this with { Headers = new Dictionary<string, string>(Headers, StringComparer.OrdinalIgnoreCase) { [name] = value } };

    public static FakeResponse Json(string body, int status = 200) => new() { Body = body, Status = status };

    public static FakeResponse Sse(params string[] chunks) => new()
    {
        ContentType = "text/event-stream",
        Chunks = chunks.Select(c => new FakeChunk(c, TimeSpan.Zero)).ToList(),
    };

    public static FakeResponse Error(int status, string message, string? code = null, string type = "invalid_request_error") =>
        Json("{\"error\":{\"message\":\"" + message + "\",\"type\":\"" + type + "\",\"param\":null,\"code\":" + (code is null ? "null" : "\"" + code + "\"") + "}}", status);
}

public sealed record FakeChunk(string Data, TimeSpan DelayBefore);
