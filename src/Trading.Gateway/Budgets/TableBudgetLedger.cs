using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Trading.Gateway.Routing;
using Trading.Gateway.Configuration;

namespace Trading.Gateway.Budgets;

/// <summary>
/// The budget ledger in Table Storage: one entity per budget month (PartitionKey "budget", RowKey "2026-11") holding the
/// month's settled spend, settled spend per day, live reservations and recently settled ids. Created with an insert
/// (409 when someone else created it first), changed only with If-Match on the ETag read (412 → re-read and re-apply).
/// A change starts from this instance's copy of what it last wrote (with that write's ETag) when it has one, instead of
/// reading first: if another writer changed the row since, the If-Match fails and the change is re-applied to a fresh
/// read, so a reserve + settle from one process is two round trips instead of four. Status reads always read storage.
/// </summary>
public sealed class TableBudgetLedger : BudgetLedger
{
    /// <summary>Partition of all ledger entities.</summary>
    public const string Partition = "budget";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly TableClient _table;
    private readonly Lazy<Task> _created;
    private WrittenLedger? _lastWritten;

    /// <summary>Creates the ledger over <paramref name="service"/>, table <see cref="BudgetOptions.TableName"/> (created on first use).</summary>
    public TableBudgetLedger(TableServiceClient service, BudgetOptions options, TimeProvider time, ILogger<TableBudgetLedger> logger)
        : base(options, time, logger)
    {
        ArgumentNullException.ThrowIfNull(service);
        _table = service.GetTableClient(options.TableName);
        _created = new Lazy<Task>(() => _table.CreateIfNotExistsAsync(CancellationToken.None));
    }

    /// <inheritdoc />
    protected override async Task<VersionedLedger?> LoadAsync(string monthKey, CancellationToken cancellationToken)
    {
        // Taken, not peeked: whoever uses the copy owns it, and the next load (a retry after a conflict) reads storage.
        if (Interlocked.Exchange(ref _lastWritten, null) is { } copy && copy.MonthKey == monthKey)
            return new VersionedLedger(copy.State, copy.ETag, MayBeStale: true);
        return await ReadStoredAsync(monthKey, cancellationToken);
    }

    /// <inheritdoc />
    protected override async Task<BudgetLedgerState?> ReadAsync(string monthKey, CancellationToken cancellationToken) =>
        (await ReadStoredAsync(monthKey, cancellationToken))?.State;

    private async Task<VersionedLedger?> ReadStoredAsync(string monthKey, CancellationToken cancellationToken)
    {
        await _created.Value.WaitAsync(cancellationToken);
        var response = await _table.GetEntityIfExistsAsync<BudgetLedgerEntity>(Partition, monthKey, cancellationToken: cancellationToken);
        if (!response.HasValue)
            return null;
        var entity = response.Value!;
        var state = new BudgetLedgerState(
            monthKey,
            decimal.Parse(entity.MonthSettledUsd, NumberStyles.Number, CultureInfo.InvariantCulture),
            JsonSerializer.Deserialize<Dictionary<string, decimal>>(entity.DaySettledJson ?? "{}", Json) ?? [],
            JsonSerializer.Deserialize<List<BudgetReservation>>(entity.ReservationsJson ?? "[]", Json) ?? [],
            JsonSerializer.Deserialize<List<string>>(entity.SettledIdsJson ?? "[]", Json) ?? []);
        return new VersionedLedger(state, entity.ETag.ToString());
    }

    /// <inheritdoc />
    protected override async Task<bool> TrySaveAsync(BudgetLedgerState state, string? expectedVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        await _created.Value.WaitAsync(cancellationToken);
        var entity = new BudgetLedgerEntity
        {
            PartitionKey = Partition,
            RowKey = state.MonthKey,
            MonthSettledUsd = state.MonthSettledUsd.ToString(CultureInfo.InvariantCulture),
            DaySettledJson = JsonSerializer.Serialize(state.DaySettledUsd, Json),
            ReservationsJson = JsonSerializer.Serialize(state.Reservations, Json),
            SettledIdsJson = JsonSerializer.Serialize(state.RecentlySettledIds, Json),
        };
        try
        {
            var response = expectedVersion is null
                ? await _table.AddEntityAsync(entity, cancellationToken)
                : await _table.UpdateEntityAsync(entity, new ETag(expectedVersion), TableUpdateMode.Replace, cancellationToken);
            if (response.Headers.ETag is { } written)
                Volatile.Write(ref _lastWritten, new WrittenLedger(state.MonthKey, state.Clone(), written.ToString()));
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            return false;
        }
    }
}

/// <summary>Stored shape of one budget month.</summary>
public sealed class BudgetLedgerEntity : ITableEntity
{
    /// <inheritdoc />
    public string PartitionKey { get; set; } = TableBudgetLedger.Partition;

    /// <inheritdoc />
    public string RowKey { get; set; } = string.Empty;

    /// <inheritdoc />
    public DateTimeOffset? Timestamp { get; set; }

    /// <inheritdoc />
    public ETag ETag { get; set; }

    /// <summary>Settled spend of the month: a decimal as invariant text (the Table service has no decimal type; text is lossless).</summary>
    public string MonthSettledUsd { get; set; } = "0";

    /// <summary>Settled spend per day key, JSON.</summary>
    public string? DaySettledJson { get; set; }

    /// <summary>Live reservations, JSON.</summary>
    public string? ReservationsJson { get; set; }

    /// <summary>Recently settled reservation ids, JSON.</summary>
    public string? SettledIdsJson { get; set; }
}

/// <summary>What one <see cref="TableBudgetLedger"/> last wrote, with the ETag the service gave that write.</summary>
internal sealed record WrittenLedger(string MonthKey, BudgetLedgerState State, string ETag);
