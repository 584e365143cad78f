using System.Globalization;
using System.Text.Json;
using Trading.Lessons.Retrieval;
using Trading.Lessons.Search;
using Xunit.Abstractions;

namespace Trading.Lessons.Tests;

/// <summary>
/// Precision@5, recall@5 and MRR over knowledge/eval/queries.json. Lexical mode is the real offline mode. "Hybrid" here
/// uses <see cref="HashedTrigramTestEmbedder"/>, a deterministic test embedder: its figures exercise the fusion code,
/// they are not the quality of real embeddings, which needs a gateway key.
/// </summary>
public sealed class RetrievalQualityTests(ITestOutputHelper output)
{
    private sealed record EvalQuery(string Query, string[] Relevant);

    private sealed record EvalSet(int K, EvalQuery[] Queries);

    private sealed record Figures(double Precision, double Recall, double Mrr, int Queries);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static async Task<EvalSet> LoadEvalSetAsync(string? path = null)
    {
        await using var stream = File.OpenRead(path ?? TestCorpus.EvalQueriesPath);
        var set = await JsonSerializer.DeserializeAsync<EvalSet>(stream, Json);
        return set ?? throw new InvalidOperationException("empty evaluation set");
    }

    private async Task<Figures> EvaluateAsync(LessonRetriever retriever, string expectedMode, EvalSet set)
    {
        double precision = 0, recall = 0, mrr = 0;
        foreach (var q in set.Queries)
        {
            var results = await retriever.RetrieveAsync(new LessonQuery { Text = q.Query, K = set.K }, CancellationToken.None);
            Assert.Equal(expectedMode, results.Mode);
            var ids = results.Hits.Select(h => h.LessonId).ToList();
            var found = ids.Count(q.Relevant.Contains);
            precision += (double)found / set.K;
            recall += (double)found / q.Relevant.Length;
            var firstRank = ids.FindIndex(q.Relevant.Contains);
            mrr += firstRank < 0 ? 0 : 1.0 / (firstRank + 1);
            if (firstRank != 0)
                output.WriteLine($"  [{expectedMode}] '{q.Query}': expected {string.Join(',', q.Relevant)}, got {string.Join(',', ids)}");
        }

        var n = set.Queries.Length;
        return new Figures(precision / n, recall / n, mrr / n, n);
    }

    private void Report(string label, Figures f) =>
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{label}: queries={f.Queries} precision@5={f.Precision:F3} recall@5={f.Recall:F3} MRR={f.Mrr:F3}"));

    [Fact]
    public async Task Evaluation_set_is_large_enough_and_names_real_lessons()
    {
        var set = await LoadEvalSetAsync();
        var ids = (await TestCorpus.LoadAsync()).Select(l => l.Id).ToHashSet();

        Assert.Equal(5, set.K);
        Assert.True(set.Queries.Length >= 30, $"only {set.Queries.Length} queries");
        Assert.All(set.Queries, q =>
        {
            Assert.NotEmpty(q.Relevant);
            Assert.All(q.Relevant, id => Assert.Contains(id, ids));
        });
    }

    [Fact]
    public async Task Lexical_mode_reaches_mrr_of_at_least_0_5()
    {
        var set = await LoadEvalSetAsync();
        var settings = new LessonsSettings { CorpusPath = TestCorpus.LessonsDirectory };
        using var library = new LessonLibrary(settings, new LessonIndexBuilder(null, settings));

        var figures = await EvaluateAsync(new LessonRetriever(library, null, settings), LessonSearchMode.Lexical, set);

        Report("lexical (BM25)", figures);
        Assert.True(figures.Mrr >= 0.5, $"lexical MRR {figures.Mrr:F3} < 0.5");
        // The reference system's CI gate at k=5 was precision >= 0.4 (unreachable here: most queries have one relevant
        // lesson, so precision@5 is at most 0.2 for them), recall >= 0.4 and MRR >= 0.3.
        Assert.True(figures.Recall >= 0.4, $"lexical recall@5 {figures.Recall:F3} < 0.4");
    }

    [Fact]
    public async Task Hybrid_mode_with_the_deterministic_test_embedder()
    {
        var set = await LoadEvalSetAsync();
        var settings = new LessonsSettings { CorpusPath = TestCorpus.LessonsDirectory };
        var embedder = new HashedTrigramTestEmbedder();
        using var library = new LessonLibrary(settings, new LessonIndexBuilder(embedder, settings));

        var figures = await EvaluateAsync(new LessonRetriever(library, embedder, settings), LessonSearchMode.Hybrid, set);

        Report("hybrid (BM25 + HashedTrigramTestEmbedder, a deterministic TEST embedder; real-embedding figures need a gateway key)", figures);
        Assert.True(figures.Mrr >= 0.5, $"hybrid MRR {figures.Mrr:F3} < 0.5");
    }

    [Fact]
    public async Task Held_out_queries_are_reported_for_both_modes()
    {
        var set = await LoadEvalSetAsync(Path.Combine(Path.GetDirectoryName(TestCorpus.EvalQueriesPath)!, "holdout.json"));
        var settings = new LessonsSettings { CorpusPath = TestCorpus.LessonsDirectory };
        var embedder = new HashedTrigramTestEmbedder();
        using var lexicalLibrary = new LessonLibrary(settings, new LessonIndexBuilder(null, settings));
        using var hybridLibrary = new LessonLibrary(settings, new LessonIndexBuilder(embedder, settings));

        var lexical = await EvaluateAsync(new LessonRetriever(lexicalLibrary, null, settings), LessonSearchMode.Lexical, set);
        var hybrid = await EvaluateAsync(new LessonRetriever(hybridLibrary, embedder, settings), LessonSearchMode.Hybrid, set);

        Report("held-out lexical (BM25)", lexical);
        Report("held-out hybrid (BM25 + HashedTrigramTestEmbedder, a TEST embedder)", hybrid);
        Assert.True(set.Queries.Length >= 20);
        Assert.True(lexical.Mrr >= 0.5, $"held-out lexical MRR {lexical.Mrr:F3} < 0.5");
    }
}
