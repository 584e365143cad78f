using Microsoft.Extensions.Logging;
using Trading.Gateway.Routing;
using Trading.Gateway.Configuration;

namespace Trading.Gateway.Budgets;

/// <summary>
/// A budget ledger held in process memory with the same versioned-write semantics as the table one. For hosts without
/// storage (local runs, benchmarks); spend is lost on restart, which the start-up log says.
/// </summary>
public sealed class InMemoryBudgetLedger : BudgetLedger
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (BudgetLedgerState State, string Version)> _documents = new(StringComparer.Ordinal);
    private long _lastVersion;

    /// <summary>Creates the ledger.</summary>
    public InMemoryBudgetLedger(BudgetOptions options, TimeProvider time, ILogger<InMemoryBudgetLedger> logger)
        : base(options, time, logger)
    {
    }

    /// <inheritdoc />
    protected override Task<VersionedLedger?> LoadAsync(string monthKey, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_documents.TryGetValue(monthKey, out var d)
                ? new VersionedLedger(d.State.Clone(), d.Version)
                : null);
        }
    }

    /// <inheritdoc />
    protected override Task<BudgetLedgerState?> ReadAsync(string monthKey, CancellationToken cancellationToken)
    {
        // Stored states are never mutated (saves replace them), so a read-only look needs no copy.
        lock (_gate)
            return Task.FromResult(_documents.TryGetValue(monthKey, out var d) ? d.State : null);
    }

    /// <inheritdoc />
    protected override Task<bool> TrySaveAsync(BudgetLedgerState state, string? expectedVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        lock (_gate)
        {
            var exists = _documents.TryGetValue(state.MonthKey, out var d);
            var matches = exists ? expectedVersion == d.Version : expectedVersion is null;
            if (!matches)
                return Task.FromResult(false);
            // Kept without a copy: the base class hands over a state it never touches after a successful save, and every
            // load clones, so a stored state is never mutated. Versions are unique across documents, like ETags.
            _documents[state.MonthKey] = (state, (++_lastVersion).ToString(System.Globalization.CultureInfo.InvariantCulture));
            return Task.FromResult(true);
        }
    }
}
