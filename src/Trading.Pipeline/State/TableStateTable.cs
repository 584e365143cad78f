using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;

namespace Trading.Pipeline.State;

/// <summary>
/// A <see cref="StateTable"/> in Table Storage: each document is one row of JSON split over several string properties
/// (<see cref="StateEntity"/>), because one Table string holds at most 64 KiB (32K UTF-16 characters).
/// </summary>
public sealed class TableStateTable : StateTable
{
    private const int PartLength = 30_000;
    private const int MaxParts = 8;
    private const int MaxPageSize = 1000; // the service's largest page
    private readonly TableServiceClient _service;
    private readonly TableClient _table;
    private readonly ConcurrentDictionary<(string PartitionKey, string RowKey), (string ETag, object Value)>? _documents;
    private Task? _created;

    /// <param name="service">The table service.</param>
    /// <param name="tableName">The table (created on first use).</param>
    /// <param name="immutableDocuments">
    /// The documents are immutable records: a row read again at the same ETag reuses the value deserialized before instead of
    /// parsing its JSON again (the position book is read on every management pass).
    /// </param>
    public TableStateTable(TableServiceClient service, string tableName, bool immutableDocuments = false)
        : base(tableName)
    {
        ArgumentNullException.ThrowIfNull(service);
        _service = service;
        _table = service.GetTableClient(tableName);
        _documents = immutableDocuments ? new() : null;
    }

    /// <inheritdoc />
    public override async Task<StateEntry<T>?> GetAsync<T>(string partitionKey, string rowKey, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync();
        var response = await _table.GetEntityIfExistsAsync<StateEntity>(partitionKey, rowKey, cancellationToken: cancellationToken);
        return response.HasValue ? ToEntry<T>(response.Value!) : null;
    }

    /// <inheritdoc />
    public override async Task<bool> TryAddAsync<T>(string partitionKey, string rowKey, T value, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync();
        try
        {
            await _table.AddEntityAsync(ToEntity(partitionKey, rowKey, value), cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    /// <inheritdoc />
    public override async Task UpsertAsync<T>(string partitionKey, string rowKey, T value, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync();
        await _table.UpsertEntityAsync(ToEntity(partitionKey, rowKey, value), TableUpdateMode.Replace, cancellationToken);
    }

    /// <inheritdoc />
    public override async Task<bool> TryReplaceAsync<T>(string partitionKey, string rowKey, T value, string etag, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync();
        try
        {
            await _table.UpdateEntityAsync(ToEntity(partitionKey, rowKey, value), new ETag(etag), TableUpdateMode.Replace, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 412 or 404)
        {
            return false;
        }
    }

    /// <inheritdoc />
    public override async Task<IReadOnlyList<StateEntry<T>>> QueryPartitionAsync<T>(string partitionKey, int? take, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync();
        var list = new List<StateEntry<T>>();
        var pageSize = take is > 0 and <= MaxPageSize ? take : null;
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey}");
        await foreach (var entity in _table.QueryAsync<StateEntity>(filter, pageSize, cancellationToken: cancellationToken))
        {
            list.Add(ToEntry<T>(entity));
            if (take is not null && list.Count >= take)
            {
                break;
            }
        }

        return list;
    }

    /// <inheritdoc />
    public override async Task DeleteAsync(string partitionKey, string rowKey, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync();
        await _table.DeleteEntityAsync(partitionKey, rowKey, default, cancellationToken);
    }

    private Task EnsureCreatedAsync()
    {
        // Created once per process; a failed attempt is retried by the next call rather than cached.
        var created = _created;
        if (created is null || created.IsFaulted || created.IsCanceled)
        {
            created = _service.CreateTableIfNotExistsAsync(Name, CancellationToken.None);
            _created = created;
        }

        return created;
    }

    private static StateEntity ToEntity<T>(string partitionKey, string rowKey, T value)
    {
        var json = JsonSerializer.Serialize(value, StateJson.Options);
        var parts = (json.Length + PartLength - 1) / PartLength;
        if (parts > MaxParts)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"The {typeof(T).Name} document '{partitionKey}/{rowKey}' is {json.Length} characters; at most {PartLength * MaxParts} fit in one table row."));
        }

        var entity = new StateEntity { PartitionKey = partitionKey, RowKey = rowKey, DocumentType = typeof(T).Name, Parts = parts };
        for (var i = 0; i < parts; i++)
        {
            entity.SetPart(i, json.Substring(i * PartLength, Math.Min(PartLength, json.Length - (i * PartLength))));
        }

        return entity;
    }

    private StateEntry<T> ToEntry<T>(StateEntity entity)
    {
        var etag = entity.ETag.ToString();
        if (_documents is not null && _documents.TryGetValue((entity.PartitionKey, entity.RowKey), out var known) && known.ETag == etag && known.Value is T same)
        {
            return new StateEntry<T>(entity.PartitionKey, entity.RowKey, same, etag, entity.Timestamp);
        }

        var entry = Deserialize<T>(entity);
        if (_documents is not null)
        {
            _documents[(entity.PartitionKey, entity.RowKey)] = (etag, entry.Value!);
        }

        return entry;
    }

    private static StateEntry<T> Deserialize<T>(StateEntity entity)
    {
        var json = new StringBuilder();
        for (var i = 0; i < Math.Min(entity.Parts, MaxParts); i++)
        {
            json.Append(entity.GetPart(i));
        }

        var value = JsonSerializer.Deserialize<T>(json.ToString(), StateJson.Options)
            ?? throw new InvalidOperationException($"The stored document '{entity.PartitionKey}/{entity.RowKey}' is empty.");
        return new StateEntry<T>(entity.PartitionKey, entity.RowKey, value, entity.ETag.ToString(), entity.Timestamp);
    }
}
