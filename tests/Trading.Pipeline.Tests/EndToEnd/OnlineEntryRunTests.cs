using Trading.Hosting;
using Trading.Pipeline.Journal;
using Trading.Pipeline.Orchestration;
using Trading.Pipeline.State;
using Trading.Pipeline.Tests.Support;
using Trading.TestKit.OpenAi;

namespace Trading.Pipeline.Tests.EndToEnd;

/// <summary>Entry runs through the real gateway (OpenAI SDK) against the loopback server, on Azurite and the simulated market.</summary>
public sealed class OnlineEntryRunTests
{
    private const string Slot = "entry-2026-11-23T15:00Z";

    private static async Task<RunJournal> RunAsync(PipelineHarness harness, string id = Slot, bool dryRun = false)
    {
        var (_, instance) = await harness.StartAndRunAsync(RunKinds.Entry, id, new RunRequest { Trigger = RunTriggers.Timer, DryRun = dryRun }, CancellationToken.None);
        Assert.Equal(RunStatuses.Completed, instance!.Status);
        return instance.Output!;
    }

    [Fact]
    public async Task Approve_path_places_exactly_one_order_and_journals_every_stage_with_models_and_cost()
    {
        await using var harness = await PipelineHarness.CreateAsync(online: true);

        var journal = await RunAsync(harness);

        Assert.True(journal.EndReason is RunEndReasons.Traded or RunEndReasons.OrderWorking, $"{journal.EndReason}: {journal.EndDetail}");
        Assert.Equal(1, harness.Broker.PlaceCalls);
        Assert.Equal("models", journal.DecisionMode);
        Assert.Equal(10, journal.Stages.Count + 1); // every stage but RecordRun has a verdict
        Assert.Contains("claude-opus", journal.ModelsUsed);
        Assert.True(journal.LlmCostUsd > 0m);
        Assert.Single(harness.Gateway!.RequestsFor(PipelineHarness.OpusId));
        Assert.Single(harness.Gateway.RequestsFor(PipelineHarness.R1Id));
        var stored = await new RunJournalStore(harness.Tables).GetAsync(Slot, CancellationToken.None);
        Assert.Equal(journal.OrderId, stored!.OrderId);
        Assert.Equal(journal.EndReason, stored.EndReason);
    }

    [Fact]
    public async Task One_council_member_answering_malformed_json_abstains_and_the_run_continues_on_the_others()
    {
        await using var harness = await PipelineHarness.CreateAsync(online: true);
        harness.Gateway!.DefaultReply = request =>
            request.Body.Contains("pre-trade researcher", StringComparison.Ordinal)
                ? ScriptedReply.Json("Sure! I think {\"approve\": yes, confidence: high} is my answer.")
                : PipelineHarness.ApprovingReply(request);

        var journal = await RunAsync(harness);

        var council = journal.Stages.Single(s => s.Stage == ActivityNames.ConveneCouncil);
        Assert.Equal("approve", council.Verdict);
        Assert.Contains("2 approve, 0 reject, 1 abstain", council.Summary, StringComparison.Ordinal);
        Assert.True(journal.EndReason is RunEndReasons.Traded or RunEndReasons.OrderWorking, journal.EndDetail);
    }

    private static readonly string[] SeatPrompts = ["pre-trade researcher", "options strategist", "risk reviewer"];

    /// <summary>How many vote requests each seat's prompt made at the gateway, in seat order.</summary>
    private static int[] VoteRequestsPerSeat(OpenAiLoopbackServer gateway) =>
        [.. SeatPrompts.Select(p => gateway.Requests.Count(r => ApprovingModels.SchemaName(r) == ApprovingModels.VoteSchema && r.Body.Contains(p, StringComparison.Ordinal)))];

    [Fact]
    public async Task Each_seat_votes_in_its_own_activity_and_the_journal_carries_each_votes_model_latency_and_cost()
    {
        await using var harness = await PipelineHarness.CreateAsync(online: true);
        harness.Gateway!.DefaultReply = request =>
            request.Body.Contains("options strategist", StringComparison.Ordinal) && ApprovingModels.SchemaName(request) == ApprovingModels.VoteSchema
                ? ApprovingModels.Reply(request) with { Delay = TimeSpan.FromMilliseconds(300) }
                : ApprovingModels.Reply(request);

        var journal = await RunAsync(harness);

        var log = await harness.Launcher.GetActivityLogAsync(Slot, CancellationToken.None);
        Assert.Equal(3, log.Count(a => a.Name == ActivityNames.CastVote));
        Assert.Single(log, a => a.Name == ActivityNames.SeatCouncil);
        Assert.Equal([1, 1, 1], VoteRequestsPerSeat(harness.Gateway));
        Assert.Equal(3, journal.CouncilVotes.Count);
        Assert.Equal(3, journal.CouncilVotes.Select(v => v.DecidedBy).Distinct().Count()); // three seats, three models
        Assert.All(journal.CouncilVotes, v =>
        {
            Assert.True(v.Valid, v.AbstainReason);
            Assert.True(v.CostUsd > 0m, $"{v.Member}: no cost");
        });
        Assert.True(journal.CouncilVotes.Single(v => v.Member == "options_analysis").LatencyMs >= 300);
        Assert.True(journal.LlmCostUsd > journal.CouncilVotes.Sum(v => v.CostUsd)); // the votes, plus the analysis and the final decision
    }

