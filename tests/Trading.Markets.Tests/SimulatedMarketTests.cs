using Trading.Core.Markets;
using Trading.Core.Options;
using Trading.Markets.Calendar;
using Trading.Markets.Simulation;

namespace Trading.Markets.Tests;

public sealed class SimulatedMarketTests
{
    // Monday 2026-03-02 10:30 ET (EST, UTC−5).
    private static readonly DateTimeOffset MondayMorning = new(2026, 3, 2, 15, 30, 0, TimeSpan.Zero);

    [Fact]
    public async Task Same_seed_and_time_give_the_same_path_and_chain_whatever_the_call_order()
    {
        var early = MondayMorning;
        var late = MondayMorning.AddDays(45);
        var timeA = new InstantTimeProvider(late);
        var timeB = new InstantTimeProvider(early);
        var a = new SimulatedMarket(new SimulationSettings { Seed = 7 }, timeA);
        var b = new SimulatedMarket(new SimulationSettings { Seed = 7 }, timeB);

        // A generates the later day first; B the earlier one first.
        var lateA = await a.GetOptionChainAsync("SPY", DateOnly.MinValue, DateOnly.MaxValue, default);
        timeA.SetUtcNow(early);
        var earlyA = await a.GetOptionChainAsync("SPY", DateOnly.MinValue, DateOnly.MaxValue, default);
        var earlyB = await b.GetOptionChainAsync("SPY", DateOnly.MinValue, DateOnly.MaxValue, default);
        timeB.SetUtcNow(late);
        var lateB = await b.GetOptionChainAsync("SPY", DateOnly.MinValue, DateOnly.MaxValue, default);

        AssertSameChain(earlyA, earlyB);
        AssertSameChain(lateA, lateB);
        Assert.NotEqual(earlyA.UnderlyingPrice, lateA.UnderlyingPrice);
    }

    [Fact]
    public void Different_seeds_give_different_paths()
    {
        var a = new PricePath(new SimulationSettings { Seed = 1 });
        var b = new PricePath(new SimulationSettings { Seed = 2 });

        Assert.NotEqual(a.SpotAt(MondayMorning), b.SpotAt(MondayMorning));
    }

    [Fact]
    public void Generated_chains_have_no_arbitrage_and_parity_holds_within_the_spread()
    {
        var random = new Random(20260302);
        for (var trial = 0; trial < 20; trial++)
        {
            // Every fourth trial starts in a stressed market (high volatility index) to exercise steep, inverted surfaces.
            var settings = new SimulationSettings { Seed = random.Next(), InitialVolatilityIndexPoints = trial % 4 == 0 ? 60 : 14 };
            var model = new OptionChainModel(new PricePath(settings), settings);
            var day = NyseCalendar.NextTradingDayOnOrAfter(new DateOnly(2025, 1, 2).AddDays(random.Next(0, 700)));
            var instant = NyseCalendar.OpenAt(day).AddMinutes(random.Next(1, 380));
            var spot = model.Path.SpotAt(instant);
            var chain = model.ChainAt("SPY", instant, DateOnly.MinValue, DateOnly.MaxValue);
            Assert.NotEmpty(chain.Expirations);

            foreach (var expiration in chain.Expirations)
            {
                var calls = chain.ForExpiration(expiration, OptionRight.Call).ToList();
                var puts = chain.ForExpiration(expiration, OptionRight.Put).ToList();
                Assert.Equal(calls.Count, puts.Count);
                for (var i = 0; i < calls.Count; i++)
                {
                    Assert.True(calls[i].Quote.Bid <= calls[i].Quote.Ask && puts[i].Quote.Bid <= puts[i].Quote.Ask);
                    Assert.True(calls[i].Quote.Bid >= 0 && puts[i].Quote.Bid >= 0);
                    if (i > 0)
                    {
                        Assert.True(calls[i].Quote.Mid <= calls[i - 1].Quote.Mid, $"call mid rises with strike at {calls[i].Symbol} (seed {settings.Seed})");
                        Assert.True(puts[i].Quote.Mid >= puts[i - 1].Quote.Mid, $"put mid falls with strike at {puts[i].Symbol} (seed {settings.Seed})");
                        Assert.True(calls[i].Quote.Bid <= calls[i - 1].Quote.Bid && calls[i].Quote.Ask <= calls[i - 1].Quote.Ask);
                        Assert.True(puts[i].Quote.Bid >= puts[i - 1].Quote.Bid && puts[i].Quote.Ask >= puts[i - 1].Quote.Ask);
                    }

                    var years = OptionChainModel.YearsToExpiry(expiration, instant);
                    var parity = (spot * Math.Exp(-settings.DividendYieldPct / 100 * years)) - ((double)calls[i].Strike * Math.Exp(-settings.RiskFreeRatePct / 100 * years));
                    var low = (double)(calls[i].Quote.Bid - puts[i].Quote.Ask) - 0.0001;
                    var high = (double)(calls[i].Quote.Ask - puts[i].Quote.Bid) + 0.0001;
                    Assert.True(parity >= low && parity <= high, $"parity {parity:0.0000} outside [{low:0.00}, {high:0.00}] at {calls[i].Symbol}");
                }
            }
        }
    }

