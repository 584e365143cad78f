using Trading.Core.Risk;

namespace Trading.Core.Tests.Settings;

public sealed class RiskLimitsValidationTests
{
    [Fact]
    public void Defaults_are_valid_and_match_the_reference()
    {
        var l = new RiskLimits();
        Assert.Empty(l.Validate());
        Assert.Equal("Risk", RiskLimits.SectionName);
        Assert.Equal((2m, 10m, 2, 1), (l.MaxRiskPerTradePct, l.MaxTotalOpenRiskPct, l.MaxOpenCondors, l.MaxNewCondorsPerDay));
        Assert.Equal((2m, 10m, 30m, 15m), (l.DailyLossLimitPct, l.MaxDrawdownPct, l.VolatilityHaltAbovePct, l.VolatilitySkipBelowPct));
        Assert.Equal((24.0, 3, "09:35", "15:30", "America/New_York"), (l.StopOutCooldownHours, l.MinOptionsTradingLevel, l.EntryWindowStart, l.EntryWindowEnd, l.MarketTimeZone));
    }

    [Theory]
    [InlineData("0", "Risk:MaxRiskPerTradePct must be in (0, 100]; was 0")]
    [InlineData("100.01", "Risk:MaxRiskPerTradePct must be in (0, 100]; was 100.01")]
    public void Max_risk_per_trade_bounds(string value, string expected)
    {
        var l = new RiskLimits { MaxRiskPerTradePct = decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture) };
        Assert.Contains(expected, l.Validate());
        Assert.Empty(new RiskLimits { MaxRiskPerTradePct = 100m }.Validate());
    }

    [Fact]
    public void Bad_times_zone_and_band_order_are_each_named()
    {
        var errors = new RiskLimits
        {
            EntryWindowStart = "9h35",
            EntryWindowEnd = "25:00",
            MarketTimeZone = "Mars/Olympus_Mons",
            VolatilitySkipBelowPct = 22m,
            MaxOpenCondors = -1,
        }.Validate();
        Assert.Contains("Risk:EntryWindowStart must be a time \"HH:mm\"; was '9h35'", errors);
        Assert.Contains("Risk:EntryWindowEnd must be a time \"HH:mm\"; was '25:00'", errors);
        Assert.Contains(errors, e => e.StartsWith("Risk:MarketTimeZone must be a known time zone id", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Risk:FullSizeVolatilityFromPct", StringComparison.Ordinal));
        Assert.Contains("Risk:MaxOpenCondors must be in [0, 1000]; was -1", errors);

        var reversed = new RiskLimits { EntryWindowStart = "15:00", EntryWindowEnd = "10:00" }.Validate();
        Assert.Contains("Risk:EntryWindowEnd must not be before EntryWindowStart (15:00); was '10:00'", reversed);
    }
}
