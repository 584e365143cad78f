using System.Globalization;

namespace Trading.Core.Risk;

/// <summary>
/// The hard limits no later stage can loosen. <see cref="Assess"/> checks every rule (it never stops at the first), sizes the
/// trade and returns the approved quantity. Pure: everything it needs is in the <see cref="RiskContext"/>.
/// </summary>
public sealed class RiskManager
{
    private readonly RiskLimits _limits;
    private readonly TimeZoneInfo _zone;
    private readonly TimeOnly _windowStart;
    private readonly TimeOnly _windowEnd;

    /// <summary>Throws <see cref="Settings.SettingsValidationException"/> when the limits are invalid.</summary>
    public RiskManager(RiskLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        Settings.SettingsValidationException.ThrowIfAny(limits.Validate());
        _limits = limits;
        _zone = limits.TimeZone();
        // Validate() above already proved both parse.
        _windowStart = TimeOnly.ParseExact(limits.EntryWindowStart, "HH:mm", CultureInfo.InvariantCulture);
        _windowEnd = TimeOnly.ParseExact(limits.EntryWindowEnd, "HH:mm", CultureInfo.InvariantCulture);
    }

    public RiskVerdict Assess(RiskContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var l = _limits;
        var v = new List<RiskViolation>();
        void Add(RiskRule rule, FormattableString message) => v.Add(new RiskViolation(rule, FormattableString.Invariant(message)));

        var account = context.Account;
        var equity = account.Equity;

        if (context.HaltSwitchOn)
        {
            Add(RiskRule.HaltSwitch, $"the halt switch is on ({(string.IsNullOrWhiteSpace(context.HaltReason) ? "no reason given" : context.HaltReason)})");
        }

        var halted = false;
        if (context.PeakEquity > 0)
        {
            var drawdownPct = (context.PeakEquity - equity) / context.PeakEquity * 100m;
            if (drawdownPct >= l.MaxDrawdownPct)
            {
                halted = true;
                Add(RiskRule.MaxDrawdown,
                    $"drawdown {Round(drawdownPct)}% from peak equity {context.PeakEquity} to {equity} reaches the {l.MaxDrawdownPct}% limit; trading is halted until a person resumes it");
            }
        }

        if (context.StartOfDayEquity > 0)
        {
            var lossPct = (context.StartOfDayEquity - equity) / context.StartOfDayEquity * 100m;
            if (lossPct >= l.DailyLossLimitPct)
            {
                Add(RiskRule.DailyLossLimit,
                    $"today's loss {Round(lossPct)}% (start-of-day equity {context.StartOfDayEquity}, now {equity}) reaches the {l.DailyLossLimitPct}% daily limit; no new trades today");
            }
        }

        if (!context.MarketOpen)
        {
            Add(RiskRule.MarketClosed, $"the market is closed");
        }

        var local = TimeZoneInfo.ConvertTime(context.Now, _zone);
        var timeOfDay = TimeOnly.FromDateTime(local.DateTime);
        if (timeOfDay < _windowStart || timeOfDay > _windowEnd)
        {
            Add(RiskRule.OutsideEntryWindow,
                $"{timeOfDay.ToString("HH:mm:ss", CultureInfo.InvariantCulture)} {l.MarketTimeZone} is outside the risk manager's trading hours {l.EntryWindowStart}-{l.EntryWindowEnd} (Risk:EntryWindowStart/End)");
        }

        if (account.TradingBlocked)
        {
            Add(RiskRule.AccountBlocked, $"the broker reports trading blocked on account {account.AccountId}");
        }

        if (account.OptionsTradingLevel < l.MinOptionsTradingLevel)
        {
            Add(RiskRule.OptionsTradingLevel, $"options trading level {account.OptionsTradingLevel} is below the {l.MinOptionsTradingLevel} an iron condor needs");
        }

        VolatilityBand? band = null;
        var multiplier = 0m;
        if (context.VolatilityProxyPct is not { } vol)
        {
            Add(RiskRule.VolatilityUnavailable, $"the 30-day at-the-money volatility could not be computed; no trade without it");
        }
        else
        {
            band = l.BandOf(vol);
            multiplier = l.SizeMultiplierFor(band.Value);
            if (band == VolatilityBand.Halt)
            {
                Add(RiskRule.VolatilityTooHigh, $"volatility {vol}% is above the {l.VolatilityHaltAbovePct}% halt level");
            }
            else if (band == VolatilityBand.TooLow)
            {
                Add(RiskRule.VolatilityTooLow, $"volatility {vol}% is below the {l.VolatilitySkipBelowPct}% skip level");
            }
        }

        if (context.IvRankPct is not { } ivRank)
        {
            Add(RiskRule.IvRankUnavailable,
                $"the implied-volatility rank is unknown: {context.IvHistoryDays} day(s) of 30-day ATM IV history, at least {l.MinIvHistoryDays} needed; no premium is sold without it");
        }
        else if (ivRank < l.MinIvRankPct)
        {
            Add(RiskRule.IvRankTooLow, $"implied-volatility rank {Round(ivRank)} is below the {l.MinIvRankPct} floor: premium is too cheap to sell");
        }

        if (context.StopLossDebit is { } stopDebit && stopDebit >= context.Condor.WidthDollars)
        {
            Add(RiskRule.StopUnreachable,
                $"the stop-loss would fire at a debit of {Round(stopDebit)}, not below the wing width {context.Condor.WidthDollars}: it could never fire, so the condor would ride to its max loss");
        }

        if (context.OpenCondors.Count >= l.MaxOpenCondors)
        {
            Add(RiskRule.MaxOpenCondors, $"{context.OpenCondors.Count} condor{(context.OpenCondors.Count == 1 ? " is" : "s are")} open; the limit is {l.MaxOpenCondors}");
        }

        if (context.NewCondorsToday >= l.MaxNewCondorsPerDay)
        {
            Add(RiskRule.MaxNewCondorsPerDay, $"{context.NewCondorsToday} condor{(context.NewCondorsToday == 1 ? " was" : "s were")} opened today; the limit is {l.MaxNewCondorsPerDay}");
        }

        var condor = context.Condor;
        var sameExpiry = context.OpenCondors.FirstOrDefault(o => o.Expiration == condor.Expiration);
        if (sameExpiry is not null)
        {
            Add(RiskRule.DuplicateExpiry, $"position {sameExpiry.PositionId} already holds a condor expiring {condor.Expiration:yyyy-MM-dd}");
        }

        if (context.LastStopOutAt is { } stoppedAt)
        {
            var since = context.Now - stoppedAt;
            var cooldown = TimeSpan.FromHours(l.StopOutCooldownHours);
            if (since < cooldown)
            {
                Add(RiskRule.StopOutCooldown,
                    $"last stop-out {Math.Round(since.TotalHours, 2)} h ago; the cool-down is {l.StopOutCooldownHours} h ({Math.Round((cooldown - since).TotalHours, 2)} h left)");
            }
        }

        if (context.TradesInLastHour >= l.MaxTradesPerHour)
        {
            Add(RiskRule.MaxTradesPerHour, $"{context.TradesInLastHour} trades in the last hour; the limit is {l.MaxTradesPerHour}");
        }

        // Sizing: each capacity rule alone must allow at least one contract, and the quantity is the smallest of them. The max
        // loss is taken at the worst credit the order may be sent at (the natural price, execution's floor), not at the mid.
        var maxLoss = WorstCaseMaxLossPerContract(condor);
        var allowedRisk = Math.Max(equity, 0) * l.MaxRiskPerTradePct / 100m;
        var quantity = 0;
        if (maxLoss <= 0 || condor.NetCreditMid <= 0)
        {
            Add(RiskRule.InvalidCondor, $"worst-case max loss per contract {maxLoss} and credit {condor.NetCreditMid} must both be positive");
        }
        else
        {
            var byRisk = Floor(allowedRisk / maxLoss);
            if (byRisk < 1)
            {
                Add(RiskRule.MaxRiskPerTrade,
                    $"one contract risks {maxLoss}, more than {l.MaxRiskPerTradePct}% of equity {equity} ({Round(allowedRisk)})");
            }

            // The band multiplier only scales; the volatility rules above already refuse the bands where it is 0.
            var scaled = band is VolatilityBand.Quiet or VolatilityBand.FullSize or VolatilityBand.Elevated ? Floor(byRisk * multiplier) : byRisk;
            if (byRisk >= 1 && scaled < 1)
            {
                Add(RiskRule.MaxRiskPerTrade,
                    $"{byRisk} contract(s) allowed by risk become {scaled} after the {band} band multiplier {multiplier}");
            }

            var openRisk = context.OpenCondors.Sum(o => o.MaxLossDollars);
            var totalAllowed = Math.Max(equity, 0) * l.MaxTotalOpenRiskPct / 100m;
            var byTotal = Floor((totalAllowed - openRisk) / maxLoss);
            if (byTotal < 1)
            {
                Add(RiskRule.MaxTotalOpenRisk,
                    $"open risk {openRisk} plus one contract's {maxLoss} exceeds {l.MaxTotalOpenRiskPct}% of equity ({Round(totalAllowed)})");
            }

            var byBuyingPower = Floor(account.OptionsBuyingPower / maxLoss);
            if (byBuyingPower < 1)
            {
                Add(RiskRule.BuyingPower, $"options buying power {account.OptionsBuyingPower} does not cover one contract's max loss {maxLoss}");
            }

            var reserve = Math.Max(equity, 0) * l.MinCashReservePct / 100m;
            var byCash = Floor((account.Cash - reserve) / maxLoss);
            if (byCash < 1)
            {
                Add(RiskRule.CashReserve,
                    $"cash {account.Cash} minus one contract's max loss {maxLoss} would fall below the {l.MinCashReservePct}% reserve ({Round(reserve)})");
            }

            quantity = Math.Max(0, Math.Min(Math.Min(Math.Min(scaled, byTotal), Math.Min(byBuyingPower, byCash)), l.MaxContracts));
        }

        var approved = v.Count == 0 && quantity > 0;
        return new RiskVerdict(approved, approved ? quantity : 0, v, halted, band, multiplier, allowedRisk, approved ? quantity * maxLoss : 0m);
    }

