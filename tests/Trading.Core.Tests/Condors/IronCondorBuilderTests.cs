using Trading.Core.Condors;
using Trading.Core.Markets;
using Trading.Core.Options;

namespace Trading.Core.Tests.Condors;

public sealed class IronCondorBuilderTests
{
    private static CondorBuildResult Build(OptionChain chain, CondorSettings? settings = null, StrategyVariant? variant = null) =>
        new IronCondorBuilder(settings ?? new CondorSettings()).Build(chain, chain.AsOf, variant);

    private static IronCondor BuildOk(OptionChain chain, CondorSettings? settings = null, StrategyVariant? variant = null)
    {
        var result = Build(chain, settings, variant);
        Assert.True(result.Succeeded, result.Refusal?.ToString());
        Assert.Null(result.Refusal);
        return result.Condor!;
    }

    [Fact]
    public void Builds_a_condor_with_the_default_settings()
    {
        var chain = new TestChains().Build();
        var c = BuildOk(chain);

        Assert.Equal(31, c.DaysToExpiration);
        Assert.Equal("SPY", c.Underlying);
        Assert.Equal([OrderSide.Buy, OrderSide.Sell, OrderSide.Sell, OrderSide.Buy], c.Legs.Select(l => l.Side));
        Assert.Equal([OptionRight.Put, OptionRight.Put, OptionRight.Call, OptionRight.Call], c.Legs.Select(l => l.Symbol.Right));
        Assert.True(c.LongPut.Strike < c.ShortPut.Strike && c.ShortPut.Strike < 600m && 600m < c.ShortCall.Strike && c.ShortCall.Strike < c.LongCall.Strike);
        Assert.InRange(c.ShortPut.Delta, 0.14, 0.16);
        Assert.InRange(c.ShortCall.Delta, 0.14, 0.16);
        Assert.Equal(5m, c.PutWidthDollars);
        Assert.Equal(5m, c.CallWidthDollars);
        Assert.Equal(5m, c.WidthDollars);

        var expectedMid = c.ShortPut.Quote.Mid + c.ShortCall.Quote.Mid - c.LongPut.Quote.Mid - c.LongCall.Quote.Mid;
        Assert.Equal(expectedMid, c.NetCreditMid);
        Assert.Equal(c.NetCreditMid - 0.04m, c.NetCreditNatural); // four legs, each a cent from the mid
        Assert.Equal((5m - c.NetCreditMid) * 100m, c.MaxLossPerContract);
        Assert.Equal(c.ShortPut.Strike - c.NetCreditMid, c.LowerBreakeven);
        Assert.Equal(c.ShortCall.Strike + c.NetCreditMid, c.UpperBreakeven);
        Assert.Equal(c.NetCreditMid * 100m / c.MaxLossPerContract, c.ReturnOnRisk);
        Assert.InRange(c.NetCreditMid, 0.5m, 2.5m);
        // Two 15-delta shorts leave roughly 70% between them; the credit widens that a little.
        Assert.InRange(c.ProbabilityOfProfit, 0.68, 0.85);
    }

    [Fact]
    public void Order_legs_open_and_close_with_the_right_intents()
    {
        var c = BuildOk(new TestChains().Build());
        var open = c.OpeningOrderLegs();
        Assert.Equal([PositionIntent.BuyToOpen, PositionIntent.SellToOpen, PositionIntent.SellToOpen, PositionIntent.BuyToOpen], open.Select(l => l.Intent));
        var close = c.ClosingOrderLegs();
        Assert.Equal([PositionIntent.SellToClose, PositionIntent.BuyToClose, PositionIntent.BuyToClose, PositionIntent.SellToClose], close.Select(l => l.Intent));
        Assert.Equal(c.Legs.Select(l => l.Symbol), close.Select(l => l.Symbol));
    }

    [Fact]
    public void A_strategy_variant_overrides_delta_and_width()
    {
        var variant = StrategyVariant.Of(0.20, 10m);
        Assert.Equal("d20-w10", variant.Id);
        var c = BuildOk(new TestChains().Build(), variant: variant);
        Assert.InRange(c.ShortPut.Delta, 0.19, 0.21);
        Assert.InRange(c.ShortCall.Delta, 0.19, 0.21);
        Assert.Equal(10m, c.WidthDollars);
    }

