namespace Trading.Core.Routing;

/// <summary>Daily and monthly caps in US dollars.</summary>
/// <param name="DailyLimitUsd">Cap per calendar day.</param>
/// <param name="MonthlyLimitUsd">Cap per calendar month.</param>
public readonly record struct BudgetLimits(decimal DailyLimitUsd, decimal MonthlyLimitUsd);

/// <summary>An admitted, not yet settled, estimated cost.</summary>
/// <param name="Id">Unique id (settle and release name it).</param>
/// <param name="DayKey">Day window the reservation counts against.</param>
/// <param name="AmountUsd">Reserved (estimated) amount.</param>
/// <param name="ExpiresUtc">After this instant the reservation no longer counts (its caller crashed or hung).</param>
/// <param name="Critical">CRITICAL reservations are recorded but were never subject to the cap.</param>
public sealed record BudgetReservation(string Id, string DayKey, decimal AmountUsd, DateTimeOffset ExpiresUtc, bool Critical);

/// <summary>Spend in one window: settled plus live reservations.</summary>
/// <param name="SettledUsd">Real cost of completed calls.</param>
/// <param name="ReservedUsd">Estimated cost of admitted calls not yet settled.</param>
/// <param name="LimitUsd">The cap.</param>
public readonly record struct WindowSpend(decimal SettledUsd, decimal ReservedUsd, decimal LimitUsd)
{
    /// <summary>What may still be reserved (never negative).</summary>
    public decimal RemainingUsd => Math.Max(0m, LimitUsd - SettledUsd - ReservedUsd);
}

/// <summary>
/// The budget ledger of one calendar month (one stored document): settled spend per day and for the month, and live
/// reservations. Pure state transitions; the storage layer persists it with ETag-conditional writes, so every transition
/// here is applied to the freshest copy or retried.
/// </summary>
public sealed class BudgetLedgerState
{
    private readonly Dictionary<string, decimal> _daySettled;
    private readonly List<BudgetReservation> _reservations;
    private readonly List<string> _settledIds;

    /// <summary>How many recently settled reservation ids are remembered, so a retried settle is not booked twice.</summary>
    public const int SettledIdMemory = 256;

    /// <summary>An empty ledger for <paramref name="monthKey"/>.</summary>
    public BudgetLedgerState(string monthKey)
        : this(monthKey, 0m, new Dictionary<string, decimal>(StringComparer.Ordinal), [], [])
    {
    }

    /// <summary>A ledger restored from storage.</summary>
    public BudgetLedgerState(
        string monthKey,
        decimal monthSettledUsd,
        IDictionary<string, decimal> daySettledUsd,
        IEnumerable<BudgetReservation> reservations,
        IEnumerable<string> recentlySettledIds)
    {
        ArgumentNullException.ThrowIfNull(recentlySettledIds);
        ArgumentException.ThrowIfNullOrWhiteSpace(monthKey);
        ArgumentNullException.ThrowIfNull(daySettledUsd);
        ArgumentNullException.ThrowIfNull(reservations);
        MonthKey = monthKey;
        MonthSettledUsd = monthSettledUsd;
        _daySettled = new Dictionary<string, decimal>(daySettledUsd, StringComparer.Ordinal);
        _reservations = [.. reservations];
        _settledIds = [.. recentlySettledIds];
    }

    /// <summary>An independent copy (each collection copied once), for stores that keep states in memory.</summary>
    public BudgetLedgerState Clone() => new(this);

    // Copies sized once, with room for the one reservation or settlement a transition adds (a full list would double).
    private BudgetLedgerState(BudgetLedgerState source)
    {
        MonthKey = source.MonthKey;
        MonthSettledUsd = source.MonthSettledUsd;
        _daySettled = new Dictionary<string, decimal>(source._daySettled, StringComparer.Ordinal);
        _reservations = new List<BudgetReservation>(source._reservations.Count + 1);
        _reservations.AddRange(source._reservations);
        _settledIds = new List<string>(source._settledIds.Count + 1);
        _settledIds.AddRange(source._settledIds);
    }

    /// <summary>"2026-11".</summary>
    public string MonthKey { get; }

