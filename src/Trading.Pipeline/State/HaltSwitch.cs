using System.Globalization;

namespace Trading.Pipeline.State;

/// <summary>The kill switch's state.</summary>
public sealed record HaltState
{
    public bool Halted { get; init; }

    public string Reason { get; init; } = string.Empty;

    public DateTimeOffset ChangedUtc { get; init; }
}

/// <summary>The kill switch: halting blocks new entry runs (exits still run); every change is recorded with its reason.</summary>
public sealed class HaltSwitch
{
    private const string Partition = "control";
    private const string Row = "halt";
    private const string HistoryPartition = "halt-history";
    /// <summary>The app setting that halts trading regardless of the stored switch (infra's kill switch).</summary>
    public const string HaltSetting = "Risk:HaltTrading";

    private readonly PipelineTables _tables;
    private readonly TimeProvider _time;
    private readonly bool _haltedBySetting;

    public HaltSwitch(PipelineTables tables, TimeProvider time, bool haltedBySetting = false)
    {
        _tables = tables ?? throw new ArgumentNullException(nameof(tables));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _haltedBySetting = haltedBySetting;
    }

    /// <summary>The effective state: halted by the app setting, or by the stored switch.</summary>
    public async Task<HaltState> GetAsync(CancellationToken cancellationToken)
    {
        var stored = (await _tables.Control.GetAsync<HaltState>(Partition, Row, cancellationToken))?.Value ?? new HaltState();
        return _haltedBySetting
            ? stored with { Halted = true, Reason = "the Risk__HaltTrading app setting is true" + (stored.Halted ? $"; also halted: {stored.Reason}" : string.Empty) }
            : stored;
    }

    /// <summary>Halts (<paramref name="halted"/> true) or resumes trading, recording the reason.</summary>
    public async Task<HaltState> SetAsync(bool halted, string reason, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        var now = _time.GetUtcNow();
        var state = new HaltState { Halted = halted, Reason = reason, ChangedUtc = now };
        await _tables.Control.UpsertAsync(Partition, Row, state, cancellationToken);
        var rowKey = (DateTimeOffset.MaxValue.UtcTicks - now.UtcTicks).ToString("D19", CultureInfo.InvariantCulture);
        await _tables.Control.UpsertAsync(HistoryPartition, rowKey, state, cancellationToken);
        return await GetAsync(cancellationToken);
    }
}