    [Fact]
    public async Task A_seat_whose_activity_fails_is_retried_alone_and_the_other_seats_are_not_asked_again()
    {
        await using var harness = await PipelineHarness.CreateAsync(online: true);
        var failures = 0;
        harness.AfterActivity = name =>
            name == ActivityNames.CastVote && Interlocked.Increment(ref failures) == 1
                ? throw new IOException("worker lost this seat's vote before the engine recorded it")
                : Task.CompletedTask;

        var journal = await RunAsync(harness);

        Assert.True(journal.EndReason is RunEndReasons.Traded or RunEndReasons.OrderWorking, journal.EndDetail);
        var perSeat = VoteRequestsPerSeat(harness.Gateway!);
        Assert.Equal(4, perSeat.Sum()); // three seats, one of them asked a second time
        Assert.Single(perSeat, 2);
        Assert.All(journal.CouncilVotes, v => Assert.True(v.Valid, v.AbstainReason));
        Assert.Equal(3, (await harness.Launcher.GetActivityLogAsync(Slot, CancellationToken.None)).Count(a => a.Name == ActivityNames.CastVote));
    }

    [Fact]
    public async Task A_seat_that_keeps_failing_abstains_and_the_run_goes_on_with_the_other_votes()
    {
        await using var harness = await PipelineHarness.CreateAsync(online: true);
        var recorded = 0;
        harness.AfterActivity = name =>
        {
            // The first two seats to finish are recorded; every attempt of the third fails.
            if (name == ActivityNames.CastVote && Interlocked.Increment(ref recorded) > 2)
            {
                throw new IOException("this seat's host keeps failing");
            }

            return Task.CompletedTask;
        };

        var journal = await RunAsync(harness);

        Assert.True(journal.EndReason is RunEndReasons.Traded or RunEndReasons.OrderWorking, journal.EndDetail);
        var council = journal.Stages.Single(s => s.Stage == ActivityNames.ConveneCouncil);
        Assert.Contains("2 approve, 0 reject, 1 abstain", council.Summary, StringComparison.Ordinal);
        var abstained = Assert.Single(journal.CouncilVotes, v => !v.Valid);
        Assert.False(abstained.Approve);
        Assert.Contains("this seat's host keeps failing", abstained.AbstainReason, StringComparison.Ordinal);
        Assert.Equal(2 + ActivityRetry.ModelCall.MaxAttempts, recorded); // the failing seat was tried as often as its retry policy says
    }

    [Fact]
    public async Task Adversarial_final_decision_answers_all_end_without_a_trade()
    {
        string[] answers =
        [
            """{"execute":true,"limitPrice":-1.10,"reason":"credit as Alpaca sign"}""",
            """{"execute":true,"limitPrice":250,"reason":"absurd"}""",
            """{"execute":"yes","limitPrice":1.0,"reason":"string"}""",
            """{"execute":true,"reason":"missing price"}""",
            """Here you go: {"execute":true,"limitPrice":1.0,"reason":"prose"} hope it helps""",
            """{"execute":true,"limitPrice":0.01,"reason":"below minimum"}""",
        ];
        await using var harness = await PipelineHarness.CreateAsync(online: true);
        for (var i = 0; i < answers.Length; i++)
        {
            var answer = answers[i];
            harness.Gateway!.DefaultReply = request => PipelineHarness.SchemaName(request) == "final_decision"
                ? ScriptedReply.Json(answer)
                : PipelineHarness.ApprovingReply(request);

            var journal = await RunAsync(harness, $"manual-adversarial-{i}", dryRun: false);

            Assert.Equal(RunEndReasons.DecisionDeclined, journal.EndReason);
            Assert.Null(journal.OrderId);
        }

        Assert.Equal(0, harness.Broker.PlaceCalls);
    }

