namespace Trading.Markets.Alpaca;

/// <summary>
/// Alpaca client settings (configuration section <c>Alpaca</c>). Paper trading unless <see cref="Environment"/> is
/// explicitly <c>live</c>. Base URLs can be overridden (proxies, loopback tests) by settings or by the environment
/// variables <c>ALPACA_TRADING_URL</c> and <c>ALPACA_DATA_URL</c>.
/// </summary>
public sealed class AlpacaSettings
{
    public const string SectionName = "Alpaca";

    public const string PaperTradingUrl = "https://paper-api.alpaca.markets";
    public const string LiveTradingUrl = "https://api.alpaca.markets";
    public const string DefaultDataUrl = "https://data.alpaca.markets";
    public const string TradingUrlVariable = "ALPACA_TRADING_URL";
    public const string DataUrlVariable = "ALPACA_DATA_URL";

    /// <summary><c>paper</c> (default) or <c>live</c>.</summary>
    public string Environment { get; set; } = "paper";

    /// <summary>Trading API base URL; empty means the environment's default.</summary>
    public string? TradingUrl { get; set; }

    /// <summary>Market data API base URL; empty means <see cref="DefaultDataUrl"/>.</summary>
    public string? DataUrl { get; set; }

    /// <summary>Options data feed: <c>indicative</c> (free) or <c>opra</c>.</summary>
    public string OptionsFeed { get; set; } = "indicative";

    /// <summary>Stock data feed: <c>iex</c> (free) or <c>sip</c>.</summary>
    public string StockFeed { get; set; } = "iex";

    /// <summary>Per-request timeout.</summary>
    public int RequestTimeoutSeconds { get; set; } = 15;

    /// <summary>Client-side limit; Alpaca allows 200 a minute, so stay below it.</summary>
    public int MaxRequestsPerMinute { get; set; } = 180;

    /// <summary>Retries after a 5xx or a timeout (not counting the first attempt).</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>First retry delay; doubles each retry.</summary>
    public int RetryBaseDelayMilliseconds { get; set; } = 500;

    /// <summary>The longest wait honoured for a 429's <c>X-Ratelimit-Reset</c>.</summary>
    public int MaxRateLimitWaitSeconds { get; set; } = 60;

    /// <summary>Page size for paginated option endpoints.</summary>
    public int PageSize { get; set; } = 1000;

    /// <summary>True for live trading (only when <see cref="Environment"/> says <c>live</c>).</summary>
    public bool IsLive => string.Equals(Environment?.Trim(), "live", StringComparison.OrdinalIgnoreCase);

    /// <summary>The trading URL in effect: the environment variable, then the setting, then the environment's default.</summary>
    public Uri ResolveTradingUrl(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var text = FirstNonEmpty(environment(TradingUrlVariable), TradingUrl) ?? (IsLive ? LiveTradingUrl : PaperTradingUrl);
        return new Uri(text.TrimEnd('/') + "/");
    }

    /// <summary>The data URL in effect: the environment variable, then the setting, then the default.</summary>
    public Uri ResolveDataUrl(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var text = FirstNonEmpty(environment(DataUrlVariable), DataUrl) ?? DefaultDataUrl;
        return new Uri(text.TrimEnd('/') + "/");
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming every bad setting and the rule it broke.</summary>
    public void Validate()
    {
        var errors = new List<string>();
        void Require(bool ok, string name, string rule)
        {
            if (!ok)
            {
                errors.Add($"{SectionName}:{name} {rule}");
            }
        }

        var env = Environment?.Trim().ToUpperInvariant();
        Require(env is "PAPER" or "LIVE", nameof(Environment), "must be 'paper' or 'live'");
        Require(IsAbsoluteHttp(TradingUrl), nameof(TradingUrl), "must be an absolute http(s) URL when set");
        Require(IsAbsoluteHttp(DataUrl), nameof(DataUrl), "must be an absolute http(s) URL when set");
        Require(!string.IsNullOrWhiteSpace(OptionsFeed), nameof(OptionsFeed), "must be set (indicative or opra)");
        Require(!string.IsNullOrWhiteSpace(StockFeed), nameof(StockFeed), "must be set (iex or sip)");
        Require(RequestTimeoutSeconds is >= 1 and <= 300, nameof(RequestTimeoutSeconds), "must be between 1 and 300");
        Require(MaxRequestsPerMinute is >= 1 and < 200, nameof(MaxRequestsPerMinute), "must be between 1 and 199 (Alpaca allows 200 a minute)");
        Require(MaxRetries is >= 0 and <= 10, nameof(MaxRetries), "must be between 0 and 10");
        Require(RetryBaseDelayMilliseconds is >= 0 and <= 60_000, nameof(RetryBaseDelayMilliseconds), "must be between 0 and 60000");
        Require(MaxRateLimitWaitSeconds is >= 0 and <= 600, nameof(MaxRateLimitWaitSeconds), "must be between 0 and 600");
        Require(PageSize is >= 1 and <= 10_000, nameof(PageSize), "must be between 1 and 10000");
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid Alpaca settings: " + string.Join("; ", errors), nameof(AlpacaSettings));
        }
    }

    private static string? FirstNonEmpty(params string?[] values) => values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));

    private static bool IsAbsoluteHttp(string? url) =>
        string.IsNullOrWhiteSpace(url)
        || (Uri.TryCreate(url, UriKind.Absolute, out var u) && (u.Scheme == Uri.UriSchemeHttp || u.Scheme == Uri.UriSchemeHttps));
}
