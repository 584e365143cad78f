using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using Trading.Core.Markets;
using Trading.Hosting.Dashboard;
using Trading.Hosting.Http;
using Trading.Lessons.Retrieval;
using Trading.Pipeline.Journal;
using Trading.Pipeline.State;

namespace Trading.Cli.Mcp;

/// <summary>
/// The observer's tools, which every profile holds: they read the account, positions, runs, LLM spend and lessons through
/// the same stores and handlers as the HTTP API, and change nothing.
/// </summary>
[McpServerToolType]
public sealed class ObserverTools
{
    private const int MaxRuns = 50;
    private const int MaxPositions = 100;
    private const int MaxLessons = 10;
    private const int MaxQueryLength = 500;
    private readonly TradingApi _api;
    private readonly IBroker _broker;
    private readonly PositionBook _positions;
    private readonly RunJournalStore _journals;
    private readonly LlmSpendQuery _spend;
    private readonly ModelComparisonQuery _comparison;
    private readonly LessonRetriever _lessons;

    public ObserverTools(
        TradingApi api, IBroker broker, PositionBook positions, RunJournalStore journals, LlmSpendQuery spend, ModelComparisonQuery comparison,
        LessonRetriever lessons)
    {
        _api = api;
        _broker = broker;
        _positions = positions;
        _journals = journals;
        _spend = spend;
        _comparison = comparison;
        _lessons = lessons;
    }

    [McpServerTool(Name = McpToolNames.GetStatus, Title = "Trading status", ReadOnly = true, Idempotent = true, OpenWorld = false)]
    [Description("The whole picture in one call, the same as GET /api/status: halt switch, market/broker mode (simulated or live), account equity, open positions with P&L, alerts, LLM spend against the daily and monthly budgets, the last runs and the next scheduled runs. Start here.")]
    public async Task<CallToolResult> GetStatusAsync(CancellationToken cancellationToken)
    {
        var response = await _api.GetStatusAsync(cancellationToken);
        return ToolResults.FromApi(response, body =>
        {
            var halted = body.TryGetProperty("halted", out var h) && h.ValueKind == JsonValueKind.Object && h.TryGetProperty("halted", out var flag) && flag.ValueKind == JsonValueKind.True;
            var equity = body.TryGetProperty("account", out var a) && a.ValueKind == JsonValueKind.Object && a.TryGetProperty("equity", out var eq) ? eq.ToString() : "unavailable";
            var positions = body.TryGetProperty("openPositions", out var p) && p.ValueKind == JsonValueKind.Array ? p.GetArrayLength() : 0;
            return string.Create(CultureInfo.InvariantCulture, $"Trading is {(halted ? "HALTED" : "active")}; equity ${equity}; {positions} open position(s).");
        });
    }

    [McpServerTool(Name = McpToolNames.GetAccount, UseStructuredContent = true, OutputSchemaType = typeof(AccountView), Title = "Brokerage account", ReadOnly = true, Idempotent = true, OpenWorld = false)]
    [Description("The paper (or simulated) brokerage account: equity, yesterday's equity and the day's change, cash, buying power and options buying power, in US dollars. Use it before judging whether a trade fits.")]
    public async Task<CallToolResult> GetAccountAsync(CancellationToken cancellationToken)
    {
        var account = await _broker.GetAccountAsync(cancellationToken);
        var view = new AccountView(account.Equity, account.LastEquity, account.Equity - account.LastEquity, account.Cash, account.BuyingPower,
            account.OptionsBuyingPower, account.OptionsTradingLevel, account.TradingBlocked, account.IsPaper, _broker.IsSimulated);
        return ToolResults.Ok(
            string.Create(CultureInfo.InvariantCulture, $"Equity ${view.Equity:0.00} (day {view.DayChange:+0.00;-0.00;0.00}), cash ${view.Cash:0.00}, options buying power ${view.OptionsBuyingPower:0.00}{(view.Simulated ? " (simulated broker)" : view.IsPaper ? " (paper)" : " (LIVE)")}."),
            view);
    }