    [Fact]
    public async Task Adversarial_council_votes_abstain_so_the_council_declines_and_nothing_is_ordered()
    {
        string[] votes =
        [
            """{"approve":true,"confidence":5,"reasons":[],"risks":[]}""",
            """{"approve":"yes","confidence":0.9,"reasons":[],"risks":[]}""",
            """{"approve":true,"reasons":["no confidence"],"risks":[]}""",
        ];
        await using var harness = await PipelineHarness.CreateAsync(online: true);
        var next = 0;
        harness.Gateway!.DefaultReply = request => PipelineHarness.SchemaName(request) == "council_vote"
            ? ScriptedReply.Json(votes[Interlocked.Increment(ref next) % votes.Length])
            : PipelineHarness.ApprovingReply(request);

        var journal = await RunAsync(harness);

        Assert.Equal(RunEndReasons.CouncilDeclined, journal.EndReason);
        Assert.Contains("0 approve, 0 reject, 3 abstain", journal.EndDetail, StringComparison.Ordinal);
        Assert.Empty(harness.Gateway.RequestsFor(PipelineHarness.OpusId));
        Assert.Equal(0, harness.Broker.PlaceCalls);
    }

    [Fact]
    public async Task The_halt_app_setting_stops_entry_runs()
    {
        await using var harness = await PipelineHarness.CreateAsync(settings: new Dictionary<string, string?> { ["Risk__HaltTrading"] = "true" });

        var journal = await RunAsync(harness);

        Assert.Equal(RunEndReasons.Halted, journal.EndReason);
        Assert.Contains("Risk__HaltTrading", journal.EndDetail, StringComparison.Ordinal);
        Assert.Equal(0, harness.Broker.PlaceCalls);
    }

    [Fact]
    public async Task Budget_exhausted_leaves_one_cheap_model_for_every_seat_which_is_no_council_and_no_trade()
    {
        await using var harness = await PipelineHarness.CreateAsync(online: true, settings: new Dictionary<string, string?>
        {
            ["Budget:DailyLimitUsd"] = "0.000001",
            ["Budget:MonthlyLimitUsd"] = "0.000001",
        });

        var journal = await RunAsync(harness);

        // Every seat downgrades to the cheapest model; one model gets one vote, so there is no quorum and no order.
        Assert.Empty(harness.Gateway!.RequestsFor(PipelineHarness.R1Id));
        Assert.Empty(harness.Gateway.RequestsFor(PipelineHarness.KimiId));
        var stages = string.Join(" | ", journal.Stages.Select(s => $"{s.Stage}: {s.Verdict}: {s.Summary}"));
        Assert.True(journal.EndReason == RunEndReasons.CouncilDeclined, stages);
        Assert.Contains("no quorum: 1 valid approval(s)", journal.EndDetail, StringComparison.Ordinal);
        Assert.Empty(harness.Gateway.RequestsFor(PipelineHarness.OpusId));
        Assert.Equal(0, harness.Broker.PlaceCalls);
    }

