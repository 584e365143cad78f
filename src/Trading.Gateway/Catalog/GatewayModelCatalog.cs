using System.Globalization;
using OpenAI;
using Trading.Gateway.Routing;
using Trading.Gateway.Configuration;

namespace Trading.Gateway.Catalog;

/// <summary>One configured model against what the gateway serves.</summary>
/// <param name="LogicalName">The registry's name (models.json).</param>
/// <param name="GatewayModelId">The id the gateway is asked for.</param>
/// <param name="Critical">True for the model every CRITICAL decision uses.</param>
/// <param name="Available">True when the gateway lists <paramref name="GatewayModelId"/>.</param>
/// <param name="Closest">For a missing model, the most similar ids the gateway does list.</param>
/// <param name="OverrideSetting">The setting that changes the id (<c>Models__name__GatewayModelId</c>).</param>
public sealed record ModelAvailability(string LogicalName, string GatewayModelId, bool Critical, bool Available, IReadOnlyList<string> Closest, string OverrideSetting);

/// <summary>The configured models against the gateway's <c>GET /v1/models</c>.</summary>
public sealed record ModelCheck(IReadOnlyList<ModelAvailability> Models, int ServedCount)
{
    /// <summary>The critical model is missing: trade decisions would fail (they are never downgraded to another model).</summary>
    public bool CriticalMissing => Models.Any(m => m.Critical && !m.Available);

    /// <summary>Configured models the gateway does not list.</summary>
    public IReadOnlyList<ModelAvailability> Missing => [.. Models.Where(m => !m.Available)];

    /// <summary>One line per missing model, naming the closest ids and the setting that overrides the id.</summary>
    public IEnumerable<string> Problems() => Missing.Select(m => string.Create(CultureInfo.InvariantCulture,
        $"{(m.Critical ? "CRITICAL " : string.Empty)}model '{m.LogicalName}' asks for '{m.GatewayModelId}', which the gateway does not list{(m.Closest.Count > 0 ? $" (closest: {string.Join(", ", m.Closest)})" : string.Empty)}; set {m.OverrideSetting} to an id it serves"));
}

/// <summary>
/// Checks the model registry against what the gateway serves, so a first run with a real key does not spend its budget on
/// 404s: every chat model of the registry is looked up in the gateway's model list (the OpenAI SDK's model client).
/// </summary>
public sealed class GatewayModelCatalog
{
    private readonly OpenAIClient _client;
    private readonly ModelRegistry _registry;
    private readonly RoutingPolicy _policy;

    public GatewayModelCatalog(OpenAIClient client, ModelRegistry registry, RoutingPolicy policy)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        _registry = registry ?? throw new ArgumentNullException(nameof(registry));
        _policy = policy ?? throw new ArgumentNullException(nameof(policy));
    }

    /// <summary>Lists the gateway's models and compares. Throws when the gateway cannot be asked (network, auth).</summary>
    public async Task<ModelCheck> CheckAsync(CancellationToken cancellationToken)
    {
        var served = (await _client.GetOpenAIModelClient().GetModelsAsync(cancellationToken)).Value.Select(m => m.Id).ToArray();
        var set = served.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var models = _registry.Models
            .Select(m => new ModelAvailability(
                m.LogicalName,
                m.GatewayModelId,
                string.Equals(m.LogicalName, _policy.CriticalModel, StringComparison.OrdinalIgnoreCase),
                set.Contains(m.GatewayModelId),
                set.Contains(m.GatewayModelId) ? [] : Closest(m.GatewayModelId, served),
                $"{ModelRegistryFile.OverridesSection}__{m.LogicalName}__{nameof(ModelDescriptor.GatewayModelId)}"))
            .ToArray();
        return new ModelCheck(models, served.Length);
    }

    /// <summary>The three served ids nearest to <paramref name="wanted"/> by edit distance, same provider prefix first.</summary>
    public static IReadOnlyList<string> Closest(string wanted, IEnumerable<string> served)
    {
        ArgumentNullException.ThrowIfNull(wanted);
        ArgumentNullException.ThrowIfNull(served);
        var provider = wanted.Split('/')[0];
        return served
            .OrderBy(id => id.Split('/')[0].Equals(provider, StringComparison.OrdinalIgnoreCase) ? 0 : 1)
            .ThenBy(id => Distance(wanted.ToLowerInvariant(), id.ToLowerInvariant()))
            .ThenBy(id => id, StringComparer.Ordinal)
            .Take(3)
            .ToArray();
    }

    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