    [McpServerTool(Name = McpToolNames.ListPositions, UseStructuredContent = true, OutputSchemaType = typeof(PositionList), Title = "Iron condor positions", ReadOnly = true, Idempotent = true, OpenWorld = false)]
    [Description("The iron condors in the position book: by default the active ones (opening, open, closing) with unrealized P&L; with includeClosed also closed and abandoned ones with realized P&L and exit reason, newest first.")]
    public async Task<CallToolResult> ListPositionsAsync(
        [Description("Also list closed and abandoned positions (default false).")] bool includeClosed = false,
        [Description("At most this many positions, newest first (1-100, default 20).")] int limit = 20,
        CancellationToken cancellationToken = default)
    {
        if (limit is < 1 or > MaxPositions)
        {
            throw ToolResults.BadArgument($"'limit' must be between 1 and {MaxPositions} (was {limit}).");
        }

        var positions = includeClosed ? await _positions.AllAsync(cancellationToken) : await _positions.ActiveAsync(cancellationToken);
        var held = (await _broker.GetPositionsAsync(cancellationToken)).ToDictionary(p => p.Symbol.ToString(), StringComparer.Ordinal);
        var views = positions
            .OrderByDescending(p => p.OpenedUtc)
            .Take(limit)
            .Select(p => new PositionView(
                p.PositionId, p.RunId, p.State, p.Symbol, p.Variant, p.Expiration, p.Contracts, p.EntryCredit ?? p.LimitCredit,
                p.Legs.Select(l => $"{l.Side} {l.Symbol}").ToArray(),
                PositionStates.IsActive(p.State) && p.State != PositionStates.Opening ? p.Legs.Sum(l => held.TryGetValue(l.Symbol, out var h) ? h.UnrealizedPnl : 0m) : null,
                p.RealizedPnlDollars, p.ExitReason, p.Alert, p.OpenedUtc, p.ClosedUtc))
            .ToArray();
        var active = views.Count(v => PositionStates.IsActive(v.State));
        return ToolResults.Ok(
            string.Create(CultureInfo.InvariantCulture, $"{views.Length} position(s) listed, {active} active."),
            new PositionList(views));
    }

    [McpServerTool(Name = McpToolNames.ListRuns, UseStructuredContent = true, OutputSchemaType = typeof(RunList), Title = "Recent runs", ReadOnly = true, Idempotent = true, OpenWorld = false)]
    [Description("The most recent pipeline runs (entry and position management), newest first: how each ended and why, its stage verdicts, LLM cost and order id. Read one run in full with get_run or the resource trading://runs/{runId}.")]
    public async Task<CallToolResult> ListRunsAsync(
        [Description("How many runs (1-50, default 10).")] int limit = 10,
        CancellationToken cancellationToken = default)
    {
        if (limit is < 1 or > MaxRuns)
        {
            throw ToolResults.BadArgument($"'limit' must be between 1 and {MaxRuns} (was {limit}).");
        }

        var runs = await _journals.RecentAsync(limit, cancellationToken);
        var views = runs.Select(RunSummary.Of).ToArray();
        var last = views.FirstOrDefault();
        return ToolResults.Ok(
            last is null ? "No runs recorded yet." : $"{views.Length} run(s); the latest, {last.InstanceId}, ended {last.EndReason}: {last.EndDetail}",
            new RunList(views));
    }

    [McpServerTool(Name = McpToolNames.GetRun, Title = "One run's journal", ReadOnly = true, Idempotent = true, OpenWorld = false)]
    [Description("One run by id, the same as GET /api/runs/{id}: its status and, once recorded, its journal (every stage's verdict and one-line reason, the models used, LLM cost, order and fill).")]
    public async Task<CallToolResult> GetRunAsync(
        [Description("The run id, as list_runs or start_run return it (e.g. manual-20260105T120000Z).")] string runId,
        CancellationToken cancellationToken = default)
    {
        var response = await _api.GetRunAsync(runId, cancellationToken);
        return ToolResults.FromApi(response, body =>
        {
            var status = body.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.Object && s.TryGetProperty("status", out var st) ? st.GetString() : null;
            var end = body.TryGetProperty("journal", out var j) && j.ValueKind == JsonValueKind.Object && j.TryGetProperty("endReason", out var r) ? r.GetString() : null;
            return $"Run {runId}: {status ?? "recorded"}{(end is null ? string.Empty : ", ended " + end)}.";
        });
    }

