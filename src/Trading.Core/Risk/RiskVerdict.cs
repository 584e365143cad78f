namespace Trading.Core.Risk;

/// <summary>The hard rules of the risk manager.</summary>
public enum RiskRule
{
    HaltSwitch,
    MaxDrawdown,
    DailyLossLimit,
    MarketClosed,
    OutsideEntryWindow,
    AccountBlocked,
    OptionsTradingLevel,
    VolatilityUnavailable,
    VolatilityTooHigh,
    VolatilityTooLow,
    MaxOpenCondors,
    MaxNewCondorsPerDay,
    DuplicateExpiry,
    StopOutCooldown,
    MaxTradesPerHour,
    InvalidCondor,
    MaxRiskPerTrade,
    MaxTotalOpenRisk,
    BuyingPower,
    CashReserve,
    IvRankUnavailable,
    IvRankTooLow,
    StopUnreachable,
}

/// <summary>One broken rule with a message carrying its numbers.</summary>
public sealed record RiskViolation(RiskRule Rule, string Message)
{
    public override string ToString() => $"{Rule}: {Message}";
}

/// <summary>
/// The risk manager's answer. <see cref="ApprovedQuantity"/> is 0 unless <see cref="Approved"/>. <see cref="HaltedUntilResumed"/>
/// means the drawdown limit was reached: no trade until a person resumes trading (it does not clear by itself).
/// <see cref="MaxLossBudgetDollars"/> is the most the whole approved position may lose (the tightest of the capacity rules);
/// execution re-checks the order against it at the limit price actually sent.
/// </summary>
public sealed record RiskVerdict(
    bool Approved,
    int ApprovedQuantity,
    IReadOnlyList<RiskViolation> Violations,
    bool HaltedUntilResumed,
    VolatilityBand? VolatilityBand,
    decimal SizeMultiplier,
    decimal AllowedRiskDollars,
    decimal MaxLossBudgetDollars = 0m)
{
    public bool Violates(RiskRule rule) => Violations.Any(v => v.Rule == rule);
}
