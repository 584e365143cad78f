using System.Globalization;
using Trading.Gateway.Routing;
using Trading.Gateway.Telemetry;

namespace Trading.Pipeline.Dashboard;

/// <summary>The call records of the last few budget-zone days, read once per day partition.</summary>
/// <param name="Days">Oldest first, "yyyy-MM-dd".</param>
/// <param name="Records">Every record of those days.</param>
public sealed record CallWindow(IReadOnlyList<string> Days, IReadOnlyList<GatewayCallRecord> Records)
{
    /// <summary>Largest window a panel reads (one partition query per day).</summary>
    public const int MaxDays = 92;

    /// <summary>Reads the <paramref name="days"/> days ending with today in <paramref name="zone"/>.</summary>
    public static async Task<CallWindow> ReadAsync(
        CallRecordStore store, TimeZoneInfo zone, DateTimeOffset now, int days, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentOutOfRangeException.ThrowIfLessThan(days, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(days, MaxDays);
        var today = DateOnly.ParseExact(BudgetWindow.DayOf(now, zone).Key, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        var keys = Enumerable.Range(0, days).Select(i => today.AddDays(i - days + 1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).ToArray();
        var reads = await Task.WhenAll(keys.Select(k => store.ReadDayAsync(k, cancellationToken)));
        return new CallWindow(keys, [.. reads.SelectMany(r => r)]);
    }

    /// <summary>The model a record counts under: the one that answered, else the one asked for.</summary>
    public static string ModelOf(GatewayCallRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return record.ServedModel ?? record.RequestedModel;
    }

    /// <summary>True when the call did not succeed.</summary>
    public static bool Failed(GatewayCallRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return record.Outcome != "succeeded";
    }

    /// <summary>True when another model than the one asked for answered, or attempts moved across models.</summary>
    public static bool FellBack(GatewayCallRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return (record.ServedModel is not null && record.ServedModel != record.RequestedModel)
            || record.Attempts.Select(a => a.Model).Distinct(StringComparer.Ordinal).Skip(1).Any();
    }

    /// <summary>True for a CRITICAL call (the final go/no-go: never downgraded).</summary>
    public static bool IsCritical(GatewayCallRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return string.Equals(record.Complexity, "CRITICAL", StringComparison.OrdinalIgnoreCase);
    }
}