    [McpServerTool(Name = McpToolNames.GetLlmSpend, UseStructuredContent = true, OutputSchemaType = typeof(LlmSpendPanel), Title = "LLM spend against the budgets", ReadOnly = true, Idempotent = true, OpenWorld = false)]
    [Description("LLM spend through the gateway (the dashboard's panel): today's and this month's settled and reserved dollars against the budgets, cost and calls per day over the last N days (budget time zone), per model (calls, cost, p50/p95 latency, failures, fallbacks), and the CRITICAL go/no-go calls.")]
    public async Task<CallToolResult> GetLlmSpendAsync(
        [Description("How many days back, today included (1-92, default 7).")] int days = 7,
        CancellationToken cancellationToken = default)
    {
        CheckDays(days);
        var panel = await _spend.ReadAsync(days, cancellationToken);
        return ToolResults.Ok(
            string.Create(CultureInfo.InvariantCulture, $"Today ${panel.Today.SpentUsd:0.0000} of ${panel.Today.LimitUsd:0.00}; this month ${panel.MonthToDate.SpentUsd:0.0000} of ${panel.MonthToDate.LimitUsd:0.00}; {panel.Calls} call(s) in {days} day(s) costing ${panel.CostUsd:0.0000}."),
            panel);
    }

    [McpServerTool(Name = McpToolNames.CompareModels, Title = "Model comparison", ReadOnly = true, Idempotent = true, OpenWorld = false)]
    [Description("Compares the models the gateway used over the last N days (budget time zone; the dashboard's panels): per model calls, cost, p50/p95 latency, failures and fallbacks; and for each traffic split and shadow, its arms side by side with how often each agreed with the council's decision (or a shadow with the primary). Use it to judge routing and splits.")]
    public async Task<CallToolResult> CompareModelsAsync(
        [Description("How many days back, today included (1-92, default 7).")] int days = 7,
        CancellationToken cancellationToken = default)
    {
        CheckDays(days);
        var perModel = (await _spend.ReadAsync(days, cancellationToken)).PerModel;
        var panel = await _comparison.ReadAsync(days, cancellationToken);
        var top = perModel.Count > 0 ? perModel[0] : null;
        return ToolResults.Ok(
            top is null
                ? string.Create(CultureInfo.InvariantCulture, $"No model calls recorded in the last {days} day(s).")
                : string.Create(CultureInfo.InvariantCulture, $"{perModel.Count} model(s) in {days} day(s); most spend: {top.Model} (${top.CostUsd:0.0000}, {top.Calls} calls); {panel.Comparisons.Count} split/shadow comparison(s) over {panel.RunsCompared} run(s)."),
            new { days, models = perModel, panel.Comparisons, panel.RunsCompared });
    }

    [McpServerTool(Name = McpToolNames.SearchLessons, Title = "Search lessons learned", ReadOnly = true, Idempotent = true, OpenWorld = false)]
    [Description("Searches the lessons-learned library (incidents, root causes, fixes) the pipeline consults before every trade; returns the best matches with a snippet, and whether an open CRITICAL lesson blocks trades on the given strategy or ticker. Read a whole lesson with the resource trading://lessons/{lessonId}.")]
    public async Task<CallToolResult> SearchLessonsAsync(
        [Description("What to look for, in words (e.g. 'stop loss slippage in a volatility spike').")] string query,
        [Description("How many lessons (1-10, default 5).")] int limit = 5,
        [Description("A strategy to check the blocking rule against (e.g. iron_condor).")] string? strategy = null,
        [Description("A ticker to check the blocking rule against (e.g. SPY).")] string? ticker = null,
        CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(query) || query.Length > MaxQueryLength)
        {
            throw ToolResults.BadArgument($"'query' must be 1-{MaxQueryLength} characters of text.");
        }

