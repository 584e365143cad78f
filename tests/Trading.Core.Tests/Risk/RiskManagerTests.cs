using Trading.Core.Condors;
using Trading.Core.Markets;
using Trading.Core.Options;
using Trading.Core.Risk;
using Trading.Core.Settings;

namespace Trading.Core.Tests.Risk;

public sealed class RiskManagerTests
{
    // Monday 2026-03-02 10:00 New York (EST, UTC−5).
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 15, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Expiry = new(2026, 4, 2);

    /// <summary>
    /// $5 wide, $1.00 credit at mid → max loss $400 per contract. The legs quote <paramref name="halfSpread"/> either side of their
    /// mids (0: the natural credit equals the mid, so sizing figures stay round).
    /// </summary>
    internal static IronCondor Condor(DateOnly? expiry = null, decimal credit = 1.00m, decimal halfSpread = 0m)
    {
        var e = expiry ?? Expiry;
        CondorLeg Leg(OptionRight right, decimal strike, OrderSide side, decimal mid) =>
            new(new OccSymbol("SPY", e, right, strike), side, new OptionQuote(mid - halfSpread, mid + halfSpread), 0.15);
        return new IronCondor("SPY", e, 31, 600m,
            Leg(OptionRight.Put, 565m, OrderSide.Buy, 0.50m),
            Leg(OptionRight.Put, 570m, OrderSide.Sell, 0.50m + credit / 2),
            Leg(OptionRight.Call, 630m, OrderSide.Sell, 0.50m + credit / 2),
            Leg(OptionRight.Call, 635m, OrderSide.Buy, 0.50m),
            0.7);
    }

    private static BrokerAccount Account(decimal equity = 100_000m, decimal? cash = null, decimal? optionsBuyingPower = null, int level = 3, bool blocked = false) =>
        new("PA-TEST", equity, equity, cash ?? equity, equity * 2, optionsBuyingPower ?? equity, level, blocked, IsPaper: true);

    private static RiskContext Context(Func<RiskContext, RiskContext>? change = null)
    {
        var ctx = new RiskContext
        {
            Account = Account(),
            Condor = Condor(),
            StartOfDayEquity = 100_000m,
            PeakEquity = 100_000m,
            VolatilityProxyPct = 22m,
            IvRankPct = 50m,
            IvHistoryDays = 252,
            MarketOpen = true,
            Now = Now,
        };
        return change is null ? ctx : change(ctx);
    }

    // The contract cap is lifted unless a test is about it, so the other capacity rules show their own numbers.
    private static RiskVerdict Assess(RiskContext ctx, RiskLimits? limits = null) => new RiskManager(limits ?? new RiskLimits { MaxContracts = 1000 }).Assess(ctx);

    private static void AssertOnly(RiskVerdict verdict, RiskRule rule)
    {
        Assert.False(verdict.Approved);
        Assert.Equal(0, verdict.ApprovedQuantity);
        Assert.Equal([rule], verdict.Violations.Select(v => v.Rule));
    }

    private static void AssertApproved(RiskVerdict verdict, int quantity)
    {
        Assert.True(verdict.Approved, string.Join("; ", verdict.Violations));
        Assert.Empty(verdict.Violations);
        Assert.Equal(quantity, verdict.ApprovedQuantity);
    }

    [Fact]
    public void A_clean_context_is_approved_and_sized_by_risk_per_trade()
    {
        Assert.Equal(400m, Condor().MaxLossPerContract);
        var v = Assess(Context());
        AssertApproved(v, 5); // 2% of 100,000 = 2,000 ÷ 400
        Assert.Equal(2000m, v.AllowedRiskDollars);
        Assert.Equal(VolatilityBand.FullSize, v.VolatilityBand);
        Assert.False(v.HaltedUntilResumed);
    }

