using Microsoft.Extensions.Logging;
using Trading.Gateway.Routing;
using Trading.Gateway.Configuration;

namespace Trading.Gateway.Budgets;

/// <summary>An admitted reservation, to be settled (or released with cost 0) exactly once.</summary>
/// <param name="Id">Reservation id.</param>
/// <param name="MonthKey">Ledger document (month window) holding it.</param>
/// <param name="DayKey">Day window it counts against.</param>
/// <param name="AmountUsd">Estimated cost reserved.</param>
/// <param name="Critical">CRITICAL: recorded, never refused.</param>
public sealed record BudgetHold(string Id, string MonthKey, string DayKey, decimal AmountUsd, bool Critical);

/// <summary>Spend of the current windows, for the status endpoint and for selection.</summary>
/// <param name="Day">Today's window.</param>
/// <param name="DaySpend">Today's spend.</param>
/// <param name="Month">This month's window.</param>
/// <param name="MonthSpend">This month's spend.</param>
public sealed record BudgetStatus(BudgetWindow Day, WindowSpend DaySpend, BudgetWindow Month, WindowSpend MonthSpend)
{
    /// <summary>What a non-critical call may still reserve.</summary>
    public decimal HeadroomUsd => Math.Min(DaySpend.RemainingUsd, MonthSpend.RemainingUsd);
}

/// <summary>A ledger document as stored, with the version token (ETag) that a conditional write must match.</summary>
/// <param name="State">The ledger.</param>
/// <param name="Version">Opaque version (an ETag); null when the document does not exist yet.</param>
/// <param name="MayBeStale">
/// The store's own copy of what it last wrote, not a fresh read: a conditional write still decides, but a refusal is
/// confirmed with a fresh read (the store's next <c>LoadAsync</c> must read storage).
/// </param>
public sealed record VersionedLedger(BudgetLedgerState State, string? Version, bool MayBeStale = false);

/// <summary>
/// Reserve-before / settle-after budget enforcement. Every change is a read, a pure transition on
/// <see cref="BudgetLedgerState"/>, and a write conditional on the version read (ETag If-Match, or insert-if-absent);
/// a conflict re-reads and re-applies. Expired reservations are swept by whichever writer comes next, so a crash between
/// reserve and settle leaks nothing after <see cref="BudgetOptions.ReservationTimeoutMinutes"/>.
/// Subclasses provide the two storage primitives.
/// </summary>
public abstract class BudgetLedger
{
    private const int MaxConflictRetries = 200;
    private readonly BudgetOptions _options;
    private readonly TimeZoneInfo _zone;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    // The day and month windows last computed: time-zone arithmetic is redone only when "now" leaves the cached day.
    private WindowPair? _windows;

    /// <summary>Creates the ledger; throws naming each invalid budget setting.</summary>
    protected BudgetLedger(BudgetOptions options, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
            throw new GatewayConfigurationException("Invalid budget settings: " + string.Join("; ", errors));
        _options = options;
        _zone = options.ResolveTimeZone();
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>The caps.</summary>
    public BudgetLimits Limits => _options.Limits;

    /// <summary>The window time zone.</summary>
    public TimeZoneInfo TimeZone => _zone;

    /// <summary>Reads the ledger of <paramref name="monthKey"/>; null when absent.</summary>
    protected abstract Task<VersionedLedger?> LoadAsync(string monthKey, CancellationToken cancellationToken);

    /// <summary>
    /// Writes <paramref name="state"/> only if the stored version still equals <paramref name="expectedVersion"/> (null: only if
    /// absent). Returns false on a conflict (412 / 409), changing nothing.
    /// </summary>
    protected abstract Task<bool> TrySaveAsync(BudgetLedgerState state, string? expectedVersion, CancellationToken cancellationToken);

    /// <summary>
    /// Reads the ledger of <paramref name="monthKey"/> only to look at it (never mutated nor saved); null when absent.
    /// Defaults to <see cref="LoadAsync"/>; an in-memory store may return its own instance instead of a copy.
    /// </summary>
    protected virtual async Task<BudgetLedgerState?> ReadAsync(string monthKey, CancellationToken cancellationToken) =>
        (await LoadAsync(monthKey, cancellationToken))?.State;

    /// <summary>Current spend of today's and this month's windows (reservations live now included).</summary>
    public async Task<BudgetStatus> GetStatusAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var (day, month) = WindowsAt(now);
        var state = await ReadAsync(month.Key, cancellationToken) ?? new BudgetLedgerState(month.Key);
        return new BudgetStatus(day, state.Day(day.Key, Limits, now), month, state.Month(Limits, now));
    }