        if (limit is < 1 or > MaxLessons)
        {
            throw ToolResults.BadArgument($"'limit' must be between 1 and {MaxLessons} (was {limit}).");
        }

        var results = await _lessons.RetrieveAsync(
            new LessonQuery { Text = query, K = limit, Strategy = strategy ?? string.Empty, Ticker = ticker ?? string.Empty, RunId = "mcp" },
            cancellationToken);
        var hits = results.Hits.Select(h => new LessonHitView(h.LessonId, h.Title, h.Severity.ToString(), h.Status.ToString(), Math.Round(h.Score, 4), h.Section, h.Snippet, LessonUri(h.LessonId))).ToArray();
        var summary = hits.Length == 0 ? "No lesson matches." : $"{hits.Length} lesson(s) ({results.Mode}); best: {hits[0].LessonId} \"{hits[0].Title}\".";
        if (results.Block is { } block)
        {
            summary += " BLOCKING: " + block.Reason;
        }

        return ToolResults.Ok(summary, new { mode = results.Mode, lessons = hits, block = results.Block, note = results.Note });
    }

    private static void CheckDays(int days)
    {
        if (days is < 1 or > CallWindow.MaxDays)
        {
            throw ToolResults.BadArgument(string.Create(CultureInfo.InvariantCulture, $"'days' must be between 1 and {CallWindow.MaxDays} (was {days})."));
        }
    }

    internal static string LessonUri(string lessonId) => "trading://lessons/" + Uri.EscapeDataString(lessonId);

    internal static DateOnly ParseDay(string text, string argument) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : throw ToolResults.BadArgument($"'{argument}' must be a date as yyyy-MM-dd, e.g. 2026-01-05 (was '{Printable(text)}').");

    internal static string Printable(string text) => new(text.Take(40).Select(c => char.IsControl(c) ? '?' : c).ToArray());
}

/// <summary>The account without its identifier; dollars.</summary>
public sealed record AccountView(
    decimal Equity, decimal LastEquity, decimal DayChange, decimal Cash, decimal BuyingPower, decimal OptionsBuyingPower,
    int OptionsTradingLevel, bool TradingBlocked, bool IsPaper, bool Simulated);

/// <summary>One condor of the position book.</summary>
public sealed record PositionView(
    string PositionId, string RunId, string State, string Symbol, string Variant, DateOnly Expiration, int Contracts, decimal EntryCredit,
    IReadOnlyList<string> Legs, decimal? UnrealizedPnlDollars, decimal? RealizedPnlDollars, string? ExitReason, string? Alert,
    DateTimeOffset OpenedUtc, DateTimeOffset? ClosedUtc);

/// <summary>The answer of list_positions.</summary>
public sealed record PositionList(IReadOnlyList<PositionView> Positions);

/// <summary>The answer of list_runs.</summary>
public sealed record RunList(IReadOnlyList<RunSummary> Runs);

/// <summary>One run as the list shows it.</summary>
public sealed record RunSummary(
    string InstanceId, string Kind, string Trigger, bool DryRun, DateTimeOffset? RecordedUtc, string EndReason, string EndDetail,
    string DecisionMode, decimal LlmCostUsd, string? OrderId, IReadOnlyList<string> Verdicts, bool Simulated, string Uri)
{
    public static RunSummary Of(RunJournal j) => new(
        j.InstanceId, j.Kind, j.Trigger, j.DryRun, j.RecordedUtc, j.EndReason, j.EndDetail, j.DecisionMode, j.LlmCostUsd, j.OrderId,
        j.Stages.Select(s => $"{s.Stage}: {s.Verdict}").ToArray(), j.MarketSimulated || j.BrokerSimulated,
        "trading://runs/" + System.Uri.EscapeDataString(j.InstanceId));
}

/// <summary>One lesson found.</summary>
public sealed record LessonHitView(string LessonId, string Title, string Severity, string Status, double Score, string Section, string Snippet, string Uri);
