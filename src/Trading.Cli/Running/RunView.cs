namespace Trading.Cli.Running;

/// <summary>One stage of a run as the terminal shows it.</summary>
public sealed record StageLine(string Stage, string Verdict, string Reason, IReadOnlyList<string> Models, decimal LlmCostUsd);

/// <summary>The order a run placed.</summary>
public sealed record OrderLine(string OrderId, string Status, int Quantity, decimal LimitPrice, decimal? FilledPrice, IReadOnlyList<string> Legs);

/// <summary>What <c>trading run</c> prints: a run journal reduced to the lines a person reads.</summary>
public sealed record RunView(
    string RunId,
    string Trigger,
    DateTimeOffset At,
    string Outcome,
    string EndReason,
    IReadOnlyList<StageLine> Stages,
    decimal LlmCostUsd,
    bool LlmCostEstimated,
    OrderLine? Order,
    string MarketLabel,
    string CouncilLabel,
    bool DryRun,
    bool Resumed);
