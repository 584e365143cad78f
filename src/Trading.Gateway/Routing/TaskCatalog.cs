using System.Collections.Frozen;

namespace Trading.Gateway.Routing;

/// <summary>BATS complexity levels; the level decides the default model and whether downgrades are allowed.</summary>
public enum TaskComplexity
{
    /// <summary>Parsing, classification, summaries: the cheapest model.</summary>
    Simple,

    /// <summary>Analysis and research; also every unknown task type.</summary>
    Medium,

    /// <summary>Planning, risk and options analysis.</summary>
    Complex,

    /// <summary>Decisions that move money: always the critical model, never downgraded.</summary>
    Critical,
}

/// <summary>The BATS task vocabulary: task type → complexity (unknown task types are MEDIUM).</summary>
public static class TaskCatalog
{
    /// <summary>Task types whose answer decides an order; they are never downgraded.</summary>
    public static readonly IReadOnlyList<string> CriticalTasks =
        ["trade_execution", "order_placement", "position_sizing", "stop_loss_calculation", "approval_decision"];

    private static readonly FrozenDictionary<string, TaskComplexity> Levels = Build();

    /// <summary>The complexity of <paramref name="taskType"/>; case-insensitive, unknown or blank → <see cref="TaskComplexity.Medium"/>.</summary>
    public static TaskComplexity ComplexityOf(string? taskType) =>
        taskType is not null && Levels.TryGetValue(Normalize(taskType), out var level) ? level : TaskComplexity.Medium;

    /// <summary>Lower-case, trimmed, spaces and dashes as underscores, so "Trade Execution" and "trade-execution" match.</summary>
    public static string Normalize(string taskType)
    {
        ArgumentNullException.ThrowIfNull(taskType);
        return taskType.Trim().ToLowerInvariant().Replace(' ', '_').Replace('-', '_');
    }

    private static FrozenDictionary<string, TaskComplexity> Build()
    {
        var map = new Dictionary<string, TaskComplexity>(StringComparer.Ordinal);
        foreach (var t in new[] { "sentiment_classification", "text_parsing", "data_extraction", "summarization", "notification" })
            map[t] = TaskComplexity.Simple;
        foreach (var t in new[] { "technical_analysis", "market_research", "signal_generation", "portfolio_analysis", "news_analysis", "pattern_recognition" })
            map[t] = TaskComplexity.Medium;
        foreach (var t in new[] { "strategy_planning", "risk_assessment", "options_analysis", "pre_trade_research", "multi_agent_coordination" })
            map[t] = TaskComplexity.Complex;
        foreach (var t in CriticalTasks)
            map[t] = TaskComplexity.Critical;
        return map.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
