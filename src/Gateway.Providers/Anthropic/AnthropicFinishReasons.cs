namespace Gateway.Providers.Anthropic;

/// <summary>
/// Anthropic <c>stop_reason</c> to OpenAI <c>finish_reason</c>, per https://docs.anthropic.com/en/api/handling-stop-reasons.
/// <c>pause_turn</c> (a server tool paused a long turn) ends this response normally, so it reads as <c>stop</c>;
/// an unknown future reason also reads as <c>stop</c> rather than failing a finished answer.
/// </summary>
internal static class AnthropicFinishReasons
{
    public static string ToOpenAI(string? stopReason) => stopReason switch
    {
        "end_turn" or "stop_sequence" or "pause_turn" => "stop",
        "max_tokens" or "model_context_window_exceeded" => "length",
        "tool_use" => "tool_calls",
        "refusal" => "content_filter",
        _ => "stop",
    };
}
