using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using Trading.Cli.Backtest;
using Trading.Cli.Commands;
using Trading.Cli.Configuration;
using Trading.Hosting.Dashboard;
using Trading.Lessons.Corpus;
using Trading.Lessons.Drafts;
using Trading.Markets.Simulation;

namespace Trading.Cli.Mcp;

/// <summary>
/// The researcher's tools: bounded backtests on the simulated market (state in memory, no model calls, nothing touches the
/// account), lesson drafts into the drafts store (never the curated corpus), and the strategy variants side by side.
/// </summary>
[McpServerToolType]
public sealed class ResearcherTools
{
    private const int MaxTitleLength = 200;
    private const int MaxSectionLength = 4_000;

    // One backtest at a time per process: each takes a core for seconds.
    private static readonly SemaphoreSlim BacktestSlot = new(1, 1);
    private readonly McpOptions _options;
    private readonly IConfiguration _configuration;
    private readonly DraftLessonStore _drafts;
    private readonly StrategyQuery _strategy;
    private readonly McpCaller _caller;

    public ResearcherTools(McpOptions options, IConfiguration configuration, DraftLessonStore drafts, StrategyQuery strategy, McpCaller caller)
    {
        _options = options;
        _configuration = configuration;
        _drafts = drafts;
        _strategy = strategy;
        _caller = caller;
    }

    [McpServerTool(Name = McpToolNames.RunBacktest, Title = "Backtest a parameter set", ReadOnly = true, Idempotent = true, OpenWorld = false)]
    [Description("Runs the full pipeline over simulated trading days (the schedule's cadence, position management included) on a seeded simulated SPY with the offline rules in place of models; all state in memory, the account untouched. Returns trades, win rate, P&L, max drawdown, Sharpe, profit factor, exits by reason and estimated LLM cost. Bounded: the range may span at most Mcp:BacktestMaxDays days (default 366) and the run is stopped after Mcp:BacktestTimeoutSeconds (default 120 s); one backtest at a time. Sends progress notifications per simulated day when the call carries a progress token.")]
    public async Task<CallToolResult> RunBacktestAsync(
        [Description("First day, yyyy-MM-dd (e.g. 2025-01-02).")] string from,
        [Description("Last day, yyyy-MM-dd, inclusive.")] string to,
        [Description("Seed of the simulated market (same seed, same result; default 42).")] int seed = 42,
        [Description("Strategy variants the sampler chooses among, e.g. [\"d15-w5\", \"d10-w5\"] (short delta × 100, wing width in dollars). Default: the configured ones.")] string[]? variants = null,
        [Description("Fill model: 'realistic' (default) or 'pessimistic' (fills only at or beyond the natural price).")] string fills = FillModels.Realistic,
        RequestContext<CallToolRequestParams>? request = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var first = ObserverTools.ParseDay(from, nameof(from));
        var last = ObserverTools.ParseDay(to, nameof(to));
        if (last < first)
        {
            throw ToolResults.BadArgument($"'to' ({last:yyyy-MM-dd}) is before 'from' ({first:yyyy-MM-dd}).");
        }

        if (last.DayNumber - first.DayNumber + 1 > _options.BacktestMaxDays)
        {
            throw ToolResults.BadArgument(string.Create(CultureInfo.InvariantCulture,
                $"The range spans {last.DayNumber - first.DayNumber + 1} days; the most a backtest may span here is {_options.BacktestMaxDays} (Mcp:BacktestMaxDays). Split it."));
        }

        if (fills is not (FillModels.Realistic or FillModels.Pessimistic))
        {
            throw ToolResults.BadArgument($"'fills' must be '{FillModels.Realistic}' or '{FillModels.Pessimistic}' (was '{ObserverTools.Printable(fills ?? string.Empty)}').");
        }

        var variantList = (variants ?? []).Select(v => v?.Trim() ?? string.Empty).Where(v => v.Length > 0).Distinct(StringComparer.Ordinal).ToArray();
        if (!await BacktestSlot.WaitAsync(TimeSpan.Zero, cancellationToken))
        {
            return ToolResults.Refused("Another backtest is running on this host; try again when it has finished.");
        }

        try
        {
            // Wall time, not the trading clock: the limit protects this machine's cores.
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(_options.BacktestTimeoutSeconds));
            await using var progress = new ProgressRelay(request, cancellationToken);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, limit.Token);
            var done = 0;
            var total = 0;
            BacktestReport report;
            try
            {
                report = await new BacktestEngine(_configuration).RunAsync(
                    new BacktestArguments(first, last, seed, variantList, Json: true, ChartPath: null, fills),
                    (d, t, date) =>
                    {
                        done = d;
                        total = t;
                        progress.Report(new ProgressNotificationValue
                        {
                            Progress = d,
                            Total = t,
                            Message = string.Create(CultureInfo.InvariantCulture, $"simulated {date:yyyy-MM-dd} ({d} of {t} trading days)"),
                        });
                    },
                    linked.Token);
            }
            catch (OperationCanceledException) when (limit.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                return ToolResults.Refused(string.Create(CultureInfo.InvariantCulture,
                    $"The backtest was stopped at the {_options.BacktestTimeoutSeconds}-second limit (Mcp:BacktestTimeoutSeconds) after {done} of {total} trading days; ask for a shorter range."),
                    new { error = "time limit", limitSeconds = _options.BacktestTimeoutSeconds, tradingDaysDone = done, tradingDays = total });
            }
            catch (CliUsageException e)
            {
                throw ToolResults.BadArgument(e.Message);
            }

