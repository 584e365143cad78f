using System.Globalization;
using Trading.Core.Options;
using Trading.Core.Settings;

namespace Trading.Core.Exits;

/// <summary>Why a position should be closed.</summary>
public enum ExitReason
{
    /// <summary>Expiration day has come (or would come before the next session): never held into it.</summary>
    ExpirationDay,

    /// <summary>The loss reached the stop (a percent of the entry credit). Ignores the minimum hold.</summary>
    StopLoss,

    /// <summary>The underlying is at or beyond a short strike. Ignores the minimum hold: it is a stop too.</summary>
    ShortStrikeBreached,

    /// <summary>The profit reached the target (a percent of the entry credit).</summary>
    TakeProfit,

    /// <summary>Days to expiration fell to the time-exit threshold.</summary>
    TimeExit,
}

/// <summary>An instruction to close, with its reason and the numbers behind it.</summary>
public sealed record ExitSignal(ExitReason Reason, string Message);

/// <summary>
/// An open condor as the exit rules see it. Credits and debits are per share, positive numbers. The debits are null when the
/// legs could not be priced: the rules that need only the underlying and the calendar (expiration day, short strike breached,
/// time exit) still apply, so a missing quote never keeps a condor open.
/// </summary>
/// <param name="PositionId">The position's id.</param>
/// <param name="Expiration">The condor's expiration.</param>
/// <param name="ShortPutStrike">Strike of the short put.</param>
/// <param name="ShortCallStrike">Strike of the short call.</param>
/// <param name="EntryCredit">Net credit received at entry.</param>
/// <param name="DebitToCloseMid">Current cost to close at the legs' mids; null when it could not be priced.</param>
/// <param name="DebitToCloseNatural">Current cost to close at the natural price (buy at asks, sell at bids); null when unknown.</param>
/// <param name="OpenedAt">When the position was opened (for the minimum hold).</param>
public sealed record CondorPosition(
    string PositionId,
    DateOnly Expiration,
    decimal ShortPutStrike,
    decimal ShortCallStrike,
    decimal EntryCredit,
    decimal? DebitToCloseMid,
    decimal? DebitToCloseNatural,
    DateTimeOffset OpenedAt);

/// <summary>
/// Exit rules (configuration section "Exit"). Profit and loss are measured at the mid debit (the natural price is reported
/// alongside) so that a momentarily wide spread does not trigger a stop. Checked in order: expiration day, stop loss, short strike
/// breached (those three ignore the minimum hold), then take profit and time exit. The price rules (stop loss, take profit)
/// are skipped when the debit is unknown; the others never need a leg quote.
/// </summary>
public sealed class ExitRules
{
    public const string SectionName = "Exit";

    /// <summary>Close when the profit is at least this percent of the entry credit (debit ≤ credit × (1 − pct/100)).</summary>
    public decimal TakeProfitPct { get; set; } = 50m;

    /// <summary>Close when the loss is at least this percent of the entry credit (debit ≥ credit × (1 + pct/100)).</summary>
    public decimal StopLossPct { get; set; } = 200m;

    /// <summary>Close when days to expiration (New York calendar) are at most this.</summary>
    public int ExitAtDte { get; set; } = 7;

    /// <summary>A closing order's limit is the natural debit plus this (dollars per share), so that an exit fills when it must.</summary>
    public decimal CloseLimitAboveNaturalDollars { get; set; } = 0.05m;

    /// <summary>No take-profit or time exit within this many hours of opening.</summary>
    public double MinHoldHours { get; set; } = 4;

    /// <summary>Every broken rule, naming the setting; empty when valid.</summary>
    public IReadOnlyList<string> Validate() => new SettingErrors(SectionName)
        .Range(nameof(TakeProfitPct), TakeProfitPct, 0, 100, minExclusive: true)
        .Range(nameof(StopLossPct), StopLossPct, 0, 10_000, minExclusive: true)
        .Range(nameof(ExitAtDte), ExitAtDte, 0, 3650)
        .Range(nameof(MinHoldHours), MinHoldHours, 0, 24 * 365)
        .Range(nameof(CloseLimitAboveNaturalDollars), CloseLimitAboveNaturalDollars, 0, 1)
        .Errors;

