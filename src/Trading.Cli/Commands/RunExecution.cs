using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Trading.Cli.Backtest;
using Trading.Cli.Clocks;
using Trading.Cli.Configuration;
using Trading.Cli.Storage;
using Trading.Cli.Telemetry;
using Trading.Cli.Terminal;
using Trading.Core.ModelCalls;
using Trading.Gateway.Routing;
using Trading.Hosting;
using Trading.Hosting.Engine;
using Trading.Hosting.Scheduling;
using Trading.Markets;
using Trading.Markets.Calendar;
using Trading.Pipeline.Journal;
using Trading.Pipeline.Orchestration;
using Trading.Pipeline.State;

namespace Trading.Cli.Commands;

/// <summary>Runs <c>trading run</c>: one pipeline pass on the Durable Task engine (a worker of this process on the task hub), or the resumption of one.</summary>
internal static class RunExecution
{
    // Human-facing JSON: indented, and "→ × ' +" printed as themselves rather than \u escapes.
    private static readonly JsonSerializerOptions Indented = new(StateJson.Options)
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static async Task<int> ExecuteAsync(CliContext context, RunArguments arguments, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var configuration = context.BuildConfiguration();
        CliServices.ValidateSettings(configuration, warnings: error);
        await using var storage = await LocalStorage.EnsureAsync(configuration, context.ContentRoot, error, cancellationToken);
        if (storage.Settings.Count > 0)
        {
            configuration = CliSettings.Build(context.ContentRoot, Merge(context.Overrides, storage.Settings));
        }

        var clock = new ShiftedClock(context.Time);
        await using var services = CliServices.Build(configuration, clock, engine: true, after: s =>
        {
            CliTelemetry.Add(s, configuration);
            context.ConfigureServices?.Invoke(s);
        });
        CliTelemetry.Start(services);
        var mode = services.GetRequiredService<MarketsMode>();
        var launcher = services.GetRequiredService<TaskHubRunLauncher>();
        context.ServicesCreated?.Invoke(services);
        await error.WriteLineAsync(storage.Description);
        await ModelsExecution.EnsureModelsAsync(services, context.Time, error, cancellationToken);

        string instanceId;
        if (arguments.ResumeRunId is { } resumeId)
        {
            if (!RunInstanceIds.IsValid(resumeId))
            {
                throw new CliUsageException($"--resume '{resumeId}' is not a run id (1-100 letters, digits, '-', ':', '_' or '.').");
            }

            var existing = await launcher.GetRunAsync(resumeId, cancellationToken)
                ?? throw new CliUsageException($"There is no run '{resumeId}' in this storage ({storage.Description.TrimEnd('.')}, task hub {services.GetRequiredService<TaskHubOptions>().TaskHubName}). 'trading status' lists the recent runs.");
            if (arguments.At is not null)
            {
                throw new CliUsageException("--at cannot be combined with --resume: a resumed run continues at its own time.");
            }

            // Continue on the run's own clock: as far past its market time as the engine has worked on it.
            clock.StartAt((existing.Request.MarketTimeUtc ?? existing.CreatedUtc) + (existing.LastUpdatedUtc - existing.CreatedUtc));
            if (existing.IsTerminal)
            {
                await error.WriteLineAsync($"Run {resumeId} already ended ({existing.Status}); nothing to resume. Its journal:");
            }
            else
            {
                var done = (await launcher.GetStatusAsync(resumeId, cancellationToken))?.Progress?.StagesDone.Count ?? 0;
                await error.WriteLineAsync($"Resuming run {resumeId} after {done} completed stage(s); the engine replays recorded results, never repeats them.");
            }

            instanceId = resumeId;
        }
        else
        {
            var at = arguments.At;
            if (!mode.IsSimulated && at is not null)
            {
                throw new CliUsageException("--at only works with the simulated market: a live broker trades now. Remove --at, or unset the Alpaca keys.");
            }

            at ??= mode.IsSimulated
                ? NextEntryWindow(services.GetRequiredService<TradingCalendar>(), context.Time.GetUtcNow())
                : context.Time.GetUtcNow();
            clock.StartAt(at.Value);
            instanceId = RunInstanceIds.ForManual(context.Time.GetUtcNow());
            var start = await launcher.StartAsync(
                RunKinds.Entry,
                instanceId,
                new RunRequest { RunId = instanceId, Trigger = RunTriggers.Manual, DryRun = arguments.DryRun, MarketTimeUtc = at.Value },
                cancellationToken);
            if (start.Outcome != RunStartOutcome.Started)
            {
                throw new CliUsageException($"Could not start run {instanceId}: {start.Detail} Wait a second and try again.");
            }

            await error.WriteLineAsync($"Run {instanceId} at {at.Value.UtcDateTime:yyyy-MM-dd HH:mm} UTC; if it is interrupted, continue it with: trading run --resume {instanceId}");
        }

        TaskHubRun run;
        var worker = services.GetRequiredService<PipelineWorker>();
        var storagePort = LoopbackTablePort(configuration);
        using var watch = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var storageWentAway = false;
        try
        {
            // This command's worker executes the run (and any other unfinished run of the task hub, as every worker does),
            // while a watchdog notices local storage going away (the engine's clients would otherwise retry for minutes).
            var work = StartAndWaitAsync(worker, launcher, instanceId, watch.Token);
            var storageGone = storagePort is { } port ? WatchStorageAsync(port, watch.Token) : Task.Delay(Timeout.Infinite, watch.Token);
            if (await Task.WhenAny(work, storageGone) == storageGone && !cancellationToken.IsCancellationRequested)
            {
                storageWentAway = true;
                await watch.CancelAsync();
                await error.WriteLineAsync($"error: storage went away (nothing listens on 127.0.0.1:{storagePort} any more: stopped?) while run {instanceId} was running.");
                await error.WriteLineAsync($"Any 'trading' command starts it again; continue the run with: trading run --resume {instanceId}");
                return TradingCommandLine.Failure;
            }

            await watch.CancelAsync();
            run = await work;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The one line that helps; nothing after it (no "operation was canceled").
            await error.WriteLineAsync($"Interrupted. Continue it with: trading run --resume {instanceId}");
            return TradingCommandLine.Failure;
        }
        finally
        {
            // Gracefully when storage is there (work in progress finishes, partitions are released); never for long.
            try
            {
                await worker.StopAsync(forced: storageWentAway)
                    .WaitAsync(TimeSpan.FromSeconds(15), CancellationToken.None);
            }
            catch (TimeoutException)
            {
                // Its leases expire on their own; the next worker takes over.
            }
        }

        if (run.Output is not { } journal)
        {
            await error.WriteLineAsync($"error: run {instanceId} {run.Status.ToLowerInvariant()}: {run.Error ?? "no journal was recorded"}");
            await error.WriteLineAsync("Fix the cause above, then run again.");
            return TradingCommandLine.Failure;
        }

        // The stored journal carries when it was recorded (the wall clock); the orchestration's own copy does not.
        journal = await services.GetRequiredService<RunJournalStore>().GetAsync(instanceId, cancellationToken) ?? journal;
        var estimate = await EstimateOnlineCostAsync(services, launcher, journal, cancellationToken);
        if (arguments.Json)
        {
            var node = JsonSerializer.SerializeToNode(journal, Indented)!.AsObject();
            node["estimatedLlmCostUsd"] = estimate;
            await output.WriteLineAsync(node.ToJsonString(Indented));
        }
        else
        {
            StageTable.Write(journal, estimate, ExchangeTime.Zone, output);
        }

        if (CliTelemetry.Summary(services) is { } telemetry)
        {
            await error.WriteLineAsync(telemetry);
        }

        if (journal.EndReason == RunEndReasons.StageFailed)
        {
            // Not a decision but a failure (a market, broker or storage call that kept failing): say so in the exit code.
            await error.WriteLineAsync($"error: run {instanceId} stopped because a stage failed: {journal.EndDetail}");
            await error.WriteLineAsync("Fix the cause (keys, network, storage), then run again.");
            return TradingCommandLine.Failure;
        }

        return TradingCommandLine.Success;
    }

