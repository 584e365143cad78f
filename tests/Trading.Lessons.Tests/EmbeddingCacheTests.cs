using Azure.Data.Tables;
using Trading.Lessons.Corpus;
using Trading.Lessons.Search;
using Trading.TestKit.Storage;

namespace Trading.Lessons.Tests;

/// <summary>The embedding cache against Azurite (started by scripts/test.sh).</summary>
public sealed class EmbeddingCacheTests : IAsyncLifetime
{
    private readonly TableServiceClient _service = TestStorage.CreateServiceClient();
    private TableClient _table = null!;

    public Task InitializeAsync()
    {
        _table = _service.GetTableClient(TestStorage.UniqueTableName("lessonemb"));
        return Task.CompletedTask;
    }

    public Task DisposeAsync() => _service.DeleteTableAsync(_table.Name);

    [Fact]
    public async Task Rebuild_embeds_only_changed_sections()
    {
        var lessons = await TestCorpus.LoadAsync();
        var sections = lessons.Sum(l => l.Sections.Count);
        var settings = new LessonsSettings { EmbeddingBatchSize = 50 };
        var cache = new EmbeddingCache(_table);

        var first = new HashedTrigramTestEmbedder();
        var build1 = await new LessonIndexBuilder(first, settings, cache).BuildAsync(lessons, "run-1", CancellationToken.None);
        Assert.Equal(sections, build1.SectionsEmbedded);
        Assert.Equal(0, build1.SectionsFromCache);

        // Same corpus again: everything comes from the cache, no embedding call at all.
        var second = new HashedTrigramTestEmbedder();
        var build2 = await new LessonIndexBuilder(second, settings, cache).BuildAsync(lessons, "run-2", CancellationToken.None);
        Assert.Equal(0, second.Calls);
        Assert.Equal(sections, build2.SectionsFromCache);
        Assert.True(build2.Index.HasVectors);

        // Edit one section of one lesson: exactly that section is re-embedded.
        var edited = lessons.Select((l, i) => i != 3 ? l : l with
        {
            Sections = l.Sections.Select(s => s.Kind != LessonSectionKind.Fix ? s : s with { Text = s.Text + " Edited." }).ToList(),
        }).ToList();
        var third = new HashedTrigramTestEmbedder();
        var build3 = await new LessonIndexBuilder(third, settings, cache).BuildAsync(edited, "run-3", CancellationToken.None);
        Assert.Equal(1, third.TextsEmbedded);
        Assert.Equal(1, build3.SectionsEmbedded);
        Assert.Equal(sections - 1, build3.SectionsFromCache);
    }

    [Fact]
    public async Task Cached_vectors_round_trip_exactly_and_are_keyed_by_model()
    {
        var cache = new EmbeddingCache(_table);
        var random = new Random(42);
        var vector = Enumerable.Range(0, 1536).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();

        await cache.PutManyAsync("deepinfra/some-model", ["alpha", "alpha"], [vector, vector], CancellationToken.None);

        var sameModel = await cache.GetManyAsync("deepinfra/some-model", ["alpha", "beta"], CancellationToken.None);
        Assert.Equal(vector, sameModel[0]);
        Assert.Null(sameModel[1]);
        var otherModel = await cache.GetManyAsync("text-embedding-3-small", ["alpha"], CancellationToken.None);
        Assert.Null(otherModel[0]);
    }

    [Fact]
    public void Content_hash_is_stable_and_content_sensitive()
    {
        Assert.Equal(EmbeddingCache.ContentHash("pin risk"), EmbeddingCache.ContentHash("pin risk"));
        Assert.NotEqual(EmbeddingCache.ContentHash("pin risk"), EmbeddingCache.ContentHash("pin risk."));
        Assert.Equal(64, EmbeddingCache.ContentHash("x").Length);
    }
}
