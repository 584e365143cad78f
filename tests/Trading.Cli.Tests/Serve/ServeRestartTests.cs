using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using Trading.Cli.Tests.Support;
using Trading.Markets.Simulation;
using Trading.Hosting;
using Trading.Hosting.Engine;
using Trading.Pipeline.Journal;
using Trading.Pipeline.Orchestration;
using Trading.Pipeline.State;
using Trading.TestKit.OpenAi;
using Trading.TestKit.Storage;
using Xunit.Abstractions;

namespace Trading.Cli.Tests.Serve;

/// <summary>
/// What issue 15 names as the check of the engine: a real <c>trading serve</c> process killed in the middle of a run and
/// started again on the same task hub; the run finishes once, with one order, and the council's votes already in the history
/// are not asked again.
/// </summary>
public sealed class ServeRestartTests : IClassFixture<TradingMoment>
{
    private const string AdminKey = "restart-test-admin-key-0123456789";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private readonly string _moment;
    private readonly ITestOutputHelper _output;

    public ServeRestartTests(TradingMoment moment, ITestOutputHelper output)
    {
        _moment = moment.At;
        _output = output;
    }

    [Fact]
    public async Task A_serve_killed_while_a_council_vote_is_in_flight_and_started_again_finishes_the_run_once_with_one_order()
    {
        // The moment of the kill is certain: the first council vote's model call is held at the loopback gateway until the
        // process dies (the dead connection ends it); every later call answers at once, approving.
        await using var gateway = await OpenAiLoopbackServer.StartAsync();
        var held = new TaskCompletionSource<LoopbackRequest>(TaskCreationOptions.RunContinuationsAsynchronously);
        var holding = 1;
        gateway.DefaultReply = request =>
            ApprovingModels.SchemaName(request) == ApprovingModels.VoteSchema && Interlocked.Exchange(ref holding, 0) == 1
                ? HoldAndSignal(held, request)
                : ApprovingModels.Reply(request);
        var prefix = TestStorage.UniqueTableName("kill");
        var environment = Environment(prefix, gateway.BaseUrl);
        string[] args = ["--at", _moment];
        var hub = new TaskHubRunLauncher(new TaskHubService(new TaskHubOptions { TaskHubName = environment["TASKHUB_NAME"], ConnectionString = TestStorage.ConnectionString }), TimeProvider.System);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Add("x-functions-key", AdminKey);
        var total = Stopwatch.StartNew();

        string instanceId;
        await using (var first = await ServeProcess.StartAsync(environment, args, StartTimeout))
        {
            using var started = await http.PostAsync(new Uri(first.BaseAddress, "/api/runs"), content: null);
            Assert.True(started.StatusCode == HttpStatusCode.Accepted, await started.Content.ReadAsStringAsync() + "\n" + first.Log);
            instanceId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("instanceId").GetString()!;
            await held.Task.WaitAsync(TimeSpan.FromSeconds(90)).ContinueWith(t => Assert.True(t.IsCompletedSuccessfully, "no council vote reached the gateway:\n" + first.Log));

            // The other seats answered at once: wait until the engine has their votes in the history, then kill.
            var recorded = Stopwatch.StartNew();
            while ((await hub.GetActivityLogAsync(instanceId, CancellationToken.None)).Count(a => a.Name == ActivityNames.CastVote) < 2)
            {
                Assert.True(recorded.Elapsed < TimeSpan.FromSeconds(60), "the other seats' votes were not recorded:\n" + first.Log);
                await Task.Delay(100);
            }

            await first.KillAsync();
        }

        var killed = total.Elapsed;
        var afterKill = Stopwatch.StartNew();
        await using var second = await ServeProcess.StartAsync(environment, args, StartTimeout);
        var run = await WaitForCompletedAsync(http, second, instanceId, TimeSpan.FromSeconds(100));
        var finished = afterKill.Elapsed;

        // Once: the engine completed the instance, with one recorded PlaceOrder and one RecordRun in its history.
        Assert.Equal(RunStatuses.Completed, run.GetProperty("status").GetProperty("status").GetString());
        var journal = run.GetProperty("journal");
        var endReason = journal.GetProperty("endReason").GetString();
        Assert.True(endReason is RunEndReasons.Traded or RunEndReasons.OrderWorking, $"{endReason}: {journal.GetProperty("endDetail").GetString()}\n{second.Log}");
        var activities = (await hub.GetActivityLogAsync(instanceId, CancellationToken.None)).Select(a => a.Name).ToList();
        Assert.Single(activities, ActivityNames.PlaceOrder);
        Assert.Single(activities, ActivityNames.RecordRun);

        // One order: at the (stored) simulated broker, in the position book and in the journal.
        var tables = new PipelineTables(new TableServiceClient(TestStorage.ConnectionString), new PipelineTablesOptions { TablePrefix = prefix });
        var broker = (await tables.Control.GetAsync<SimulatedBrokerState>("simulated-broker", "account", CancellationToken.None))!.Value;
        var order = Assert.Single(broker.Orders);
        var position = Assert.Single(await new PositionBook(tables).AllAsync(CancellationToken.None));
        Assert.Equal(journal.GetProperty("orderId").GetString(), position.EntryOrderId);
        Assert.Equal(order.OrderId, position.EntryOrderId);
        var runs = await new RunJournalStore(tables).RecentAsync(10, CancellationToken.None);
        Assert.Equal(instanceId, Assert.Single(runs).InstanceId);
        // The restarted worker asked only the seat whose vote was cut off; the votes in the history were not asked (or paid) again.
        var heldSeat = SeatOf(await held.Task);
        var perSeat = gateway.Requests.Where(r => ApprovingModels.SchemaName(r) == ApprovingModels.VoteSchema).GroupBy(SeatOf).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(3, perSeat.Count);
        Assert.All(perSeat, seat => Assert.Equal(seat.Key == heldSeat ? 2 : 1, seat.Value));
        Assert.Equal(3, activities.Count(a => a == ActivityNames.CastVote));

        _output.WriteLine($"killed {killed.TotalSeconds:0.0} s after the first serve started; the second finished the run {finished.TotalSeconds:0.0} s after the kill; test {total.Elapsed.TotalSeconds:0.0} s");
    }

