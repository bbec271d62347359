using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Gateway.Core.Rollups;
using Gateway.Core.Storage;

namespace Gateway.Api.Reports;

/// <summary>
/// Daily rollups as FinOps FOCUS 1.0 cost and usage rows (https://focus.finops.org/focus-specification/), so finance
/// tools that ingest a cloud bill in FOCUS can take the gateway's spend beside it. One row per day and grouped value:
/// the gateway is the provider and invoice issuer, the model provider the publisher, the grouped value the resource.
/// BilledCost = EffectiveCost = ListCost = ContractedCost = the catalog cost (the gateway applies no discounts; cache
/// hits cost 0 and their saving is in <c>Tags.x_saved_cost_usd</c>). Consumed/pricing quantity is tokens.
/// </summary>
internal static class FocusRows
{
    public const string ServiceName = "LLM Gateway";

    private static readonly string[] Columns =
    [
        "BilledCost", "BillingCurrency", "BillingPeriodStart", "BillingPeriodEnd", "ChargeCategory", "ChargeClass", "ChargeDescription",
        "ChargeFrequency", "ChargePeriodStart", "ChargePeriodEnd", "ConsumedQuantity", "ConsumedUnit", "ContractedCost", "EffectiveCost",
        "InvoiceIssuerName", "ListCost", "PricingQuantity", "PricingUnit", "ProviderName", "PublisherName", "RegionId", "ResourceId",
        "ResourceName", "ResourceType", "ServiceCategory", "ServiceName", "SubAccountId", "SubAccountName", "Tags",
    ];

    public static string Csv(IEnumerable<DailyRollup> rows)
    {
        var csv = new CsvText().Row(Columns);
        foreach (var r in rows)
        {
            var start = new DateTimeOffset(r.Day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            var month = new DateTimeOffset(r.Day.Year, r.Day.Month, 1, 0, 0, 0, TimeSpan.Zero);
            var cost = CsvText.Money(r.Cost);
            var tokens = CsvText.Number(r.PromptTokens + r.CompletionTokens);
            var dimension = r.Dimension;
            csv.Row(
                cost, "USD", Time(month), Time(month.AddMonths(1)), "Usage", null,
                $"LLM requests ({r.Requests}) for {dimension} {r.Value}", "Usage-Based", Time(start), Time(start.AddDays(1)),
                tokens, "Tokens", cost, cost, ServiceName, cost, tokens, "Tokens", ServiceName,
                dimension == RollupDimensions.Provider ? r.Value : null,
                dimension == RollupDimensions.Region && r.Value != RollupDimensions.None ? r.Value : null,
                $"{dimension}/{r.Value}", r.Value, ResourceType(dimension), "AI and Machine Learning", ServiceName,
                dimension == RollupDimensions.Team ? r.Value : null, dimension == RollupDimensions.Team ? r.Value : null,
                Tags(r));
        }
        return csv.ToString();
    }

    private static string ResourceType(string dimension) => dimension switch
    {
        RollupDimensions.Key => "Virtual Key",
        RollupDimensions.Team => "Team",
        RollupDimensions.User => "End User",
        RollupDimensions.Model => "Model Group",
        RollupDimensions.ProviderModel => "Model",
        RollupDimensions.Provider => "Model Provider",
        RollupDimensions.Tag => "Tag",
        _ => "Gateway",
    };

    /// <summary>FOCUS Tags: a JSON object; custom keys carry the <c>x_</c> prefix the spec reserves for provider-defined tags.</summary>
    private static string Tags(DailyRollup r)
    {
        var output = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(output))
        {
            w.WriteStartObject();
            w.WriteString("x_gateway_dimension", r.Dimension);
            w.WriteString("x_gateway_value", r.Value);
            w.WriteString("x_requests", CsvText.Number(r.Requests));
            w.WriteString("x_saved_cost_usd", CsvText.Money(r.SavedCost));
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(output.WrittenSpan);
    }

    private static string Time(DateTimeOffset t) => t.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}
