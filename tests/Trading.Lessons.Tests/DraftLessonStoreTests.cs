using Azure.Data.Tables;
using Microsoft.Extensions.Time.Testing;
using Trading.Lessons.Corpus;
using Trading.Lessons.Drafts;
using Trading.TestKit.Storage;

namespace Trading.Lessons.Tests;

/// <summary>What every <see cref="DraftLessonStore"/> promises, against Table Storage (Azurite, started by scripts/test.sh) and in memory.</summary>
public abstract class DraftLessonStoreContractTests
{
    private protected FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 20, 21, 0, 0, TimeSpan.Zero));

    /// <summary>A store over the same storage each time it is called within one test.</summary>
    private protected abstract DraftLessonStore Store(decimal thresholdPct = 25m);

    private static ClosedTradeOutcome Trade(string id, decimal pnl, decimal maxRisk = 850m, int day = 18) => new()
    {
        TradeId = id,
        RunId = "run-2026-11-" + day.ToString(System.Globalization.CultureInfo.InvariantCulture),
        Strategy = "iron_condor",
        Ticker = "SPY",
        RealizedPnlDollars = pnl,
        MaxRiskDollars = maxRisk,
        ClosedAt = new DateTimeOffset(2026, 11, day, 15, 30, 0, TimeSpan.Zero),
        ExitReason = "stop_loss",
        Notes = "VIX 24.",
    };

    [Fact]
    public async Task Loss_beyond_threshold_writes_a_draft_linked_to_the_run_journal()
    {
        var draft = await Store().RecordIfLossAsync(Trade("ord-1", -300.50m), CancellationToken.None);

        Assert.NotNull(draft);
        Assert.Equal(35.35m, draft.LossPctOfMaxRisk);
        Assert.Equal("/api/runs/run-2026-11-18", draft.JournalLink);
        Assert.Equal(LessonSeverity.Medium, draft.SuggestedSeverity);
        Assert.Equal(Clock.GetUtcNow(), draft.CreatedAt);

        var listed = Assert.Single(await Store().ListDraftsAsync(CancellationToken.None));
        Assert.Equal(draft, listed);
    }

    [Fact]
    public async Task Small_losses_and_wins_write_nothing()
    {
        var store = Store();

        Assert.Null(await store.RecordIfLossAsync(Trade("ord-win", 120m), CancellationToken.None));
        Assert.Null(await store.RecordIfLossAsync(Trade("ord-small", -212m), CancellationToken.None)); // 24.9% < 25%
        Assert.Empty(await store.ListDraftsAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Same_trade_twice_is_one_draft_and_list_is_newest_first()
    {
        var store = Store(thresholdPct: 10m);
        await store.RecordIfLossAsync(Trade("ord-a", -200m, day: 10), CancellationToken.None);
        await store.RecordIfLossAsync(Trade("ord-b", -600m, day: 12), CancellationToken.None);
        await store.RecordIfLossAsync(Trade("ord-a", -200m, day: 10), CancellationToken.None);

        var drafts = await store.ListDraftsAsync(CancellationToken.None);

        Assert.Equal(["DRAFT-ord-b", "DRAFT-ord-a"], drafts.Select(d => d.DraftId));
        Assert.Equal(LessonSeverity.High, drafts[0].SuggestedSeverity);
    }

    [Fact]
    public async Task A_proposed_lesson_is_stored_as_a_draft_that_parses_as_an_open_lesson()
    {
        var proposal = new LessonProposal
        {
            Title = "Wide spreads at the open eat the credit",
            Severity = LessonSeverity.High,
            WhatHappened = "Fills far from the mid in the first half hour.",
            Fix = "Enter after 10:00.",
            Strategy = "iron_condor",
            Ticker = "SPY",
            RunId = "manual-20261120T210000Z",
            Source = "mcp:researcher",
        };

        var draft = await Store().SubmitAsync(proposal, CancellationToken.None);

        var listed = Assert.Single(await Store().ListDraftsAsync(CancellationToken.None));
        Assert.Equal(draft, listed);
        Assert.Equal("mcp:researcher", listed.Source);
        Assert.Equal("/api/runs/manual-20261120T210000Z", listed.JournalLink);
        var lesson = LessonParser.Parse(listed.ToMarkdown(), "draft.md");
        Assert.Equal(draft.DraftId, lesson.Id);
        Assert.Equal(LessonStatus.Open, lesson.Status);
        Assert.Equal(LessonSeverity.High, lesson.Severity);
        Assert.Equal("Enter after 10:00.", lesson.Sections.Single(x => x.Kind == LessonSectionKind.Fix).Text);
        Assert.Contains("proposed", listed.ToMarkdown(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_proposed_lesson_cannot_be_critical()
    {
        var proposal = new LessonProposal { Title = "t", Severity = LessonSeverity.Critical, WhatHappened = "w", Source = "mcp:researcher" };

        await Assert.ThrowsAsync<ArgumentException>(() => Store().SubmitAsync(proposal, CancellationToken.None));
        Assert.Empty(await Store().ListDraftsAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Draft_markdown_is_a_valid_open_corpus_lesson()
    {
        var draft = await Store().RecordIfLossAsync(Trade("ord/odd#id", -500m), CancellationToken.None);

        var lesson = LessonParser.Parse(draft!.ToMarkdown(), "draft.md");

        Assert.Equal("DRAFT-ord_odd_id", lesson.Id);
        Assert.Equal(LessonStatus.Open, lesson.Status);
        Assert.NotEqual(LessonSeverity.Critical, lesson.Severity);
        Assert.Contains("/api/runs/run-2026-11-18", lesson.Sections[0].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Non_positive_max_risk_is_rejected()
    {
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => Store().RecordIfLossAsync(Trade("ord-z", -5m, maxRisk: 0m), CancellationToken.None));
        Assert.Contains("MaxRiskDollars", ex.Message, StringComparison.Ordinal);
    }
}

public sealed class AzuriteDraftLessonStoreTests : DraftLessonStoreContractTests, IAsyncLifetime
{
    private readonly TableServiceClient _service = TestStorage.CreateServiceClient();
    private readonly string _tableName = TestStorage.UniqueTableName("lessondraft");

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _service.DeleteTableAsync(_tableName);

    private protected override DraftLessonStore Store(decimal thresholdPct = 25m) =>
        new TableDraftLessonStore(_service.GetTableClient(_tableName), new LessonsSettings { DraftLossThresholdPct = thresholdPct }, Clock);
}

public sealed class InMemoryDraftLessonStoreTests : DraftLessonStoreContractTests
{
    private InMemoryDraftLessonStore? _store;

    private protected override DraftLessonStore Store(decimal thresholdPct = 25m) =>
        _store ??= new InMemoryDraftLessonStore(new LessonsSettings { DraftLossThresholdPct = thresholdPct }, Clock);
}