    /// <summary>
    /// One contract's max loss (dollars) if the order fills at the worst credit execution accepts: the natural credit (sell at
    /// the bids, buy at the asks), or nothing at all when the natural price is a debit.
    /// </summary>
    public static decimal WorstCaseMaxLossPerContract(Condors.IronCondor condor)
    {
        ArgumentNullException.ThrowIfNull(condor);
        return (condor.WidthDollars - Math.Max(condor.NetCreditNatural, 0m)) * Condors.IronCondor.Multiplier;
    }

    /// <summary>
    /// The re-check at the price actually sent: how many of <paramref name="approvedContracts"/> fit the approved max-loss budget
    /// when the order fills at <paramref name="limitCredit"/> (per share). 0 when not even one does.
    /// </summary>
    public static int ContractsWithinBudget(int approvedContracts, decimal maxLossBudgetDollars, decimal widthDollars, decimal limitCredit)
    {
        var lossPerContract = (widthDollars - limitCredit) * Condors.IronCondor.Multiplier;
        if (approvedContracts <= 0 || lossPerContract <= 0 || maxLossBudgetDollars <= 0)
        {
            return 0;
        }

        return Math.Min(approvedContracts, Floor(maxLossBudgetDollars / lossPerContract));
    }

    private static int Floor(decimal value) => value <= 0 ? 0 : value >= int.MaxValue ? int.MaxValue : (int)decimal.Floor(value);

    private static decimal Round(decimal value) => Math.Round(value, 2);
}