    /// <summary>The debit to close (per share) at which the stop fires for a condor opened at <paramref name="credit"/>.</summary>
    public decimal StopDebit(decimal credit) => credit * (1 + (StopLossPct / 100m));

    /// <summary>
    /// The stop against the condors the builder can produce: it must be able to fire (a debit below the wing width) at least
    /// for the smallest credit the builder accepts on the narrowest wings; otherwise no condor could ever be stopped out.
    /// Condors with a larger credit, whose stop lies beyond the width, are refused at entry by the risk manager.
    /// </summary>
    public IReadOnlyList<string> ValidateStopReachable(decimal minCreditDollars, decimal narrowestWingDollars)
    {
        var errors = new SettingErrors(SectionName);
        if (minCreditDollars > 0 && narrowestWingDollars > 0 && StopDebit(minCreditDollars) >= narrowestWingDollars)
        {
            var highest = decimal.Round(((narrowestWingDollars / minCreditDollars) - 1) * 100m, 1, MidpointRounding.ToZero);
            errors.Add(nameof(StopLossPct),
                string.Create(CultureInfo.InvariantCulture,
                    $"can never fire: even at the smallest credit the builder accepts (Condor:MinCreditDollars {minCreditDollars}) the stop debit {StopDebit(minCreditDollars)} is not below the narrowest wing width {narrowestWingDollars} (a debit cannot exceed the width); use less than {highest}"),
                SettingErrors.F(StopLossPct));
        }

        return errors.Errors;
    }

    /// <summary>The first exit that applies, or null to keep holding.</summary>
    public ExitSignal? Evaluate(CondorPosition position, decimal underlyingPrice, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(position);
        var dte = ExpirationTime.DaysUntil(position.Expiration, now);
        var credit = position.EntryCredit;
        var debit = position.DebitToCloseMid;

        // "Never hold into expiration day": the last session to close is the one before it.
        if (dte <= 1)
        {
            return Signal(ExitReason.ExpirationDay, $"{dte} day(s) to expiration {position.Expiration:yyyy-MM-dd}; never held into expiration day");
        }

        if (credit > 0 && debit is not null)
        {
            var stopDebit = credit * (1 + StopLossPct / 100m);
            if (debit >= stopDebit)
            {
                return Signal(ExitReason.StopLoss,
                    $"debit to close {debit} (natural {position.DebitToCloseNatural}) ≥ {stopDebit}: loss {debit - credit} is at least {StopLossPct}% of the credit {credit}");
            }
        }

        if (underlyingPrice <= position.ShortPutStrike || underlyingPrice >= position.ShortCallStrike)
        {
            return Signal(ExitReason.ShortStrikeBreached,
                $"underlying {underlyingPrice} is at or beyond a short strike (put {position.ShortPutStrike}, call {position.ShortCallStrike})");
        }

        var held = now - position.OpenedAt;
        if (held < TimeSpan.FromHours(MinHoldHours))
        {
            return null;
        }

        if (credit > 0 && debit is not null)
        {
            var targetDebit = credit * (1 - TakeProfitPct / 100m);
            if (debit <= targetDebit)
            {
                return Signal(ExitReason.TakeProfit,
                    $"debit to close {debit} (natural {position.DebitToCloseNatural}) ≤ {targetDebit}: profit {credit - debit} is at least {TakeProfitPct}% of the credit {credit}");
            }
        }

        if (dte <= ExitAtDte)
        {
            return Signal(ExitReason.TimeExit, $"{dte} day(s) to expiration ≤ the {ExitAtDte}-day time exit");
        }

        return null;
    }

    private static ExitSignal Signal(ExitReason reason, FormattableString message) => new(reason, message.ToString(CultureInfo.InvariantCulture));
}
