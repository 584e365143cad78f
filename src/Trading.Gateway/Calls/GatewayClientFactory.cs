using System.ClientModel.Primitives;
using OpenAI;
using Trading.Gateway.Configuration;

namespace Trading.Gateway.Calls;

/// <summary>Builds the one <see cref="OpenAIClient"/> the gateway reuses for every chat and embeddings call.</summary>
public static class GatewayClientFactory
{
    /// <summary>
    /// A client for <see cref="GatewaySettings.BaseUrl"/> with the gateway key and the SDK's own retries and timeout switched
    /// off: <see cref="ModelResilience"/> retries and times out each attempt, the gateway falls back. Null when offline.
    /// </summary>
    public static OpenAIClient? Create(GatewaySettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!settings.IsOnline)
            return null;
        var options = new OpenAIClientOptions
        {
            Endpoint = settings.BaseUrl,
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = Timeout.InfiniteTimeSpan,
            UserAgentApplicationId = "trading-gateway",
        };
        return new OpenAIClient(settings.CreateCredential(), options);
    }
}
