using System.Buffers;
using System.Text.Json;
using Gateway.Api.Auth;
using Gateway.Core.Routing;

namespace Gateway.Api.Endpoints;

/// <summary><c>GET /health/deployments</c> (admin): each deployment's state as this instance sees it.</summary>
internal static class DeploymentsHealthEndpoint
{
    public static async Task HandleAsync(HttpContext context, CallerAuthenticator auth, DeploymentPicker picker)
    {
        await auth.RequireAsync(context.Request, c => c.CanAdminister, "read deployment health", context.RequestAborted);
        var output = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(output))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("deployments");
            foreach (var health in picker.All)
                Write(writer, health);
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        await ModelsEndpoints.WriteJsonAsync(context, output.WrittenSpan.ToArray());
    }

    private static void Write(Utf8JsonWriter writer, DeploymentHealth health)
    {
        var d = health.Deployment;
        var (requests, tokens) = health.LastMinute();
        writer.WriteStartObject();
        writer.WriteString("id", d.Id);
        writer.WriteString("model_name", d.GroupName);
        writer.WriteString("provider", d.Provider);
        writer.WriteString("model", d.ModelId);
        var cooldown = health.CooldownUntil;
        writer.WriteString("state", cooldown is null ? "healthy" : "cooling_down");
        if (cooldown is { } until)
            writer.WriteString("cooldown_until", until);
        else
            writer.WriteNull("cooldown_until");
        writer.WriteNumber("in_flight", health.InFlight);
        WriteNumberOrNull(writer, "latency_ms", health.LatencyMs);
        WriteNumberOrNull(writer, "time_to_first_token_ms", health.TimeToFirstTokenMs);
        writer.WriteNumber("error_rate", Math.Round(health.ErrorRate, 4));
        writer.WriteNumber("requests_last_minute", requests);
        writer.WriteNumber("tokens_last_minute", tokens);
        writer.WriteEndObject();
    }

    private static void WriteNumberOrNull(Utf8JsonWriter writer, string name, double value)
    {
        if (double.IsNaN(value))
            writer.WriteNull(name);
        else
            writer.WriteNumber(name, Math.Round(value, 2));
    }
}
