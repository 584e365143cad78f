using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Trading.Gateway.Routing;

namespace Trading.Gateway.Configuration;

/// <summary>
/// Loads the model registry from a JSON file (<c>{"models":[{logicalName, gatewayModelId, provider, contextWindowTokens,
/// criticalCapable, isEmbedding, minOutputTokens, price:{inputPerMillionUsd, cachedInputPerMillionUsd, outputPerMillionUsd, effectiveDate}}]}</c>)
/// and applies overrides from configuration section "Models" (e.g. <c>Models__kimi-k2__GatewayModelId</c>,
/// <c>Models__kimi-k2__OutputPerMillionUsd</c>). An override for an unknown name adds a model when all fields are given.
/// </summary>
public static class ModelRegistryFile
{
    /// <summary>Configuration section of per-model overrides.</summary>
    public const string OverridesSection = "Models";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { ReadCommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <summary>Loads <paramref name="path"/> (relative to the app directory) and applies overrides; throws naming the problem.</summary>
    public static ModelRegistry Load(string path, IConfiguration? overrides)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.IsPathRooted(path) ? path : Path.Combine(AppContext.BaseDirectory, path);
        if (!File.Exists(full))
            throw new GatewayConfigurationException($"{RoutingOptions.SectionName}:{nameof(RoutingOptions.RegistryFile)}: model registry '{full}' does not exist.");
        return Parse(File.ReadAllText(full), full, overrides);
    }

    /// <summary>Parses registry JSON and applies overrides.</summary>
    public static ModelRegistry Parse(string json, string source, IConfiguration? overrides)
    {
        RegistryDocument? doc;
        try
        {
            doc = JsonSerializer.Deserialize<RegistryDocument>(json, Json);
        }
        catch (JsonException e)
        {
            throw new GatewayConfigurationException($"Model registry '{source}' is not valid JSON: {e.Message}", e);
        }

        var models = new List<ModelDescriptor>();
        foreach (var m in doc?.Models ?? [])
        {
            if (m.Price is null)
                throw new GatewayConfigurationException($"Model registry '{source}': model '{m.LogicalName}' has no price.");
            models.Add(new ModelDescriptor(m.LogicalName ?? string.Empty, m.GatewayModelId ?? string.Empty, m.Provider ?? string.Empty,
                m.ContextWindowTokens, m.CriticalCapable,
                new ModelPrice(m.Price.InputPerMillionUsd, m.Price.CachedInputPerMillionUsd, m.Price.OutputPerMillionUsd, m.Price.EffectiveDate),
                m.IsEmbedding,
                m.MinOutputTokens));
        }

        if (overrides is not null)
            ApplyOverrides(models, overrides.GetSection(OverridesSection));
        try
        {
            return new ModelRegistry(models);
        }
        catch (ArgumentException e)
        {
            throw new GatewayConfigurationException($"Model registry '{source}': {e.Message}", e);
        }
    }

    private static void ApplyOverrides(List<ModelDescriptor> models, IConfigurationSection section)
    {
        foreach (var child in section.GetChildren())
        {
            var name = child.Key;
            var index = models.FindIndex(m => string.Equals(m.LogicalName, name, StringComparison.OrdinalIgnoreCase));
            var current = index >= 0
                ? models[index]
                : new ModelDescriptor(name, string.Empty, string.Empty, 0, false, new ModelPrice(0, 0, 0, DateOnly.MinValue));
            var price = current.Price;
            var updated = current with
            {
                GatewayModelId = child[nameof(ModelDescriptor.GatewayModelId)] ?? current.GatewayModelId,
                Provider = child[nameof(ModelDescriptor.Provider)] ?? current.Provider,
                ContextWindowTokens = Int(child, nameof(ModelDescriptor.ContextWindowTokens)) ?? current.ContextWindowTokens,
                CriticalCapable = Bool(child, nameof(ModelDescriptor.CriticalCapable)) ?? current.CriticalCapable,
                IsEmbedding = Bool(child, nameof(ModelDescriptor.IsEmbedding)) ?? current.IsEmbedding,
                MinOutputTokens = Int(child, nameof(ModelDescriptor.MinOutputTokens)) ?? current.MinOutputTokens,
                Price = new ModelPrice(
                    Dec(child, nameof(ModelPrice.InputPerMillionUsd)) ?? price.InputPerMillionUsd,
                    Dec(child, nameof(ModelPrice.CachedInputPerMillionUsd)) ?? price.CachedInputPerMillionUsd,
                    Dec(child, nameof(ModelPrice.OutputPerMillionUsd)) ?? price.OutputPerMillionUsd,
                    Date(child, nameof(ModelPrice.EffectiveDate)) ?? price.EffectiveDate),
            };
            if (index >= 0)
                models[index] = updated;
            else
                models.Add(updated);
        }
    }

    private static string Key(IConfigurationSection s, string name) => $"{s.Path}:{name}";

    private static int? Int(IConfigurationSection s, string name) =>
        s[name] is not { } v ? null
        : int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var r) ? r
        : throw new GatewayConfigurationException($"{Key(s, name)} must be an integer (was '{v}').");

    private static bool? Bool(IConfigurationSection s, string name) =>
        s[name] is not { } v ? null
        : bool.TryParse(v, out var r) ? r
        : throw new GatewayConfigurationException($"{Key(s, name)} must be true or false (was '{v}').");

    private static decimal? Dec(IConfigurationSection s, string name) =>
        s[name] is not { } v ? null
        : decimal.TryParse(v, NumberStyles.Number, CultureInfo.InvariantCulture, out var r) ? r
        : throw new GatewayConfigurationException($"{Key(s, name)} must be a decimal number (was '{v}').");

    private static DateOnly? Date(IConfigurationSection s, string name) =>
        s[name] is not { } v ? null
        : DateOnly.TryParseExact(v, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var r) ? r
        : throw new GatewayConfigurationException($"{Key(s, name)} must be a date yyyy-MM-dd (was '{v}').");

    private sealed class RegistryDocument
    {
        public List<ModelEntry>? Models { get; set; }
    }

    private sealed class ModelEntry
    {
        public string? LogicalName { get; set; }

        public string? GatewayModelId { get; set; }

        public string? Provider { get; set; }

        public int ContextWindowTokens { get; set; }

        public bool CriticalCapable { get; set; }

        public bool IsEmbedding { get; set; }

        public int MinOutputTokens { get; set; }

        public PriceEntry? Price { get; set; }
    }

    private sealed class PriceEntry
    {
        public decimal InputPerMillionUsd { get; set; }

        public decimal CachedInputPerMillionUsd { get; set; }

        public decimal OutputPerMillionUsd { get; set; }

        public DateOnly EffectiveDate { get; set; }
    }
}
