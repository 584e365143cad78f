using Trading.Lessons.Corpus;
using Trading.Lessons.Retrieval;

namespace Trading.Lessons.Tests;

/// <summary>Checks on the committed corpus itself.</summary>
public sealed class CorpusTests
{
    [Fact]
    public async Task Committed_corpus_parses_and_has_at_least_40_complete_lessons()
    {
        var lessons = await TestCorpus.LoadAsync();

        Assert.True(lessons.Count >= 40, $"only {lessons.Count} lessons");
        Assert.All(lessons, l =>
        {
            Assert.Equal(4, l.Sections.Count);
            Assert.NotEmpty(l.Tags);
            Assert.All(l.Sections, s => Assert.True(s.Text.Length >= 30, $"{l.Id} {s.Heading} is too short"));
        });
        foreach (var severity in Enum.GetValues<LessonSeverity>())
            Assert.Contains(lessons, l => l.Severity == severity);
    }

    [Fact]
    public async Task Default_spy_iron_condor_trade_is_not_blocked_by_the_corpus()
    {
        var lessons = await TestCorpus.LoadAsync();

        Assert.Null(LessonRetriever.FindBlock(lessons, "iron_condor", "SPY"));
        Assert.DoesNotContain(lessons, l => l.IsBlocking &&
            (l.Strategy.Equals("iron_condor", StringComparison.OrdinalIgnoreCase) || l.Ticker.Equals("SPY", StringComparison.OrdinalIgnoreCase)));
    }

    [Fact]
    public async Task Corpus_has_open_critical_lessons_that_block_only_what_they_name()
    {
        var lessons = await TestCorpus.LoadAsync();

        var blocking = lessons.Where(l => l.IsBlocking).ToList();
        Assert.NotEmpty(blocking);
        var strangle = LessonRetriever.FindBlock(lessons, "short_strangle", "TSLA");
        Assert.NotNull(strangle);
        Assert.Equal("L-048", strangle.LessonId);
    }

    [Fact]
    public async Task Corpus_records_the_reference_ledger_result()
    {
        var lessons = await TestCorpus.LoadAsync();

        Assert.Contains(lessons, l => l.Sections.Any(s =>
            s.Text.Contains("174", StringComparison.Ordinal) && s.Text.Contains("0.70", StringComparison.Ordinal)));
    }
}
