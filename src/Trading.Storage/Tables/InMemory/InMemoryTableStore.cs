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

    public RowSet Rows { get; } = new();
}

/// <summary>
/// A table's rows by partition, each partition ordered by row key (ordinal), as the service orders them; a query pinned to
/// one partition reads only that partition.
/// </summary>
internal sealed class RowSet
{
    private readonly SortedDictionary<string, SortedDictionary<string, StoredRow>> _partitions = new(StringComparer.Ordinal);

    /// <summary>Every row, in (PartitionKey, RowKey) order.</summary>
    public IEnumerable<StoredRow> Values => _partitions.Values.SelectMany(p => p.Values);

    public StoredRow this[(string PartitionKey, string RowKey) key]
    {
        set
        {
            if (!_partitions.TryGetValue(key.PartitionKey, out var partition))
            {
                partition = new SortedDictionary<string, StoredRow>(StringComparer.Ordinal);
                _partitions[key.PartitionKey] = partition;
            }

            partition[key.RowKey] = value;
        }
    }

    /// <summary>The rows of one partition, in row-key order.</summary>
    public IEnumerable<StoredRow> InPartition(string partitionKey) =>
        _partitions.TryGetValue(partitionKey, out var partition) ? partition.Values : [];

    public bool ContainsKey((string PartitionKey, string RowKey) key) => TryGetValue(key, out _);

    public bool TryGetValue((string PartitionKey, string RowKey) key, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out StoredRow row)
    {
        row = null;
        return _partitions.TryGetValue(key.PartitionKey, out var partition) && partition.TryGetValue(key.RowKey, out row);
    }

    public bool Remove((string PartitionKey, string RowKey) key)
    {
        if (!_partitions.TryGetValue(key.PartitionKey, out var partition) || !partition.Remove(key.RowKey))
        {
            return false;
        }

        if (partition.Count == 0)
        {
            _partitions.Remove(key.PartitionKey);
        }

        return true;
    }
}
