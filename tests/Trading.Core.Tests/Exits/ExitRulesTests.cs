using Trading.Core.Exits;

namespace Trading.Core.Tests.Exits;

public sealed class ExitRulesTests
{
    private static readonly DateOnly Expiry = new(2026, 4, 17);

    // 2026-03-23 11:00 New York (EDT, UTC−4): 25 days to expiration.
    private static readonly DateTimeOffset Now = new(2026, 3, 23, 15, 0, 0, TimeSpan.Zero);

    private static CondorPosition Position(decimal debit = 0.80m, double hoursHeld = 5) =>
        new("pos-1", Expiry, 570m, 630m, EntryCredit: 1.00m, DebitToCloseMid: debit, DebitToCloseNatural: debit + 0.04m, Now.AddHours(-hoursHeld));

    private static ExitSignal? Evaluate(CondorPosition p, decimal underlying = 600m, DateTimeOffset? now = null) =>
        new ExitRules().Evaluate(p, underlying, now ?? Now);

    [Fact]
    public void Holding_when_nothing_applies()
    {
        Assert.Null(Evaluate(Position()));
    }

    [Fact]
    public void Take_profit_at_exactly_half_the_credit_and_not_just_above()
    {
        var s = Evaluate(Position(debit: 0.50m));
        Assert.Equal(ExitReason.TakeProfit, s!.Reason);
        Assert.Contains("50%", s.Message, StringComparison.Ordinal);
        Assert.Null(Evaluate(Position(debit: 0.51m)));
    }

    [Fact]
    public void Take_profit_waits_for_the_minimum_hold()
    {
        Assert.Null(Evaluate(Position(debit: 0.40m, hoursHeld: 3.99)));
        Assert.Equal(ExitReason.TakeProfit, Evaluate(Position(debit: 0.40m, hoursHeld: 4))!.Reason);
    }

    [Fact]
    public void Stop_loss_at_exactly_200_percent_of_the_credit_even_inside_the_minimum_hold()
    {
        var s = Evaluate(Position(debit: 3.00m, hoursHeld: 0.5));
        Assert.Equal(ExitReason.StopLoss, s!.Reason);
        Assert.Contains("200%", s.Message, StringComparison.Ordinal);
        Assert.Null(Evaluate(Position(debit: 2.99m)));
    }

    [Theory]
    [InlineData("570", true)]
    [InlineData("570.01", false)]
    [InlineData("629.99", false)]
    [InlineData("630", true)]
    [InlineData("545", true)]
    public void Short_strike_breached_at_or_beyond_either_short(string underlying, bool breached)
    {
        var s = Evaluate(Position(hoursHeld: 1), decimal.Parse(underlying, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(breached ? ExitReason.ShortStrikeBreached : null, s?.Reason);
    }

    [Fact]
    public void Time_exit_at_seven_days_and_not_at_eight()
    {
        var at7 = new DateTimeOffset(2026, 4, 10, 14, 0, 0, TimeSpan.Zero); // 10:00 New York, 7 days before
        var s = Evaluate(Position(), now: at7);
        Assert.Equal(ExitReason.TimeExit, s!.Reason);
        Assert.Contains("7", s.Message, StringComparison.Ordinal);
        Assert.Null(Evaluate(Position(), now: at7.AddDays(-1)));
    }

    [Fact]
    public void The_date_is_taken_in_new_york_not_utc()
    {
        // 2026-04-10 01:00 UTC is still 2026-04-09 in New York: 8 days, no time exit yet.
        Assert.Null(Evaluate(Position(), now: new DateTimeOffset(2026, 4, 10, 1, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void Never_held_into_expiration_day_even_with_time_exit_disabled()
    {
        var rules = new ExitRules { ExitAtDte = 0 };
        var dayBefore = new DateTimeOffset(2026, 4, 16, 14, 0, 0, TimeSpan.Zero);
        Assert.Equal(ExitReason.ExpirationDay, rules.Evaluate(Position(hoursHeld: 1), 600m, dayBefore)!.Reason);
        Assert.Equal(ExitReason.ExpirationDay, rules.Evaluate(Position(hoursHeld: 1), 600m, dayBefore.AddDays(1))!.Reason);
        Assert.Null(rules.Evaluate(Position(), 600m, dayBefore.AddDays(-1)));
    }

    [Fact]
    public void Settings_defaults_and_validation()
    {
        var r = new ExitRules();
        Assert.Equal("Exit", ExitRules.SectionName);
        Assert.Equal((50m, 200m, 7, 4.0), (r.TakeProfitPct, r.StopLossPct, r.ExitAtDte, r.MinHoldHours));
        Assert.Empty(r.Validate());
        var errors = new ExitRules { TakeProfitPct = 0m, StopLossPct = -5m, MinHoldHours = -1 }.Validate();
        Assert.Contains("Exit:TakeProfitPct must be in (0, 100]; was 0", errors);
        Assert.Contains("Exit:StopLossPct must be in (0, 10000]; was -5", errors);
        Assert.Contains("Exit:MinHoldHours must be in [0, 8760]; was -1", errors);
    }

    [Theory]
    [InlineData(631, ExitReason.ShortStrikeBreached)] // beyond the short call
    [InlineData(569, ExitReason.ShortStrikeBreached)] // beyond the short put
    public void Legs_without_quotes_still_exit_on_a_breach(double underlying, ExitReason expected)
    {
        var unpriced = Position() with { DebitToCloseMid = null, DebitToCloseNatural = null };
        Assert.Equal(expected, Evaluate(unpriced, (decimal)underlying)!.Reason);
        Assert.Null(Evaluate(unpriced)); // inside the strikes, no price rule can fire without a price
    }

    [Fact]
    public void Legs_without_quotes_still_leave_before_expiration_day_and_at_the_time_exit()
    {
        var unpriced = Position() with { DebitToCloseMid = null, DebitToCloseNatural = null };
        Assert.Equal(ExitReason.ExpirationDay, Evaluate(unpriced, now: new DateTimeOffset(2026, 4, 16, 15, 0, 0, TimeSpan.Zero))!.Reason);
        Assert.Equal(ExitReason.TimeExit, Evaluate(unpriced, now: new DateTimeOffset(2026, 4, 10, 15, 0, 0, TimeSpan.Zero))!.Reason);
    }

    [Theory]
    [InlineData(900, 0.50, 5, false)] // 0.50 × 10 = 5.00: not below the width, can never fire
    [InlineData(899, 0.50, 5, true)]
    [InlineData(200, 0.50, 5, true)]
    [InlineData(200, 2.00, 5, false)] // a $2 minimum credit on $5 wings: the stop sits at $6
    public void A_stop_that_cannot_fire_for_any_condor_the_builder_accepts_is_a_settings_error(double stopPct, double minCredit, double width, bool valid)
    {
        var errors = new ExitRules { StopLossPct = (decimal)stopPct }.ValidateStopReachable((decimal)minCredit, (decimal)width);
        Assert.Equal(valid, errors.Count == 0);
        if (!valid)
        {
            Assert.Contains("Exit:StopLossPct", errors[0], StringComparison.Ordinal);
        }
    }
}
