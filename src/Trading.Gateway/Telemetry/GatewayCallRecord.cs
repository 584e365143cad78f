namespace Trading.Gateway.Telemetry;

/// <summary>One attempt of a call (one HTTP request, or a skipped model).</summary>
/// <param name="Model">Logical model name.</param>
/// <param name="Outcome">"ok" or the failure class name (e.g. "RateLimited", "CircuitOpen", "BudgetRefused").</param>
/// <param name="Status">HTTP status when there was one.</param>
/// <param name="LatencyMs">Duration of the attempt.</param>
public sealed record GatewayAttempt(string Model, string Outcome, int? Status, double LatencyMs);

/// <summary>
/// One record per gateway call (chat or embeddings, primary or shadow), as persisted (partition = day in the budget time zone)
/// and emitted to logs and metrics. Never holds prompts, answers or secrets.
/// </summary>
public sealed record GatewayCallRecord
{
    /// <summary>Unique id.</summary>
    public required string CallId { get; init; }

    /// <summary>When the call started.</summary>
    public required DateTimeOffset StartedUtc { get; init; }

    /// <summary>Budget-zone day ("2026-11-21"): the partition.</summary>
    public required string Day { get; init; }

    /// <summary>Pipeline run.</summary>
    public required string RunId { get; init; }

    /// <summary>"chat" or "embedding".</summary>
    public string Kind { get; init; } = "chat";

    /// <summary>Normalized task type.</summary>
    public required string TaskType { get; init; }

    /// <summary>SIMPLE/MEDIUM/COMPLEX/CRITICAL.</summary>
    public required string Complexity { get; init; }

    /// <summary>Model the policy asked for.</summary>
    public required string RequestedModel { get; init; }

    /// <summary>Model that answered, or null.</summary>
    public string? ServedModel { get; init; }

    /// <summary>Selection reason (Default, Critical, Forced, Split, Downgraded, BudgetExhausted, Refused).</summary>
    public required string SelectionReason { get; init; }

    /// <summary>Split variant model when a split applied.</summary>
    public string? SplitVariant { get; init; }

    /// <summary>True for a shadow call (never affects results).</summary>
    public bool IsShadow { get; init; }

    /// <summary>For a shadow: the primary call's id.</summary>
    public string? ShadowOf { get; init; }

    /// <summary>For a shadow: whether its parsed answer equals the primary's.</summary>
    public bool? AgreedWithPrimary { get; init; }

    /// <summary>Every attempt and fallback hop, in order.</summary>
    public IReadOnlyList<GatewayAttempt> Attempts { get; init; } = [];

    /// <summary>Prompt tokens (cached included).</summary>
    public int InputTokens { get; init; }

    /// <summary>Cached prompt tokens.</summary>
    public int CachedInputTokens { get; init; }

    /// <summary>Completion tokens (reasoning included).</summary>
    public int OutputTokens { get; init; }

    /// <summary>Reasoning tokens.</summary>
    public int ReasoningTokens { get; init; }

    /// <summary>Cost of all attempts that were billed.</summary>
    public decimal CostUsd { get; init; }

    /// <summary>True when some cost was estimated because a response carried no usage.</summary>
    public bool CostEstimated { get; init; }

    /// <summary>Total latency.</summary>
    public double LatencyMs { get; init; }

    /// <summary>"succeeded", "failed", "invalid_json", "refused", "offline".</summary>
    public required string Outcome { get; init; }

    /// <summary>Why it failed (no secrets).</summary>
    public string? FailureReason { get; init; }
}
