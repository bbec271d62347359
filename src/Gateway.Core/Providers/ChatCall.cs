using Gateway.Core.OpenAI;
using Gateway.Core.Routing;

namespace Gateway.Core.Providers;

/// <summary>One attempt at one deployment: the validated request and where to send it.</summary>
public sealed record ChatCall(ChatRequest Request, Deployment Deployment, string RequestId);
