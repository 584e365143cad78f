using System.Text.Json;
using Azure;
using Azure.Data.Tables;

namespace Trading.Pipeline.State;

/// <summary>A stored document with its keys and version.</summary>
public sealed record StateEntry<T>(string PartitionKey, string RowKey, T Value, string ETag, DateTimeOffset? Timestamp);

/// <summary>
/// A table of pipeline documents (activity DTOs, journals, positions) addressed by partition and row key, each with a
/// version (ETag) for conditional replaces. <see cref="TableStateTable"/> keeps them in Table Storage;
/// <see cref="InMemoryStateTable"/> keeps them in process memory (backtests, throw-away runs).
/// </summary>
public abstract class StateTable
{
    protected StateTable(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
    }

    /// <summary>The table's name.</summary>
    public string Name { get; }

    /// <summary>Reads a document, or null.</summary>
    public abstract Task<StateEntry<T>?> GetAsync<T>(string partitionKey, string rowKey, CancellationToken cancellationToken);

    /// <summary>Inserts a document; false when one with these keys exists already (nothing is changed then).</summary>
    public abstract Task<bool> TryAddAsync<T>(string partitionKey, string rowKey, T value, CancellationToken cancellationToken);

    /// <summary>Inserts or replaces a document.</summary>
    public abstract Task UpsertAsync<T>(string partitionKey, string rowKey, T value, CancellationToken cancellationToken);

    /// <summary>Replaces a document only if it is still at version <paramref name="etag"/>; false when another writer got there first (or it is gone).</summary>
    public abstract Task<bool> TryReplaceAsync<T>(string partitionKey, string rowKey, T value, string etag, CancellationToken cancellationToken);

    /// <summary>Every document of a partition in row-key order (ordinal), at most <paramref name="take"/> when given.</summary>
    public abstract Task<IReadOnlyList<StateEntry<T>>> QueryPartitionAsync<T>(string partitionKey, int? take, CancellationToken cancellationToken);

    /// <summary>Deletes a document (missing is fine).</summary>
    public abstract Task DeleteAsync(string partitionKey, string rowKey, CancellationToken cancellationToken);
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
