using Trading.Core.Options;

namespace Trading.Core.Tests.Options;

public sealed class OccSymbolTests
{
    [Fact]
    public void Parses_the_documented_example()
    {
        var s = OccSymbol.Parse("SPY250117C00600000");
        Assert.Equal(new OccSymbol("SPY", new DateOnly(2025, 1, 17), OptionRight.Call, 600m), s);
        Assert.Equal("SPY250117C00600000", s.ToString());
    }

    [Fact]
    public void Parses_fractional_strikes_and_padded_roots()
    {
        Assert.Equal(512.5m, OccSymbol.Parse("SPY260320P00512500").Strike);
        Assert.Equal(new OccSymbol("SPY", new DateOnly(2026, 3, 20), OptionRight.Put, 512.5m), OccSymbol.Parse("SPY   260320P00512500"));
    }

    [Fact]
    public void Round_trips_on_seeded_random_symbols()
    {
        var rng = new Random(5);
        for (var i = 0; i < 5000; i++)
        {
            var root = new string(Enumerable.Range(0, rng.Next(1, 7)).Select(_ => (char)('A' + rng.Next(26))).ToArray());
            var date = new DateOnly(2000, 1, 1).AddDays(rng.Next(0, 36524));
            var strike = rng.Next(1, 99_999_999) / 1000m;
            var symbol = new OccSymbol(root, date, rng.Next(2) == 0 ? OptionRight.Call : OptionRight.Put, strike);
            var text = symbol.ToString();
            Assert.Equal(text.Length, root.Length + 15);
            Assert.Equal(symbol, OccSymbol.Parse(text));
            Assert.True(OccSymbol.TryParse(text, out var again));
            Assert.Equal(symbol, again);
        }
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("   ", "empty")]
    [InlineData("SPY", "root")]
    [InlineData("250117C00600000", "root")]
    [InlineData("TOOLONGX250117C00600000", "root")]
    [InlineData("spy250117C00600000", "upper-case")]
    [InlineData("SPY251317C00600000", "YYMMDD")]
    [InlineData("SPY250230C00600000", "YYMMDD")]
    [InlineData("SPY250117X00600000", "C (call) or P (put)")]
    [InlineData("SPY250117C0060000A", "8 digits")]
    [InlineData("SPY250117C00000000", "positive")]
    public void Malformed_symbols_give_a_clear_error(string text, string expectedFragment)
    {
        var ex = Assert.Throws<FormatException>(() => OccSymbol.Parse(text));
        Assert.Contains(expectedFragment, ex.Message, StringComparison.Ordinal);
        Assert.False(OccSymbol.TryParse(text, out _));
    }

    [Fact]
    public void Two_digit_years_are_in_the_2000s()
    {
        Assert.Equal(new DateOnly(2097, 11, 24), OccSymbol.Parse("SPY971124P00500000").Expiration);
        Assert.Equal(new DateOnly(2050, 1, 21), OccSymbol.Parse("SPY500121C00500000").Expiration);
        Assert.Throws<InvalidOperationException>(() => new OccSymbol("SPY", new DateOnly(1999, 1, 15), OptionRight.Call, 1m).ToString());
    }

    [Fact]
    public void Null_does_not_parse()
    {
        Assert.False(OccSymbol.TryParse(null, out _));
    }

    [Fact]
    public void Strikes_finer_than_a_tenth_of_a_cent_cannot_be_formatted()
    {
        var s = new OccSymbol("SPY", new DateOnly(2025, 1, 17), OptionRight.Call, 600.0005m);
        Assert.Throws<InvalidOperationException>(() => s.ToString());
    }
}
