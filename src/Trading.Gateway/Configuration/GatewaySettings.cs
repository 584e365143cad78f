using System.ClientModel;
using Microsoft.Extensions.Configuration;

namespace Trading.Gateway.Configuration;

/// <summary>
/// Where the gateway is and the key to it, from the flat names the original system and the TARS guide use
/// (<c>LLM_GATEWAY_BASE_URL</c>, <c>TARS_API_BASE</c>; <c>LLM_GATEWAY_API_KEY</c>, <c>TETRATE_API_KEY</c>, <c>TARS_API_KEY</c>).
/// The key is held privately: it is never part of <see cref="ToString"/>, <see cref="Describe"/> or any message.
/// </summary>
public sealed class GatewaySettings
{
    /// <summary>The TARS endpoint used when no base URL is configured.</summary>
    public static readonly Uri DefaultBaseUrl = new("https://api.router.tetrate.ai/v1");

    /// <summary>Base URL settings, highest precedence first.</summary>
    public static readonly IReadOnlyList<string> BaseUrlKeys = ["LLM_GATEWAY_BASE_URL", "TARS_API_BASE"];

    /// <summary>API key settings, highest precedence first.</summary>
    public static readonly IReadOnlyList<string> ApiKeyKeys = ["LLM_GATEWAY_API_KEY", "TETRATE_API_KEY", "TARS_API_KEY"];

    /// <summary>When "true", a missing gateway key is a start-up error instead of offline mode.</summary>
    public const string RequireKey = "REQUIRE_LLM_GATEWAY";

    private readonly string? _apiKey;

    /// <summary>Settings with an explicit URL and key (tests, tools).</summary>
    public GatewaySettings(Uri baseUrl, string? apiKey, string baseUrlSource = "explicit", string? apiKeySource = null, bool required = false)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        if (!baseUrl.IsAbsoluteUri || (baseUrl.Scheme != Uri.UriSchemeHttps && baseUrl.Scheme != Uri.UriSchemeHttp))
            throw new ArgumentException($"The gateway base URL must be an absolute http(s) URL (was '{baseUrl}').", nameof(baseUrl));
        BaseUrl = baseUrl;
        _apiKey = string.IsNullOrWhiteSpace(apiKey) ? null : apiKey.Trim();
        BaseUrlSource = baseUrlSource;
        ApiKeySource = _apiKey is null ? null : apiKeySource ?? "explicit";
        Required = required;
    }

    /// <summary>The gateway endpoint (OpenAI-compatible, ending in /v1 for TARS).</summary>
    public Uri BaseUrl { get; }

    /// <summary>The setting the base URL came from ("default" when none was set).</summary>
    public string BaseUrlSource { get; }

    /// <summary>The setting the key came from (its name, never its value), or null without a key.</summary>
    public string? ApiKeySource { get; }

    /// <summary>Whether <c>REQUIRE_LLM_GATEWAY=true</c>.</summary>
    public bool Required { get; }

    /// <summary>True with a key: calls go to the gateway. False: offline mode (the pipeline uses its rules-based council).</summary>
    public bool IsOnline => _apiKey is not null;

    /// <summary>
    /// Reads the flat settings from <paramref name="configuration"/> (environment variables included).
    /// Throws <see cref="GatewayConfigurationException"/> naming the setting when the URL is invalid, or when
    /// <c>REQUIRE_LLM_GATEWAY=true</c> and no key is set.
    /// </summary>
    public static GatewaySettings FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var (urlKey, urlText) = First(configuration, BaseUrlKeys);
        var (keyName, key) = First(configuration, ApiKeyKeys, Trading.Core.Settings.SecretSetting.IsUsable);
        var requiredText = configuration[RequireKey];
        var required = false;
        if (!string.IsNullOrWhiteSpace(requiredText) && !bool.TryParse(requiredText.Trim(), out required))
            throw new GatewayConfigurationException($"{RequireKey} must be 'true' or 'false' (was '{requiredText}').");

        var url = DefaultBaseUrl;
        if (urlText is not null
            && (!Uri.TryCreate(urlText.Trim(), UriKind.Absolute, out url!) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp)))
            throw new GatewayConfigurationException($"{urlKey} must be an absolute http(s) URL (was '{urlText}').");

        if (required && key is null)
        {
            throw new GatewayConfigurationException(
                $"{RequireKey}=true but no gateway key is set: set one of {string.Join(", ", ApiKeyKeys)}.");
        }

        return new GatewaySettings(url, key, urlKey ?? "default", keyName, required);
    }

    /// <summary>The key as an SDK credential; throws when offline.</summary>
    public ApiKeyCredential CreateCredential() =>
        _apiKey is null
            ? throw new InvalidOperationException("The gateway is offline (no key configured); there is no credential to create.")
            : new ApiKeyCredential(_apiKey);

    /// <summary>Removes the key from <paramref name="text"/> (defence in depth for messages that quote responses).</summary>
    public string Redact(string? text) =>
        text is null ? string.Empty : _apiKey is null ? text : text.Replace(_apiKey, "[redacted]", StringComparison.Ordinal);

    /// <summary>A configuration dump safe to log or show: the key appears only as set/unset and its source.</summary>
    public IReadOnlyDictionary<string, string> Describe() => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["BaseUrl"] = BaseUrl.ToString(),
        ["BaseUrlSource"] = BaseUrlSource,
        ["ApiKey"] = IsOnline ? "[set]" : "[not set]",
        ["ApiKeySource"] = ApiKeySource ?? "none",
        ["Required"] = Required ? "true" : "false",
        ["Mode"] = IsOnline ? "online" : "offline",
    };

    /// <inheritdoc />
    public override string ToString() => string.Join(", ", Describe().Select(kv => $"{kv.Key}={kv.Value}"));

    private static (string? Key, string? Value) First(IConfiguration configuration, IReadOnlyList<string> keys, Func<string?, bool>? usable = null)
    {
        foreach (var k in keys)
        {
            var v = configuration[k];
            if (usable?.Invoke(v) ?? !string.IsNullOrWhiteSpace(v))
                return (k, v);
        }

        return (null, null);
    }
}

/// <summary>The gateway configuration is unusable; the message names the setting and the rule (never a secret).</summary>
public sealed class GatewayConfigurationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public GatewayConfigurationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public GatewayConfigurationException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public GatewayConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
