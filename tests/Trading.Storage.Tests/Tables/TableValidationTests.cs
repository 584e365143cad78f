using Trading.Storage.Tables;

namespace Trading.Storage.Tests.Tables;

public sealed class TableValidationTests
{
    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("O'Brien & Co, 50% é 中文")]
    [InlineData("2025-01-02T03:04:05Z|SPY")]
    public void Ordinary_keys_pass(string key) => TableValidation.ValidateKey(key, "RowKey");

    [Fact]
    public void Every_forbidden_character_and_length_is_named()
    {
        foreach (var c in "/\\#?")
        {
            var ex = Assert.Throws<ArgumentException>(() => TableValidation.ValidateKey($"ab{c}", "PartitionKey"));
            Assert.Contains($"'{c}' at position 2", ex.Message, StringComparison.Ordinal);
        }

        for (var c = 0; c < 0x20; c++)
        {
            Assert.Throws<ArgumentException>(() => TableValidation.ValidateKey("a" + (char)c, "RowKey"));
        }

        for (var c = 0x7f; c <= 0x9f; c++)
        {
            Assert.Throws<ArgumentException>(() => TableValidation.ValidateKey("a" + (char)c, "RowKey"));
        }

        TableValidation.ValidateKey(new string('x', 512), "RowKey");
        Assert.Contains("513 characters", Assert.Throws<ArgumentException>(() => TableValidation.ValidateKey(new string('x', 513), "RowKey")).Message, StringComparison.Ordinal);
        Assert.Contains("required", Assert.Throws<ArgumentException>(() => TableValidation.ValidateKey(null, "RowKey")).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("Positions2025")]
    [InlineData("a23456789012345678901234567890123456789012345678901234567890123")]
    public void Valid_table_names_pass(string name) => TableValidation.ValidateTableName(name);

    [Theory]
    [InlineData("ab")]
    [InlineData("a234567890123456789012345678901234567890123456789012345678901234")]
    [InlineData("9lives")]
    [InlineData("with_underscore")]
    [InlineData("Tables")]
    [InlineData("ünï")]
    public void Invalid_table_names_name_the_rule(string name)
    {
        var ex = Assert.Throws<ArgumentException>(() => TableValidation.ValidateTableName(name));
        Assert.Contains(name, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unsupported_property_types_are_named()
    {
        var table = InMemoryTables.CreateServiceClient().GetTableClient("things");
        var ex = await Assert.ThrowsAsync<NotSupportedException>(() => table.AddEntityAsync(new TableEntity("p", "r") { ["Legs"] = new List<int>() }));
        Assert.Contains("'Legs'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reserved_and_malformed_property_names_are_rejected()
    {
        var table = InMemoryTables.CreateServiceClient().GetTableClient("things");
        await Assert.ThrowsAsync<ArgumentException>(() => table.AddEntityAsync(new TableEntity("p", "r") { ["odata.etag"] = "x", ["odata.type"] = 1 }));
        await Assert.ThrowsAsync<ArgumentException>(() => table.AddEntityAsync(new TableEntity("p", "r") { ["has space"] = 1 }));
        await Assert.ThrowsAsync<ArgumentException>(() => table.AddEntityAsync(new TableEntity("p", "r") { ["x@odata.type"] = "Edm.Int64" }));
    }
}