            var structured = JsonSerializer.SerializeToElement(report with { Days = [] }, BacktestReportWriter.JsonOptions);
            var sharpe = report.SharpeRatio is { } s ? s.ToString("0.00", CultureInfo.InvariantCulture) : "n/a";
            return new CallToolResult
            {
                Content =
                [
                    new TextContentBlock
                    {
                        Text = string.Create(CultureInfo.InvariantCulture,
                            $"Backtest {report.From:yyyy-MM-dd}..{report.To:yyyy-MM-dd} (seed {report.Seed}, {report.TradingDays} trading days): {report.Trades} trade(s), win rate {report.WinRatePct:0.#}%, P&L ${report.TotalPnlUsd:0.00}, max drawdown ${report.MaxDrawdownUsd:0.00} ({report.MaxDrawdownPct:0.##}%), Sharpe {sharpe}. Simulated market, offline rules, estimated LLM cost."),
                    },
                ],
                StructuredContent = structured,
            };
        }
        finally
        {
            BacktestSlot.Release();
        }
    }

    [McpServerTool(Name = McpToolNames.DraftLesson, Title = "Draft a lesson for review", ReadOnly = false, Destructive = false, Idempotent = false, OpenWorld = false)]
    [Description("Proposes a lesson learned. It goes to the drafts store for a person to review (trading lessons --drafts), never into the curated corpus, so it cannot affect retrieval or block a trade until promoted. Severity low, medium or high (CRITICAL is a reviewer's call).")]
    public async Task<CallToolResult> DraftLessonAsync(
        [Description("A one-line title naming the problem (1-200 characters).")] string title,
        [Description("What happened: the incident or pattern, with run ids and figures.")] string whatHappened,
        [Description("'low', 'medium' (default) or 'high'.")] string severity = "medium",
        [Description("The suspected root cause, if known.")] string? rootCause = null,
        [Description("The fix, if known.")] string? fix = null,
        [Description("How to prevent it, if known.")] string? prevention = null,
        [Description("The strategy it concerns (e.g. iron_condor), if any.")] string? strategy = null,
        [Description("The ticker it concerns (e.g. SPY), if any.")] string? ticker = null,
        [Description("The run it is about, if any (linked from the draft).")] string? runId = null,
        CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(title) || title.Length > MaxTitleLength || title.Any(char.IsControl))
        {
            throw ToolResults.BadArgument($"'title' must be 1-{MaxTitleLength} characters on one line.");
        }

        foreach (var (name, text) in new[] { ("whatHappened", whatHappened), ("rootCause", rootCause), ("fix", fix), ("prevention", prevention) })
        {
            if (text is not null && text.Length > MaxSectionLength)
            {
                throw ToolResults.BadArgument($"'{name}' must be at most {MaxSectionLength} characters.");
            }
        }

        if (string.IsNullOrWhiteSpace(whatHappened))
        {
            throw ToolResults.BadArgument("'whatHappened' must not be empty.");
        }

        var level = severity?.Trim().ToLowerInvariant() switch
        {
            "low" => LessonSeverity.Low,
            "medium" => LessonSeverity.Medium,
            "high" => LessonSeverity.High,
            "critical" => throw ToolResults.BadArgument("'severity' cannot be critical: an open CRITICAL lesson blocks trading, and that is a reviewer's call. Use 'high'."),
            _ => throw ToolResults.BadArgument($"'severity' must be 'low', 'medium' or 'high' (was '{ObserverTools.Printable(severity ?? string.Empty)}')."),
        };
        if (runId is not null && !Trading.Hosting.Scheduling.RunInstanceIds.IsValid(runId))
        {
            throw ToolResults.BadArgument("'runId' is not a run id: use 1-100 letters, digits, '-', ':', '_' or '.'.");
        }

        foreach (var (name, text) in new[] { ("strategy", strategy), ("ticker", ticker) })
        {
            if (text is not null && (text.Length > 40 || text.Any(c => !char.IsAsciiLetterOrDigit(c) && c is not '_' and not '-')))
            {
                throw ToolResults.BadArgument($"'{name}' must be at most 40 letters, digits, '_' or '-'.");
            }
        }

        var draft = await _drafts.SubmitAsync(
            new LessonProposal
            {
                Title = title.Trim(),
                Severity = level,
                WhatHappened = whatHappened,
                RootCause = rootCause,
                Fix = fix,
                Prevention = prevention,
                Strategy = strategy ?? string.Empty,
                Ticker = ticker ?? string.Empty,
                RunId = runId,
                Source = "mcp:" + (_caller.Profile?.Name ?? "unknown"),
            },
            cancellationToken);
        return ToolResults.Ok(
            $"Draft {draft.DraftId} saved for review (not in the corpus; 'trading lessons --drafts' lists it).",
            new { draft.DraftId, draft.Title, severity = draft.SuggestedSeverity.ToString(), draft.Source, draft.CreatedAt, inCorpus = false, markdown = draft.ToMarkdown() });
    }

    [McpServerTool(Name = McpToolNames.CompareVariants, UseStructuredContent = true, OutputSchemaType = typeof(StrategyPanel), Title = "Compare strategy variants", ReadOnly = true, Idempotent = true, OpenWorld = false)]
    [Description("The strategy variants the Thompson sampler chooses among (short delta × wing width), side by side (the dashboard's strategy panel): the sampler's Beta posterior (alpha, beta, mean win probability and its 90% credible band), closed trades, wins and P&L, and trade memory's verdict for a new entry. Use it with run_backtest to decide which variants to keep.")]
    public async Task<CallToolResult> CompareVariantsAsync(
        [Description("Only these variant ids (e.g. [\"d15-w5\"]); default: the configured variants and any with recorded trades.")] string[]? variants = null,
        CancellationToken cancellationToken = default)
    {
        var panel = await _strategy.ReadAsync(cancellationToken);
        var wanted = (variants ?? []).Select(v => v?.Trim() ?? string.Empty).Where(v => v.Length > 0).ToHashSet(StringComparer.Ordinal);
        var unknown = wanted.Where(w => panel.Variants.All(v => v.Variant != w)).ToArray();
        if (unknown.Length > 0)
        {
            throw ToolResults.BadArgument(
                $"No variant {string.Join(", ", unknown.Select(u => $"'{ObserverTools.Printable(u)}'"))}; known: {string.Join(", ", panel.Variants.Select(v => v.Variant))}.");
        }

        var rows = wanted.Count == 0 ? panel.Variants : panel.Variants.Where(v => wanted.Contains(v.Variant)).ToArray();
        var best = rows.OrderByDescending(r => r.Mean).FirstOrDefault();
        return ToolResults.Ok(
            best is null
                ? "No variants."
                : string.Create(CultureInfo.InvariantCulture, $"{rows.Count} variant(s) of {panel.Strategy}; highest posterior mean: {best.Variant} ({best.Mean:0.###}, 90% band {best.BandLow:0.###}-{best.BandHigh:0.###}, {best.ClosedTrades} closed trade(s))."),
            panel with { Variants = rows });
    }
}

