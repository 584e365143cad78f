namespace Trading.TestKit.Http;

/// <summary>
/// A running instance of the trading HTTP API: <c>trading serve</c> or a Functions host (<c>func start</c>, or Azure).
/// Point the contract suite at one with <see cref="BaseUrlVariable"/> and <see cref="KeyVariable"/>.
/// </summary>
public sealed record TradingApiTarget(Uri BaseUrl, string Key)
{
    /// <summary>Base URL of the host, e.g. <c>http://127.0.0.1:7071</c> (routes are under <c>/api</c>).</summary>
    public const string BaseUrlVariable = "TRADING_API_BASE_URL";

    /// <summary>A function or host key valid for every route.</summary>
    public const string KeyVariable = "TRADING_API_KEY";

    /// <summary>The target named by the environment, or null when <see cref="BaseUrlVariable"/> is not set.</summary>
    public static TradingApiTarget? FromEnvironment()
    {
        var url = Environment.GetEnvironmentVariable(BaseUrlVariable);
        if (string.IsNullOrWhiteSpace(url))
        {
            return null;
        }

        var key = Environment.GetEnvironmentVariable(KeyVariable);
        if (string.IsNullOrEmpty(key))
        {
            throw new InvalidOperationException($"{BaseUrlVariable} is set but {KeyVariable} is not: the contract suite needs a key valid for every route.");
        }

        return new TradingApiTarget(new Uri(url.TrimEnd('/') + "/"), key);
    }

    /// <summary>A client for the target without credentials (each request adds the key or not).</summary>
    public HttpClient CreateClient() => new() { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(60) };

    public override string ToString() => $"{BaseUrl} (key hidden)";
}