    [Fact]
    public void Strategy_variant_ids_are_canonical()
    {
        Assert.Equal("d16-w5", StrategyVariant.Of(0.16, 5.00m).Id);
        Assert.Equal("d12.5-w2.5", StrategyVariant.Of(0.125, 2.50m).Id);
    }

    [Fact]
    public void Without_greeks_delta_comes_from_implied_volatility_and_picks_the_same_strikes()
    {
        var withGreeks = BuildOk(new TestChains().Build());
        var withIvOnly = BuildOk(new TestChains { WithGreeks = false }.Build());
        Assert.Equal(withGreeks.Legs.Select(l => l.Symbol), withIvOnly.Legs.Select(l => l.Symbol));
    }

    [Fact]
    public void Missing_greeks_and_iv_is_refused()
    {
        var r = Build(new TestChains { WithGreeks = false, WithIv = false }.Build());
        Assert.Equal(CondorRefusalReason.MissingGreeksAndIv, r.Refusal!.Reason);
        Assert.Contains("puts", r.Refusal.Message, StringComparison.Ordinal);
        Assert.Null(r.Condor);
    }

    [Fact]
    public void No_expiry_in_the_window_is_refused_with_the_listed_expirations()
    {
        var r = Build(new TestChains { Dtes = [10, 29, 46, 60] }.Build());
        Assert.Equal(CondorRefusalReason.NoExpiryInWindow, r.Refusal!.Reason);
        Assert.Contains("29 DTE", r.Refusal.Message, StringComparison.Ordinal);
        Assert.Contains("46 DTE", r.Refusal.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { 30, 45 }, 30)] // both window edges are inside
    [InlineData(new[] { 45, 60 }, 45)]
    [InlineData(new[] { 33, 38 }, 33)]
    public void Chooses_the_expiration_nearest_the_target_inside_the_window(int[] dtes, int expected)
    {
        Assert.Equal(expected, BuildOk(new TestChains { Dtes = dtes }.Build()).DaysToExpiration);
    }

    [Fact]
    public void Ties_between_expirations_go_to_the_earlier_one()
    {
        var settings = new CondorSettings { MinDte = 20, TargetDte = 30, MaxDte = 45 };
        Assert.Equal(25, BuildOk(new TestChains { Dtes = [25, 35] }.Build(), settings).DaysToExpiration);
    }

