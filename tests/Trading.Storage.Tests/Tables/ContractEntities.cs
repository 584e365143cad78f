using Azure;
using Trading.Storage.Tables;

namespace Trading.Storage.Tests.Tables;

public enum Side
{
    Put,
    Call,
}

/// <summary>One property of every supported type, for round-trip tests.</summary>
public sealed class AllTypesEntity : ITableEntity
{
    public string PartitionKey { get; set; } = string.Empty;
    public string RowKey { get; set; } = string.Empty;
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public string? Text { get; set; }
    public bool Flag { get; set; }
    public int Count { get; set; }
    public long Big { get; set; }
    public double Ratio { get; set; }
    public double WholeDouble { get; set; }
    public decimal Money { get; set; }
    public DateTimeOffset At { get; set; }
    public DateTime AtUtc { get; set; }
    public Guid Id { get; set; }
    public byte[]? Blob { get; set; }
    public Side Side { get; set; }
    public int? MaybeCount { get; set; }
    public decimal? MaybeMoney { get; set; }
    public long? MaybeBig { get; set; }
}

public sealed class CounterEntity : ITableEntity
{
    public string PartitionKey { get; set; } = string.Empty;
    public string RowKey { get; set; } = string.Empty;
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }
    public int Counter { get; set; }
    public string? Note { get; set; }
}
