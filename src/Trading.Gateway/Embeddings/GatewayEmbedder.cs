using System.Diagnostics;
using Microsoft.Extensions.Logging;
using OpenAI;
using OpenAI.Embeddings;
using Polly;
using Trading.Core.Knowledge;
using Trading.Gateway.Routing;
using Trading.Gateway.Budgets;
using Trading.Gateway.Calls;
using Trading.Gateway.Configuration;
using Trading.Gateway.Telemetry;

namespace Trading.Gateway.Embeddings;

/// <summary>
/// Embeddings through the same gateway client: batched, each batch reserved against the budget before and settled from the
/// response's usage after, retried on transient failures by the same per-model resilience as chat calls, and recorded in telemetry as task type "embedding".
/// </summary>
public sealed class GatewayEmbedder : ITextEmbedder
{
    private readonly OpenAIClient _client;
    private readonly ModelDescriptor _model;
    private readonly BudgetLedger _ledger;
    private readonly GatewayTelemetry _telemetry;
    private readonly RoutingOptions _routing;
    private readonly ModelResilience _resilience;
    private readonly TimeProvider _time;
    private readonly ILogger<GatewayEmbedder> _logger;
    private readonly EmbeddingClient _embeddings;

    /// <summary>Creates the embedder for <see cref="RoutingOptions.EmbeddingModel"/>.</summary>
    public GatewayEmbedder(
        OpenAIClient client, ModelRegistry registry, BudgetLedger ledger, GatewayTelemetry telemetry, RoutingOptions routing,
        ModelResilience resilience, TimeProvider time, ILogger<GatewayEmbedder> logger)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        ArgumentNullException.ThrowIfNull(registry);
        _routing = routing ?? throw new ArgumentNullException(nameof(routing));
        _model = registry.Get(routing.EmbeddingModel);
        if (!_model.IsEmbedding)
            throw new GatewayConfigurationException($"{RoutingOptions.SectionName}:{nameof(RoutingOptions.EmbeddingModel)} '{routing.EmbeddingModel}' is not marked IsEmbedding in the model registry.");
        _ledger = ledger ?? throw new ArgumentNullException(nameof(ledger));
        _telemetry = telemetry ?? throw new ArgumentNullException(nameof(telemetry));
        _resilience = resilience ?? throw new ArgumentNullException(nameof(resilience));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _embeddings = _client.GetEmbeddingClient(_model.GatewayModelId);
    }

    /// <inheritdoc />
    public string ModelName => _model.LogicalName;

    /// <inheritdoc />
    public async Task<IReadOnlyList<float[]>> EmbedAsync(IReadOnlyList<string> texts, string runId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var vectors = new List<float[]>(texts.Count);
        for (var start = 0; start < texts.Count; start += _routing.EmbeddingBatchSize)
        {
            var batch = texts.Skip(start).Take(_routing.EmbeddingBatchSize).ToList();
            vectors.AddRange(await EmbedBatchAsync(batch, runId ?? string.Empty, cancellationToken));
        }

        return vectors;
    }

    private async Task<IReadOnlyList<float[]>> EmbedBatchAsync(List<string> batch, string runId, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        var startedUtc = _time.GetUtcNow();
        using var activity = GatewayTelemetry.ActivitySource.StartActivity("gateway.embeddings", ActivityKind.Client);
        var estimate = ModelCost.Estimate(_model.Price, batch.Sum(t => t.Length), 0);
        var hold = await _ledger.TryReserveAsync(estimate, critical: false, force: false, cancellationToken);
        var record = new GatewayCallRecord
        {
            CallId = UniqueIds.Next(),
            StartedUtc = startedUtc,
            Day = BudgetWindow.DayOf(startedUtc, _ledger.TimeZone).Key,
            RunId = runId,
            Kind = "embedding",
            TaskType = "embedding",
            Complexity = nameof(TaskComplexity.Simple).ToUpperInvariant(),
            RequestedModel = _model.LogicalName,
            SelectionReason = nameof(SelectionReason.Default),
            Outcome = "failed",
        };
        if (hold is null)
        {
            await _telemetry.RecordAsync(record with { Outcome = "refused", FailureReason = "budget exhausted" }, CancellationToken.None);
            throw new EmbeddingFailedException($"Embedding refused: the budget does not admit the estimated ${estimate}.");
        }

        var attempts = new List<GatewayAttempt>();
        EmbeddingAttempt? last = null;
        try
        {
            last = await _resilience.ExecuteAsync(
                _model.LogicalName,
                async attemptToken =>
                {
                    var a = await AttemptAsync(batch, estimate, attemptToken, cancellationToken);
                    attempts.Add(a.Record);
                    if (a.Failure != FailureClass.None)
                        _logger.LogWarning("Embedding attempt {Attempt} failed with {Failure}", attempts.Count, a.Failure);
                    return Outcome.FromResult(a);
                },
                _routing.MaxAttemptsPerModel,
                cancellationToken);
            if (last is { Failure: FailureClass.None, Vectors: { } vectors })
            {
                if (vectors.Count != batch.Count)
                    throw new EmbeddingFailedException($"The gateway returned {vectors.Count} embeddings for {batch.Count} texts.");
                await _telemetry.RecordAsync(record with
                {
                    ServedModel = _model.LogicalName, Attempts = attempts, InputTokens = last.InputTokens, CostUsd = last.CostUsd, CostEstimated = last.CostEstimated,
                    LatencyMs = _time.GetElapsedTime(started).TotalMilliseconds, Outcome = "succeeded",
                }, CancellationToken.None);
                return vectors;
            }

            var failure = last?.Failure.ToString() ?? nameof(FailureClass.CircuitOpen);
            await _telemetry.RecordAsync(record with
            {
                Attempts = attempts, LatencyMs = _time.GetElapsedTime(started).TotalMilliseconds, FailureReason = failure,
            }, CancellationToken.None);
            var message = $"Embedding failed on {_model.LogicalName}: {failure}{(last?.Record.Status is { } status ? $" ({status})" : string.Empty)}.";
            throw last?.Error is { } error ? new EmbeddingFailedException(message, error) : new EmbeddingFailedException(message);
        }
        finally
        {
            await _ledger.SettleAsync(hold, last?.CostUsd ?? 0m, CancellationToken.None);
        }
    }

    private async Task<EmbeddingAttempt> AttemptAsync(List<string> batch, decimal estimate, CancellationToken attemptToken, CancellationToken callToken)
    {
        var started = _time.GetTimestamp();
        try
        {
            var response = await _embeddings.GenerateEmbeddingsAsync(batch, cancellationToken: attemptToken);
            var collection = response.Value;
            var tokens = collection.Usage?.InputTokenCount ?? 0;
            var estimated = tokens == 0;
            var cost = estimated ? estimate : ModelCost.Of(_model.Price, new TokenUsage(tokens, 0, 0, 0));
            var vectors = collection.OrderBy(e => e.Index).Select(e => e.ToFloats().ToArray()).ToList();
            return new EmbeddingAttempt(FailureClass.None, new GatewayAttempt(_model.LogicalName, "ok", 200, Ms(started)), vectors, tokens, cost, estimated, null, null);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            var (failure, status, retryAfter) = FailureClassification.Classify(e, callToken);
            return new EmbeddingAttempt(failure, new GatewayAttempt(_model.LogicalName, failure.ToString(), status, Ms(started)), null, 0, 0m, false, retryAfter, e);
        }
    }

    private double Ms(long started) => _time.GetElapsedTime(started).TotalMilliseconds;

    private sealed record EmbeddingAttempt(
        FailureClass Failure, GatewayAttempt Record, List<float[]>? Vectors, int InputTokens, decimal CostUsd, bool CostEstimated, TimeSpan? RetryAfter, Exception? Error)
        : IModelAttempt;
}

/// <summary>An embeddings request failed after retries, or the budget refused it. The message carries no secret.</summary>
public sealed class EmbeddingFailedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public EmbeddingFailedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public EmbeddingFailedException()
    {
    }

    /// <summary>Creates the exception (the inner exception is the SDK's, which never includes the key).</summary>
    public EmbeddingFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
