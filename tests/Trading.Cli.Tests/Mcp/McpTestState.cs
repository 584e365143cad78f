using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Trading.Core.Markets;
using Trading.Core.Memory;
using Trading.Core.Risk;
using Trading.Gateway.Budgets;
using Trading.Gateway.Telemetry;
using Trading.Gateway.Routing;
using Trading.Pipeline.Journal;
using Trading.Pipeline.State;

namespace Trading.Cli.Tests.Mcp;

/// <summary>A known state written through the system's own stores: one run journal, one closed condor, its outcome, one LLM call.</summary>
public sealed record McpTestState(string RunId, string PositionId, string Variant, string Model)
{
    public static McpTestState Create() => new(
        "manual-mcp-" + Guid.NewGuid().ToString("N")[..10],
        "pos-mcp-" + Guid.NewGuid().ToString("N")[..10],
        "d15-w5",
        "mcp-test-model-" + Guid.NewGuid().ToString("N")[..8]);

    public async Task SeedAsync(IServiceProvider services)
    {
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        await services.GetRequiredService<RunJournalStore>().SaveAsync(
            new RunJournal
            {
                InstanceId = RunId,
                Trigger = "manual",
                DryRun = true,
                StartedUtc = now.UtcDateTime.AddMinutes(-1),
                EndedUtc = now.UtcDateTime,
                EndReason = RunEndReasons.DryRun,
                EndDetail = "dry run: the order was not sent",
                Stages = [new StageRecord { Stage = "MarketSnapshot", Verdict = "ok", Summary = "SPY 600.00" }],
                DecisionMode = "offline-rules",
                MarketSimulated = true,
                BrokerSimulated = true,
            },
            CancellationToken.None);
        await services.GetRequiredService<PositionBook>().TryAddAsync(
            new PositionRecord
            {
                PositionId = PositionId,
                RunId = RunId,
                State = PositionStates.Closed,
                Variant = Variant,
                Expiration = new DateOnly(2026, 2, 20),
                Contracts = 1,
                WingWidthDollars = 5m,
                LimitCredit = 1.10m,
                EntryCredit = 1.12m,
                OpenedUtc = now.AddDays(-3),
                ClosedUtc = now.AddDays(-1),
                ExitReason = "take_profit",
                RealizedPnlDollars = 56m,
                SimulatedBroker = true,
            },
            CancellationToken.None);
        await services.GetRequiredService<TradeMemoryStore>().RecordAsync(
            "iron_condor",
            new TradeOutcome(PositionId, "SPY", Variant, "mcp test", MarketRegime.Calm, VolatilityBand.FullSize, 35, 0.15, 5m, DayOfWeek.Monday,
                1.12m, 0.56m, 56m, true, now.AddDays(-1), "take_profit"),
            CancellationToken.None);
        var zone = services.GetRequiredService<BudgetLedger>().TimeZone;
        await services.GetRequiredService<GatewayTelemetry>().Store.AppendAsync(
            new GatewayCallRecord
            {
                CallId = Guid.NewGuid().ToString("N"),
                StartedUtc = now,
                Day = BudgetWindow.DayOf(now, zone).Key,
                RunId = RunId,
                TaskType = "approval_decision",
                Complexity = "CRITICAL",
                RequestedModel = Model,
                ServedModel = Model,
                SelectionReason = "test",
                CostUsd = 0.0123m,
                LatencyMs = 800,
                Outcome = "succeeded",
            },
            CancellationToken.None);
    }
}

/// <summary>Calls through the SDK's own client and reads answers.</summary>
public static class McpCalls
{
    public static async Task<IReadOnlyList<string>> ToolNamesAsync(McpClient client) =>
        (await client.ListToolsAsync()).Select(t => t.Name).Order(StringComparer.Ordinal).ToArray();

    public static IReadOnlyList<string> Sorted(IEnumerable<string> names) => names.Order(StringComparer.Ordinal).ToArray();

    public static async Task<CallToolResult> CallAsync(McpClient client, string tool, object? arguments = null, IProgress<ProgressNotificationValue>? progress = null)
    {
        var args = arguments is null
            ? new Dictionary<string, object?>()
            : JsonSerializer.SerializeToElement(arguments).EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone());
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        return await client.CallToolAsync(tool, args, progress, cancellationToken: timeout.Token);
    }

    /// <summary>A successful call's structured content (fails the test with the text on a tool error).</summary>
    public static async Task<JsonElement> OkAsync(McpClient client, string tool, object? arguments = null, IProgress<ProgressNotificationValue>? progress = null)
    {
        var result = await CallAsync(client, tool, arguments, progress);
        Assert.True(result.IsError != true, $"{tool} failed: {Text(result)}");
        Assert.False(string.IsNullOrWhiteSpace(Text(result)), $"{tool} gave no text summary");
        Assert.True(result.StructuredContent.HasValue, $"{tool} gave no structured content");
        return result.StructuredContent!.Value;
    }

    /// <summary>The MCP error a call raised.</summary>
    public static async Task<McpProtocolException> RefusedAsync(McpClient client, string tool, object? arguments = null) =>
        await Assert.ThrowsAsync<McpProtocolException>(() => CallAsync(client, tool, arguments));

    public static string Text(CallToolResult result) =>
        string.Join("\n", result.Content.OfType<TextContentBlock>().Select(t => t.Text));

    public static string Str(JsonElement e, string name) => e.GetProperty(name).ValueKind == JsonValueKind.String ? e.GetProperty(name).GetString()! : e.GetProperty(name).ToString();

    /// <summary>Waits until the run has ended (its journal is recorded).</summary>
    public static async Task<JsonElement> WaitForRunAsync(McpClient client, string runId)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (true)
        {
            var run = await OkAsync(client, "get_run", new { runId });
            if (run.TryGetProperty("journal", out var journal) && journal.ValueKind == JsonValueKind.Object)
            {
                return run;
            }

            Assert.True(DateTime.UtcNow < deadline, $"run {runId} did not end: {run}");
            await Task.Delay(250);
        }
    }

    public static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

/// <summary>
/// The progress notifications a client receives, counted by a handler that lives as long as the client: the SDK's per-call
/// handler (the progress argument of CallToolAsync) is removed when the result arrives, and under load it can miss
/// notifications that were sent before the result but dispatched after it.
/// </summary>
public sealed class ProgressLog : IProgress<ProgressNotificationValue>
{
    public ConcurrentQueue<ProgressNotificationValue> Values { get; } = new();

    /// <summary>Starts counting every progress notification <paramref name="client"/> receives.</summary>
    public IAsyncDisposable Listen(McpClient client) =>
        client.RegisterNotificationHandler(NotificationMethods.ProgressNotification, (notification, _) =>
        {
            if (JsonSerializer.Deserialize<ProgressNotificationParams>(notification.Params, McpJsonUtilities.DefaultOptions) is { } progress)
            {
                Values.Enqueue(progress.Progress);
            }

            return ValueTask.CompletedTask;
        });

    /// <summary>Passed to CallToolAsync only so that the call carries a progress token; <see cref="Listen"/> does the counting.</summary>
    public void Report(ProgressNotificationValue value)
    {
    }

    /// <summary>Waits (at most 10 s) until <paramref name="count"/> notifications have arrived.</summary>
    public async Task WaitForAsync(int count)
    {
        for (var i = 0; i < 100 && Values.Count < count; i++)
        {
            await Task.Delay(100);
        }
    }
}
