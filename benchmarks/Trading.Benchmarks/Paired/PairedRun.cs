using System.Diagnostics;
using System.Globalization;
using Trading.Benchmarks.Gateway;

namespace Trading.Benchmarks.Paired;

/// <summary>
/// Interleaved A/B timing of a baseline and our call against the same server in one process: call i of each side runs
/// back to back (each side first in every other pair), so the drift BenchmarkDotNet's one-process-per-benchmark runs see (a fresh loopback server or Azurite
/// warming up for many seconds, a shared two-core machine) hits both sides alike. Reports median and mean per round and
/// over the rounds after the first (warm-up).
/// Run: dotnet run -c Release --project benchmarks/Trading.Benchmarks -- paired gateway|resilience [rounds] [calls]
/// </summary>
internal static class PairedRun
{
    public static async Task<int> RunAsync(string[] args)
    {
        var which = args.Length > 1 ? args[1] : string.Empty;
        var rounds = args.Length > 2 && int.TryParse(args[2], CultureInfo.InvariantCulture, out var r) ? r : 6;
        var calls = args.Length > 3 && int.TryParse(args[3], CultureInfo.InvariantCulture, out var c) ? c : 5000;
        if (rounds < 2 || calls < 1)
        {
            await Console.Error.WriteLineAsync("rounds must be at least 2 (the first is warm-up) and calls at least 1");
            return 2;
        }

        switch (which)
        {
            case "gateway":
            {
                var bench = new GatewayCallBenchmarks();
                bench.Setup();
                try
                {
                    await CompareAsync("gateway call", "bare SDK", bench.BareSdk, "gateway", bench.ThroughGateway, rounds, calls);
                }
                finally
                {
                    bench.Cleanup();
                }

                return 0;
            }

            case "resilience":
            {
                // What the per-model Polly pipeline alone adds to the bare call (part of what "gateway" measures).
                var bench = new GatewayCallBenchmarks();
                bench.Setup();
                try
                {
                    await CompareAsync("resilience pipeline", "bare SDK", bench.BareSdk, "with resilience", bench.BareSdkWithResilience, rounds, calls);
                }
                finally
                {
                    bench.Cleanup();
                }

                return 0;
            }

            default:
                await Console.Error.WriteLineAsync("usage: paired gateway|resilience [rounds=6] [calls=5000]");
                return 2;
        }
    }

    private static async Task CompareAsync(string title, string baseName, Func<Task> baseline, string oursName, Func<Task> ours, int rounds, int calls)
    {
        Console.WriteLine($"{title}: {rounds} rounds x {calls} interleaved pairs of {baseName} and {oursName} (each first in every other pair); times in µs");
        var b = new double[calls];
        var o = new double[calls];
        var warmB = new List<double>();
        var warmO = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            for (var i = 0; i < calls; i++)
            {
                // Alternating which side goes first keeps whatever one call leaves behind (server work, a GC) from
                // always landing on the same side.
                if (i % 2 == 0)
                {
                    b[i] = await TimeAsync(baseline);
                    o[i] = await TimeAsync(ours);
                }
                else
                {
                    o[i] = await TimeAsync(ours);
                    b[i] = await TimeAsync(baseline);
                }
            }

            if (round > 0)
            {
                warmB.AddRange(b);
                warmO.AddRange(o);
            }

            Console.WriteLine(Line($"round {round}{(round == 0 ? " (warm-up)" : string.Empty)}", b, o));
        }

        if (warmB.Count > 0)
            Console.WriteLine(Line("after warm-up", [.. warmB], [.. warmO]));
    }

    private static async Task<double> TimeAsync(Func<Task> call)
    {
        var start = Stopwatch.GetTimestamp();
        await call();
        return Stopwatch.GetElapsedTime(start).TotalMicroseconds;
    }

    private static string Line(string label, double[] baseline, double[] ours)
    {
        var mb = Median(baseline);
        var mo = Median(ours);
        var ab = baseline.Average();
        var ao = ours.Average();
        return string.Create(CultureInfo.InvariantCulture,
            $"{label,-20} median {mb,8:F1} vs {mo,8:F1} ratio {mo / mb:F3} | mean {ab,8:F1} vs {ao,8:F1} ratio {ao / ab:F3}");
    }

    private static double Median(double[] values)
    {
        var sorted = (double[])values.Clone();
        Array.Sort(sorted);
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
