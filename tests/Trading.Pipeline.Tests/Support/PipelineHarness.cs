using Microsoft.Extensions.DependencyInjection;
using Trading.Core.Markets;
using Trading.Hosting;
using Trading.Hosting.Engine;
using Trading.Hosting.Http;
using Trading.Markets.Simulation;
using Trading.Pipeline.Orchestration;
using Trading.Pipeline.State;
using Trading.TestKit.OpenAi;
using Trading.TestKit.Storage;

namespace Trading.Pipeline.Tests.Support;

/// <summary>
/// The whole system in-process, built through <see cref="PipelineServiceCollectionExtensions.AddTradingPipeline"/> exactly as
/// the hosts build it: Azurite tables (unique prefix per harness), the simulated market and broker, the lessons library on a
/// temp corpus, and the gateway offline or pointed at the loopback OpenAI server.
/// </summary>
public sealed class PipelineHarness : IAsyncDisposable
{
    /// <summary>Monday 2026-11-23 15:00 UTC = 10:00 New York: inside the entry window, market open.</summary>
    public static readonly DateTimeOffset MondayTenAm = new(2026, 11, 23, 15, 0, 0, TimeSpan.Zero);

    public const string OpusId = "anthropic/claude-opus-4-5";
    public const string KimiId = "deepinfra/moonshotai/Kimi-K2-Instruct-0905";
    public const string R1Id = "deepinfra/deepseek-ai/DeepSeek-R1-0528";

    private readonly LessonFiles _lessons;

    private PipelineHarness(ServiceProvider services, ManualTime time, OpenAiLoopbackServer? gateway, LessonFiles lessons, FaultyBroker broker, string prefix)
    {
        Services = services;
        Time = time;
        Gateway = gateway;
        _lessons = lessons;
        Broker = broker;
        TablePrefix = prefix;
    }

    public ServiceProvider Services { get; }

    public ManualTime Time { get; }

    public OpenAiLoopbackServer? Gateway { get; }

    /// <summary>The broker the pipeline uses: the simulated broker behind a fault injector (disarmed by default).</summary>
    public FaultyBroker Broker { get; }

    public string TablePrefix { get; }

    /// <summary>Starts and reads runs on the harness's own task hub (Azurite).</summary>
    public TaskHubRunLauncher Launcher => Services.GetRequiredService<TaskHubRunLauncher>();

    /// <summary>The harness's worker (started by <see cref="CreateAsync"/>).</summary>
    public PipelineWorker Worker => Services.GetRequiredService<PipelineWorker>();

    /// <summary>The engine's options (a task hub of this harness's own, short polling and retry intervals).</summary>
    public TaskHubOptions Engine => Services.GetRequiredService<TaskHubOptions>();

    /// <summary>Called after each activity ran, before the engine records its result (tests: crash after a side effect).</summary>
    public Func<string, Task>? AfterActivity { get; set; }

    /// <summary>Starts a run and waits for its end; a start refused by the singleton rule returns the stored run as it is.</summary>
    public async Task<(RunStartResult Start, TaskHubRun? Instance)> StartAndRunAsync(string kind, string instanceId, RunRequest request, CancellationToken cancellationToken)
    {
        var start = await Launcher.StartAsync(kind, instanceId, request, cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        return start.Outcome == RunStartOutcome.Started
            ? (start, await Launcher.WaitForRunAsync(instanceId, timeout.Token))
            : (start, await Launcher.GetRunAsync(instanceId, cancellationToken));
    }

    /// <summary>Waits (at most a minute) for a run to end.</summary>
    public async Task<TaskHubRun> WaitAsync(string instanceId)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        return await Launcher.WaitForRunAsync(instanceId, timeout.Token);
    }

