using System.Diagnostics;
using Gateway.Api.Observability;
using Gateway.Core.Errors;

namespace Gateway.Api.Http;

/// <summary>
/// Outermost step for every route: assigns the request id (an incoming <c>x-request-id</c> is kept when sane),
/// turns any failure into OpenAI's envelope (never a stack trace), and writes the request's one log line.
/// </summary>
internal sealed class RequestContextMiddleware(RequestDelegate next, ILogger<RequestContextMiddleware> logger)
{
    private const string Header = "x-request-id";

    public async Task InvokeAsync(HttpContext context)
    {
        var state = new RequestState { RequestId = RequestIdFor(context), StartTimestamp = Stopwatch.GetTimestamp() };
        context.Features.Set(state);
        context.Response.Headers[Header] = state.RequestId;
        try
        {
            await next(context);
        }
        catch (Exception e) when (!context.Response.HasStarted)
        {
            var error = Classify(e, state, context);
            if (error is not null)
            {
                state.ErrorKind ??= error.Kind.ToString();
                context.Response.Clear();
                context.Response.Headers[Header] = state.RequestId;
                await ErrorResponses.WriteAsync(context, error);
            }
        }
        finally
        {
            if (context.Request.Path != "/health/liveliness")
                LogRequest(context, state);
        }
    }

    private GatewayError? Classify(Exception e, RequestState state, HttpContext context) => e switch
    {
        GatewayError g => g,
        BadHttpRequestException { StatusCode: 413 } => GatewayError.TooLarge(context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize ?? 0),
        BadHttpRequestException b => GatewayError.InvalidRequest("The request could not be read: " + b.Message),
        OperationCanceledException when context.RequestAborted.IsCancellationRequested => null,
        _ => Unexpected(e, state),
    };

    private GatewayError Unexpected(Exception e, RequestState state)
    {
        Log.Unexpected(logger, state.RequestId, e.GetType().Name, e);
        return ErrorResponses.Internal(state.RequestId);
    }

    private void LogRequest(HttpContext context, RequestState state)
    {
        var status = context.RequestAborted.IsCancellationRequested && state.ErrorKind is null ? 499 : context.Response.StatusCode;
        Log.Request(logger, state.RequestId, context.Request.Method, context.Request.Path.Value ?? "", status,
            status < 400 && state.ErrorKind is null ? "success" : "failure", state.Model, state.Deployment, state.Provider, state.Stream,
            state.Usage?.PromptTokens ?? 0, state.Usage?.CompletionTokens ?? 0,
            Stopwatch.GetElapsedTime(state.StartTimestamp).TotalMilliseconds, state.TimeToFirstTokenMs, state.ErrorKind);
    }

    private static string RequestIdFor(HttpContext context)
    {
        var incoming = context.Request.Headers[Header].ToString();
        return IsSafe(incoming) ? incoming : "req_" + Guid.NewGuid().ToString("N");
    }

    /// <summary>Kept only if short and plain, so a hostile id cannot inject into headers or logs.</summary>
    private static bool IsSafe(string id)
    {
        if (id.Length is 0 or > 128)
            return false;
        foreach (var c in id)
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':'))
                return false;
        return true;
    }
}
