using Trading.Core.Markets;
using Trading.Core.Options;

namespace Trading.Core.Tests.Markets;

public sealed class MultiLegFillTests
{
    private static readonly DateOnly Expiry = new(2026, 4, 17);

    private static BrokerOrder Order(decimal? average, params decimal[] legPrices)
    {
        OrderLeg Leg(OptionRight right, decimal strike, OrderSide side, int i) =>
            new(new OccSymbol("SPY", Expiry, right, strike), side, side == OrderSide.Buy ? PositionIntent.BuyToOpen : PositionIntent.SellToOpen, 1,
                legPrices.Length == 0 ? null : legPrices[i]);
        OrderLeg[] legs =
        [
            Leg(OptionRight.Put, 565, OrderSide.Buy, 0), Leg(OptionRight.Put, 570, OrderSide.Sell, 1),
            Leg(OptionRight.Call, 630, OrderSide.Sell, 2), Leg(OptionRight.Call, 635, OrderSide.Buy, 3),
        ];
        return new BrokerOrder("o-1", "ic-1", OrderStatus.Filled, 1, 1, -1.00m, average, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, legs);
    }

    [Theory]
    [InlineData(-1.02)] // Alpaca's sign for a credit
    [InlineData(1.02)]  // the other sign: the same credit, never a negative one
    public void An_mleg_credit_fill_reads_the_same_whatever_its_sign(double average)
    {
        var fill = MultiLegFill.Credit(Order((decimal)average), 1.00m, 5m);
        Assert.Equal(1.02m, fill.Booked);
        Assert.Equal("order", fill.Source);
        Assert.Null(fill.Problem);
    }

    [Fact]
    public void Leg_fills_decide_the_credit_and_a_disagreeing_average_is_an_alert()
    {
        // Sell 1.10 + 1.05, buy 0.60 + 0.53 → 1.02 received.
        var agreeing = MultiLegFill.Credit(Order(-1.02m, 0.60m, 1.10m, 1.05m, 0.53m), 1.00m, 5m);
        Assert.Equal((1.02m, "legs", (string?)null), (agreeing.Booked, agreeing.Source, agreeing.Problem));

        var disagreeing = MultiLegFill.Credit(Order(-1.40m, 0.60m, 1.10m, 1.05m, 0.53m), 1.00m, 5m);
        Assert.Equal(1.02m, disagreeing.Booked);
        Assert.Contains("legs net 1.02", disagreeing.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_fill_worse_than_the_limit_or_impossible_for_the_width_is_an_alert()
    {
        var worse = MultiLegFill.Credit(Order(-0.80m), 1.00m, 5m);
        Assert.Equal(0.80m, worse.Booked);
        Assert.Contains("worse than the limit", worse.Problem, StringComparison.Ordinal);

        var impossible = MultiLegFill.Credit(Order(-7.00m), 1.00m, 5m);
        Assert.Equal(1.00m, impossible.Booked); // booked at the limit, and said so
        Assert.Contains("impossible", impossible.Problem, StringComparison.Ordinal);

        var missing = MultiLegFill.Credit(Order(null), 1.00m, 5m);
        Assert.Equal(1.00m, missing.Booked);
        Assert.Contains("no fill price", missing.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_closing_debit_is_checked_against_its_limit()
    {
        var closing = MultiLegFill.Debit(Order(0.45m), 0.50m, 5m);
        Assert.Equal((0.45m, (string?)null), (closing.Booked, closing.Problem));
        Assert.Contains("worse than the limit", MultiLegFill.Debit(Order(-0.70m), 0.50m, 5m).Problem, StringComparison.Ordinal);
    }
}
