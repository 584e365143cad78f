using Trading.Pipeline.Orchestration;

namespace Trading.Pipeline.State;

/// <summary>Where a condor is in its life.</summary>
public static class PositionStates
{
    /// <summary>Opening order placed, not yet filled.</summary>
    public const string Opening = "opening";

    public const string Open = "open";

    /// <summary>Closing order placed, not yet filled.</summary>
    public const string Closing = "closing";

    public const string Closed = "closed";

    /// <summary>The opening order ended unfilled.</summary>
    public const string Abandoned = "abandoned";

    public static bool IsActive(string state) => state is Opening or Open or Closing;
}

/// <summary>One condor, from its opening order to its outcome. Its id is the opening order's client order id.</summary>
public sealed record PositionRecord
{
    public string PositionId { get; init; } = string.Empty;

    public string RunId { get; init; } = string.Empty;

    public string State { get; init; } = PositionStates.Opening;

    public string Symbol { get; init; } = "SPY";

    public string Strategy { get; init; } = "iron_condor";

    public string Variant { get; init; } = string.Empty;

    public string EntryReason { get; init; } = string.Empty;

    public string EntryRegime { get; init; } = string.Empty;

    public string MemoryVerdictAtEntry { get; init; } = string.Empty;

    public string EntryVolatilityBand { get; init; } = string.Empty;

    public int EntryDte { get; init; }

    public double ShortDelta { get; init; }

    public DateOnly Expiration { get; init; }

    public IReadOnlyList<ProposalLeg> Legs { get; init; } = [];

    public int Contracts { get; init; }

    public decimal WingWidthDollars { get; init; }

    public decimal LimitCredit { get; init; }

    public string? EntryOrderId { get; init; }

    /// <summary>Average opening fill, positive credit per share.</summary>
    public decimal? EntryCredit { get; init; }

    public DateTimeOffset OpenedUtc { get; init; }

    public DateTimeOffset? EntryFilledUtc { get; init; }

    public string? CloseClientOrderId { get; init; }

    public string? CloseOrderId { get; init; }

    public string? ExitReason { get; init; }

    /// <summary>Average closing fill, positive debit per share (0 when it expired worthless).</summary>
    public decimal? ExitDebit { get; init; }

    public DateTimeOffset? ClosedUtc { get; init; }

    /// <summary>(entry credit − exit debit) × 100 × contracts.</summary>
    public decimal? RealizedPnlDollars { get; init; }

    public bool SimulatedBroker { get; init; }

    /// <summary>Contracts already closed by closing orders that filled only in part (the rest stays open).</summary>
    public int ClosedContracts { get; init; }

    /// <summary>Sum over those partial closes of debit per share × contracts.</summary>
    public decimal ClosedDebitTotal { get; init; }

    /// <summary>Contracts still open.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public int OpenContracts => Contracts - ClosedContracts;

    /// <summary>The average exit debit per share over all contracts once the last of them closes at <paramref name="lastDebit"/>.</summary>
    public decimal AverageExitDebit(decimal lastDebit) =>
        Contracts <= 0 ? lastDebit : decimal.Round((ClosedDebitTotal + (lastDebit * OpenContracts)) / Contracts, 4);

    /// <summary>Something a person should look at (an inconsistent fill, a position held past expiration); null when all is well.</summary>
    public string? Alert { get; init; }
}

/// <summary>The open-position book in Table Storage (a restart loses nothing).</summary>
public sealed class PositionBook
{
    private const string Partition = "condor";
    private readonly PipelineTables _tables;

    public PositionBook(PipelineTables tables) => _tables = tables;

    /// <summary>Records a new position; false when one with this id exists (a retried PlaceOrder).</summary>
    public Task<bool> TryAddAsync(PositionRecord position, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(position);
        return _tables.Positions.TryAddAsync(Partition, position.PositionId, position, cancellationToken);
    }

    public async Task<StateEntry<PositionRecord>?> GetAsync(string positionId, CancellationToken cancellationToken) =>
        await _tables.Positions.GetAsync<PositionRecord>(Partition, positionId, cancellationToken);

    /// <summary>Replaces a position if unchanged since it was read.</summary>
    public Task<bool> TryUpdateAsync(PositionRecord position, string etag, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(position);
        return _tables.Positions.TryReplaceAsync(Partition, position.PositionId, position, etag, cancellationToken);
    }

    /// <summary>
    /// Replaces a position read with <paramref name="etag"/> and returns its new ETag. Throws when another writer changed it
    /// since: the activity's attempt fails and its retry re-reads the position.
    /// </summary>
    public async Task<string> SaveAsync(PositionRecord position, string etag, CancellationToken cancellationToken)
    {
        if (!await TryUpdateAsync(position, etag, cancellationToken))
        {
            throw new InvalidOperationException($"Position {position.PositionId} changed concurrently; retrying.");
        }

        var reread = await GetAsync(position.PositionId, cancellationToken);
        return reread?.ETag ?? etag;
    }

    public async Task<IReadOnlyList<PositionRecord>> AllAsync(CancellationToken cancellationToken) =>
        (await _tables.Positions.QueryPartitionAsync<PositionRecord>(Partition, null, cancellationToken)).Select(e => e.Value).ToArray();

    public async Task<IReadOnlyList<PositionRecord>> ActiveAsync(CancellationToken cancellationToken) =>
        (await AllAsync(cancellationToken)).Where(p => PositionStates.IsActive(p.State)).ToArray();
}
