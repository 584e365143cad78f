namespace Trading.Markets.Alpaca;

/// <summary>
/// Alpaca API keys, read from <c>ALPACA_API_KEY_ID</c> / <c>ALPACA_API_SECRET_KEY</c> (or <c>APCA_API_KEY_ID</c> /
/// <c>APCA_API_SECRET_KEY</c>). The values are never logged or echoed: <see cref="ToString"/> hides them.
/// </summary>
public sealed class AlpacaCredentials
{
    public const string KeyIdVariable = "ALPACA_API_KEY_ID";
    public const string SecretKeyVariable = "ALPACA_API_SECRET_KEY";
    public const string AlternateKeyIdVariable = "APCA_API_KEY_ID";
    public const string AlternateSecretKeyVariable = "APCA_API_SECRET_KEY";

    /// <summary>The variable names, for error messages.</summary>
    public const string VariableNames = $"{KeyIdVariable} / {SecretKeyVariable} (or {AlternateKeyIdVariable} / {AlternateSecretKeyVariable})";

    public AlpacaCredentials(string keyId, string secretKey)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(keyId);
        ArgumentException.ThrowIfNullOrWhiteSpace(secretKey);
        KeyId = keyId.Trim();
        SecretKey = secretKey.Trim();
    }

    public string KeyId { get; }

    public string SecretKey { get; }

    /// <summary>Reads the keys through <paramref name="lookup"/> (environment or configuration); null when either is missing.</summary>
    public static AlpacaCredentials? Resolve(Func<string, string?> lookup)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        var id = First(lookup(KeyIdVariable), lookup(AlternateKeyIdVariable));
        var secret = First(lookup(SecretKeyVariable), lookup(AlternateSecretKeyVariable));
        return id is null || secret is null ? null : new AlpacaCredentials(id, secret);

        // An unresolved Key Vault reference is no key: the system stays on the simulated broker.
        static string? First(string? a, string? b) => Trading.Core.Settings.SecretSetting.IsUsable(a) ? a : Trading.Core.Settings.SecretSetting.IsUsable(b) ? b : null;
    }

    /// <summary>Never the values.</summary>
    public override string ToString() => "AlpacaCredentials(***)";
}