    private static ScriptedReply HoldAndSignal(TaskCompletionSource<LoopbackRequest> held, LoopbackRequest request)
    {
        held.TrySetResult(request);
        return ScriptedReply.Slow(TimeSpan.FromMinutes(10));
    }

    /// <summary>The council seat a vote request speaks for (its system prompt's role).</summary>
    private static string SeatOf(LoopbackRequest request) =>
        new[] { "pre-trade researcher", "options strategist", "risk reviewer" }.Single(role => request.Body.Contains(role, StringComparison.Ordinal));

    private static async Task<JsonElement> WaitForCompletedAsync(HttpClient http, ServeProcess serve, string instanceId, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        var last = string.Empty;
        while (deadline.Elapsed < timeout)
        {
            using var response = await http.GetAsync(new Uri(serve.BaseAddress, "/api/runs/" + instanceId));
            last = await response.Content.ReadAsStringAsync();
            if (response.IsSuccessStatusCode)
            {
                var body = JsonDocument.Parse(last).RootElement.Clone();
                if (body.GetProperty("status").GetProperty("status").GetString() is { } status && RunStatuses.IsTerminal(status)
                    && body.GetProperty("journal").ValueKind == JsonValueKind.Object)
                {
                    return body;
                }
            }

            await Task.Delay(500);
        }

        throw new TimeoutException($"run {instanceId} did not finish within {timeout.TotalSeconds} s; last status {last}\n{serve.Log}");
    }

    private static Dictionary<string, string> Environment(string prefix, Uri gateway)
    {
        var environment = new Dictionary<string, string>
        {
            ["Storage__ConnectionString"] = TestStorage.ConnectionString,
            ["PipelineTables__TablePrefix"] = prefix,
            ["TASKHUB_NAME"] = "hub" + prefix,
            ["TaskHub__MaxQueuePollingInterval"] = "00:00:00.050",
            // What a killed worker held comes back within seconds, not minutes: its partitions' leases and its work's visibility.
            ["TaskHub__LeaseInterval"] = "00:00:15",
            ["TaskHub__WorkItemVisibilityTimeout"] = "00:00:10",
            ["Pipeline__Variants"] = "d15-w5",
            ["LLM_GATEWAY_BASE_URL"] = gateway.ToString(),
            ["LLM_GATEWAY_API_KEY"] = "test-key-not-secret",
            ["Budget__TableName"] = prefix + "budget",
            ["Routing__TelemetryTableName"] = prefix + "calls",
            ["Lessons__EmbeddingCacheTableName"] = prefix + "emb",
            ["Lessons__DraftTableName"] = prefix + "drafts",
            ["Serve__AdminKey"] = AdminKey,
            ["Mcp__KeyDirectory"] = Path.Combine(Path.GetTempPath(), "trading-cli-tests", "mcp-keys-" + prefix),
            // No scheduled run during the test (2025-01-01 is a holiday): the manual run is the only one.
            ["TRADING_SCHEDULE"] = "0 0 0 1 1 *",
            ["MANAGE_SCHEDULE"] = "0 0 0 1 1 *",
        };
        foreach (var (key, value) in Trading.TestKit.Pipeline.TestDaySettings.NotTheSubject)
        {
            environment[key.Replace(":", "__", StringComparison.Ordinal)] = value!;
        }

        return environment;
    }
}
