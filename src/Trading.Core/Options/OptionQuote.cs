namespace Trading.Core.Options;

/// <summary>A two-sided quote in dollars per share.</summary>
public readonly record struct OptionQuote(decimal Bid, decimal Ask)
{
    /// <summary>Midpoint of bid and ask.</summary>
    public decimal Mid => (Bid + Ask) / 2m;

    /// <summary>Ask − bid.</summary>
    public decimal Spread => Ask - Bid;

    /// <summary>Spread as a fraction of the mid; 1 when the mid is zero (no usable market).</summary>
    public decimal RelativeSpread => Mid > 0m ? Spread / Mid : 1m;

    /// <summary>True when the ask is below the bid.</summary>
    public bool IsCrossed => Ask < Bid;
}
