using Gateway.Api.Http;
using Gateway.Core.Errors;

namespace Gateway.Api.Chat;

/// <summary>Runs an authenticated model request so that whatever happens (success, a classified error, the client
/// leaving) it leaves exactly one usage record.</summary>
internal static class AccountedRequest
{
    /// <summary>The shared first step of every model route: a caller allowed to call models, recorded on the request.</summary>
    public static async Task<(RequestState State, Core.Governance.Caller Caller)> AuthenticateAsync(HttpContext context, Auth.CallerAuthenticator auth)
    {
        var state = RequestState.Of(context);
        var caller = await auth.RequireAsync(context.Request, c => c.CanCallModels, "call models", context.RequestAborted);
        state.Caller = caller;
        state.KeyId = caller.KeyId;
        return (state, caller);
    }

    public const string TagsHeader = "x-gateway-tags";

    /// <summary>What the usage record says about who asked for what: the routed group, tags, and (only when prompts are
    /// stored in spend logs) the request body, size-capped.</summary>
    public static void Describe(HttpContext context, RequestState state, Core.Governance.Caller caller, Core.Configuration.GatewayConfig config,
        string group, IReadOnlyList<string> bodyTags, ReadOnlySpan<byte> body)
    {
        state.Group = group;
        state.SetTags(caller.Key?.Tags, bodyTags, context.Request.Headers[TagsHeader].ToString());
        if (!config.StorePrompts)
            return;
        state.RequestBody = System.Text.Encoding.UTF8.GetString(body[..Math.Min(body.Length, UsageRecorder.BodyCap * 4)]);
        state.RequestBody = UsageRecorder.Cap(state.RequestBody);
        state.ResponseBody = new System.Text.StringBuilder();
    }

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
