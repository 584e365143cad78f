using System.Collections.Frozen;
using System.Globalization;

namespace Trading.Gateway.Routing;

/// <summary>List prices of one model in US dollars per million tokens, valid from <see cref="EffectiveDate"/>.</summary>
/// <param name="InputPerMillionUsd">Uncached input (prompt) tokens.</param>
/// <param name="CachedInputPerMillionUsd">Input tokens served from the provider's prompt cache.</param>
/// <param name="OutputPerMillionUsd">Output tokens, reasoning tokens included.</param>
/// <param name="EffectiveDate">First day these prices apply.</param>
public sealed record ModelPrice(
    decimal InputPerMillionUsd,
    decimal CachedInputPerMillionUsd,
    decimal OutputPerMillionUsd,
    DateOnly EffectiveDate);

/// <summary>One model known to the router.</summary>
/// <param name="LogicalName">Our stable name (e.g. "kimi-k2"), used in policy and telemetry.</param>
/// <param name="GatewayModelId">The id the gateway expects (e.g. "deepinfra/moonshotai/Kimi-K2-Instruct-0905").</param>
/// <param name="Provider">Upstream provider, for reading telemetry.</param>
/// <param name="ContextWindowTokens">Maximum prompt plus output tokens.</param>
/// <param name="CriticalCapable">Whether the model may answer CRITICAL tasks (including as a fallback).</param>
/// <param name="Price">Current prices.</param>
/// <param name="IsEmbedding">True for embedding models (never chosen for chat).</param>
/// <param name="MinOutputTokens">The smallest output cap worth sending: a reasoning model counts its thinking against the cap, so
/// a call capped lower is raised to this (0: no floor).</param>
public sealed record ModelDescriptor(
    string LogicalName,
    string GatewayModelId,
    string Provider,
    int ContextWindowTokens,
    bool CriticalCapable,
    ModelPrice Price,
    bool IsEmbedding = false,
    int MinOutputTokens = 0);

/// <summary>The set of models the router may use, by logical name (case-insensitive).</summary>
public sealed class ModelRegistry
{
    /// <summary>Logical names of the default models.</summary>
    public const string DeepSeekV3 = "deepseek-v3";

    /// <summary>Mistral Medium 3.</summary>
    public const string MistralMedium3 = "mistral-medium-3";

    /// <summary>Kimi K2.</summary>
    public const string KimiK2 = "kimi-k2";

    /// <summary>DeepSeek-R1 (reasoning).</summary>
    public const string DeepSeekR1 = "deepseek-r1";

    /// <summary>Claude Opus (the critical model).</summary>
    public const string ClaudeOpus = "claude-opus";

    /// <summary>The embedding model.</summary>
    public const string TextEmbedding3Small = "text-embedding-3-small";

    private readonly FrozenDictionary<string, ModelDescriptor> _models;
    private readonly ModelDescriptor[] _ordered;

    /// <summary>Creates a registry; throws naming the problem when a model is invalid or a name repeats.</summary>
    public ModelRegistry(IEnumerable<ModelDescriptor> models)
    {
        ArgumentNullException.ThrowIfNull(models);
        var map = new Dictionary<string, ModelDescriptor>(StringComparer.OrdinalIgnoreCase);
        var errors = new List<string>();
        foreach (var m in models)
        {
            errors.AddRange(Validate(m));
            if (!map.TryAdd(m.LogicalName, m))
                errors.Add($"model '{m.LogicalName}' is listed twice");
        }

        if (map.Count == 0)
            errors.Add("the model registry is empty");
        if (errors.Count > 0)
            throw new ArgumentException("Invalid model registry: " + string.Join("; ", errors), nameof(models));
        _models = map.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
        _ordered = [.. map.Values];
    }

    /// <summary>All models, in the order given.</summary>
    public IReadOnlyList<ModelDescriptor> Models => _ordered;

    /// <summary>True when <paramref name="logicalName"/> is registered.</summary>
    public bool Contains(string logicalName) => _models.ContainsKey(logicalName);

    /// <summary>The model named <paramref name="logicalName"/>; throws naming it when unknown.</summary>
    public ModelDescriptor Get(string logicalName) =>
        _models.TryGetValue(logicalName, out var m)
            ? m
            : throw new KeyNotFoundException($"Model '{logicalName}' is not in the model registry (known: {string.Join(", ", _models.Keys.Order(StringComparer.Ordinal))}).");

    /// <summary>The defaults: list prices as of 2026 (system facts §2), TARS model ids.</summary>
    public static ModelRegistry Default { get; } = new(DefaultModels());

    /// <summary>The default model list (a fresh copy).</summary>
    public static IReadOnlyList<ModelDescriptor> DefaultModels()
    {
        var since = new DateOnly(2026, 1, 1);
        return
        [
            new(DeepSeekV3, "deepinfra/deepseek-ai/DeepSeek-V3.1", "deepseek", 131_072, false, new(0.28m, 0.028m, 0.42m, since)),
            new(MistralMedium3, "mistral/mistral-medium-2505", "mistral", 131_072, false, new(0.40m, 0.04m, 2.00m, since)),
            new(KimiK2, "deepinfra/moonshotai/Kimi-K2-Instruct-0905", "moonshot", 262_144, false, new(0.60m, 0.15m, 2.50m, since)),
            new(DeepSeekR1, "deepinfra/deepseek-ai/DeepSeek-R1-0528", "deepseek", 163_840, false, new(0.70m, 0.07m, 2.50m, since), MinOutputTokens: 4_000),
            new(ClaudeOpus, "anthropic/claude-opus-4-5", "anthropic", 200_000, true, new(5.00m, 0.50m, 25.00m, since)),
            new(TextEmbedding3Small, "openai/text-embedding-3-small", "openai", 8_191, false, new(0.02m, 0.02m, 0m, since), IsEmbedding: true),
        ];
    }

    private static IEnumerable<string> Validate(ModelDescriptor m)
    {
        if (string.IsNullOrWhiteSpace(m.LogicalName))
            yield return "a model has no LogicalName";
        var name = m.LogicalName ?? "?";
        if (string.IsNullOrWhiteSpace(m.GatewayModelId))
            yield return $"model '{name}': GatewayModelId is required";
        if (m.ContextWindowTokens <= 0)
            yield return string.Create(CultureInfo.InvariantCulture, $"model '{name}': ContextWindowTokens must be positive (was {m.ContextWindowTokens})");
        if (m.Price is null)
        {
            yield return $"model '{name}': Price is required";
            yield break;
        }

        if (m.Price.InputPerMillionUsd < 0 || m.Price.CachedInputPerMillionUsd < 0 || m.Price.OutputPerMillionUsd < 0)
            yield return $"model '{name}': prices must not be negative";
        if (m.Price.CachedInputPerMillionUsd > m.Price.InputPerMillionUsd)
            yield return $"model '{name}': CachedInputPerMillionUsd must not exceed InputPerMillionUsd";
    }
}