    [Theory]
    [InlineData(42)]
    [InlineData(1)]
    [InlineData(7)]
    public void A_listed_strike_stays_listed_until_its_expiration_however_far_the_underlying_moves(int seed)
    {
        var settings = new SimulationSettings { Seed = seed };
        var model = new OptionChainModel(new PricePath(settings), settings);
        var expiration = new DateOnly(2026, 4, 17);
        var listed = new HashSet<OccSymbol>(model.ChainAt("SPY", MondayMorning, expiration, expiration).All.Select(o => o.Symbol));
        Assert.NotEmpty(listed);

        for (var day = 1; day <= 40; day++)
        {
            var later = MondayMorning.AddDays(day);
            if (!NyseCalendar.IsTradingDay(DateOnly.FromDateTime(later.UtcDateTime)) || DateOnly.FromDateTime(later.UtcDateTime) > expiration)
            {
                continue;
            }

            var now = model.ChainAt("SPY", later, expiration, expiration).All.Select(o => o.Symbol).ToHashSet();
            var delisted = listed.Except(now).ToList();
            Assert.True(delisted.Count == 0, $"seed {seed}, {later:yyyy-MM-dd}: {delisted.Count} strike(s) delisted, e.g. {string.Join(", ", delisted.Take(3))}");
            listed = now;
        }
    }

    [Fact]
    public void A_chain_is_spy_like_in_size_strikes_expirations_and_greeks()
    {
        var settings = new SimulationSettings();
        var model = new OptionChainModel(new PricePath(settings), settings);

        var chain = model.ChainAt("SPY", MondayMorning, DateOnly.MinValue, DateOnly.MaxValue);
        var spot = (double)chain.UnderlyingPrice;

        Assert.InRange(chain.Count, 1200, 12000); // real SPY lists about as many; $1 strikes span 2.5 60-day deviations so held condors stay priceable
        var expirations = chain.Expirations.ToList();
        Assert.Equal(new DateOnly(2026, 3, 2), expirations[0]); // same-day expiry before the close
        Assert.Contains(new DateOnly(2026, 3, 3), expirations); // a daily
        Assert.Contains(new DateOnly(2026, 4, 2), expirations); // Thursday weekly: Good Friday 2026-04-03 is a holiday
        Assert.DoesNotContain(new DateOnly(2026, 4, 3), expirations);
        Assert.Contains(new DateOnly(2026, 6, 18), expirations); // June monthly (third Friday 06-19 is Juneteenth, so Thursday)
        Assert.Contains(new DateOnly(2026, 8, 21), expirations); // a far monthly
        Assert.DoesNotContain(new DateOnly(2026, 8, 14), expirations); // not a far weekly
        Assert.Contains(expirations, e => e.DayNumber - 2026_0000 is var _ && (e.DayNumber - new DateOnly(2026, 3, 2).DayNumber) is >= 30 and <= 45 && e.DayOfWeek == DayOfWeek.Friday);

        var monthly = chain.ForExpiration(new DateOnly(2026, 4, 17), OptionRight.Put).ToList();
        var strikes = monthly.Select(o => o.Strike).ToList();
        var nearStep = strikes.Zip(strikes.Skip(1), (a, b) => (Mid: (a + b) / 2, Step: b - a)).ToList();
        Assert.Contains(nearStep, s => Math.Abs((double)s.Mid - spot) < 5 && s.Step == 1m);
        Assert.Contains(nearStep, s => Math.Abs((double)s.Mid - spot) > spot * 0.1 && s.Step == 5m);
        Assert.All(monthly, o =>
        {
            Assert.NotNull(o.Greeks);
            Assert.InRange(o.Greeks!.Value.Delta, -1, 0);
            Assert.True(o.ImpliedVolatility > 0.03);
        });

        // Put skew: a 10% out-of-the-money put is priced at a higher volatility than the at-the-money one.
        var atm = monthly.MinBy(o => Math.Abs((double)o.Strike - spot))!;
        var otm = monthly.MinBy(o => Math.Abs((double)o.Strike - (spot * 0.9)))!;
        Assert.True(otm.ImpliedVolatility > atm.ImpliedVolatility + 0.03);
        var fifteenDelta = monthly.MinBy(o => Math.Abs(o.Greeks!.Value.Delta + 0.15))!;
        Assert.InRange(fifteenDelta.Greeks!.Value.Delta, -0.18, -0.12);
    }

