namespace Trading.Pipeline.State;

/// <summary>The account's peak equity, the reference of the drawdown limit: raised by each market snapshot, never lowered.</summary>
public sealed class PeakEquityStore
{
    private const string Partition = "control";
    private const string Row = "equity-marks";
    private readonly PipelineTables _tables;

    public PeakEquityStore(PipelineTables tables) => _tables = tables ?? throw new ArgumentNullException(nameof(tables));

    /// <summary>The highest equity recorded, or null before the first snapshot.</summary>
    public async Task<decimal?> PeakAsync(CancellationToken cancellationToken) =>
        (await _tables.Control.GetAsync<EquityMarks>(Partition, Row, cancellationToken))?.Value.PeakEquity;

    /// <summary>Records <paramref name="equity"/> when it is a new peak.</summary>
    public async Task RaiseAsync(decimal equity, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var marks = await _tables.Control.GetAsync<EquityMarks>(Partition, Row, cancellationToken);
        if (marks is null)
        {
            await _tables.Control.TryAddAsync(Partition, Row, new EquityMarks { PeakEquity = equity, UpdatedUtc = now }, cancellationToken);
        }
        else if (equity > marks.Value.PeakEquity)
        {
            // A lost race only delays the new peak to the next run.
            await _tables.Control.TryReplaceAsync(Partition, Row, new EquityMarks { PeakEquity = equity, UpdatedUtc = now }, marks.ETag, cancellationToken);
        }
    }

    private sealed record EquityMarks
    {
        public decimal PeakEquity { get; init; }

        public DateTimeOffset UpdatedUtc { get; init; }
    }
}
