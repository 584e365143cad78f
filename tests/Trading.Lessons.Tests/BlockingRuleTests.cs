using Trading.Lessons.Corpus;
using Trading.Lessons.Retrieval;
using Trading.Lessons.Search;

namespace Trading.Lessons.Tests;

public sealed class BlockingRuleTests
{
    private static LessonRetriever FixtureRetriever(out LessonLibrary library)
    {
        var settings = new LessonsSettings { CorpusPath = Path.Combine(TestCorpus.FixturesDirectory, "blocking") };
        library = new LessonLibrary(settings, new LessonIndexBuilder(null, settings));
        return new LessonRetriever(library, null, settings);
    }

    [Fact]
    public async Task Open_critical_lesson_matching_the_strategy_blocks_with_id_and_title()
    {
        var retriever = FixtureRetriever(out var library);
        using (library)
        {
            var results = await retriever.RetrieveAsync(
                new LessonQuery { Text = "iron condor credit", Strategy = "iron_condor", Ticker = "SPY" }, CancellationToken.None);

            Assert.NotNull(results.Block);
            Assert.Equal("F-001", results.Block.LessonId);
            Assert.Equal("Iron condor orders fill at a debit on every expiry", results.Block.Title);
            Assert.Contains("F-001", results.Block.Reason, StringComparison.Ordinal);
            Assert.Contains("Iron condor orders fill at a debit on every expiry", results.Block.Reason, StringComparison.Ordinal);
            Assert.Contains("strategy", results.Block.Reason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Open_critical_lesson_matching_the_ticker_blocks_case_insensitively()
    {
        var retriever = FixtureRetriever(out var library);
        using (library)
        {
            var results = await retriever.RetrieveAsync(
                new LessonQuery { Text = "quotes", Strategy = "put_credit_spread", Ticker = "qqq" }, CancellationToken.None);

            Assert.Equal("F-004", results.Block?.LessonId);
            Assert.Contains("ticker 'QQQ'", results.Block!.Reason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Resolved_critical_and_open_high_lessons_do_not_block()
    {
        var lessons = await LessonCorpus.LoadAsync(Path.Combine(TestCorpus.FixturesDirectory, "blocking"), CancellationToken.None);
        var nonBlocking = lessons.Where(l => l.Id is "F-002" or "F-003").ToList();

        Assert.Equal(2, nonBlocking.Count);
        Assert.Null(LessonRetriever.FindBlock(nonBlocking, "iron_condor", "SPY"));
    }

    [Fact]
    public async Task Unrelated_trade_is_not_blocked_and_empty_fields_never_match()
    {
        var lessons = await LessonCorpus.LoadAsync(Path.Combine(TestCorpus.FixturesDirectory, "blocking"), CancellationToken.None);

        Assert.Null(LessonRetriever.FindBlock(lessons, "put_credit_spread", "IWM"));
        // F-001 has no ticker and F-004 no strategy: an empty trade field must not match an empty lesson field.
        Assert.Null(LessonRetriever.FindBlock(lessons, "", ""));
    }

    [Fact]
    public async Task Several_blockers_are_all_named_in_the_reason()
    {
        var lessons = await LessonCorpus.LoadAsync(Path.Combine(TestCorpus.FixturesDirectory, "blocking"), CancellationToken.None);

        var block = LessonRetriever.FindBlock(lessons, "iron_condor", "QQQ");

        Assert.NotNull(block);
        Assert.Contains("F-001", block.Reason + block.LessonId, StringComparison.Ordinal);
        Assert.Contains("F-004", block.Reason + block.LessonId, StringComparison.Ordinal);
    }
}
