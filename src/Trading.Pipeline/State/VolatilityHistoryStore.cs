using System.Globalization;
using Trading.Core.Options;

namespace Trading.Pipeline.State;

/// <summary>
/// The daily history of the 30-day at-the-money implied volatility, one row per symbol and day (the latest reading of the day
/// wins), newest first by row key so the look-back is one bounded query.
/// </summary>
public sealed class VolatilityHistoryStore
{
    private readonly PipelineTables _tables;

    public VolatilityHistoryStore(PipelineTables tables) => _tables = tables ?? throw new ArgumentNullException(nameof(tables));

    /// <summary>Records (or replaces) the value of <paramref name="day"/>'s date.</summary>
    public Task RecordAsync(string symbol, DailyImpliedVolatility day, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(day);
        return _tables.VolatilityHistory.UpsertAsync(symbol, RowKey(day.Date), new Row { Date = day.Date, AtmIv30Pct = day.AtmIv30Pct }, cancellationToken);
    }

    /// <summary>Up to <paramref name="days"/> values recorded before <paramref name="before"/>, oldest first.</summary>
    public async Task<IReadOnlyList<DailyImpliedVolatility>> BeforeAsync(string symbol, DateOnly before, int days, CancellationToken cancellationToken)
    {
        var rows = await _tables.VolatilityHistory.QueryPartitionAsync<Row>(symbol, days + 1, cancellationToken);
        return rows.Select(r => r.Value).Where(r => r.Date < before).Take(days).Reverse()
            .Select(r => new DailyImpliedVolatility(r.Date, r.AtmIv30Pct)).ToArray();
    }

    // Descending by date: the newest day sorts first.
    private static string RowKey(DateOnly date) => (99_991_231 - int.Parse(date.ToString("yyyyMMdd", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture))
        .ToString("D8", CultureInfo.InvariantCulture);

    private sealed record Row
    {
        public DateOnly Date { get; init; }

        public double AtmIv30Pct { get; init; }
    }
}
