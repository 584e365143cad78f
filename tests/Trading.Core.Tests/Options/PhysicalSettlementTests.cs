using Trading.Core.Options;

namespace Trading.Core.Tests.Options;

public sealed class PhysicalSettlementTests
{
    [Theory]
    [InlineData(OptionRight.Call, 450, 455, 457, 7)]   // in the money at the close: shares worth the next open
    [InlineData(OptionRight.Call, 450, 450, 460, 0)]   // at the money: not exercised, whatever the open
    [InlineData(OptionRight.Call, 450, 450.01, 440, -10)] // a cent in the money, exercised, then the stock gapped down
    [InlineData(OptionRight.Put, 450, 440, 438, 12)]
    [InlineData(OptionRight.Put, 450, 451, 400, 0)]
    public void In_the_money_at_the_close_becomes_shares_valued_at_the_next_open(OptionRight right, double strike, double close, double open, double value) =>
        Assert.Equal((decimal)value, PhysicalSettlement.ValuePerShare(right, (decimal)strike, (decimal)close, (decimal)open));
}
