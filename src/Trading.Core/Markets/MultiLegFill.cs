using System.Globalization;

namespace Trading.Core.Markets;

/// <summary>
/// What a filled multi-leg order paid or received, per share, and whether the broker's report of it is consistent.
/// <see cref="Booked"/> is the figure to book: the reported one when it is plausible, else the limit; <see cref="Problem"/>
/// says what was wrong (to journal and alert), null when the fill is consistent.
/// </summary>
public sealed record FillReading(decimal Booked, string Source, string? Problem);

/// <summary>
/// Reads the net price of a filled multi-leg order without trusting a sign convention: from each leg's side and fill price
/// where the broker reports them (Alpaca nests the legs with their own <c>filled_avg_price</c>), else from the magnitude of
/// the order's average, and checks it against the limit (a limit order never fills worse) and the wing width.
/// </summary>
public static class MultiLegFill
{
    private const decimal Tolerance = 0.01m;

    /// <summary>The net credit received (positive) by an opening order sent for at least <paramref name="limitCredit"/>.</summary>
    public static FillReading Credit(BrokerOrder order, decimal limitCredit, decimal widthDollars)
    {
        ArgumentNullException.ThrowIfNull(order);
        var (reported, source, disagreement) = Read(order, sellIsPositive: true);
        return Check(reported, source, disagreement, limitCredit, widthDollars, isCredit: true);
    }

    /// <summary>The net debit paid (positive) by a closing order sent for at most <paramref name="limitDebit"/>.</summary>
    public static FillReading Debit(BrokerOrder order, decimal limitDebit, decimal widthDollars)
    {
        ArgumentNullException.ThrowIfNull(order);
        var (reported, source, disagreement) = Read(order, sellIsPositive: false);
        return Check(reported, source, disagreement, limitDebit, widthDollars, isCredit: false);
    }

    private static (decimal? Value, string Source, string? Disagreement) Read(BrokerOrder order, bool sellIsPositive)
    {
        decimal? fromLegs = null;
        if (order.Legs.Count > 0 && order.Legs.All(l => l.FilledAveragePrice is not null))
        {
            fromLegs = order.Legs.Sum(l => (l.Side == OrderSide.Sell == sellIsPositive ? 1 : -1) * l.FilledAveragePrice!.Value * l.RatioQuantity);
        }

        // The order's average carries a sign convention we do not rely on: its magnitude is the net price.
        decimal? fromOrder = order.FilledAveragePrice is { } average ? Math.Abs(average) : null;
        if (fromLegs is { } legs)
        {
            var disagreement = fromOrder is { } o && Math.Abs(o - Math.Abs(legs)) > Tolerance
                ? Invariant($"the legs net {legs:0.00##} but the order reports an average of {order.FilledAveragePrice:0.00##}")
                : null;
            return (legs, "legs", disagreement);
        }

        return (fromOrder, fromOrder is null ? "limit" : "order", null);
    }

    private static FillReading Check(decimal? reported, string source, string? disagreement, decimal limit, decimal width, bool isCredit)
    {
        var what = isCredit ? "credit" : "debit";
        if (reported is not { } value)
        {
            return new FillReading(limit, source, Invariant($"the broker reported no fill price; booked at the limit {what} {limit:0.00}"));
        }

        string? problem = disagreement;
        var plausible = isCredit ? value > 0 && value < width : value >= 0 && value <= width + Tolerance;
        if (!plausible)
        {
            problem ??= Invariant($"a fill {what} of {value:0.00##} is impossible for a condor {width:0.##} wide");
        }
        else if (isCredit ? value < limit - Tolerance : value > limit + Tolerance)
        {
            problem ??= Invariant($"the fill {what} {value:0.00##} is worse than the limit {limit:0.00}; a limit order never fills worse");
        }

        return new FillReading(plausible ? value : limit, source, problem is null ? null : problem + (plausible ? string.Empty : Invariant($"; booked at the limit {limit:0.00}")));
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
