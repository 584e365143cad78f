namespace Trading.Core.ModelCalls;

/// <summary>
/// The pipeline's view of the LLM gateway (TARS through the OpenAI SDK, chosen by BATS).
/// Implemented in Trading.Gateway. A failed or invalid structured answer comes back as a failed
/// <see cref="StructuredCompletion{T}"/>, never as an exception the caller could mistake for approval.
/// </summary>
public interface IModelGateway
{
    /// <summary>False without a gateway key: the pipeline then uses its offline rules-based council.</summary>
    bool IsOnline { get; }

    /// <summary>
    /// The model a task would be sent to before budget, fallback or splits (for seating a council of distinct models); empty when
    /// offline.
    /// </summary>
    string PlannedModel(string taskType);

    /// <summary>Calls a model chosen for <see cref="ModelCall.TaskType"/> and parses its JSON answer into <typeparamref name="T"/>.</summary>
    Task<StructuredCompletion<T>> CompleteJsonAsync<T>(ModelCall call, CancellationToken cancellationToken)
        where T : class;
}

/// <summary>One model call. <see cref="TaskType"/> uses the BATS vocabulary (e.g. "options_analysis", "trade_execution").</summary>
/// <param name="TaskType">Task type that decides the complexity and model.</param>
/// <param name="RunId">The pipeline run this call belongs to (telemetry and cost attribution).</param>
/// <param name="SystemPrompt">System message.</param>
/// <param name="UserPrompt">User message.</param>
/// <param name="SchemaName">Name of the JSON schema sent as <c>response_format</c>.</param>
/// <param name="JsonSchema">The JSON schema text.</param>
/// <param name="RequestKey">Stable key for deterministic traffic splitting (a replayed run picks the same model).</param>
/// <param name="MaxOutputTokens">Output token cap (a reasoning model spends part of it thinking).</param>
/// <param name="AvoidModels">Models this call must not be served by, not even as a fallback (the other council seats); ignored
/// for CRITICAL tasks, which always go to the critical model.</param>
public sealed record ModelCall(
    string TaskType,
    string RunId,
    string SystemPrompt,
    string UserPrompt,
    string SchemaName,
    string JsonSchema,
    string RequestKey,
    int MaxOutputTokens = 800,
    IReadOnlyCollection<string>? AvoidModels = null);

/// <summary>The outcome of a structured call.</summary>
public sealed record StructuredCompletion<T>(
    bool Succeeded,
    T? Value,
    string? FailureReason,
    string RequestedModel,
    string? ServedModel,
    decimal CostUsd,
    bool CostEstimated,
    TimeSpan Latency)
    where T : class;
