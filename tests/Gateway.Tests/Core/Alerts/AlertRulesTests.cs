using Gateway.Core.Alerts;
using Gateway.Core.Configuration;
using Gateway.Core.Governance;
using Gateway.Core.Storage;

namespace Gateway.Tests.Core.Alerts;

public sealed class AlertRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 15, 0, 0, 0, TimeSpan.Zero);

    private static BudgetStatus Budget(decimal spent, decimal? max = 100m, decimal? soft = null) => new()
    {
        Kind = "team", Id = "research", MaxBudget = max, SoftBudget = soft, BudgetDuration = "1mo", PeriodId = "m2026-11",
        PeriodStart = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), ResetAt = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero),
        Spent = spent,
    };

    [Theory]
    [InlineData(79.99, 0)]
    [InlineData(80, 1)]
    [InlineData(150, 1)]
    public void ForBudgets_PercentOfMax_AlertsFromTheThresholdOn(double spent, int expected)
    {
        var alerts = AlertRules.ForBudgets([Budget((decimal)spent)], new AlertSettings { BudgetAlertPercent = 80 }).ToList();
        Assert.Equal(expected, alerts.Count);
        Assert.All(alerts, a => Assert.Equal(new MeterKey("team:research", "alert:budget_percent", "m2026-11"), a.Once));
    }

    [Fact]
    public void ForBudgets_SoftAndPercent_AreSeparateCrossings_AndNoPercentSettingMeansOnlySoft()
    {
        var both = AlertRules.ForBudgets([Budget(95m, soft: 90m)], new AlertSettings { BudgetAlertPercent = 80 }).Select(a => a.Kind);
        Assert.Equal([AlertKinds.SoftBudget, AlertKinds.BudgetPercent], both);
        var softOnly = AlertRules.ForBudgets([Budget(95m, soft: 90m)], new AlertSettings()).Select(a => a.Kind);
        Assert.Equal([AlertKinds.SoftBudget], softOnly);
    }

    [Fact]
    public void ForDay_OnlyAboveTheThreshold_OncePerDay()
    {
        var day = new DateOnly(2026, 11, 14);
        DailyRollup Total(decimal cost) => new() { Day = day, Dimension = "total", Value = "all", Cost = cost, Requests = 10 };
        var settings = new AlertSettings { DailySpendThreshold = 50m };
        Assert.Null(AlertRules.ForDay(Total(50m), settings));
        Assert.Null(AlertRules.ForDay(Total(500m), new AlertSettings()));
        var alert = AlertRules.ForDay(Total(50.01m), settings)!;
        Assert.Equal(new MeterKey("gateway", "alert:daily_spend", "d2026-11-14"), alert.Once);
        Assert.Contains("$50.01", alert.Text);
    }

    [Fact]
    public void Project_IsLinearOverThePeriod_AndNeverBelowSpent()
    {
        var period = BudgetPeriod.For("1mo", Now);
        Assert.Equal(60m, BudgetOverview.Project(28m, period, Now)); // 14 of 30 days gone
        Assert.Equal(5m, BudgetOverview.Project(5m, BudgetPeriod.For(null, Now), Now));
        Assert.Equal(720m, BudgetOverview.Project(1m, period, period.Start.AddMinutes(5))); // the first hour counts as an hour
    }
}
