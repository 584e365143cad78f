namespace Trading.Core.Settings;

/// <summary>
/// Whether a secret setting holds a usable value. On Azure a Key Vault reference whose secret is missing (or not yet
/// readable) reaches the app as the reference text itself, <c>@Microsoft.KeyVault(...)</c>: that is no key, and must leave
/// the system offline (simulated market, rules-based council) rather than be sent as a credential.
/// </summary>
public static class SecretSetting
{
    /// <summary>True for a non-blank value that is not an unresolved Key Vault reference.</summary>
    public static bool IsUsable(string? value) =>
        !string.IsNullOrWhiteSpace(value) && !value.TrimStart().StartsWith("@Microsoft.KeyVault(", StringComparison.OrdinalIgnoreCase);
}
