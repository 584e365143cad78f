using Trading.Hosting;
using Trading.Pipeline.Journal;
using Trading.Pipeline.Orchestration;
using Trading.Pipeline.State;
using Trading.Pipeline.Tests.Support;

namespace Trading.Pipeline.Tests.EndToEnd;

public sealed class OfflineEntryRunTests
{
    private static readonly string[] AllEntryStages =
    [
        ActivityNames.MarketSnapshot, ActivityNames.AnalyzeMarket, ActivityNames.SelectStrategy, ActivityNames.RecallTradeMemory,
        ActivityNames.RetrieveLessons, ActivityNames.AssessRisk, ActivityNames.ConveneCouncil, ActivityNames.DecideExecution, ActivityNames.PlaceOrder,
    ];

    [Fact]
    public async Task Offline_approve_path_places_one_order_and_journals_every_stage_as_offline_rules()
    {
        await using var harness = await PipelineHarness.CreateAsync();
        var (start, instance) = await harness.StartAndRunAsync(RunKinds.Entry, "entry-2026-11-23T15:00Z", new RunRequest { Trigger = RunTriggers.Timer }, CancellationToken.None);

        Assert.Equal(RunStartOutcome.Started, start.Outcome);
        Assert.NotNull(instance);
        Assert.Equal(RunStatuses.Completed, instance!.Status);
        var journal = await new RunJournalStore(harness.Tables).GetAsync("entry-2026-11-23T15:00Z", CancellationToken.None);
        Assert.NotNull(journal);
        Assert.True(journal!.EndReason is RunEndReasons.Traded or RunEndReasons.OrderWorking, $"{journal.EndReason}: {journal.EndDetail}");
        Assert.Equal(AllEntryStages, journal.Stages.Select(s => s.Stage).ToArray());
        Assert.Equal("offline-rules", journal.DecisionMode);
        var decided = journal.Stages.Single(s => s.Stage == ActivityNames.DecideExecution).Summary;
        Assert.StartsWith("offline-rules: council approved", decided, StringComparison.Ordinal);
        Assert.Equal(1, System.Text.RegularExpressions.Regex.Count(decided, "offline-rules"));
        Assert.True(journal.MarketSimulated && journal.BrokerSimulated);
        Assert.Equal(0m, journal.LlmCostUsd);
        Assert.Equal("ic-entry-2026-11-23T15:00Z", journal.ClientOrderId);
        Assert.NotNull(journal.OrderId);
        Assert.Equal(1, harness.Broker.PlaceCalls);
        var positions = await new PositionBook(harness.Tables).AllAsync(CancellationToken.None);
        Assert.Single(positions);
        Assert.Equal(journal.ClientOrderId, positions[0].PositionId);
    }
}