    /// <summary>
    /// What a non-critical call may still reserve now: <see cref="BudgetStatus.HeadroomUsd"/> without building the status
    /// (every model call asks).
    /// </summary>
    public async ValueTask<decimal> GetHeadroomAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var (day, month) = WindowsAt(now);
        var state = await ReadAsync(month.Key, cancellationToken) ?? new BudgetLedgerState(month.Key);
        return state.HeadroomUsd(day.Key, Limits, now);
    }

    /// <summary>
    /// Reserves <paramref name="amountUsd"/> against today and this month. Non-critical reservations are refused (null) when
    /// they do not fit; critical ones (and <paramref name="force"/>d ones: the budget-exhausted cheapest model) are always recorded.
    /// </summary>
    public async Task<BudgetHold?> TryReserveAsync(decimal amountUsd, bool critical, bool force, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var (day, month) = WindowsAt(now);
        var reservation = new BudgetReservation(
            UniqueIds.Next(), day.Key, amountUsd, now.AddMinutes(_options.ReservationTimeoutMinutes), critical || force);
        var admitted = await MutateAsync(month.Key, (reservation, Limits, now), static (state, a) =>
        {
            state.ExpireReservations(a.now);
            return state.TryReserve(a.reservation, a.Limits, a.now);
        }, cancellationToken);
        return admitted ? new BudgetHold(reservation.Id, month.Key, day.Key, amountUsd, critical) : null;
    }

    /// <summary>Replaces the hold by the real cost (0 releases it). Booked on the hold's day; safe after the hold expired.</summary>
    public async Task SettleAsync(BudgetHold hold, decimal actualCostUsd, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hold);
        var now = _time.GetUtcNow();
        await MutateAsync(hold.MonthKey, (hold, actualCostUsd, now), static (state, a) =>
        {
            state.ExpireReservations(a.now);
            state.Settle(a.hold.Id, a.hold.DayKey, a.actualCostUsd);
            return true;
        }, cancellationToken);
    }

    /// <summary>Sweeps expired reservations of the current month (also done by every write); returns how many.</summary>
    public async Task<int> SweepExpiredAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var (_, month) = WindowsAt(now);
        var swept = 0;
        await MutateAsync(month.Key, 0, (state, _) =>
        {
            swept = state.ExpireReservations(now);
            return swept > 0;
        }, cancellationToken);
        return swept;
    }

    /// <summary>
    /// The day and month windows containing <paramref name="nowUtc"/>; equal to <see cref="BudgetWindow.DayOf"/> and
    /// <see cref="BudgetWindow.MonthOf"/>, reused while the instant stays in the cached day (which lies in its month).
    /// </summary>
    internal (BudgetWindow Day, BudgetWindow Month) WindowsAt(DateTimeOffset nowUtc)
    {
        var cached = Volatile.Read(ref _windows);
        if (cached is null || !cached.Day.Contains(nowUtc))
        {
            cached = new WindowPair(BudgetWindow.DayOf(nowUtc, _zone), BudgetWindow.MonthOf(nowUtc, _zone));
            Volatile.Write(ref _windows, cached);
        }

        return (cached.Day, cached.Month);
    }

    // The change takes its inputs as an argument so that the frequent ones are static lambdas (no closure per call).
    private async Task<bool> MutateAsync<TArg>(string monthKey, TArg arg, Func<BudgetLedgerState, TArg, bool> change, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxConflictRetries; attempt++)
        {
            var current = await LoadAsync(monthKey, cancellationToken);
            var state = current?.State ?? new BudgetLedgerState(monthKey);
            var reservationsBefore = state.Reservations.Count;
            var result = change(state, arg);
            // A change that reports false may still have swept expired reservations, which is worth saving.
            if (!result && state.Reservations.Count == reservationsBefore)
            {
                if (current?.MayBeStale == true)
                    continue; // decided on a possibly old copy: decide again on a fresh read
                return false;
            }

            if (await TrySaveAsync(state, current?.Version, cancellationToken))
                return result;
            if (current?.MayBeStale == true)
                continue; // the copy was old; re-read at once (no contender to spread from)

            // Another writer won; a short spread wait (wall clock, not the business clock) so contenders do not collide in lockstep.
            await Task.Delay(TimeSpan.FromMilliseconds(1 + (attempt * 7 % 13)), cancellationToken);
        }

        _logger.LogError("Budget ledger {MonthKey}: gave up after {Retries} write conflicts", monthKey, MaxConflictRetries);
        throw new BudgetLedgerContentionException($"Budget ledger {monthKey}: gave up after {MaxConflictRetries} write conflicts.");
    }
}

internal sealed record WindowPair(BudgetWindow Day, BudgetWindow Month);

/// <summary>The budget ledger could not be written because of sustained write conflicts.</summary>
public sealed class BudgetLedgerContentionException : Exception
{
    /// <summary>Creates the exception.</summary>
    public BudgetLedgerContentionException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public BudgetLedgerContentionException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public BudgetLedgerContentionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
