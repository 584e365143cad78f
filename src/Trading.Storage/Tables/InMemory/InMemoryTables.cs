using System.Runtime.CompilerServices;
using Azure;
using Trading.Storage.Tables.InMemory;

namespace Trading.Storage.Tables;

/// <summary>
/// An in-memory Table service for fast tests and backtests, with the same semantics as the real client: the same
/// validation, stored types (values are converted exactly as they would be on the wire), ETags with 412 conflicts,
/// all-or-nothing transactions naming the failing index, OData filters, 404/409 error codes.
/// </summary>
public static class InMemoryTables
{
    /// <summary>A new, empty in-memory account. Timestamps come from <paramref name="time"/> (default: the system clock).</summary>
    public static TableServiceClient CreateServiceClient(TimeProvider? time = null) =>
        new InMemoryTableServiceClient(new InMemoryTableStore(time ?? TimeProvider.System));
}

internal sealed class InMemoryTableServiceClient(InMemoryTableStore store) : TableServiceClient
{
    public override TableClient GetTableClient(string tableName)
    {
        TableValidation.ValidateTableName(tableName);
        return new InMemoryTableClient(store, tableName);
    }

    public override Task CreateTableIfNotExistsAsync(string tableName, CancellationToken ct = default)
    {
        TableValidation.ValidateTableName(tableName);
        ct.ThrowIfCancellationRequested();
        store.Tables.GetOrAdd(tableName, _ => new InMemoryTable());
        return Task.CompletedTask;
    }

    public override Task DeleteTableAsync(string tableName, CancellationToken ct = default)
    {
        TableValidation.ValidateTableName(tableName);
        ct.ThrowIfCancellationRequested();
        store.Tables.TryRemove(tableName, out _);
        return Task.CompletedTask;
    }
}

internal sealed class InMemoryTableClient(InMemoryTableStore store, string name) : TableClient(name)
{
    public override Task CreateIfNotExistsAsync(CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        store.Tables.GetOrAdd(Name, _ => new InMemoryTable());
        return Task.CompletedTask;
    }

    public override Task<ETag> AddEntityAsync<T>(T entity, CancellationToken ct = default)
    {
        var properties = Prepare(entity, ct);
        var table = store.GetExisting(Name);
        lock (table.Gate)
        {
            var key = (entity.PartitionKey, entity.RowKey);
            if (table.Rows.ContainsKey(key))
            {
                throw Conflict(Describe("Add", entity.PartitionKey, entity.RowKey));
            }

            return Task.FromResult(Store(table, entity, properties));
        }
    }

    public override async Task<T> GetEntityAsync<T>(string partitionKey, string rowKey, IEnumerable<string>? select = null, CancellationToken ct = default) =>
        await GetEntityIfExistsAsync<T>(partitionKey, rowKey, select, ct).ConfigureAwait(false) ?? throw NotFound(Describe("Get", partitionKey, rowKey));

    public override Task<T?> GetEntityIfExistsAsync<T>(string partitionKey, string rowKey, IEnumerable<string>? select = null, CancellationToken ct = default)
        where T : class
    {
        TableValidation.ValidateKey(partitionKey, "PartitionKey");
        TableValidation.ValidateKey(rowKey, "RowKey");
        ct.ThrowIfCancellationRequested();
        var selected = select?.ToHashSet(StringComparer.Ordinal);
        var table = store.GetExisting(Name);
        StoredRow? row;
        lock (table.Gate)
        {
            table.Rows.TryGetValue((partitionKey, rowKey), out row);
        }

        return Task.FromResult(row is null ? null : Materialize<T>(row, selected));
    }

    public override Task<ETag> UpsertEntityAsync<T>(T entity, TableUpdateMode mode = TableUpdateMode.Merge, CancellationToken ct = default)
    {
        var properties = Prepare(entity, ct);
        var table = store.GetExisting(Name);
        lock (table.Gate)
        {
            table.Rows.TryGetValue((entity.PartitionKey, entity.RowKey), out var existing);
            return Task.FromResult(Store(table, entity, Combine(existing, properties, mode)));
        }
    }

