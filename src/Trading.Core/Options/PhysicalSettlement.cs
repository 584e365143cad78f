namespace Trading.Core.Options;

/// <summary>
/// SPY options are American and physically settled: at expiration every contract in the money by a cent or more at the close
/// is exercised (long) or assigned (short) into 100 shares, and an account without the shares or the cash to carry them has
/// the stock position liquidated at the next session's open. What the option is worth to its holder is therefore decided at
/// the close and paid at the next open, and a condor pinned between its strikes can lose more than its width overnight.
/// </summary>
public static class PhysicalSettlement
{
    /// <summary>
    /// Value per share to the holder of one long option: 0 when it expired out of the money at <paramref name="expirationClose"/>,
    /// otherwise the share position it turned into, valued at <paramref name="liquidationPrice"/> (may be negative for the holder
    /// when the stock gapped back through the strike).
    /// </summary>
    public static decimal ValuePerShare(OptionRight right, decimal strike, decimal expirationClose, decimal liquidationPrice) => right switch
    {
        OptionRight.Call when expirationClose >= strike + 0.01m => liquidationPrice - strike,
        OptionRight.Put when expirationClose <= strike - 0.01m => strike - liquidationPrice,
        _ => 0m,
    };
}
