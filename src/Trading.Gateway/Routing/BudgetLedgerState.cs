using System.Collections.Immutable;

namespace Trading.Gateway.Routing;

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
/// <remarks>
/// A clone copies only the (short) reservation list: the day totals and the remembered settlement ids are immutable
/// values that a transition replaces rather than changes, so copies share them. The ids live in two generations: the
/// newest (at most <see cref="SettledIdBatch"/>, copied on each settlement) and the older ones (merged from the newest
/// when it fills, keeping the latest <see cref="SettledIdMemory"/>). A ledger thus remembers at least the last
/// <see cref="SettledIdMemory"/> settlements, and settling costs a small copy instead of one of the whole memory.
/// </remarks>
public sealed class BudgetLedgerState
{
    private readonly List<BudgetReservation> _reservations;
    private ImmutableDictionary<string, decimal> _daySettled;
    private string[] _olderSettledIds;
    private string[] _newestSettledIds;

    /// <summary>How many recently settled reservation ids are at least remembered, so a retried settle is not booked twice.</summary>
    public const int SettledIdMemory = 256;

    /// <summary>Size of the newest generation of remembered ids (merged into the older one when full).</summary>
    public const int SettledIdBatch = 32;

    /// <summary>An empty ledger for <paramref name="monthKey"/>.</summary>
    public BudgetLedgerState(string monthKey)
        : this(monthKey, 0m, ImmutableDictionary<string, decimal>.Empty, [], [])
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
        _daySettled = ImmutableDictionary.CreateRange(StringComparer.Ordinal, daySettledUsd);
        _reservations = [.. reservations];
        // A store loads before every change, so the newest generation starts empty each time: trim here, or the stored
        // list would grow by one id per settlement without ever reaching a merge.
        string[] ids = [.. recentlySettledIds];
        _olderSettledIds = ids.Length <= SettledIdMemory ? ids : ids[^SettledIdMemory..];
        _newestSettledIds = [];
    }

    // Shares the immutable parts; the reservation list is copied with room for the one a transition adds.
    private BudgetLedgerState(BudgetLedgerState source)
    {
        MonthKey = source.MonthKey;
        MonthSettledUsd = source.MonthSettledUsd;
        _daySettled = source._daySettled;
        _reservations = new List<BudgetReservation>(source._reservations.Count + 1);
        _reservations.AddRange(source._reservations);
        _olderSettledIds = source._olderSettledIds;
        _newestSettledIds = source._newestSettledIds;
    }

    /// <summary>An independent copy, for stores that keep states in memory.</summary>
    public BudgetLedgerState Clone() => new(this);

    /// <summary>"2026-11".</summary>
    public string MonthKey { get; }

    /// <summary>Settled spend of the month.</summary>
    public decimal MonthSettledUsd { get; private set; }

    /// <summary>Settled spend per day key.</summary>
    public IReadOnlyDictionary<string, decimal> DaySettledUsd => _daySettled;

    /// <summary>Ids of the most recent settlements (oldest first), as stored.</summary>
    public IReadOnlyList<string> RecentlySettledIds => [.. _olderSettledIds, .. _newestSettledIds];

    /// <summary>Live (and not yet swept) reservations.</summary>
    public IReadOnlyList<BudgetReservation> Reservations => _reservations;

    /// <summary>Drops reservations that expired at or before <paramref name="nowUtc"/>; returns how many.</summary>
    public int ExpireReservations(DateTimeOffset nowUtc)
    {
        var kept = 0;
        for (var i = 0; i < _reservations.Count; i++)
        {
            if (_reservations[i].ExpiresUtc > nowUtc)
                _reservations[kept++] = _reservations[i];
        }

        var removed = _reservations.Count - kept;
        _reservations.RemoveRange(kept, removed);
        return removed;
    }

    /// <summary>Day spend for <paramref name="dayKey"/>, counting only reservations live at <paramref name="nowUtc"/>.</summary>
    public WindowSpend Day(string dayKey, BudgetLimits limits, DateTimeOffset nowUtc) =>
        new(_daySettled.GetValueOrDefault(dayKey), Reserved(dayKey, nowUtc), limits.DailyLimitUsd);

    /// <summary>Month spend, counting only reservations live at <paramref name="nowUtc"/>.</summary>
    public WindowSpend Month(BudgetLimits limits, DateTimeOffset nowUtc) =>
        new(MonthSettledUsd, Reserved(null, nowUtc), limits.MonthlyLimitUsd);

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
        if (IndexOfReservation(reservation.Id) >= 0)
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
        ArgumentNullException.ThrowIfNull(reservationId);
        if (actualCostUsd < 0)
            throw new ArgumentOutOfRangeException(nameof(actualCostUsd), actualCostUsd, "A settled cost must not be negative.");
        // A reservation still held has not been settled (settling removes it), so only a missing one (settled already, or
        // expired) needs the remembered ids looked through. This relies on an id never being reserved again after its
        // settlement: ids are fresh per reservation, and a reservation is written before its settlement starts.
        var held = IndexOfReservation(reservationId);
        if (held >= 0)
            _reservations.RemoveAt(held);
        else if (Array.IndexOf(_newestSettledIds, reservationId) >= 0 || Array.IndexOf(_olderSettledIds, reservationId) >= 0)
            return; // a retried write of the same settlement: already booked
        RememberSettled(reservationId);
        _daySettled = _daySettled.SetItem(dayKey, _daySettled.GetValueOrDefault(dayKey) + actualCostUsd);
        MonthSettledUsd += actualCostUsd;
    }

    /// <summary>Whether <paramref name="reservationId"/> is still held.</summary>
    public bool Holds(string reservationId) => IndexOfReservation(reservationId) >= 0;

    private decimal Reserved(string? dayKey, DateTimeOffset nowUtc)
    {
        var sum = 0m;
        foreach (var r in _reservations)
        {
            if (r.ExpiresUtc > nowUtc && (dayKey is null || r.DayKey == dayKey))
                sum += r.AmountUsd;
        }

        return sum;
    }

    private int IndexOfReservation(string id)
    {
        for (var i = 0; i < _reservations.Count; i++)
        {
            if (_reservations[i].Id == id)
                return i;
        }

        return -1;
    }

    // Replaces (never changes) the id arrays, which clones share.
    private void RememberSettled(string id)
    {
        if (_newestSettledIds.Length < SettledIdBatch)
        {
            _newestSettledIds = [.. _newestSettledIds, id];
            return;
        }

        var keep = Math.Min(_olderSettledIds.Length + _newestSettledIds.Length, SettledIdMemory);
        var older = new string[keep];
        var fromNewest = Math.Min(_newestSettledIds.Length, keep);
        Array.Copy(_olderSettledIds, _olderSettledIds.Length - (keep - fromNewest), older, 0, keep - fromNewest);
        Array.Copy(_newestSettledIds, _newestSettledIds.Length - fromNewest, older, keep - fromNewest, fromNewest);
        _olderSettledIds = older;
        _newestSettledIds = [id];
    }
}