    public override Task<ETag> UpdateEntityAsync<T>(T entity, ETag ifMatch, TableUpdateMode mode = TableUpdateMode.Merge, CancellationToken ct = default)
    {
        var properties = Prepare(entity, ct);
        var table = store.GetExisting(Name);
        lock (table.Gate)
        {
            var existing = CheckUpdatable(table, entity.PartitionKey, entity.RowKey, ifMatch, Describe("Update", entity.PartitionKey, entity.RowKey));
            return Task.FromResult(Store(table, entity, Combine(existing, properties, mode)));
        }
    }

    public override Task DeleteEntityAsync(string partitionKey, string rowKey, ETag ifMatch = default, CancellationToken ct = default)
    {
        TableValidation.ValidateKey(partitionKey, "PartitionKey");
        TableValidation.ValidateKey(rowKey, "RowKey");
        ct.ThrowIfCancellationRequested();
        var table = store.GetExisting(Name);
        lock (table.Gate)
        {
            if (table.Rows.TryGetValue((partitionKey, rowKey), out var existing))
            {
                if (ifMatch != default && ifMatch != ETag.All && existing.ETag != ifMatch)
                {
                    throw StaleETag(Describe("Delete", partitionKey, rowKey));
                }

                table.Rows.Remove((partitionKey, rowKey));
            }
        }

        return Task.CompletedTask;
    }

