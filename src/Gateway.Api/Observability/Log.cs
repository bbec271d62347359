namespace Gateway.Api.Observability;

/// <summary>Every log line the gateway writes. None takes a key, a secret or prompt/response text.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information,
        Message = "request {RequestId} {Method} {Path} -> {HttpStatus} {Status} model={Model} deployment={Deployment} provider={Provider} " +
                  "stream={Stream} prompt_tokens={PromptTokens} completion_tokens={CompletionTokens} latency_ms={LatencyMs} ttft_ms={TtftMs} error={ErrorKind}")]
    public static partial void Request(ILogger logger, string requestId, string method, string path, int httpStatus, string status,
        string? model, string? deployment, string? provider, bool stream, long promptTokens, long completionTokens,
        double latencyMs, double? ttftMs, string? errorKind);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "config warning: {Warning}")]
    public static partial void ConfigWarning(ILogger logger, string warning);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning,
        Message = "NO MASTER KEY CONFIGURED: every caller is accepted without a key. Fine on your laptop; set general_settings.master_key before exposing this gateway.")]
    public static partial void NoMasterKey(ILogger logger);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "config loaded from {Source}: {Groups} model group(s), {Deployments} deployment(s); store {Store}")]
    public static partial void ConfigLoaded(ILogger logger, string source, int groups, int deployments, string store);

    [LoggerMessage(EventId = 5, Level = LogLevel.Error, Message = "usage record {RequestId} could not be written to the store")]
    public static partial void UsageWriteFailed(ILogger logger, string requestId, Exception exception);

    [LoggerMessage(EventId = 7, Level = LogLevel.Warning, Message = "soft budget crossed for {Owner} (request {RequestId})")]
    public static partial void SoftBudgetCrossed(ILogger logger, string owner, string requestId);

    [LoggerMessage(EventId = 8, Level = LogLevel.Error, Message = "budget settlement for request {RequestId} failed; its reservation expires with the period")]
    public static partial void SettleFailed(ILogger logger, string requestId, Exception exception);

    [LoggerMessage(EventId = 9, Level = LogLevel.Error, Message = "usage_spooled {UsageRecordJson}")]
    public static partial void UsageSpooled(ILogger logger, string usageRecordJson);

    [LoggerMessage(EventId = 6, Level = LogLevel.Error, Message = "request {RequestId} failed with an unexpected {ExceptionType}")]
    public static partial void Unexpected(ILogger logger, string requestId, string exceptionType, Exception exception);

    [LoggerMessage(EventId = 10, Level = LogLevel.Warning, Message = "alert {Kind} sent to {Sink}: {Title}")]
    public static partial void AlertSent(ILogger logger, string kind, string sink, string title);

    [LoggerMessage(EventId = 11, Level = LogLevel.Warning, Message = "alert {Kind} to {Sink} failed (attempt {Attempt}), retrying: {Reason}")]
    public static partial void AlertRetry(ILogger logger, string kind, string sink, int attempt, string reason);

    [LoggerMessage(EventId = 12, Level = LogLevel.Error, Message = "alert {Kind} to {Sink} failed after retries, will be tried again next run: {Title}")]
    public static partial void AlertFailed(ILogger logger, string kind, string sink, string title, Exception exception);

    [LoggerMessage(EventId = 13, Level = LogLevel.Information,
        Message = "rollup {Day} ({Trigger}) {Outcome}: {RecordsRead} records read, {Rows} rows, {DurationMs} ms {Error}")]
    public static partial void RollupRan(ILogger logger, string day, string trigger, string outcome, long recordsRead, int rows, double durationMs, string? error);

    [LoggerMessage(EventId = 14, Level = LogLevel.Error, Message = "scheduled rollup run failed")]
    public static partial void RollupScheduleFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 15, Level = LogLevel.Warning, Message = "response cache {Operation} failed for request {RequestId}; served without the cache")]
    public static partial void CacheFailed(ILogger logger, string operation, string requestId, Exception exception);

    [LoggerMessage(EventId = 16, Level = LogLevel.Information, Message = "secret {Reference} was rotated; the new value is in use")]
    public static partial void SecretRotated(ILogger logger, string reference);

    [LoggerMessage(EventId = 17, Level = LogLevel.Warning, Message = "secret {Reference} could not be refreshed ({Reason}); the previous value stays in use")]
    public static partial void SecretRefreshFailed(ILogger logger, string reference, string reason);
}
