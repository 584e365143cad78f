using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Trading.Lessons.Retrieval;
using Trading.Lessons.Search;

namespace Trading.Lessons.Tests;

public sealed class SettingsTests
{
    [Fact]
    public void Defaults_are_valid()
    {
        var settings = new LessonsSettings();

        Assert.Empty(settings.Validate());
        Assert.Equal("Lessons", LessonsSettings.SectionName);
        Assert.Equal("knowledge/lessons", settings.CorpusPath);
        Assert.Equal(3, settings.TopK);
    }

    [Fact]
    public void Each_bad_setting_is_named_with_its_rule()
    {
        var settings = new LessonsSettings
        {
            CorpusPath = " ",
            TopK = 0,
            EmbeddingBatchSize = 0,
            DraftLossThresholdPct = -1,
            EmbeddingCacheTableName = "bad-name",
            DraftTableName = "x",
            SnippetMaxChars = 5,
        };

        var errors = settings.Validate();

        Assert.Equal(7, errors.Count);
        Assert.Contains(errors, e => e.StartsWith("Lessons:TopK must be between 1 and 50", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Lessons:DraftLossThresholdPct", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("'bad-name'", StringComparison.Ordinal));
        var ex = Assert.Throws<InvalidOperationException>(settings.ValidateOrThrow);
        Assert.Contains("Lessons:EmbeddingBatchSize", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddTradingLessons_binds_section_keys_and_serves_a_lexical_retriever()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Lessons:CorpusPath"] = TestCorpus.LessonsDirectory,
                ["Lessons:TopK"] = "4",
                ["Lessons:DraftLossThresholdPct"] = "30.5",
            })
            .Build();
        await using var provider = new ServiceCollection().AddTradingLessons(configuration).BuildServiceProvider();

        var settings = provider.GetRequiredService<LessonsSettings>();
        Assert.Equal(4, settings.TopK);
        Assert.Equal(30.5m, settings.DraftLossThresholdPct);
        var results = await provider.GetRequiredService<LessonRetriever>()
            .RetrieveAsync(new LessonQuery { Text = "429 rate limit", Strategy = "iron_condor", Ticker = "SPY" }, CancellationToken.None);
        Assert.Equal(LessonSearchMode.Lexical, results.Mode);
        Assert.Equal(4, results.Hits.Count);
        Assert.Null(results.Block);
    }

    [Fact]
    public void AddTradingLessons_rejects_invalid_settings_at_registration()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Lessons:TopK"] = "0" })
            .Build();

        var ex = Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddTradingLessons(configuration));
        Assert.Contains("Lessons:TopK", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Default_corpus_path_resolves_to_the_copy_next_to_the_application()
    {
        var directory = new LessonsSettings().ResolveCorpusDirectory();

        Assert.True(Directory.Exists(directory), directory);
        Assert.Equal(
            Directory.GetFiles(TestCorpus.LessonsDirectory, "*.md").Select(Path.GetFileName).Order(),
            Directory.GetFiles(directory, "*.md").Select(Path.GetFileName).Order());
    }
}
