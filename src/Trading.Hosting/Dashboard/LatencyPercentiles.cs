namespace Trading.Hosting.Dashboard;

/// <summary>Nearest-rank percentiles of call latencies (what p50/p95 mean on the dashboard), in whole milliseconds.</summary>
public static class LatencyPercentiles
{
    /// <summary>The smallest latency with at least <paramref name="percent"/>% of the values at or below it; null for no values.</summary>
    public static double? Of(IEnumerable<double> latenciesMs, double percent)
    {
        ArgumentNullException.ThrowIfNull(latenciesMs);
        var sorted = latenciesMs.Order().ToArray();
        if (sorted.Length == 0)
            return null;
        var rank = (int)Math.Ceiling(percent / 100 * sorted.Length);
        return Math.Round(sorted[Math.Clamp(rank, 1, sorted.Length) - 1], MidpointRounding.AwayFromZero);
    }
}
