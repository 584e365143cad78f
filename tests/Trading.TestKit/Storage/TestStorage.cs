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
}