    /// <summary>Waits (at most a minute) until no entry or management run of the harness's task hub is pending or running.</summary>
    public async Task WaitForBackgroundRunsAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((await Launcher.ActiveInstancesAsync(RunKinds.Entry, CancellationToken.None)).Count > 0
            || (await Launcher.ActiveInstancesAsync(RunKinds.Manage, CancellationToken.None)).Count > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "Runs still active after 60 s.");
            await Task.Delay(50);
        }
    }

    /// <summary>A second worker on the same task hub, as another process would start it (the caller disposes it).</summary>
    public async Task<PipelineWorker> StartAnotherWorkerAsync(string workerId, Func<string, Task>? afterActivity = null)
    {
        var options = new TaskHubOptions
        {
            TaskHubName = Engine.TaskHubName,
            ConnectionString = Engine.ConnectionString,
            MaxQueuePollingInterval = Engine.MaxQueuePollingInterval,
            PartitionCount = Engine.PartitionCount,
            LeaseInterval = Engine.LeaseInterval,
            RetryIntervalScale = Engine.RetryIntervalScale,
            AfterActivity = afterActivity is null ? Engine.AfterActivity : (name, _) => afterActivity(name),
            WorkerId = workerId,
        };
        var worker = new PipelineWorker(new TaskHubService(options), Services.GetRequiredService<Trading.Pipeline.Activities.ActivityCatalog>());
        await worker.StartAsync(CancellationToken.None);
        return worker;
    }

    public TradingApi Api => Services.GetRequiredService<TradingApi>();

    /// <summary>The market the pipeline uses: the simulated one, with holes a test can punch (none by default).</summary>
    public GappyMarket Market => Services.GetRequiredService<GappyMarket>();

    public PipelineTables Tables => Services.GetRequiredService<PipelineTables>();

    /// <summary>The simulated account as the pipeline stores it (read straight from its table on every call).</summary>
    public StoredSimulatedBroker StoredBroker => Services.GetRequiredService<StoredSimulatedBroker>();

    /// <summary>Builds the system. <paramref name="online"/> starts the loopback gateway with approving defaults.</summary>
    public static async Task<PipelineHarness> CreateAsync(
        bool online = false, bool blockingLesson = false, IReadOnlyDictionary<string, string?>? settings = null, DateTimeOffset? now = null)
    {
        var time = new ManualTime(now ?? MondayTenAm);
        var lessons = new LessonFiles(blockingLesson);
        OpenAiLoopbackServer? gateway = null;
        if (online)
        {
            gateway = await OpenAiLoopbackServer.StartAsync();
            gateway.DefaultReply = ApprovingReply;
        }

        var prefix = "p" + Guid.NewGuid().ToString("N")[..10];
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Storage:ConnectionString"] = TestStorage.ConnectionString,
            ["PipelineTables:TablePrefix"] = prefix,
            // One arm: which variant the seeded draw picks must not decide whether the simulated chain yields a condor.
            ["Pipeline:Variants"] = "d20-w5",
            ["Budget:TableName"] = prefix + "budget",
            ["Routing:TelemetryTableName"] = prefix + "calls",
            ["Routing:InitialBackoffMilliseconds"] = "1",
            ["Routing:MaxBackoffMilliseconds"] = "2",
            ["Lessons:CorpusPath"] = lessons.Directory,
            ["Lessons:EmbeddingCacheTableName"] = prefix + "emb",
            ["Lessons:DraftTableName"] = prefix + "drafts",
        };
        foreach (var (key, value) in Trading.TestKit.Pipeline.TestDaySettings.NotTheSubject)
        {
            values[key] = value;
        }

        if (gateway is not null)
        {
            values["LLM_GATEWAY_BASE_URL"] = gateway.BaseUrl.ToString();
            values["LLM_GATEWAY_API_KEY"] = "test-key-not-secret";
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var configuration = TradingConfiguration.Build(overrides: values, includeEnvironment: false);
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(time);
        PipelineHarness? harness = null;
        services.AddSingleton(new TaskHubOptions
        {
            TaskHubName = "h" + prefix,
            ConnectionString = TestStorage.ConnectionString,
            MaxQueuePollingInterval = TimeSpan.FromMilliseconds(50),
            PartitionCount = 1,
            LeaseInterval = TimeSpan.FromSeconds(15),
            RetryIntervalScale = 0.001,
            WorkerId = "harness-" + prefix,
            AfterActivity = (name, _) => harness?.AfterActivity?.Invoke(name) ?? Task.CompletedTask,
        });
        services.AddTradingPipeline(configuration);
        services.AddTaskHubEngine(configuration);
        services.AddSingleton(sp => new GappyMarket(sp.GetRequiredService<SimulatedMarket>()));
        services.AddSingleton<IMarketData>(sp => sp.GetRequiredService<GappyMarket>());
        services.AddSingleton(sp => new FaultyBroker(sp.GetRequiredService<StoredSimulatedBroker>()));
        services.AddSingleton<IBroker>(sp => sp.GetRequiredService<FaultyBroker>());
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = false });
        harness = new PipelineHarness(provider, time, gateway, lessons, provider.GetRequiredService<FaultyBroker>(), prefix);
        await harness.Worker.StartAsync(CancellationToken.None);
        return harness;
    }

    /// <summary>Models that approve: a valid analysis, approving votes, and a final decision at mid − 0.05.</summary>
    public static ScriptedReply ApprovingReply(LoopbackRequest request) => ApprovingModels.Reply(request);

    /// <summary>The JSON schema name the request asked for (response_format.json_schema.name), or "".</summary>
    public static string SchemaName(LoopbackRequest request) => ApprovingModels.SchemaName(request);

    /// <summary>The proposal's mid credit from the facts the pipeline sent in the user message.</summary>
    public static decimal MidCredit(LoopbackRequest request) => ApprovingModels.MidCredit(request);

    public async ValueTask DisposeAsync()
    {
        await Worker.StopAsync();
        await Services.DisposeAsync();
        if (Gateway is not null)
        {
            await Gateway.DisposeAsync();
        }

        _lessons.Dispose();
    }
}