    private static async Task<TaskHubRun> StartAndWaitAsync(PipelineWorker worker, TaskHubRunLauncher launcher, string instanceId, CancellationToken cancellationToken)
    {
        await worker.StartAsync(cancellationToken);
        return await launcher.WaitForRunAsync(instanceId, cancellationToken);
    }

    /// <summary>The table port of storage on this machine (Azurite), or null for remote storage.</summary>
    private static int? LoopbackTablePort(Microsoft.Extensions.Configuration.IConfiguration configuration)
    {
        var connection = configuration["Storage:ConnectionString"] is { Length: > 0 } explicitConnection ? explicitConnection : configuration["AzureWebJobsStorage"];
        try
        {
            return connection is { Length: > 0 } && Trading.Storage.Tables.TableConnectionString.Parse(connection).TableEndpoint is { IsLoopback: true } endpoint
                ? endpoint.Port
                : null;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>Completes when local storage stops listening (checked every second); runs until cancelled otherwise.</summary>
    private static async Task WatchStorageAsync(int port, CancellationToken cancellationToken)
    {
        while (await Trading.Storage.Local.AzuriteProcess.IsListeningAsync(port, cancellationToken))
        {
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        }
    }

    /// <summary>The next entry slot (schedule and window) that falls in an NYSE session: every stage gets exercised.</summary>
    internal static DateTimeOffset NextEntryWindow(TradingCalendar calendar, DateTimeOffset nowUtc)
    {
        foreach (var slot in calendar.NextSlots(RunKinds.Entry, nowUtc.AddMinutes(-1), 40))
        {
            if (NyseCalendar.IsOpenAt(slot.SlotUtc))
            {
                return slot.SlotUtc;
            }
        }

        throw new CliUsageException("No entry slot in the next 40 schedule occurrences falls in an NYSE session; check TRADING_SCHEDULE and Schedule:EntryWindowStart/End.");
    }

    private static async Task<decimal?> EstimateOnlineCostAsync(IServiceProvider services, TaskHubRunLauncher launcher, RunJournal journal, CancellationToken cancellationToken)
    {
        if (services.GetService<IModelGateway>()?.IsOnline == true)
        {
            return null;
        }

        var estimate = new LlmCostEstimate(services.GetService<ModelRegistry>() ?? ModelRegistry.Default, new RoutingPolicy());
        var log = await launcher.GetActivityLogAsync(journal.InstanceId, cancellationToken);
        return estimate.Estimate(log, decimal.MaxValue / 4).Sum(c => c.BatsCostUsd);
    }

    private static Dictionary<string, string?> Merge(IReadOnlyDictionary<string, string?>? first, IReadOnlyDictionary<string, string?> second)
    {
        var merged = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in second)
        {
            merged[key] = value;
        }

        if (first is not null)
        {
            foreach (var (key, value) in first)
            {
                merged[key] = value;
            }
        }

        return merged;
    }
}
