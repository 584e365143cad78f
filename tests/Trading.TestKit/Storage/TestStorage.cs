using Azure.Data.Tables;

namespace Trading.TestKit.Storage;

/// <summary>
/// The Azurite instance started by <c>scripts/test.sh</c>. Tests that need Table Storage read its connection string here
/// and use a fresh, uniquely named table each, so test classes can run in parallel against one emulator.
/// </summary>
public static class TestStorage
{
    public const string ConnectionStringVariable = "TRADING_TEST_STORAGE";

    /// <summary>The Azurite connection string; throws with instructions when the tests were not started by the test command.</summary>
    public static string ConnectionString =>
        Environment.GetEnvironmentVariable(ConnectionStringVariable)
        ?? throw new InvalidOperationException(
            $"{ConnectionStringVariable} is not set. Run the tests with 'bash scripts/test.sh', which starts Azurite and sets it.");

    /// <summary>A valid, unique table name (letters and digits, starting with a letter).</summary>
    public static string UniqueTableName(string prefix) =>
        prefix + Guid.NewGuid().ToString("N")[..12];

    /// <summary>A client for the test Azurite. Retries are short so a failing test fails fast.</summary>
    public static TableServiceClient CreateServiceClient()
    {
        var options = new TableClientOptions();
        options.Retry.MaxRetries = 2;
        options.Retry.Delay = TimeSpan.FromMilliseconds(100);
        return new TableServiceClient(ConnectionString, options);
    }

    /// <summary>Creates a uniquely named table in the test Azurite and returns its client.</summary>
    public static async Task<TableClient> CreateTableAsync(string prefix, CancellationToken ct = default)
    {
        var service = CreateServiceClient();
        var table = service.GetTableClient(UniqueTableName(prefix));
        await table.CreateIfNotExistsAsync(ct);
        return table;
    }
}