    [Fact]
    public void No_strike_in_the_delta_band_is_refused_with_the_nearest_delta()
    {
        // Strikes every $50 around 600: the nearest out-of-the-money deltas are far below 0.10.
        var r = Build(new TestChains { StrikeStep = 50m }.Build());
        Assert.Equal(CondorRefusalReason.NoStrikeNearTargetDelta, r.Refusal!.Reason);
        Assert.Contains("nearest was", r.Refusal.Message, StringComparison.Ordinal);
        Assert.Contains("[0.1, 0.22]", r.Refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Crossed_quotes_are_refused()
    {
        var chain = new TestChains { Transform = o => o with { Quote = new OptionQuote(o.Quote.Ask + 0.05m, o.Quote.Ask) } }.Build();
        var r = Build(chain);
        Assert.Equal(CondorRefusalReason.CrossedQuotes, r.Refusal!.Reason);
        Assert.Contains("above ask", r.Refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_net_debit_is_refused()
    {
        var normal = BuildOk(new TestChains().Build());
        var wings = new[] { normal.LongPut.Symbol, normal.LongCall.Symbol };
        var chain = new TestChains { Transform = o => wings.Contains(o.Symbol) ? o with { Quote = new OptionQuote(4.00m, 4.02m) } : o }.Build();
        var r = Build(chain);
        Assert.Equal(CondorRefusalReason.NetDebit, r.Refusal!.Reason);
        Assert.Contains("debit", r.Refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_debit_is_reported_as_a_debit_even_when_the_short_bids_are_also_low()
    {
        var normal = BuildOk(new TestChains().Build());
        var shorts = new[] { normal.ShortPut.Symbol, normal.ShortCall.Symbol };
        var wings = new[] { normal.LongPut.Symbol, normal.LongCall.Symbol };
        var chain = new TestChains
        {
            Transform = o => shorts.Contains(o.Symbol) ? o with { Quote = new OptionQuote(0.01m, 0.03m) }
                : wings.Contains(o.Symbol) ? o with { Quote = new OptionQuote(0.05m, 0.07m) }
                : o,
        }.Build();
        Assert.Equal(CondorRefusalReason.NetDebit, Build(chain).Refusal!.Reason);
    }

    [Fact]
    public void A_chain_whose_short_bid_is_below_five_cents_is_refused()
    {
        var normal = BuildOk(new TestChains().Build());
        var chain = new TestChains
        {
            Transform = o => o.Symbol == normal.ShortCall.Symbol ? o with { Quote = new OptionQuote(0.04m, o.Quote.Ask + 0.01m) } : o,
        }.Build();
        var r = Build(chain);
        Assert.Equal(CondorRefusalReason.ShortBidTooLow, r.Refusal!.Reason);
        Assert.Contains("bid 0.04", r.Refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Credit_below_the_minimum_is_refused_and_exactly_the_minimum_is_accepted()
    {
        var chain = new TestChains().Build();
        var credit = BuildOk(chain).NetCreditMid;

        BuildOk(chain, new CondorSettings { MinCreditDollars = credit });
        var r = Build(chain, new CondorSettings { MinCreditDollars = credit + 0.01m });
        Assert.Equal(CondorRefusalReason.CreditBelowMinimum, r.Refusal!.Reason);
        Assert.Contains(credit.ToString(System.Globalization.CultureInfo.InvariantCulture), r.Refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Short_bid_below_the_minimum_is_refused_and_exactly_the_minimum_is_accepted()
    {
        var chain = new TestChains().Build();
        var c = BuildOk(chain);
        var lowest = Math.Min(c.ShortPut.Quote.Bid, c.ShortCall.Quote.Bid);

        BuildOk(chain, new CondorSettings { MinShortBidDollars = lowest });
        var r = Build(chain, new CondorSettings { MinShortBidDollars = lowest + 0.01m });
        Assert.Equal(CondorRefusalReason.ShortBidTooLow, r.Refusal!.Reason);
    }

    [Fact]
    public void Spread_exactly_at_the_maximum_is_accepted_and_above_it_refused()
    {
        var chain = new TestChains().Build();
        var c = BuildOk(chain);
        var pct = c.NetSpread / c.NetCreditMid * 100m;

        BuildOk(chain, new CondorSettings { MaxRelativeSpreadPct = pct });
        var r = Build(chain, new CondorSettings { MaxRelativeSpreadPct = pct - 0.01m });
        Assert.Equal(CondorRefusalReason.SpreadTooWide, r.Refusal!.Reason);

        var wide = Build(new TestChains { HalfSpread = 0.15m }.Build());
        Assert.Equal(CondorRefusalReason.SpreadTooWide, wide.Refusal!.Reason);
    }

    [Fact]
    public void Wing_narrower_than_half_the_target_is_refused_and_exactly_half_is_accepted()
    {
        var full = new TestChains().Build();
        var normal = BuildOk(full);
        var sp = normal.ShortPut.Strike;

        // Keep only the put one dollar below the short (and anything above): target $10 → wing $1 < $5.
        OptionChain Keep(decimal gap) => new("SPY", full.UnderlyingPrice, full.AsOf,
            full.All.Where(o => o.Right == OptionRight.Call || o.Strike >= sp || o.Strike == sp - gap));

        var r = Build(Keep(1m), new CondorSettings { WingWidthDollars = 10m });
        Assert.Equal(CondorRefusalReason.WingTooNarrow, r.Refusal!.Reason);
        Assert.Contains("put 1", r.Refusal.Message, StringComparison.Ordinal);

        var half = BuildOk(Keep(5m), new CondorSettings { WingWidthDollars = 10m });
        Assert.Equal(5m, half.PutWidthDollars);
        Assert.Equal(10m, half.CallWidthDollars);
        Assert.Equal(10m, half.WidthDollars);
        Assert.Equal((10m - half.NetCreditMid) * 100m, half.MaxLossPerContract);

        var r2 = Build(Keep(4m), new CondorSettings { WingWidthDollars = 10m });
        Assert.Equal(CondorRefusalReason.WingTooNarrow, r2.Refusal!.Reason);
    }

    [Fact]
    public void No_wing_strike_beyond_the_short_is_refused()
    {
        var full = new TestChains().Build();
        var sp = BuildOk(full).ShortPut.Strike;
        var chain = new OptionChain("SPY", full.UnderlyingPrice, full.AsOf, full.All.Where(o => o.Right == OptionRight.Call || o.Strike >= sp));
        Assert.Equal(CondorRefusalReason.NoWingStrike, Build(chain).Refusal!.Reason);
    }

    [Fact]
    public void Wings_snap_to_the_nearest_listed_strike()
    {
        // $2.50 strikes and a $4 target: 4 is 1.5 from 2.5 and 1 from 5, so the wing is $5.
        var c = BuildOk(new TestChains { StrikeStep = 2.5m }.Build(), new CondorSettings { WingWidthDollars = 4m });
        Assert.Equal(5m, c.PutWidthDollars);
        Assert.Equal(5m, c.CallWidthDollars);
    }

    [Fact]
    public void Zero_underlying_price_is_refused_as_invalid_input()
    {
        var full = new TestChains().Build();
        var chain = new OptionChain("SPY", 0m, full.AsOf, full.All);
        Assert.Equal(CondorRefusalReason.InvalidInput, Build(chain).Refusal!.Reason);
    }

    [Fact]
    public void Every_condor_built_from_random_chains_respects_its_invariants()
    {
        var rng = new Random(31337);
        var built = 0;
        for (var i = 0; i < 150; i++)
        {
            var spot = Math.Round(300m + (decimal)rng.NextDouble() * 400m, 2);
            var step = new[] { 1m, 2.5m, 5m }[rng.Next(3)];
            var chain = new TestChains
            {
                Spot = spot,
                Volatility = 0.10 + rng.NextDouble() * 0.35,
                StrikeStep = step,
                LowStrike = Math.Floor(spot * 0.6m / step) * step,
                HighStrike = Math.Ceiling(spot * 1.4m / step) * step,
                Dtes = [rng.Next(20, 35), rng.Next(35, 50)],
                HalfSpread = rng.Next(1, 4) / 100m,
                WithGreeks = rng.Next(4) != 0,
            }.Build();
            var settings = new CondorSettings
            {
                TargetShortDelta = 0.10 + rng.NextDouble() * 0.12,
                WingWidthDollars = new[] { 2m, 3m, 5m, 7.5m, 10m }[rng.Next(5)],
                MinCreditDollars = 0.10m,
                MaxRelativeSpreadPct = 100m,
            };
            var result = Build(chain, settings);
            Assert.True(result.Succeeded ^ (result.Refusal is not null));
            if (result.Condor is not { } c)
            {
                Assert.False(string.IsNullOrWhiteSpace(result.Refusal!.Message));
                continue;
            }

            built++;
            Assert.Equal((c.WidthDollars - c.NetCreditMid) * 100m, c.MaxLossPerContract);
            Assert.True(c.MaxLossPerContract > 0);
            Assert.True(c.NetCreditMid >= settings.MinCreditDollars);
            Assert.True(c.NetCreditNatural <= c.NetCreditMid);
            Assert.True(c.WidthDollars >= settings.WingWidthDollars / 2);
            Assert.InRange(c.ShortPut.Delta, settings.MinShortDelta, settings.MaxShortDelta);
            Assert.InRange(c.ShortCall.Delta, settings.MinShortDelta, settings.MaxShortDelta);
            Assert.True(c.LowerBreakeven < c.ShortPut.Strike && c.UpperBreakeven > c.ShortCall.Strike);
            Assert.InRange(c.ProbabilityOfProfit, 0.0, 1.0);
            Assert.InRange(c.DaysToExpiration, settings.MinDte, settings.MaxDte);
        }

        Assert.True(built > 100, $"only {built} of 150 built");
    }
}
