namespace Trading.Pipeline.Orchestration;

/// <summary>What EvaluateExit decided for one position.</summary>
public static class ExitActions
{
    /// <summary>Keep the position.</summary>
    public const string Hold = "hold";

    /// <summary>Close it now with one multi-leg order.</summary>
    public const string Close = "close";

    /// <summary>Its closing order has filled (or it expired): record the outcome.</summary>
    public const string Settled = "settled";

    /// <summary>Its opening order never filled: dropped from the book, no outcome.</summary>
    public const string Abandoned = "abandoned";

    /// <summary>Waiting for an order (opening or closing) to fill.</summary>
    public const string Waiting = "waiting";
}

/// <summary>The open-position book at the start of a management run.</summary>
public sealed record OpenPositions
{
    public IReadOnlyList<string> PositionIds { get; init; } = [];

    public bool MarketSimulated { get; init; }

    public bool BrokerSimulated { get; init; }

    public string Summary { get; init; } = string.Empty;
}

/// <summary>Input naming one position within a run.</summary>
public sealed record PositionInput
{
    public string RunId { get; init; } = string.Empty;

    public string PositionId { get; init; } = string.Empty;
}

/// <summary>The exit rules' verdict for one position.</summary>
public sealed record ExitEvaluation
{
    public string PositionId { get; init; } = string.Empty;

    /// <summary>One of <see cref="ExitActions"/>.</summary>
    public string Action { get; init; } = ExitActions.Hold;

    /// <summary>profit-target, stop-loss, time-exit, expired… (empty when holding).</summary>
    public string ExitReason { get; init; } = string.Empty;

    /// <summary>The most to pay per share to close, positive dollars.</summary>
    public decimal DebitLimit { get; init; }

    public string Summary { get; init; } = string.Empty;
}

/// <summary>Input of ClosePosition.</summary>
public sealed record CloseRequest
{
    public string RunId { get; init; } = string.Empty;

    public string PositionId { get; init; } = string.Empty;

    public string ExitReason { get; init; } = string.Empty;

    public decimal DebitLimit { get; init; }
}

/// <summary>The closing order's state.</summary>
public sealed record CloseResult
{
    public string PositionId { get; init; } = string.Empty;

    public bool Placed { get; init; }

    public bool Filled { get; init; }

    public string ClientOrderId { get; init; } = string.Empty;

    public string? OrderId { get; init; }

    public string Status { get; init; } = string.Empty;

    public string Summary { get; init; } = string.Empty;
}

/// <summary>The outcome written to trade memory (once per position).</summary>
public sealed record OutcomeResult
{
    public string PositionId { get; init; } = string.Empty;

    /// <summary>False when the outcome had been recorded before (a retry or a resumed run): nothing was counted twice.</summary>
    public bool NewlyRecorded { get; init; }

    public decimal PnlDollars { get; init; }

    public bool Won { get; init; }

    public string Variant { get; init; } = string.Empty;

    public string Summary { get; init; } = string.Empty;
}
