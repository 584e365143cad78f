using System.ClientModel.Primitives;
using OpenAI;
using Trading.Gateway.Configuration;

namespace Trading.Gateway.Calls;

/// <summary>Builds the one <see cref="OpenAIClient"/> the gateway reuses for every chat and embeddings call.</summary>
public static class GatewayClientFactory
{
    /// <summary>
    /// A client for <see cref="GatewaySettings.BaseUrl"/> with the gateway key, the SDK's own retries switched off (our
    /// retry and fallback policy is the only one) and a per-request network timeout. Null when offline.
    /// </summary>
    public static OpenAIClient? Create(GatewaySettings settings, RoutingOptions routing)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(routing);
        if (!settings.IsOnline)
            return null;
        var options = new OpenAIClientOptions
        {
            Endpoint = settings.BaseUrl,
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = TimeSpan.FromSeconds(routing.AttemptTimeoutSeconds),
            UserAgentApplicationId = "trading-gateway",
        };
        return new OpenAIClient(settings.CreateCredential(), options);
    }
}
