using Microsoft.Extensions.Time.Testing;
using Trading.Lessons.Retrieval;
using Trading.Lessons.Search;

namespace Trading.Lessons.Tests;

public sealed class RetrievalTests
{
    private static LessonsSettings CorpusSettings() => new() { CorpusPath = TestCorpus.LessonsDirectory };

    [Fact]
    public async Task Without_an_embedder_results_are_lexical_and_labelled()
    {
        var settings = CorpusSettings();
        using var library = new LessonLibrary(settings, new LessonIndexBuilder(null, settings));
        var retriever = new LessonRetriever(library, null, settings);

        var results = await retriever.RetrieveAsync(
            new LessonQuery { Text = "early assignment of the short call before the ex-dividend date", Strategy = "iron_condor", Ticker = "SPY" },
            CancellationToken.None);

        Assert.Equal(LessonSearchMode.Lexical, results.Mode);
        Assert.Equal(settings.TopK, results.Hits.Count);
        Assert.Equal("L-003", results.Hits[0].LessonId);
        Assert.Null(results.Block);
        Assert.Null(results.Note);
        Assert.False(string.IsNullOrWhiteSpace(results.Hits[0].Snippet));
        Assert.True(results.Hits[0].Snippet.Length <= settings.SnippetMaxChars);
    }

    [Fact]
    public async Task Hybrid_mode_with_test_embedder_returns_one_hit_per_lesson_ranked()
    {
        var settings = CorpusSettings();
        var embedder = new HashedTrigramTestEmbedder();
        using var library = new LessonLibrary(settings, new LessonIndexBuilder(embedder, settings));
        var retriever = new LessonRetriever(library, embedder, settings);

        var results = await retriever.RetrieveAsync(
            new LessonQuery { Text = "mleg limit price sign credit debit", K = 10 }, CancellationToken.None);

        Assert.Equal(LessonSearchMode.Hybrid, results.Mode);
        Assert.Equal(10, results.Hits.Count);
        Assert.Equal(results.Hits.Count, results.Hits.Select(h => h.LessonId).Distinct().Count());
        Assert.Equal("L-023", results.Hits[0].LessonId);
        Assert.True(results.Hits.Zip(results.Hits.Skip(1)).All(p => p.First.Score >= p.Second.Score));
    }

    [Fact]
    public async Task Embedder_failure_while_indexing_falls_back_to_lexical_with_a_note()
    {
        var settings = CorpusSettings();
        var embedder = new HashedTrigramTestEmbedder { FailWith = new HttpRequestException("gateway unreachable") };
        using var library = new LessonLibrary(settings, new LessonIndexBuilder(embedder, settings));
        var retriever = new LessonRetriever(library, embedder, settings);

        var results = await retriever.RetrieveAsync(new LessonQuery { Text = "pin risk at expiration" }, CancellationToken.None);

        Assert.Equal(LessonSearchMode.Lexical, results.Mode);
        Assert.Contains("gateway unreachable", results.Note, StringComparison.Ordinal);
        Assert.Equal("L-004", results.Hits[0].LessonId);
    }

    [Fact]
    public async Task Embedder_failure_on_the_query_falls_back_to_lexical_for_that_query()
    {
        var settings = CorpusSettings();
        var embedder = new HashedTrigramTestEmbedder();
        using var library = new LessonLibrary(settings, new LessonIndexBuilder(embedder, settings));
        var retriever = new LessonRetriever(library, embedder, settings);
        await library.GetIndexAsync(CancellationToken.None);

        embedder.FailWith = new TimeoutException("slow");
        var results = await retriever.RetrieveAsync(new LessonQuery { Text = "fed rate decision FOMC" }, CancellationToken.None);

        Assert.Equal(LessonSearchMode.Lexical, results.Mode);
        Assert.Contains("TimeoutException", results.Note, StringComparison.Ordinal);
        Assert.Equal("L-009", results.Hits[0].LessonId);
    }

    [Fact]
    public async Task Sections_are_embedded_in_batches_of_the_configured_size()
    {
        var settings = new LessonsSettings { CorpusPath = TestCorpus.LessonsDirectory, EmbeddingBatchSize = 16 };
        var embedder = new HashedTrigramTestEmbedder();
        var lessons = await TestCorpus.LoadAsync();

        var build = await new LessonIndexBuilder(embedder, settings).BuildAsync(lessons, "run-1", CancellationToken.None);

        var sections = lessons.Sum(l => l.Sections.Count);
        Assert.Equal(sections, build.SectionsEmbedded);
        Assert.Equal((sections + 15) / 16, embedder.Calls);
        Assert.All(embedder.BatchSizes, size => Assert.InRange(size, 1, 16));
        Assert.True(build.Index.HasVectors);
    }

    [Fact]
    public async Task Invalid_k_is_rejected()
    {
        var settings = CorpusSettings();
        using var library = new LessonLibrary(settings, new LessonIndexBuilder(null, settings));
        var retriever = new LessonRetriever(library, null, settings);

        await Assert.ThrowsAsync<ArgumentException>(() =>
            retriever.RetrieveAsync(new LessonQuery { Text = "x", K = 0 }, CancellationToken.None));
    }

    [Fact]
    public async Task Lexical_fallback_after_an_embedding_failure_is_retried_after_the_configured_minutes()
    {
        var settings = new LessonsSettings { CorpusPath = TestCorpus.LessonsDirectory, EmbeddingRetryMinutes = 10 };
        var embedder = new HashedTrigramTestEmbedder { FailWith = new HttpRequestException("gateway down") };
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 20, 14, 0, 0, TimeSpan.Zero));
        using var library = new LessonLibrary(settings, new LessonIndexBuilder(embedder, settings), time: clock);
        var retriever = new LessonRetriever(library, embedder, settings);
        var query = new LessonQuery { Text = "pin risk at expiration" };

        Assert.Equal(LessonSearchMode.Lexical, (await retriever.RetrieveAsync(query, CancellationToken.None)).Mode);
        embedder.FailWith = null;
        clock.Advance(TimeSpan.FromMinutes(9));
        Assert.Equal(LessonSearchMode.Lexical, (await retriever.RetrieveAsync(query, CancellationToken.None)).Mode);
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(LessonSearchMode.Hybrid, (await retriever.RetrieveAsync(query, CancellationToken.None)).Mode);
    }
}
