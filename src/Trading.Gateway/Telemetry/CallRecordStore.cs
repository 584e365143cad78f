using System.Collections.Concurrent;

namespace Trading.Gateway.Telemetry;

/// <summary>Where call records are persisted: one partition per budget-zone day.</summary>
public abstract class CallRecordStore
{
    /// <summary>Persists one record.</summary>
    public abstract Task AppendAsync(GatewayCallRecord record, CancellationToken cancellationToken);

    /// <summary>All records of <paramref name="day"/> ("yyyy-MM-dd").</summary>
    public abstract Task<IReadOnlyList<GatewayCallRecord>> ReadDayAsync(string day, CancellationToken cancellationToken);
}

/// <summary>Call records in process memory (hosts without storage, tests of the gateway's own logic).</summary>
public sealed class InMemoryCallRecordStore : CallRecordStore
{
    private readonly ConcurrentQueue<GatewayCallRecord> _records = new();

    /// <summary>Everything recorded so far.</summary>
    public IReadOnlyList<GatewayCallRecord> All => [.. _records];

    /// <inheritdoc />
    public override Task AppendAsync(GatewayCallRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        _records.Enqueue(record);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public override Task<IReadOnlyList<GatewayCallRecord>> ReadDayAsync(string day, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<GatewayCallRecord>>([.. _records.Where(r => r.Day == day)]);
}
