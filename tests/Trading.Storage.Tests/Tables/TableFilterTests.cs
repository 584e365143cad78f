using Trading.Storage.Tables;

namespace Trading.Storage.Tests.Tables;

public sealed class TableFilterTests
{
    [Theory]
    [InlineData("O'Brien", "Name eq 'O''Brien'")]
    [InlineData("''", "Name eq ''''''")]
    [InlineData("x' or 'a' eq 'a", "Name eq 'x'' or ''a'' eq ''a'")]
    [InlineData("Ünïcødé ✓ 中文 😀", "Name eq 'Ünïcødé ✓ 中文 😀'")]
    [InlineData("", "Name eq ''")]
    public void Strings_are_quoted_and_single_quotes_doubled(string value, string expected) =>
        Assert.Equal(expected, TableFilter.Equal("Name", value));

    [Fact]
    public void Typed_literals_are_formatted_as_OData_expects()
    {
        Assert.Equal("N eq 123", TableFilter.Equal("N", 123));
        Assert.Equal("N eq 123L", TableFilter.Equal("N", 123L));
        Assert.Equal("N eq 9223372036854775807L", TableFilter.Equal("N", long.MaxValue));
        Assert.Equal("N eq 2.0", TableFilter.Equal("N", 2.0));
        Assert.Equal("N eq 0.30000000000000004", TableFilter.Equal("N", 0.1 + 0.2));
        Assert.Equal("N eq 1E+300", TableFilter.Equal("N", 1e300));
        Assert.Equal("B eq true", TableFilter.Equal("B", true));
        Assert.Equal("M eq '1.2300'", TableFilter.Equal("M", 1.2300m));
        Assert.Equal("T ge datetime'2024-05-06T07:08:09.1234567Z'",
            TableFilter.GreaterThanOrEqual("T", new DateTimeOffset(2024, 5, 6, 9, 8, 9, TimeSpan.FromHours(2)).AddTicks(1234567)));
        Assert.Equal("T lt datetime'2024-01-01T00:00:00.0000000Z'", TableFilter.LessThan("T", new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc)));
        Assert.Equal("G eq guid'7c9e6679-7425-40de-944b-e07fc1f90ae7'", TableFilter.Equal("G", Guid.Parse("7C9E6679-7425-40DE-944B-E07FC1F90AE7")));
        Assert.Equal("X ne X'00ff10'", TableFilter.NotEqual("X", new byte[] { 0, 255, 16 }));
        Assert.Equal("S eq 'Call'", TableFilter.Equal("S", Side.Call));
        Assert.Equal("N le -5", TableFilter.LessThanOrEqual("N", -5));
        Assert.Equal("N gt 5", TableFilter.GreaterThan("N", 5));
    }

    [Fact]
    public void Combinators_parenthesize_each_part()
    {
        Assert.Equal("(PartitionKey eq 'p') and (RowKey ge 'a')", TableFilter.And(TableFilter.Partition("p"), TableFilter.GreaterThanOrEqual("RowKey", "a")));
        Assert.Equal("(A eq 1) or (B eq 2) or (C eq 3)", TableFilter.Or(TableFilter.Equal("A", 1), TableFilter.Equal("B", 2), TableFilter.Equal("C", 3)));
        Assert.Equal("not (A eq 1)", TableFilter.Not(TableFilter.Equal("A", 1)));
        Assert.Equal("A eq 1", TableFilter.And(TableFilter.Equal("A", 1)));
    }

    [Fact]
    public void Interpolated_filters_turn_every_value_into_an_escaped_literal()
    {
        var pk = "it's";
        var when = new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);
        Assert.Equal(
            "PartitionKey eq 'it''s' and Qty gt 10L and At lt datetime'2025-01-02T03:04:05.0000000Z' and Id eq guid'00000000-0000-0000-0000-000000000000'",
            TableFilter.Create($"PartitionKey eq {pk} and Qty gt {10L} and At lt {when} and Id eq {Guid.Empty}"));
    }

    [Fact]
    public void Bad_property_names_and_values_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => TableFilter.Equal("A eq 1 or B", 1));
        Assert.Throws<ArgumentException>(() => TableFilter.Equal("", 1));
        Assert.Throws<ArgumentNullException>(() => TableFilter.Equal("A", null!));
        Assert.Throws<ArgumentException>(() => TableFilter.Equal("A", double.NaN));
        Assert.Throws<ArgumentException>(() => TableFilter.Equal("A", new object()));
        Assert.Throws<ArgumentException>(() => TableFilter.And());
    }
}
