namespace Trading.Cli.Mcp;

/// <summary>A named set of MCP tools with a one-line purpose: what an agent holding it may do.</summary>
/// <param name="Name">The profile's name (<c>trading mcp --profile NAME</c>, and the <c>Mcp__Keys__NAME</c> setting).</param>
/// <param name="Purpose">One line for <c>trading mcp --list-profiles</c> and for refusals.</param>
/// <param name="Tools">The tool names the profile lists and may call.</param>
public sealed record McpProfile(string Name, string Purpose, IReadOnlyList<string> Tools)
{
    /// <summary>True when <paramref name="tool"/> belongs to this profile.</summary>
    public bool Allows(string? tool) => tool is not null && Tools.Contains(tool, StringComparer.Ordinal);
}

/// <summary>The tool names, one constant each, so profiles and tools cannot drift apart.</summary>
public static class McpToolNames
{
    public const string GetStatus = "get_status";
    public const string GetAccount = "get_account";
    public const string ListPositions = "list_positions";
    public const string ListRuns = "list_runs";
    public const string GetRun = "get_run";
    public const string GetLlmSpend = "get_llm_spend";
    public const string CompareModels = "compare_models";
    public const string SearchLessons = "search_lessons";
    public const string RunBacktest = "run_backtest";
    public const string DraftLesson = "draft_lesson";
    public const string CompareVariants = "compare_variants";
    public const string StartDryRun = "start_dry_run";
    public const string StartRun = "start_run";
    public const string HaltTrading = "halt_trading";
    public const string ResumeTrading = "resume_trading";
}

/// <summary>
/// The profiles, defined here and nowhere else. Every profile reads (observer's tools); researcher adds backtests, lesson
/// drafts and variant comparison; operator adds runs and the halt switch. No tool places an order: runs go through the
/// pipeline, so the risk manager and the halt switch decide as they do for any run.
/// </summary>
public static class McpProfiles
{
    private static readonly string[] ObserverTools =
    [
        McpToolNames.GetStatus, McpToolNames.GetAccount, McpToolNames.ListPositions, McpToolNames.ListRuns, McpToolNames.GetRun,
        McpToolNames.GetLlmSpend, McpToolNames.CompareModels, McpToolNames.SearchLessons,
    ];

    /// <summary>Reads the account, positions, runs, LLM spend and lessons; changes nothing.</summary>
    public static readonly McpProfile Observer = new(
        "observer",
        "Read-only: status, account, positions, runs and their journals, LLM spend and model comparison, lessons.",
        ObserverTools);

    /// <summary>Observer plus bounded backtests, lesson drafts and variant comparison; never trades, never halts.</summary>
    public static readonly McpProfile Researcher = new(
        "researcher",
        "Observer's tools plus bounded backtests (simulated, in memory), lesson drafts for review, and strategy-variant comparison; never trades.",
        [.. ObserverTools, McpToolNames.RunBacktest, McpToolNames.DraftLesson, McpToolNames.CompareVariants]);

    /// <summary>Observer plus dry runs, runs and the halt switch.</summary>
    public static readonly McpProfile Operator = new(
        "operator",
        "Observer's tools plus starting a dry run or a run (through the full pipeline and its risk manager) and halting or resuming trading with a reason.",
        [.. ObserverTools, McpToolNames.StartDryRun, McpToolNames.StartRun, McpToolNames.HaltTrading, McpToolNames.ResumeTrading]);

    /// <summary>Every profile, in the order they are listed.</summary>
    public static IReadOnlyList<McpProfile> All { get; } = [Observer, Researcher, Operator];

    /// <summary>Every tool of any profile.</summary>
    public static IReadOnlySet<string> AllTools { get; } = All.SelectMany(p => p.Tools).ToHashSet(StringComparer.Ordinal);

    /// <summary>The profile named <paramref name="name"/> (case-insensitive), or null.</summary>
    public static McpProfile? Find(string? name) =>
        All.FirstOrDefault(p => string.Equals(p.Name, name?.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>The names, for messages ("observer, researcher, operator").</summary>
    public static string Names => string.Join(", ", All.Select(p => p.Name));
}
