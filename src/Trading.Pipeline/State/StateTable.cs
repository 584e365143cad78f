using System.Globalization;
using System.Text;
using System.Text.Json;
using Azure;
using Trading.Storage.Tables;

namespace Trading.Pipeline.State;

/// <summary>A stored document with its keys and version.</summary>
public sealed record StateEntry<T>(string PartitionKey, string RowKey, T Value, string ETag, DateTimeOffset? Timestamp);

/// <summary>
/// One Table Storage table holding pipeline documents (activity DTOs, journals, positions) as JSON. A document is split
/// over several string properties because one Table string holds at most 64 KiB (32K UTF-16 characters).
/// </summary>
public sealed class StateTable
{
    private const int PartLength = 30_000;
    private const int MaxParts = 8;
    private readonly TableServiceClient _service;
    private readonly TableClient _table;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string PartitionKey, string RowKey), (string ETag, object Value)>? _documents;
    private Task? _created;

    /// <param name="service">The table service.</param>
    /// <param name="tableName">The table.</param>
    /// <param name="immutableDocuments">
    /// The documents are immutable records: a row read again at the same ETag reuses the value deserialized before instead of
    /// parsing its JSON again (the position book is read on every management pass).
    /// </param>
    internal StateTable(TableServiceClient service, string tableName, bool immutableDocuments = false)
    {
        Name = tableName;
        _service = service;
        _table = service.GetTableClient(tableName);
        _documents = immutableDocuments ? new() : null;
    }

    public string Name { get; }

    /// <summary>Reads a document, or null.</summary>
    public async Task<StateEntry<T>?> GetAsync<T>(string partitionKey, string rowKey, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync();
        var entity = await _table.GetEntityIfExistsAsync<StateEntity>(partitionKey, rowKey, ct: cancellationToken);
        return entity is null ? null : ToEntry<T>(entity);
    }

    /// <summary>Inserts a document; false when one with these keys exists already (nothing is changed then).</summary>
    public async Task<bool> TryAddAsync<T>(string partitionKey, string rowKey, T value, CancellationToken cancellationToken)
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

    /// <summary>Inserts or replaces a document.</summary>
    public async Task UpsertAsync<T>(string partitionKey, string rowKey, T value, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync();
        await _table.UpsertEntityAsync(ToEntity(partitionKey, rowKey, value), TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>Replaces a document only if it is still at version <paramref name="etag"/>; false when another writer got there first.</summary>
    public async Task<bool> TryReplaceAsync<T>(string partitionKey, string rowKey, T value, string etag, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync();
        try
        {
            await _table.UpdateEntityAsync(ToEntity(partitionKey, rowKey, value), new ETag(etag), TableUpdateMode.Replace, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 412 or 404 || e is TableConcurrencyException)
        {
            return false;
        }
    }

    /// <summary>Every document of a partition in row-key order (at most <paramref name="take"/> when given).</summary>
    public async Task<IReadOnlyList<StateEntry<T>>> QueryPartitionAsync<T>(string partitionKey, int? take, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync();
        var list = new List<StateEntry<T>>();
        var pageSize = take is > 0 and <= TableClient.MaxPageSize ? take : null;
        await foreach (var entity in _table.QueryAsync<StateEntity>(TableFilter.Partition(partitionKey), pageSize, ct: cancellationToken))
        {
            list.Add(ToEntry<T>(entity));
            if (take is not null && list.Count >= take)
            {
                break;
            }
        }

        return list;
    }

    /// <summary>Deletes a document (missing is fine).</summary>
    public async Task DeleteAsync(string partitionKey, string rowKey, CancellationToken cancellationToken)
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

/// <summary>The row shape of a <see cref="StateTable"/>: keys, the document's type name and its JSON in parts.</summary>
public sealed class StateEntity : ITableEntity
{
    public string PartitionKey { get; set; } = string.Empty;

    public string RowKey { get; set; } = string.Empty;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string DocumentType { get; set; } = string.Empty;

    public int Parts { get; set; }

    public string? Json0 { get; set; }

    public string? Json1 { get; set; }

    public string? Json2 { get; set; }

    public string? Json3 { get; set; }

    public string? Json4 { get; set; }

    public string? Json5 { get; set; }

    public string? Json6 { get; set; }

    public string? Json7 { get; set; }

    internal string? GetPart(int index) => index switch
    {
        0 => Json0, 1 => Json1, 2 => Json2, 3 => Json3, 4 => Json4, 5 => Json5, 6 => Json6, 7 => Json7,
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    internal void SetPart(int index, string text)
    {
        switch (index)
        {
            case 0: Json0 = text; break;
            case 1: Json1 = text; break;
            case 2: Json2 = text; break;
            case 3: Json3 = text; break;
            case 4: Json4 = text; break;
            case 5: Json5 = text; break;
            case 6: Json6 = text; break;
            case 7: Json7 = text; break;
            default: throw new ArgumentOutOfRangeException(nameof(index));
        }
    }
}

/// <summary>The JSON settings of stored documents and activity payloads (web defaults: camelCase, case-insensitive reads).</summary>
public static class StateJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web);
}
