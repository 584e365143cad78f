using System.Collections.Concurrent;
using System.Globalization;
using Azure;

namespace Trading.Storage.Tables.InMemory;

/// <summary>The shared state of an in-memory "account": tables of rows ordered like the service (PartitionKey, RowKey, ordinal).</summary>
internal sealed class InMemoryTableStore(TimeProvider time)
{
    private long _version;

    public ConcurrentDictionary<string, InMemoryTable> Tables { get; } = new(StringComparer.OrdinalIgnoreCase);

    public TimeProvider Time { get; } = time;

    /// <summary>A fresh ETag per write, unique even when the clock stands still (a FakeTimeProvider in backtests).</summary>
    public (ETag ETag, DateTimeOffset Timestamp) NextVersion()
    {
        var now = Time.GetUtcNow();
        var version = Interlocked.Increment(ref _version);
        var etag = new ETag(string.Create(CultureInfo.InvariantCulture, $"W/\"datetime'{now.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'}';v{version}\""));
        return (etag, now);
    }

    public InMemoryTable GetExisting(string table) =>
        Tables.TryGetValue(table, out var found)
            ? found
            : throw new RequestFailedException(404, $"Table '{table}' failed: 404 TableNotFound: The table specified does not exist.", "TableNotFound", null);
}

internal sealed record StoredRow(string PartitionKey, string RowKey, DateTimeOffset Timestamp, ETag ETag, IReadOnlyList<KeyValuePair<string, object?>> Properties)
{
    public object? Lookup(string name) => name switch
    {
        "PartitionKey" => PartitionKey,
        "RowKey" => RowKey,
        "Timestamp" => Timestamp,
        _ => Properties.FirstOrDefault(p => p.Key == name).Value,
    };
}

/// <summary>One table; a lock per table makes each operation (and each transaction) atomic.</summary>
internal sealed class InMemoryTable
{
    public object Gate { get; } = new();

    public SortedDictionary<(string PartitionKey, string RowKey), StoredRow> Rows { get; } = new(KeyOrder.Instance);

    private sealed class KeyOrder : IComparer<(string PartitionKey, string RowKey)>
    {
        public static readonly KeyOrder Instance = new();

        public int Compare((string PartitionKey, string RowKey) x, (string PartitionKey, string RowKey) y)
        {
            var byPartition = string.CompareOrdinal(x.PartitionKey, y.PartitionKey);
            return byPartition != 0 ? byPartition : string.CompareOrdinal(x.RowKey, y.RowKey);
        }
    }
}