    [Fact]
    public async Task PlaceOrder_failing_after_the_broker_accepted_is_retried_and_still_places_one_order()
    {
        await using var harness = await PipelineHarness.CreateAsync();
        harness.Broker.FailAfterAcceptCount = 1;

        var journal = await RunAsync(harness);

        Assert.True(journal.EndReason is RunEndReasons.Traded or RunEndReasons.OrderWorking, journal.EndDetail);
        Assert.Equal(1, harness.Broker.PlaceCalls);
        var order = await harness.StoredBroker.GetOrderByClientIdAsync("ic-" + Slot, CancellationToken.None);
        Assert.NotNull(order);
        Assert.Equal(order!.OrderId, journal.OrderId);
        Assert.Single(await new PositionBook(harness.Tables).AllAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_worker_that_dies_after_placing_the_order_before_the_engine_records_it_leaves_one_order()
    {
        await using var harness = await PipelineHarness.CreateAsync();
        var crashes = 0;
        harness.AfterActivity = name =>
            name == ActivityNames.PlaceOrder && Interlocked.Increment(ref crashes) == 1
                ? throw new IOException("worker lost after the broker accepted the order")
                : Task.CompletedTask;

        var (_, finished) = await harness.StartAndRunAsync(RunKinds.Entry, Slot, new RunRequest { Trigger = RunTriggers.Timer }, CancellationToken.None);

        Assert.Equal(RunStatuses.Completed, finished!.Status);
        Assert.Equal(2, crashes); // PlaceOrder ran twice (at-least-once) ...
        Assert.Equal(1, harness.Broker.PlaceCalls); // ... and the retry found the order by its client_order_id
        var order = await harness.Broker.GetOrderByClientIdAsync(finished.Output!.ClientOrderId!, CancellationToken.None);
        Assert.Equal(order!.OrderId, finished.Output.OrderId);
        var log = await harness.Launcher.GetActivityLogAsync(Slot, CancellationToken.None);
        var once = log.Where(l => l.Name != ActivityNames.CastVote).Select(l => l.Name).ToList();
        Assert.Equal(once.Distinct().Count(), once.Count); // every activity recorded once, a vote per seat
        Assert.Equal(3, log.Count(l => l.Name == ActivityNames.CastVote));
        Assert.Equal(ActivityNames.RecordRun, log[^1].Name);
    }

    [Fact]
    public async Task A_run_whose_worker_stopped_is_finished_by_the_next_worker_without_repeating_recorded_stages()
    {
        await using var harness = await PipelineHarness.CreateAsync();
        await harness.Worker.StopAsync();
        var start = await harness.Launcher.StartAsync(RunKinds.Entry, Slot, new RunRequest { Trigger = RunTriggers.Timer }, CancellationToken.None);
        Assert.Equal(RunStartOutcome.Started, start.Outcome);
        Assert.Equal(RunStatuses.Pending, (await harness.Launcher.GetStatusAsync(Slot, CancellationToken.None))!.Status);

        await using (var second = await harness.StartAnotherWorkerAsync("second-process"))
        {
            var finished = await harness.WaitAsync(Slot);
            Assert.Equal(RunStatuses.Completed, finished.Status);
        }

        Assert.Equal(1, harness.Broker.PlaceCalls);
        var status = await harness.Launcher.GetStatusAsync(Slot, CancellationToken.None);
        var progress = status!.Progress!;
        Assert.Equal(ActivityNames.RecordRun, progress.StagesDone[^1]);
        Assert.Equal(progress.StagesDone.Distinct().Count(), progress.StagesDone.Count);
        Assert.Null(progress.CurrentStage);
    }

    [Fact]
    public async Task Replaying_the_orchestration_over_the_recorded_activity_log_reproduces_decisions_and_calls()
    {
        await using var harness = await PipelineHarness.CreateAsync(online: true);
        var journal = await RunAsync(harness);
        var log = await harness.Launcher.GetActivityLogAsync(Slot, CancellationToken.None);

        var replay = new ScriptedContext(Slot, log.Select(l => (l.Name, l.OutputJson)));
        var request = (await harness.Launcher.GetRunAsync(Slot, CancellationToken.None))!.Request; // as stored, with its market time
        var replayed = await EntryOrchestration.RunAsync(replay, request);

        // The same calls with the same inputs (the seats' votes complete in any order, so compared as a set).
        Assert.Equal(log.Select(l => (l.Name, l.InputJson)).Order(), replay.Calls.Select(c => (c.Name, c.InputJson)).Order());
        Assert.Equal(journal.EndReason, replayed.EndReason);
        Assert.Equal(journal.Stages, replayed.Stages);
        Assert.Equal(journal.OrderId, replayed.OrderId);
        Assert.Equal(journal.LlmCostUsd, replayed.LlmCostUsd);
    }

    [Fact]
    public async Task Two_starts_for_one_slot_make_one_run_and_one_order()
    {
        await using var harness = await PipelineHarness.CreateAsync();

        var starts = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ =>
            harness.StartAndRunAsync(RunKinds.Entry, Slot, new RunRequest { Trigger = RunTriggers.Timer }, CancellationToken.None)));

        // Concurrent starters may each be told "scheduled" (the provider checks, then enqueues); the engine keeps one
        // execution of the instance (its ExecutionStarted de-duplication), so there is one run and one order.
        Assert.Contains(starts, s => s.Start.Outcome == RunStartOutcome.Started);
        Assert.All(starts, s => Assert.Equal(RunStatuses.Completed, s.Instance!.Status));
        Assert.Single(starts.Select(s => s.Instance!.CreatedUtc).Distinct());
        Assert.Equal(1, harness.Broker.PlaceCalls);
    }

    [Fact]
    public async Task A_lesson_blocking_the_strategy_stops_the_run_before_risk()
    {
        await using var harness = await PipelineHarness.CreateAsync(blockingLesson: true);

        var journal = await RunAsync(harness);

        Assert.Equal(RunEndReasons.LessonBlocks, journal.EndReason);
        Assert.Contains("L-901", journal.EndDetail, StringComparison.Ordinal);
        Assert.DoesNotContain(journal.Stages, s => s.Stage == ActivityNames.AssessRisk);
        Assert.Equal(0, harness.Broker.PlaceCalls);
    }

    [Fact]
    public async Task Dry_run_stops_before_the_order()
    {
        await using var harness = await PipelineHarness.CreateAsync(online: true);

        var journal = await RunAsync(harness, "manual-dry", dryRun: true);

        Assert.Equal(RunEndReasons.DryRun, journal.EndReason);
        Assert.Equal(0, harness.Broker.PlaceCalls);
    }
}
