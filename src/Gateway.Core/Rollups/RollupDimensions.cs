using Gateway.Core.Usage;

namespace Gateway.Core.Rollups;

/// <summary>
/// The dimensions a day is rolled up by, and which value of each a usage record counts towards. <c>total</c> has the one
/// value <c>all</c> so a day's totals are one row read, not a sum over a dimension (tags would double-count).
/// A record without a value counts towards <see cref="None"/>, so every dimension except <c>tag</c> sums to the total.
/// </summary>
public static class RollupDimensions
{
    public const string Total = "total";
    public const string Team = "team";
    public const string Key = "key";
    public const string User = "user";
    public const string Model = "model";
    public const string ProviderModel = "provider_model";
    public const string Provider = "provider";
    public const string Region = "region";
    public const string Tag = "tag";

    /// <summary>The value for records that have none (no team, no region...).</summary>
    public const string None = "(none)";
    public const string AllValue = "all";

    public static readonly IReadOnlyList<string> All = [Total, Team, Key, User, Model, ProviderModel, Provider, Region, Tag];

    public static bool IsKnown(string dimension) => All.Contains(dimension);

    /// <summary>The single-valued dimensions of a record (everything but tags, which a record may have several of).</summary>
    internal static void ForEachValue(UsageRecord r, Action<string, string> visit)
    {
        visit(Total, AllValue);
        visit(Team, r.TeamId ?? None);
        visit(Key, r.KeyId);
        visit(User, r.EndUser ?? None);
        visit(Model, r.ModelGroup ?? (r.RequestedModel.Length > 0 ? r.RequestedModel : None));
        visit(ProviderModel, r.ProviderModel ?? None);
        visit(Provider, r.Provider ?? None);
        visit(Region, r.Region ?? None);
        if (r.Tags.Count == 0)
            visit(Tag, None);
        foreach (var tag in r.Tags)
            visit(Tag, tag);
    }
}