    public override async IAsyncEnumerable<T> QueryAsync<T>(
        string? filter = null, int? maxPerPage = null, IEnumerable<string>? select = null, [EnumeratorCancellation] CancellationToken ct = default)
    {
        ValidatePageSize(maxPerPage);
        var predicate = InMemory.ODataFilter.Parse(filter);
        var selected = select?.ToHashSet(StringComparer.Ordinal);
        var table = store.GetExisting(Name);
        List<StoredRow> matches;
        lock (table.Gate)
        {
            var candidates = InMemory.ODataFilter.PinnedPartition(filter) is { } partition ? table.Rows.InPartition(partition) : table.Rows.Values;
            matches = candidates.Where(r => predicate.Matches(r.Lookup)).ToList();
        }

        foreach (var row in matches)
        {
            ct.ThrowIfCancellationRequested();
            yield return Materialize<T>(row, selected);
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    public override Task<IReadOnlyList<ETag>> SubmitTransactionAsync(IEnumerable<TableTransactionAction> actions, CancellationToken ct = default)
    {
        var list = TableBatch.Validate(actions);
        ct.ThrowIfCancellationRequested();
        var prepared = list.Select(a => a.ActionType == TableTransactionActionType.Delete ? null : TableValueConverter.CustomProperties(a.Entity)).ToList();
        var table = store.GetExisting(Name);
        lock (table.Gate)
        {
            // Check every operation against the current state first; operations touch distinct rows, so they cannot affect each other.
            var planned = new StoredRow?[list.Count];
            for (var i = 0; i < list.Count; i++)
            {
                var (type, entity, etag) = (list[i].ActionType, list[i].Entity, list[i].ETag);
                table.Rows.TryGetValue((entity.PartitionKey, entity.RowKey), out var existing);
                try
                {
                    planned[i] = type switch
                    {
                        TableTransactionActionType.Add when existing is not null => throw Conflict(Describe("Add", entity.PartitionKey, entity.RowKey)),
                        TableTransactionActionType.Add => Row(entity, prepared[i]!),
                        TableTransactionActionType.UpsertMerge => Row(entity, Combine(existing, prepared[i]!, TableUpdateMode.Merge)),
                        TableTransactionActionType.UpsertReplace => Row(entity, prepared[i]!),
                        TableTransactionActionType.UpdateMerge or TableTransactionActionType.UpdateReplace => Row(
                            entity,
                            Combine(
                                CheckUpdatable(table, entity.PartitionKey, entity.RowKey, etag, Describe("Update", entity.PartitionKey, entity.RowKey)),
                                prepared[i]!,
                                type == TableTransactionActionType.UpdateMerge ? TableUpdateMode.Merge : TableUpdateMode.Replace)),
                        _ => CheckDeletable(existing, etag, entity),
                    };
                }
                catch (RequestFailedException ex)
                {
                    var message = $"Transaction on table '{Name}' failed at operation {i}: {ex.Message}; nothing was written.";
                    throw new TableTransactionFailedException(ex.Status, message, ex.ErrorCode, i, ex);
                }
            }

            var etags = new ETag[list.Count];
            for (var i = 0; i < list.Count; i++)
            {
                var entity = list[i].Entity;
                if (list[i].ActionType == TableTransactionActionType.Delete)
                {
                    table.Rows.Remove((entity.PartitionKey, entity.RowKey));
                }
                else
                {
                    var (etag, timestamp) = store.NextVersion();
                    table.Rows[(entity.PartitionKey, entity.RowKey)] = planned[i]! with { ETag = etag, Timestamp = timestamp };
                    etags[i] = etag;
                }
            }

            return Task.FromResult<IReadOnlyList<ETag>>(etags);
        }
    }

    private static StoredRow Row(ITableEntity entity, IReadOnlyList<KeyValuePair<string, object?>> properties) =>
        new(entity.PartitionKey, entity.RowKey, default, default, properties);

    private static StoredRow? CheckDeletable(StoredRow? existing, ETag etag, ITableEntity entity)
    {
        if (existing is null)
        {
            // Unlike a single delete, a missing row fails a transaction, as the service does.
            throw NotFound(Describe("Delete", entity.PartitionKey, entity.RowKey));
        }

        if (etag != default && etag != ETag.All && existing.ETag != etag)
        {
            throw StaleETag(Describe("Delete", entity.PartitionKey, entity.RowKey));
        }

        return null;
    }

    private static StoredRow CheckUpdatable(InMemoryTable table, string partitionKey, string rowKey, ETag ifMatch, string operation)
    {
        if (!table.Rows.TryGetValue((partitionKey, rowKey), out var existing))
        {
            throw NotFound(operation);
        }

        if (ifMatch != default && ifMatch != ETag.All && existing.ETag != ifMatch)
        {
            throw StaleETag(operation);
        }

        return existing;
    }

    private static List<KeyValuePair<string, object?>> Prepare(ITableEntity entity, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(entity);
        var properties = TableValueConverter.CustomProperties(entity);
        TableValidation.ValidateEntity(entity, properties);
        ct.ThrowIfCancellationRequested();
        return Copy(properties);
    }

    /// <summary>Byte arrays are copied so a caller mutating its array later does not change the stored row.</summary>
    private static List<KeyValuePair<string, object?>> Copy(IEnumerable<KeyValuePair<string, object?>> properties) =>
        properties.Select(p => p.Value is byte[] b ? new KeyValuePair<string, object?>(p.Key, b.ToArray()) : p).ToList();

    private static List<KeyValuePair<string, object?>> Combine(StoredRow? existing, List<KeyValuePair<string, object?>> properties, TableUpdateMode mode)
    {
        if (existing is null || mode == TableUpdateMode.Replace)
        {
            return properties;
        }

        var merged = existing.Properties.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        foreach (var (key, value) in properties)
        {
            merged[key] = value;
        }

        return merged.ToList();
    }

    private ETag Store(InMemoryTable table, ITableEntity entity, IReadOnlyList<KeyValuePair<string, object?>> properties)
    {
        var (etag, timestamp) = store.NextVersion();
        table.Rows[(entity.PartitionKey, entity.RowKey)] = new StoredRow(entity.PartitionKey, entity.RowKey, timestamp, etag, properties);
        return etag;
    }

    private static T Materialize<T>(StoredRow row, HashSet<string>? selected)
        where T : class, ITableEntity, new()
    {
        var properties = Copy(row.Properties.Where(p => selected is null || selected.Count == 0 || selected.Contains(p.Key)));
        return TableValueConverter.Materialize<T>(row.PartitionKey, row.RowKey, row.Timestamp, row.ETag, properties);
    }

    private static RequestFailedException Conflict(string operation) =>
        new(409, $"{operation} failed: 409 EntityAlreadyExists: The specified entity already exists.", "EntityAlreadyExists", null);

    private static RequestFailedException NotFound(string operation) =>
        new(404, $"{operation} failed: 404 ResourceNotFound: The specified resource does not exist.", "ResourceNotFound", null);

    private static TableConcurrencyException StaleETag(string operation) =>
        new($"{operation} failed: 412 UpdateConditionNotSatisfied: The update condition specified in the request was not satisfied.");
}
