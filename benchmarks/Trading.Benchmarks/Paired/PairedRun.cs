using System.Diagnostics;
using System.Globalization;
using Trading.Benchmarks.Gateway;
using Trading.Benchmarks.Storage;

namespace Trading.Benchmarks.Paired;

/// <summary>
/// Interleaved A/B timing of a baseline and our call against the same server in one process: call i of each side runs
/// back to back, so the drift BenchmarkDotNet's one-process-per-benchmark runs see (a fresh loopback server or Azurite
/// warming up for many seconds, a shared two-core machine) hits both sides alike. Reports median and mean per round and
/// over the rounds after the first (warm-up).
/// Run: dotnet run -c Release --project benchmarks/Trading.Benchmarks -- paired gateway|table-read|table-upsert [rounds] [calls]
/// </summary>
internal static class PairedRun
{
    public static async Task<int> RunAsync(string[] args)
    {
        var which = args.Length > 1 ? args[1] : string.Empty;
        var rounds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 6;
        var calls = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 5000;
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

            case "table-read" or "table-upsert":
            {
                var bench = new TableRoundTripBenchmarks();
                await bench.SetupAsync();
                try
                {
                    if (which == "table-read")
                        await CompareAsync("table point read", "bare HttpClient", bench.PointRead_BareHttpClient, "our client", bench.PointRead_OurClient, rounds, calls);
                    else
                        await CompareAsync("table upsert", "bare HttpClient", bench.Upsert_BareHttpClient, "our client", bench.Upsert_OurClient, rounds, calls);
                }
                finally
                {
                    await bench.CleanupAsync();
                }

                return 0;
            }

            default:
                await Console.Error.WriteLineAsync("usage: paired gateway|table-read|table-upsert [rounds=6] [calls=5000]");
                return 2;
        }
    }

    private static async Task CompareAsync(string title, string baseName, Func<Task> baseline, string oursName, Func<Task> ours, int rounds, int calls)
    {
        Console.WriteLine($"{title}: {rounds} rounds x {calls} interleaved pairs ({baseName} first, then {oursName}); times in µs");
        var b = new double[calls];
        var o = new double[calls];
        var warmB = new List<double>();
        var warmO = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            for (var i = 0; i < calls; i++)
            {
                var t0 = Stopwatch.GetTimestamp();
                await baseline();
                var t1 = Stopwatch.GetTimestamp();
                await ours();
                var t2 = Stopwatch.GetTimestamp();
                b[i] = Stopwatch.GetElapsedTime(t0, t1).TotalMicroseconds;
                o[i] = Stopwatch.GetElapsedTime(t1, t2).TotalMicroseconds;
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
        return sorted[sorted.Length / 2];
    }
}