    [Theory]
    [InlineData("14.99", null, RiskRule.VolatilityTooLow)]
    [InlineData("15", 2, null)] // quiet band ×0.5: floor(5 × 0.5)
    [InlineData("19.99", 2, null)]
    [InlineData("20", 5, null)] // full size
    [InlineData("24.99", 5, null)]
    [InlineData("25", 2, null)] // elevated ×0.5
    [InlineData("30", 2, null)] // "halt above 30": 30 itself is allowed
    [InlineData("30.01", null, RiskRule.VolatilityTooHigh)]
    public void Volatility_bands_at_their_edges(string volatility, int? quantity, RiskRule? rule)
    {
        var v = Assess(Context(c => c with { VolatilityProxyPct = decimal.Parse(volatility, System.Globalization.CultureInfo.InvariantCulture) }));
        if (quantity is { } q)
        {
            AssertApproved(v, q);
        }
        else
        {
            AssertOnly(v, rule!.Value);
        }
    }

    [Fact]
    public void Missing_volatility_is_refused()
    {
        AssertOnly(Assess(Context(c => c with { VolatilityProxyPct = null })), RiskRule.VolatilityUnavailable);
    }

    [Fact]
    public void Max_risk_per_trade_exactly_one_contract_and_just_below()
    {
        // 2% of 20,000 = 400 = one contract's max loss.
        AssertApproved(Assess(Context(c => c with { Account = Account(20_000m), StartOfDayEquity = 20_000m, PeakEquity = 20_000m })), 1);
        var v = Assess(Context(c => c with { Account = Account(19_999.99m), StartOfDayEquity = 19_999.99m, PeakEquity = 19_999.99m }));
        AssertOnly(v, RiskRule.MaxRiskPerTrade);
        Assert.Contains("400", v.Violations[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Band_multiplier_that_floors_to_zero_is_refused()
    {
        // One contract allowed by risk, ×0.5 in the quiet band → 0.
        var v = Assess(Context(c => c with { Account = Account(20_000m), StartOfDayEquity = 20_000m, PeakEquity = 20_000m, VolatilityProxyPct = 16m }));
        AssertOnly(v, RiskRule.MaxRiskPerTrade);
        Assert.Contains("multiplier", v.Violations[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Max_open_condors_at_limit_and_below()
    {
        var one = new OpenCondorRisk("p1", Expiry.AddDays(7), 400m);
        var two = new OpenCondorRisk("p2", Expiry.AddDays(14), 400m);
        AssertApproved(Assess(Context(c => c with { OpenCondors = [one] })), 5);
        AssertOnly(Assess(Context(c => c with { OpenCondors = [one, two] })), RiskRule.MaxOpenCondors);
    }

    [Fact]
    public void Max_new_condors_per_day_at_limit_and_below()
    {
        AssertApproved(Assess(Context(c => c with { NewCondorsToday = 0 })), 5);
        AssertOnly(Assess(Context(c => c with { NewCondorsToday = 1 })), RiskRule.MaxNewCondorsPerDay);
        AssertApproved(Assess(Context(c => c with { NewCondorsToday = 1 }), new RiskLimits { MaxNewCondorsPerDay = 2, MaxContracts = 1000 }), 5);
    }

    [Fact]
    public void Daily_loss_limit_exactly_at_and_just_below()
    {
        AssertOnly(Assess(Context(c => c with { Account = Account(98_000m) })), RiskRule.DailyLossLimit);
        var v = Assess(Context(c => c with { Account = Account(98_000.01m) }));
        AssertApproved(v, 4); // 2% of 98,000.01 = 1,960 → 4 contracts
    }

    [Fact]
    public void Drawdown_at_the_limit_halts_until_a_person_resumes()
    {
        var v = Assess(Context(c => c with { Account = Account(90_000m), StartOfDayEquity = 90_000m }));
        AssertOnly(v, RiskRule.MaxDrawdown);
        Assert.True(v.HaltedUntilResumed);
        Assert.Contains("until a person resumes", v.Violations[0].Message, StringComparison.Ordinal);

        var below = Assess(Context(c => c with { Account = Account(90_000.01m), StartOfDayEquity = 90_000.01m }));
        Assert.True(below.Approved);
        Assert.False(below.HaltedUntilResumed);
    }

    [Theory]
    [InlineData(14, 34, 59, false)]
    [InlineData(14, 35, 0, true)]
    [InlineData(20, 30, 0, true)]
    [InlineData(20, 30, 1, false)]
    [InlineData(20, 31, 0, false)]
    public void Entry_window_edges_in_new_york_winter_time(int hourUtc, int minute, int second, bool inside)
    {
        var v = Assess(Context(c => c with { Now = new DateTimeOffset(2026, 3, 2, hourUtc, minute, second, TimeSpan.Zero) }));
        if (inside)
        {
            AssertApproved(v, 5);
        }
        else
        {
            AssertOnly(v, RiskRule.OutsideEntryWindow);
        }
    }

    [Fact]
    public void Entry_window_follows_daylight_saving_time()
    {
        // July: New York is UTC−4, so 09:35 ET is 13:35 UTC.
        AssertApproved(Assess(Context(c => c with { Now = new DateTimeOffset(2026, 7, 6, 13, 35, 0, TimeSpan.Zero) })), 5);
        AssertOnly(Assess(Context(c => c with { Now = new DateTimeOffset(2026, 7, 6, 13, 34, 0, TimeSpan.Zero) })), RiskRule.OutsideEntryWindow);
    }

    [Fact]
    public void Market_closed_is_refused()
    {
        AssertOnly(Assess(Context(c => c with { MarketOpen = false })), RiskRule.MarketClosed);
    }

    [Fact]
    public void Stop_out_cool_down_exactly_24_hours_and_just_under()
    {
        AssertApproved(Assess(Context(c => c with { LastStopOutAt = Now.AddHours(-24) })), 5);
        var v = Assess(Context(c => c with { LastStopOutAt = Now.AddHours(-24).AddSeconds(1) }));
        AssertOnly(v, RiskRule.StopOutCooldown);
        Assert.Contains("24 h", v.Violations[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Trades_per_hour_at_limit_and_below()
    {
        AssertApproved(Assess(Context(c => c with { TradesInLastHour = 4 })), 5);
        AssertOnly(Assess(Context(c => c with { TradesInLastHour = 5 })), RiskRule.MaxTradesPerHour);
    }

    [Fact]
    public void A_second_condor_on_a_held_expiry_is_refused()
    {
        var v = Assess(Context(c => c with { OpenCondors = [new OpenCondorRisk("p1", Expiry, 400m)] }));
        AssertOnly(v, RiskRule.DuplicateExpiry);
        Assert.Contains("p1", v.Violations[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_level_below_three_and_blocked_accounts_are_refused()
    {
        AssertOnly(Assess(Context(c => c with { Account = Account(level: 2) })), RiskRule.OptionsTradingLevel);
        AssertApproved(Assess(Context(c => c with { Account = Account(level: 3) })), 5);
        AssertOnly(Assess(Context(c => c with { Account = Account(blocked: true) })), RiskRule.AccountBlocked);
    }

    [Fact]
    public void Halt_switch_is_refused_with_its_reason()
    {
        var v = Assess(Context(c => c with { HaltSwitchOn = true, HaltReason = "manual review" }));
        AssertOnly(v, RiskRule.HaltSwitch);
        Assert.Contains("manual review", v.Violations[0].Message, StringComparison.Ordinal);
        Assert.False(v.HaltedUntilResumed);
    }

    [Fact]
    public void Total_open_risk_caps_the_quantity_and_refuses_at_zero()
    {
        // 10% of 100,000 = 10,000; 9,600 open leaves room for exactly one $400 contract.
        AssertApproved(Assess(Context(c => c with { OpenCondors = [new OpenCondorRisk("p1", Expiry.AddDays(7), 9_600m)] })), 1);
        AssertOnly(Assess(Context(c => c with { OpenCondors = [new OpenCondorRisk("p1", Expiry.AddDays(7), 9_600.01m)] })), RiskRule.MaxTotalOpenRisk);
    }

    [Fact]
    public void Buying_power_caps_the_quantity_and_refuses_at_zero()
    {
        AssertApproved(Assess(Context(c => c with { Account = Account(optionsBuyingPower: 800m) })), 2);
        AssertApproved(Assess(Context(c => c with { Account = Account(optionsBuyingPower: 400m) })), 1);
        AssertOnly(Assess(Context(c => c with { Account = Account(optionsBuyingPower: 399.99m) })), RiskRule.BuyingPower);
    }

    [Fact]
    public void Cash_reserve_caps_the_quantity_and_refuses_at_zero()
    {
        // Reserve 50% of 100,000 = 50,000; 50,400 cash leaves room for one contract.
        AssertApproved(Assess(Context(c => c with { Account = Account(cash: 50_400m) })), 1);
        AssertOnly(Assess(Context(c => c with { Account = Account(cash: 50_399.99m) })), RiskRule.CashReserve);
    }

    [Fact]
    public void Every_violated_rule_is_listed()
    {
        var v = Assess(Context(c => c with
        {
            HaltSwitchOn = true,
            MarketOpen = false,
            VolatilityProxyPct = 35m,
            Account = Account(level: 1),
            NewCondorsToday = 3,
            TradesInLastHour = 9,
            LastStopOutAt = Now.AddHours(-1),
            Now = new DateTimeOffset(2026, 3, 2, 23, 0, 0, TimeSpan.Zero),
        }));
        Assert.False(v.Approved);
        Assert.Equal(0, v.ApprovedQuantity);
        var rules = v.Violations.Select(x => x.Rule).ToHashSet();
        Assert.Equal(
            new HashSet<RiskRule>
            {
                RiskRule.HaltSwitch, RiskRule.MarketClosed, RiskRule.VolatilityTooHigh, RiskRule.OptionsTradingLevel,
                RiskRule.MaxNewCondorsPerDay, RiskRule.MaxTradesPerHour, RiskRule.StopOutCooldown, RiskRule.OutsideEntryWindow,
            },
            rules);
        Assert.All(v.Violations, x => Assert.Matches("[0-9]|halt switch|closed", x.Message));
    }

    [Fact]
    public void Sizing_never_exceeds_any_limit_on_seeded_random_contexts()
    {
        var rng = new Random(99);
        var limits = new RiskLimits();
        var approvedCount = 0;
        for (var i = 0; i < 3000; i++)
        {
            var equity = Math.Round(5_000m + (decimal)rng.NextDouble() * 300_000m, 2);
            var cash = Math.Round(equity * (decimal)(0.3 + rng.NextDouble()), 2);
            var obp = Math.Round(equity * (decimal)rng.NextDouble(), 2);
            var credit = Math.Round(0.3m + (decimal)rng.NextDouble() * 3m, 2);
            var open = Enumerable.Range(0, rng.Next(0, 2)).Select(k => new OpenCondorRisk($"p{k}", Expiry.AddDays(7 * (k + 1)), Math.Round((decimal)rng.NextDouble() * equity * 0.1m, 2))).ToArray();
            var ctx = Context(c => c with
            {
                Account = Account(equity, cash, obp),
                StartOfDayEquity = equity,
                PeakEquity = equity,
                Condor = Condor(credit: credit, halfSpread: Math.Round((decimal)rng.NextDouble() * 0.05m, 2)),
                OpenCondors = open,
                VolatilityProxyPct = Math.Round(14m + (decimal)rng.NextDouble() * 17m, 2),
            });
            var v = Assess(ctx, limits);
            var maxLoss = RiskManager.WorstCaseMaxLossPerContract(ctx.Condor);
            var q = v.ApprovedQuantity;
            Assert.Equal(v.Approved, q > 0);
            Assert.Equal(v.Approved, v.Violations.Count == 0);
            if (!v.Approved)
            {
                Assert.NotEmpty(v.Violations);
                continue;
            }

            approvedCount++;
            Assert.True(q * maxLoss <= equity * limits.MaxRiskPerTradePct / 100m);
            Assert.True(q * maxLoss + open.Sum(o => o.MaxLossDollars) <= equity * limits.MaxTotalOpenRiskPct / 100m);
            Assert.True(q * maxLoss <= obp);
            Assert.True(cash - q * maxLoss >= equity * limits.MinCashReservePct / 100m);
            var multiplier = limits.SizeMultiplierFor(limits.BandOf(ctx.VolatilityProxyPct!.Value));
            Assert.True(q <= (int)Math.Floor((int)Math.Floor(equity * 0.02m / maxLoss) * multiplier));
            Assert.True(q <= limits.MaxContracts);
            Assert.Equal(q * maxLoss, v.MaxLossBudgetDollars);

            // Any limit execution accepts (the natural credit or better) keeps the position within the approved budget.
            var natural = Math.Ceiling(ctx.Condor.NetCreditNatural * 100m) / 100m;
            Assert.True(q * (ctx.Condor.WidthDollars - natural) * 100m <= v.MaxLossBudgetDollars);
        }

        Assert.True(approvedCount > 500, $"only {approvedCount} approved");
    }

    [Fact]
    public void Invalid_limits_are_rejected_when_the_manager_is_created()
    {
        var ex = Assert.Throws<SettingsValidationException>(() => new RiskManager(new RiskLimits { MaxRiskPerTradePct = 150m }));
        Assert.Contains("Risk:MaxRiskPerTradePct must be in (0, 100]; was 150", ex.Errors);
    }

    [Fact]
    public void Size_is_taken_from_the_max_loss_at_the_natural_credit_not_the_mid()
    {
        // $1.00 mid credit with legs 5 cents either side: natural credit $0.80, worst-case max loss $420; 2% of $100,000 = $2,000.
        var v = Assess(Context(c => c with { Condor = Condor(halfSpread: 0.05m) }));
        AssertApproved(v, 4);
        Assert.Equal(420m, RiskManager.WorstCaseMaxLossPerContract(Condor(halfSpread: 0.05m)));
        Assert.Equal(1680m, v.MaxLossBudgetDollars);
    }

    [Fact]
    public void Max_contracts_caps_the_size_at_its_default_of_two()
    {
        var v = new RiskManager(new RiskLimits()).Assess(Context());
        AssertApproved(v, 2);
        Assert.Equal(800m, v.MaxLossBudgetDollars);
        AssertApproved(new RiskManager(new RiskLimits { MaxContracts = 1 }).Assess(Context()), 1);
    }

    [Theory]
    [InlineData(5, 1943, 0.50, 4)] // the review's case: sized at the mid for $1,943; at a 0.50 limit a contract risks $450
    [InlineData(2, 800, 1.00, 2)]
    [InlineData(2, 800, 0.95, 1)] // a nickel below the sizing credit: two would risk $810
    [InlineData(1, 400, 0.01, 0)] // $499 a contract against a $400 budget: nothing fits
    public void Contracts_are_re_checked_at_the_limit_actually_sent(int approved, int budget, double limit, int expected)
    {
        var contracts = RiskManager.ContractsWithinBudget(approved, budget, 5m, (decimal)limit);
        Assert.Equal(expected, contracts);
        Assert.True(contracts * (5m - (decimal)limit) * 100m <= budget);
    }

    [Theory]
    [InlineData("19.99", false)]
    [InlineData("20", true)]
    [InlineData("20.01", true)]
    public void Iv_rank_floor_at_its_boundary(string rank, bool approved)
    {
        var v = Assess(Context(c => c with { IvRankPct = decimal.Parse(rank, System.Globalization.CultureInfo.InvariantCulture) }));
        if (approved)
        {
            AssertApproved(v, 5);
        }
        else
        {
            AssertOnly(v, RiskRule.IvRankTooLow);
        }
    }

    [Fact]
    public void An_unknown_iv_rank_is_refused_and_says_how_much_history_there_is()
    {
        var v = Assess(Context(c => c with { IvRankPct = null, IvHistoryDays = 7 }));
        AssertOnly(v, RiskRule.IvRankUnavailable);
        Assert.Contains("7 day(s)", v.Violations[0].Message);
    }

    [Fact]
    public void A_condor_whose_stop_could_never_fire_is_refused()
    {
        // $5 wide: a 200% stop on a $1.70 credit fires at a $5.10 debit, beyond the width.
        AssertOnly(Assess(Context(c => c with { Condor = Condor(credit: 1.70m), StopLossDebit = 5.10m })), RiskRule.StopUnreachable);
        AssertApproved(Assess(Context(c => c with { StopLossDebit = 3.00m })), 5);
    }
}
