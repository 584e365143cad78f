using System.Text;
using BenchmarkDotNet.Attributes;
using Trading.Lessons.Corpus;
using Trading.Lessons.Search;

namespace Trading.Benchmarks.Lessons;

/// <summary>
/// Top-5 lesson query over 10,000 synthetic sections (2,500 lessons × 4 sections of 60 seeded random words: a third from a
/// trading vocabulary, the rest from 5,000 synthetic words), lexical (BM25) and hybrid (BM25 + cosine over 1536-dimension vectors, fused by reciprocal rank).
/// The query embedding is precomputed: the gateway call is not part of what is measured. Target: under 2 ms.
/// </summary>
[MemoryDiagnoser]
public class LessonSearchBenchmarks
{
    private const int Lessons = 2_500;
    private const int Dimensions = 1536;

    private static readonly string[] Vocabulary =
    [
        "iron", "condor", "spy", "delta", "strike", "short", "call", "put", "wing", "credit", "debit", "limit", "order",
        "mleg", "fill", "partial", "expiry", "expiration", "assignment", "dividend", "pin", "gamma", "vega", "theta",
        "volatility", "vix", "regime", "spike", "calm", "earnings", "fomc", "cpi", "gap", "overnight", "stop", "loss",
        "profit", "target", "budget", "model", "fallback", "gateway", "json", "council", "timer", "schedule", "holiday",
        "halt", "quote", "stale", "spread", "bid", "ask", "mid", "buying", "power", "rate", "limit", "retry", "token",
        "reasoning", "cost", "window", "restart", "cache", "table", "storage", "position", "manager", "guardian", "exit",
        "market", "open", "close", "premium", "risk", "sizing", "equity", "drawdown", "daily", "week", "month", "day",
    ];

    private LessonIndex _index = null!;
    private float[] _queryVector = null!;
    private const string Query = "short call assignment before the dividend with the iron condor near expiry";

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1536);
        var lessons = new List<Lesson>(Lessons);
        var vectors = new List<float[]>(Lessons * 4);
        for (var i = 0; i < Lessons; i++)
        {
            var id = "S-" + i.ToString("D5", System.Globalization.CultureInfo.InvariantCulture);
            var sections = Enum.GetValues<LessonSectionKind>().Select(kind => new LessonSection(id, kind, Words(random, 60))).ToList();
            lessons.Add(new Lesson
            {
                Id = id,
                Title = Words(random, 8),
                Date = new DateOnly(2026, 1, 1),
                Severity = LessonSeverity.Medium,
                Status = LessonStatus.Resolved,
                Tags = [Vocabulary[random.Next(Vocabulary.Length)]],
                Sections = sections,
            });
            for (var s = 0; s < sections.Count; s++)
                vectors.Add(RandomVector(random));
        }

        _index = new LessonIndex(lessons, vectors, "synthetic-1536");
        _queryVector = RandomVector(random);
    }

    [Benchmark(Baseline = true)]
    public int LexicalTop5() => _index.Search(Query, ReadOnlySpan<float>.Empty, 5).Matches.Count;

    [Benchmark]
    public int HybridTop5() => _index.Search(Query, _queryVector, 5).Matches.Count;

    private static string Words(Random random, int count)
    {
        var text = new StringBuilder();
        for (var w = 0; w < count; w++)
        {
            // About a third domain words, the rest from 5,000 synthetic words, so postings resemble real prose.
            if (random.Next(3) == 0)
                text.Append(Vocabulary[random.Next(Vocabulary.Length)]).Append(' ');
            else
                text.Append('w').Append(random.Next(5_000)).Append(' ');
        }

        return text.ToString();
    }

    private static float[] RandomVector(Random random)
    {
        var vector = new float[Dimensions];
        for (var d = 0; d < vector.Length; d++)
            vector[d] = (float)(random.NextDouble() * 2 - 1);
        return vector;
    }
}
