using Gateway.Api.Http;
using Gateway.Core.Errors;

namespace Gateway.Api.Chat;

/// <summary>Runs an authenticated model request so that whatever happens (success, a classified error, the client
/// leaving) it leaves exactly one usage record.</summary>
internal static class AccountedRequest
{
    public static async Task RunAsync(HttpContext context, RequestState state, UsageRecorder recorder, Func<Task> work)
    {
        try
        {
            await work();
        }
        catch (GatewayError e) when (!context.Response.HasStarted)
        {
            state.ErrorKind = e.Kind.ToString();
            await recorder.RecordAsync(state, e.StatusCode);
            throw;
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            state.ErrorKind ??= nameof(ErrorKind.ClientClosed);
            await recorder.RecordAsync(state, 499);
        }
    }
}
