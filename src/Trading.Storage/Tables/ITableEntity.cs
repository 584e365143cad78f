using Azure;

namespace Trading.Storage.Tables;

/// <summary>The system properties every Table Storage entity has, as in Azure.Data.Tables.</summary>
public interface ITableEntity
{
    /// <summary>Partition key: at most 512 UTF-16 characters (1 KiB), none of / \ # ? or control characters.</summary>
    string PartitionKey { get; set; }

    /// <summary>Row key, same rules as <see cref="PartitionKey"/>.</summary>
    string RowKey { get; set; }

    /// <summary>Set by the service on every write; ignored when writing.</summary>
    DateTimeOffset? Timestamp { get; set; }

    /// <summary>The entity's version, for optimistic concurrency (<see cref="TableClient.UpdateEntityAsync{T}"/>).</summary>
    ETag ETag { get; set; }
}

/// <summary>How an update treats properties missing from the entity sent.</summary>
public enum TableUpdateMode
{
    /// <summary>Keep stored properties that the sent entity does not have.</summary>
    Merge,

    /// <summary>Replace the stored entity entirely.</summary>
    Replace,
}

/// <summary>The kind of one operation in an entity group transaction.</summary>
public enum TableTransactionActionType
{
    Add,
    UpsertMerge,
    UpsertReplace,
    UpdateMerge,
    UpdateReplace,
    Delete,
}

/// <summary>
/// One operation of <see cref="TableClient.SubmitTransactionAsync"/>. <paramref name="ETag"/> is the If-Match value for
/// UpdateMerge, UpdateReplace and Delete; default means unconditional ('*').
/// </summary>
public sealed record TableTransactionAction(TableTransactionActionType ActionType, ITableEntity Entity, ETag ETag = default);
