using System.Globalization;
using System.Text.Json;

namespace Trading.Pipeline.State;

/// <summary>
/// A <see cref="StateTable"/> in process memory, for backtests and throw-away runs: each partition is a sorted dictionary
/// (ordinal row-key order, like the Table service), so a partition query reads only that partition. Documents are kept as
/// their JSON, as in the table, so a caller never shares a mutable object with the store; with
/// <c>immutableDocuments</c> the value written or last read is reused while the version is unchanged. Thread-safe (one lock).
/// </summary>
public sealed class InMemoryStateTable : StateTable
{
    private readonly Dictionary<string, SortedDictionary<string, Row>> _partitions = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly bool _immutableDocuments;
    private long _version;

    /// <param name="tableName">The table's name.</param>
    /// <param name="time">Stamps each write (the entries' <see cref="StateEntry{T}.Timestamp"/>).</param>
    /// <param name="immutableDocuments">The documents are immutable records, so one deserialized value may be handed out again.</param>
    public InMemoryStateTable(string tableName, TimeProvider time, bool immutableDocuments = false)
        : base(tableName)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _immutableDocuments = immutableDocuments;
    }

    /// <inheritdoc />
    public override Task<StateEntry<T>?> GetAsync<T>(string partitionKey, string rowKey, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return Task.FromResult(
                _partitions.TryGetValue(partitionKey, out var partition) && partition.TryGetValue(rowKey, out var row)
                    ? ToEntry<T>(partitionKey, rowKey, row)
                    : null);
        }
    }

    /// <inheritdoc />
    public override Task<bool> TryAddAsync<T>(string partitionKey, string rowKey, T value, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var json = Serialize(value);
        lock (_lock)
        {
            var partition = Partition(partitionKey);
            if (partition.ContainsKey(rowKey))
            {
                return Task.FromResult(false);
            }

            partition[rowKey] = NewRow(json, value);
            return Task.FromResult(true);
        }
    }

    /// <inheritdoc />
    public override Task UpsertAsync<T>(string partitionKey, string rowKey, T value, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var json = Serialize(value);
        lock (_lock)
        {
            Partition(partitionKey)[rowKey] = NewRow(json, value);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public override Task<bool> TryReplaceAsync<T>(string partitionKey, string rowKey, T value, string etag, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var json = Serialize(value);
        lock (_lock)
        {
            if (!_partitions.TryGetValue(partitionKey, out var partition) || !partition.TryGetValue(rowKey, out var row) || row.ETag != etag)
            {
                return Task.FromResult(false);
            }

            partition[rowKey] = NewRow(json, value);
            return Task.FromResult(true);
        }
    }

    /// <inheritdoc />
    public override Task<IReadOnlyList<StateEntry<T>>> QueryPartitionAsync<T>(string partitionKey, int? take, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            if (!_partitions.TryGetValue(partitionKey, out var partition))
            {
                return Task.FromResult<IReadOnlyList<StateEntry<T>>>([]);
            }

            var count = take is { } t ? Math.Min(Math.Max(t, 0), partition.Count) : partition.Count;
            var list = new List<StateEntry<T>>(count);
            foreach (var (rowKey, row) in partition)
            {
                if (list.Count >= count)
                {
                    break;
                }

                list.Add(ToEntry<T>(partitionKey, rowKey, row));
            }

            return Task.FromResult<IReadOnlyList<StateEntry<T>>>(list);
        }
    }

    /// <inheritdoc />
    public override Task DeleteAsync(string partitionKey, string rowKey, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            if (_partitions.TryGetValue(partitionKey, out var partition))
            {
                partition.Remove(rowKey);
            }
        }

        return Task.CompletedTask;
    }

    private static string Serialize<T>(T value) => JsonSerializer.Serialize(value, StateJson.Options);

    private SortedDictionary<string, Row> Partition(string partitionKey)
    {
        ArgumentNullException.ThrowIfNull(partitionKey);
        if (!_partitions.TryGetValue(partitionKey, out var partition))
        {
            partition = new SortedDictionary<string, Row>(StringComparer.Ordinal);
            _partitions[partitionKey] = partition;
        }

        return partition;
    }

    private Row NewRow(string json, object? value)
    {
        var etag = "W/\"" + (++_version).ToString(CultureInfo.InvariantCulture) + "\"";
        return new Row(json, etag, _time.GetUtcNow()) { Value = _immutableDocuments ? value : null };
    }

    // Called under the lock: the cached value of an immutable document is set on the row itself.
    private StateEntry<T> ToEntry<T>(string partitionKey, string rowKey, Row row)
    {
        if (row.Value is T known)
        {
            return new StateEntry<T>(partitionKey, rowKey, known, row.ETag, row.Timestamp);
        }

        var value = JsonSerializer.Deserialize<T>(row.Json, StateJson.Options)
            ?? throw new InvalidOperationException($"The stored document '{partitionKey}/{rowKey}' is empty.");
        if (_immutableDocuments)
        {
            row.Value = value;
        }

        return new StateEntry<T>(partitionKey, rowKey, value, row.ETag, row.Timestamp);
    }

    private sealed class Row(string json, string etag, DateTimeOffset timestamp)
    {
        public string Json { get; } = json;

        public string ETag { get; } = etag;

        public DateTimeOffset Timestamp { get; } = timestamp;

        public object? Value { get; set; }
    }
}
