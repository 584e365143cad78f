using System.Text.Json;
using Trading.Core.Condors;
using Trading.Core.Risk;
using Trading.Core.Tests.Risk;

namespace Trading.Core.Tests.Condors;

/// <summary>Condors and verdicts travel between Durable Functions activities as System.Text.Json payloads.</summary>
public sealed class SerializationTests
{
    [Fact]
    public void A_built_condor_round_trips_through_system_text_json()
    {
        var condor = new IronCondorBuilder(new CondorSettings()).Build(new TestChains { WithGreeks = false }.Build(), TestChains.AsOf).Condor!;
        var json = JsonSerializer.Serialize(condor);
        var back = JsonSerializer.Deserialize<IronCondor>(json)!;
        Assert.Equal(condor.Legs, back.Legs);
        Assert.Equal(condor.MaxLossPerContract, back.MaxLossPerContract);
        Assert.Equal(condor.ProbabilityOfProfit, back.ProbabilityOfProfit);
        Assert.Equal(condor.Expiration, back.Expiration);
    }

    [Fact]
    public void A_risk_verdict_round_trips_through_system_text_json()
    {
        var ctx = new RiskContext
        {
            Account = new Trading.Core.Markets.BrokerAccount("A", 100_000m, 100_000m, 100_000m, 200_000m, 100_000m, 3, false, true),
            Condor = RiskManagerTests.Condor(),
            StartOfDayEquity = 100_000m,
            PeakEquity = 100_000m,
            VolatilityProxyPct = 40m,
            MarketOpen = true,
            Now = new DateTimeOffset(2026, 3, 2, 15, 0, 0, TimeSpan.Zero),
        };
        var verdict = new RiskManager(new RiskLimits()).Assess(ctx);
        var back = JsonSerializer.Deserialize<RiskVerdict>(JsonSerializer.Serialize(verdict))!;
        Assert.Equal(verdict.Violations, back.Violations);
        Assert.Equal(verdict.ApprovedQuantity, back.ApprovedQuantity);
        Assert.True(back.Violates(RiskRule.VolatilityTooHigh));
    }
}
