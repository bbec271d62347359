using System.Buffers;
using System.Text;
using System.Text.Json;
using Gateway.Core.Usage;

namespace Gateway.Api.Observability;

/// <summary>
/// One CloudWatch Embedded Metric Format line per request on stdout (where the Lambda Web Adapter's logs go), so
/// CloudWatch extracts metrics from the log with no API calls and no agent: Requests, Errors, CacheHits, LatencyMs,
/// TimeToFirstTokenMs, PromptTokens, CompletionTokens, CostUsd, in namespace <c>LlmGateway</c> by (Model, Provider) and
/// by Provider alone (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html).
/// On when <c>GATEWAY_METRICS=emf</c> (the template sets it); never carries keys, prompts or request ids as dimensions.
/// </summary>
internal sealed class EmbeddedMetrics(bool enabled, TextWriter output)
{
    public const string Namespace = "LlmGateway";

    public static readonly (string Name, string Unit)[] Metrics =
    [
        ("Requests", "Count"), ("Errors", "Count"), ("CacheHits", "Count"), ("LatencyMs", "Milliseconds"), ("TimeToFirstTokenMs", "Milliseconds"),
        ("PromptTokens", "Count"), ("CompletionTokens", "Count"), ("CostUsd", "None"),
    ];

    public bool Enabled => enabled;

    public void Write(UsageRecord record)
    {
        if (!enabled)
            return;
        output.Write(Line(record));
    }

    public static string Line(UsageRecord r)
    {
        var buffer = new ArrayBufferWriter<byte>(768);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteStartObject("_aws");
            w.WriteNumber("Timestamp", r.Timestamp.ToUnixTimeMilliseconds());
            w.WriteStartArray("CloudWatchMetrics");
            w.WriteStartObject();
            w.WriteString("Namespace", Namespace);
            w.WriteStartArray("Dimensions");
            w.WriteStartArray();
            w.WriteStringValue("Model");
            w.WriteStringValue("Provider");
            w.WriteEndArray();
            w.WriteStartArray();
            w.WriteStringValue("Provider");
            w.WriteEndArray();
            w.WriteEndArray();
            w.WriteStartArray("Metrics");
            foreach (var (name, unit) in Metrics)
            {
                if (name == "TimeToFirstTokenMs" && r.TimeToFirstTokenMs is null)
                    continue; // a declared metric must have a value in the line
                w.WriteStartObject();
                w.WriteString("Name", name);
                w.WriteString("Unit", unit);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteString("Model", r.ModelGroup ?? r.RequestedModel);
            w.WriteString("Provider", r.Provider ?? "none");
            w.WriteNumber("Requests", 1);
            w.WriteNumber("Errors", r.Status == "success" ? 0 : 1);
            w.WriteNumber("CacheHits", r.CacheStatus == "hit" ? 1 : 0);
            w.WriteNumber("LatencyMs", Math.Round(r.LatencyMs, 3));
            if (r.TimeToFirstTokenMs is { } ttft)
                w.WriteNumber("TimeToFirstTokenMs", Math.Round(ttft, 3));
            w.WriteNumber("PromptTokens", r.PromptTokens);
            w.WriteNumber("CompletionTokens", r.CompletionTokens);
            w.WriteNumber("CostUsd", r.Cost ?? 0m);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan) + "\n";
    }
}