    /// <summary>Settled spend of the month.</summary>
    public decimal MonthSettledUsd { get; private set; }

    /// <summary>Settled spend per day key.</summary>
    public IReadOnlyDictionary<string, decimal> DaySettledUsd => _daySettled;

    /// <summary>Ids of the most recent settlements (oldest first).</summary>
    public IReadOnlyList<string> RecentlySettledIds => _settledIds;

    /// <summary>Live (and not yet swept) reservations.</summary>
    public IReadOnlyList<BudgetReservation> Reservations => _reservations;

    /// <summary>Drops reservations that expired at or before <paramref name="nowUtc"/>; returns how many.</summary>
    public int ExpireReservations(DateTimeOffset nowUtc) => _reservations.RemoveAll(r => r.ExpiresUtc <= nowUtc);

    /// <summary>Day spend for <paramref name="dayKey"/>, counting only reservations live at <paramref name="nowUtc"/>.</summary>
    public WindowSpend Day(string dayKey, BudgetLimits limits, DateTimeOffset nowUtc) => new(
        _daySettled.GetValueOrDefault(dayKey),
        _reservations.Where(r => r.DayKey == dayKey && r.ExpiresUtc > nowUtc).Sum(r => r.AmountUsd),
        limits.DailyLimitUsd);

    /// <summary>Month spend, counting only reservations live at <paramref name="nowUtc"/>.</summary>
    public WindowSpend Month(BudgetLimits limits, DateTimeOffset nowUtc) => new(
        MonthSettledUsd,
        _reservations.Where(r => r.ExpiresUtc > nowUtc).Sum(r => r.AmountUsd),
        limits.MonthlyLimitUsd);

    /// <summary>What a non-critical call may still reserve today: the smaller of the day and month remainders.</summary>
    public decimal HeadroomUsd(string dayKey, BudgetLimits limits, DateTimeOffset nowUtc) =>
        Math.Min(Day(dayKey, limits, nowUtc).RemainingUsd, Month(limits, nowUtc).RemainingUsd);

    /// <summary>
    /// Admits <paramref name="reservation"/> when it fits both windows (or is critical, which is recorded but never refused).
    /// Returns false, changing nothing, when it does not fit.
    /// </summary>
    public bool TryReserve(BudgetReservation reservation, BudgetLimits limits, DateTimeOffset nowUtc)
    {
        ArgumentNullException.ThrowIfNull(reservation);
        if (reservation.AmountUsd < 0)
            throw new ArgumentOutOfRangeException(nameof(reservation), reservation.AmountUsd, "A reservation amount must not be negative.");
        if (_reservations.Exists(r => r.Id == reservation.Id))
            return true; // a retried write of the same reservation: already admitted
        if (!reservation.Critical && reservation.AmountUsd > HeadroomUsd(reservation.DayKey, limits, nowUtc))
            return false;
        _reservations.Add(reservation);
        return true;
    }

    /// <summary>
    /// Replaces reservation <paramref name="reservationId"/> (if still present) by the real cost, booked on
    /// <paramref name="dayKey"/>. A reservation that already expired is simply gone; the real cost is still booked, once.
    /// </summary>
    public void Settle(string reservationId, string dayKey, decimal actualCostUsd)
    {
        if (actualCostUsd < 0)
            throw new ArgumentOutOfRangeException(nameof(actualCostUsd), actualCostUsd, "A settled cost must not be negative.");
        if (_settledIds.Contains(reservationId))
            return; // a retried write of the same settlement: already booked
        _reservations.RemoveAll(r => r.Id == reservationId);
        _settledIds.Add(reservationId);
        if (_settledIds.Count > SettledIdMemory)
            _settledIds.RemoveRange(0, _settledIds.Count - SettledIdMemory);
        _daySettled[dayKey] = _daySettled.GetValueOrDefault(dayKey) + actualCostUsd;
        MonthSettledUsd += actualCostUsd;
    }

    /// <summary>Whether <paramref name="reservationId"/> is still held.</summary>
    public bool Holds(string reservationId) => _reservations.Exists(r => r.Id == reservationId);
}