    [Fact]
    public void Term_structure_slopes_up_when_calm_and_inverts_in_a_spike()
    {
        Assert.True(OptionChainModel.AtTheMoneyVolatility(13, 7 / 365.0) < OptionChainModel.AtTheMoneyVolatility(13, 180 / 365.0));
        Assert.True(OptionChainModel.AtTheMoneyVolatility(40, 7 / 365.0) > OptionChainModel.AtTheMoneyVolatility(40, 180 / 365.0));
        Assert.Equal(0.20, OptionChainModel.AtTheMoneyVolatility(20, 30 / 365.0), 6);
    }

    [Fact]
    public void Regimes_switch_and_the_volatility_index_follows_them()
    {
        var path = new PricePath(new SimulationSettings { Seed = 11 });
        var days = NyseCalendar.Sessions(new DateOnly(2024, 1, 2), new DateOnly(2027, 12, 31)).Select(s => path.DayOnOrBefore(s.Date)).ToList();

        var byRegime = days.GroupBy(d => d.Regime).ToDictionary(g => g.Key, g => g.Average(d => d.VolatilityIndexClose));
        Assert.True(byRegime.Count >= 3, "expected at least three regimes over four years");
        Assert.True(byRegime[MarketRegime.Calm] < byRegime.Where(kv => kv.Key >= MarketRegime.Volatile).Max(kv => kv.Value));
        Assert.All(days, d => Assert.InRange(d.VolatilityIndexClose, 9, 85));
        var returns = days.Zip(days.Skip(1), (a, b) => Math.Log(b.Close / a.Close)).ToList();
        var annualVol = Math.Sqrt(returns.Select(r => r * r).Average() * 252);
        Assert.InRange(annualVol, 0.07, 0.40);
        Assert.All(days, d => Assert.True(d.Low <= Math.Min(d.Open, d.Close) && d.High >= Math.Max(d.Open, d.Close)));
    }

    [Fact]
    public async Task Clock_quote_and_bars_follow_the_calendar_without_peeking_at_todays_close()
    {
        var time = new InstantTimeProvider(MondayMorning);
        var market = new SimulatedMarket(new SimulationSettings(), time);

        var clock = await market.GetClockAsync(default);
        var bars = await market.GetDailyBarsAsync("SPY", new DateOnly(2026, 2, 23), new DateOnly(2026, 3, 2), default);
        var quote = await market.GetQuoteAsync("SPY", default);

        Assert.True(clock.IsOpen);
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 16, 0, 0, TimeSpan.FromHours(-5)), clock.NextClose);
        Assert.Equal(5, bars.Count); // 02-23..02-27; today's session is not over
        Assert.True(quote.Bid < quote.Ask);
        Assert.True(market.IsSimulated);

        time.SetUtcNow(new DateTimeOffset(2026, 3, 2, 21, 5, 0, TimeSpan.Zero));
        Assert.Equal(6, (await market.GetDailyBarsAsync("SPY", new DateOnly(2026, 2, 23), new DateOnly(2026, 3, 2), default)).Count);
        await Assert.ThrowsAsync<ArgumentException>(() => market.GetQuoteAsync("QQQ", default));
    }

    private static void AssertSameChain(OptionChain a, OptionChain b)
    {
        Assert.Equal(a.UnderlyingPrice, b.UnderlyingPrice);
        Assert.Equal(a.Count, b.Count);
        foreach (var (x, y) in a.All.Zip(b.All))
        {
            Assert.Equal(x, y);
        }
    }
}
