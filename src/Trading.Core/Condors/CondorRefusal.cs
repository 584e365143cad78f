namespace Trading.Core.Condors;

/// <summary>Why no iron condor was built.</summary>
public enum CondorRefusalReason
{
    /// <summary>The settings or the chain are unusable (e.g. no underlying price).</summary>
    InvalidInput,

    /// <summary>No listed expiration lies in the DTE window.</summary>
    NoExpiryInWindow,

    /// <summary>Neither the chain's greeks nor an implied volatility are available for the candidate strikes.</summary>
    MissingGreeksAndIv,

    /// <summary>No strike has an absolute delta inside the accepted band.</summary>
    NoStrikeNearTargetDelta,

    /// <summary>No listed strike beyond a short strike to buy as its wing.</summary>
    NoWingStrike,

    /// <summary>The nearest listed wing is narrower than half the target width.</summary>
    WingTooNarrow,

    /// <summary>A leg's ask is below its bid.</summary>
    CrossedQuotes,

    /// <summary>A leg has no usable quote (zero or negative ask, negative bid).</summary>
    MissingQuote,

    /// <summary>A short leg's bid is below the minimum.</summary>
    ShortBidTooLow,

    /// <summary>The four legs net to a debit (or nothing).</summary>
    NetDebit,

    /// <summary>The net credit is positive but below the minimum.</summary>
    CreditBelowMinimum,

    /// <summary>The net credit is at least the width, which only bad quotes produce.</summary>
    CreditNotBelowWidth,

    /// <summary>The legs' combined bid–ask spread is too wide relative to the net credit.</summary>
    SpreadTooWide,
}

/// <summary>A refusal with its reason code and a message carrying the values that caused it.</summary>
public sealed record CondorRefusal(CondorRefusalReason Reason, string Message)
{
    public override string ToString() => $"{Reason}: {Message}";
}

/// <summary>Either a condor or a refusal.</summary>
public sealed record CondorBuildResult(IronCondor? Condor, CondorRefusal? Refusal)
{
    public bool Succeeded => Condor is not null;

    public static CondorBuildResult Built(IronCondor condor) => new(condor, null);

    public static CondorBuildResult Refused(CondorRefusalReason reason, string message) => new(null, new CondorRefusal(reason, message));
}
