using System.Globalization;
using Trading.Gateway.Routing;

namespace Trading.Gateway.Configuration;

/// <summary>One traffic split (section <c>Routing:Splits:&lt;task_type&gt;</c>).</summary>
public sealed class SplitOptions
{
    /// <summary>Weighted variants as "model=weight;model=weight", e.g. "kimi-k2=90;deepseek-r1=10".</summary>
    public string Variants { get; set; } = string.Empty;

    /// <summary>Optional shadow model called alongside for comparison.</summary>
    public string? Shadow { get; set; }
}

/// <summary>Model routing, retries and telemetry (section "Routing", e.g. <c>Routing__ForcedModel</c>).</summary>
public sealed class RoutingOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "Routing";

    /// <summary>Model registry JSON file; relative paths are resolved against the application directory.</summary>
    public string RegistryFile { get; set; } = "models.json";

    /// <summary>Model for every CRITICAL task.</summary>
    public string CriticalModel { get; set; } = ModelRegistry.ClaudeOpus;

    /// <summary>When set, every non-critical task requests this model (budget still applies; CRITICAL ignores it).</summary>
    public string? ForcedModel { get; set; }

    /// <summary>Downgrade chain, most to least expensive, comma-separated.</summary>
    public string DowngradeChain { get; set; } = "claude-opus,kimi-k2,mistral-medium-3,deepseek-v3";

    /// <summary>Traffic splits by task type.</summary>
    public Dictionary<string, SplitOptions> Splits { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Attempts on one model for retryable failures (429, 5xx, timeout, connection).</summary>
    public int MaxAttemptsPerModel { get; set; } = 3;

    /// <summary>Attempts across all models for one call.</summary>
    public int MaxTotalAttempts { get; set; } = 6;

    /// <summary>Hard deadline for one call, all attempts and backoff included.</summary>
    public int CallDeadlineSeconds { get; set; } = 90;

    /// <summary>Timeout of one HTTP attempt.</summary>
    public int AttemptTimeoutSeconds { get; set; } = 45;

    /// <summary>First backoff; doubles per retry, with jitter.</summary>
    public int InitialBackoffMilliseconds { get; set; } = 500;

    /// <summary>Largest backoff (and largest Retry-After honoured before moving on).</summary>
    public int MaxBackoffMilliseconds { get; set; } = 8000;

    /// <summary>Seed of the jitter generator (randomness only from a seed).</summary>
    public int JitterSeed { get; set; } = 17;

    /// <summary>Failures in a row within <see cref="CircuitWindowSeconds"/> that open a model's circuit (at least 2).</summary>
    public int CircuitFailureThreshold { get; set; } = 5;

    /// <summary>Window in which failures are counted.</summary>
    public int CircuitWindowSeconds { get; set; } = 60;

    /// <summary>How long an open circuit rejects calls before letting one trial through.</summary>
    public int CircuitCooldownSeconds { get; set; } = 30;

    /// <summary>Embedding model (logical name).</summary>
    public string EmbeddingModel { get; set; } = ModelRegistry.TextEmbedding3Small;

    /// <summary>Texts per embeddings request.</summary>
    public int EmbeddingBatchSize { get; set; } = 64;

    /// <summary>Table holding one record per call.</summary>
    public string TelemetryTableName { get; set; } = "LlmCalls";

    /// <summary>Wait for a shadow call at most this long after the primary answered (it never delays the caller's result).</summary>
    public int ShadowTimeoutSeconds { get; set; } = 30;

    /// <summary>The downgrade chain as a list.</summary>
    public IReadOnlyList<string> DowngradeChainModels =>
        [.. DowngradeChain.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    /// <summary>The Core policy these options describe; throws naming a malformed split.</summary>
    public RoutingPolicy ToPolicy(BudgetExhaustedAction onExhausted)
    {
        var splits = new Dictionary<string, TrafficSplit>(StringComparer.Ordinal);
        foreach (var (task, split) in Splits)
        {
            var t = TaskCatalog.Normalize(task);
            splits[t] = new TrafficSplit(t, ParseVariants(task, split.Variants), split.Shadow);
        }

        return new RoutingPolicy
        {
            CriticalModel = CriticalModel,
            ForcedModel = string.IsNullOrWhiteSpace(ForcedModel) ? null : ForcedModel.Trim(),
            DowngradeChain = DowngradeChainModels,
            Splits = splits,
            OnExhausted = onExhausted,
        };
    }

    /// <summary>Each broken setting and the rule it broke (empty when valid).</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        void Positive(string name, int value)
        {
            if (value <= 0)
                errors.Add(string.Create(CultureInfo.InvariantCulture, $"{SectionName}:{name} must be positive (was {value})"));
        }

        Positive(nameof(MaxAttemptsPerModel), MaxAttemptsPerModel);
        Positive(nameof(MaxTotalAttempts), MaxTotalAttempts);
        Positive(nameof(CallDeadlineSeconds), CallDeadlineSeconds);
        Positive(nameof(AttemptTimeoutSeconds), AttemptTimeoutSeconds);
        Positive(nameof(InitialBackoffMilliseconds), InitialBackoffMilliseconds);
        if (CircuitFailureThreshold < 2)
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{SectionName}:{nameof(CircuitFailureThreshold)} must be at least 2 (was {CircuitFailureThreshold})"));
        Positive(nameof(CircuitWindowSeconds), CircuitWindowSeconds);
        Positive(nameof(CircuitCooldownSeconds), CircuitCooldownSeconds);
        Positive(nameof(EmbeddingBatchSize), EmbeddingBatchSize);
        Positive(nameof(ShadowTimeoutSeconds), ShadowTimeoutSeconds);
        if (MaxBackoffMilliseconds < InitialBackoffMilliseconds)
            errors.Add($"{SectionName}:{nameof(MaxBackoffMilliseconds)} must be ≥ {nameof(InitialBackoffMilliseconds)}");
        if (string.IsNullOrWhiteSpace(CriticalModel))
            errors.Add($"{SectionName}:{nameof(CriticalModel)} is required");
        if (DowngradeChainModels.Count == 0)
            errors.Add($"{SectionName}:{nameof(DowngradeChain)} must name at least one model");
        if (string.IsNullOrWhiteSpace(TelemetryTableName) || !TelemetryTableName.All(char.IsAsciiLetterOrDigit))
            errors.Add($"{SectionName}:{nameof(TelemetryTableName)} must be letters or digits (was '{TelemetryTableName}')");
        foreach (var (task, split) in Splits)
        {
            try
            {
                _ = ParseVariants(task, split.Variants);
            }
            catch (FormatException e)
            {
                errors.Add(e.Message);
            }
        }

        return errors;
    }

    private static List<SplitVariant> ParseVariants(string task, string text)
    {
        var list = new List<SplitVariant>();
        foreach (var part in (text ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var pieces = part.Split('=', StringSplitOptions.TrimEntries);
            if (pieces.Length != 2 || pieces[0].Length == 0
                || !int.TryParse(pieces[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var weight) || weight <= 0)
                throw new FormatException($"{SectionName}:Splits:{task}:Variants: '{part}' must be 'model=positive-weight'");
            list.Add(new SplitVariant(pieces[0], weight));
        }

        if (list.Count == 0)
            throw new FormatException($"{SectionName}:Splits:{task}:Variants must list at least one 'model=weight'");
        return list;
    }
}
