using System.Text.RegularExpressions;

namespace Trading.Infra.Tests.Security;

/// <summary>
/// Looks for anything in a text file that could be a credential. Tuned for our infra files, where the only
/// legitimate secret-shaped things are Key Vault references and readEnvironmentVariable(...) calls.
/// </summary>
internal static partial class SecretScanner
{
    private static readonly (Regex Pattern, string Finding)[] Rules =
    [
        (StorageAccountKey(), "a storage account key (AccountKey=)"),
        (SharedAccessSignature(), "a shared access signature"),
        (OpenAiStyleKey(), "an sk-... API key"),
        (PasswordWord(), "the word 'password' (no credentials of any kind belong in these files)"),
        (AlpacaStyleKeyId(), "an Alpaca-style key id"),
        (JsonWebToken(), "a JSON web token"),
        (PrivateKeyBlock(), "a private key block"),
        (LiteralAssignedToSecretName(), "a literal value assigned to a key/secret/token name"),
    ];

    /// <summary>One line per suspicious match: where it is and what it looks like (never the matched text itself).</summary>
    public static IReadOnlyList<string> Scan(string label, string text)
    {
        var findings = new List<string>();
        foreach (var (pattern, finding) in Rules)
        {
            findings.AddRange(pattern.Matches(text).Select(m => $"{label}:{LineOf(text, m.Index)}: {finding}"));
        }

        // Long base64-like runs with mixed case and digits: account keys, client secrets, SAS signatures.
        foreach (Match run in Base64LikeRun().Matches(text))
        {
            var value = run.Value;
            if (value.Any(char.IsDigit) && value.Any(char.IsUpper) && value.Any(char.IsLower))
            {
                findings.Add($"{label}:{LineOf(text, run.Index)}: a long base64-like token");
            }
        }

        return findings;
    }

    private static int LineOf(string text, int index) => text.AsSpan(0, index).Count('\n') + 1;

    [GeneratedRegex(@"AccountKey\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex StorageAccountKey();

    [GeneratedRegex(@"SharedAccessSignature\s*=|[?&]sig=[A-Za-z0-9%/+]{16,}", RegexOptions.IgnoreCase)]
    private static partial Regex SharedAccessSignature();

    [GeneratedRegex(@"\bsk-[A-Za-z0-9_-]{16,}")]
    private static partial Regex OpenAiStyleKey();

    [GeneratedRegex("password", RegexOptions.IgnoreCase)]
    private static partial Regex PasswordWord();

    // Alpaca key ids are upper-case letters and digits starting PK (paper) or AK (live).
    [GeneratedRegex(@"\b(?:PK|AK|CK)[A-Z0-9]{16,}\b")]
    private static partial Regex AlpacaStyleKeyId();

    [GeneratedRegex(@"eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}")]
    private static partial Regex JsonWebToken();

    [GeneratedRegex(@"-----BEGIN [A-Z ]*PRIVATE KEY-----")]
    private static partial Regex PrivateKeyBlock();

    // NAME_API_KEY: 'value' / apiKey = "value" / SECRET_KEY: ..., where the value is a plain literal of 12+ characters
    // without spaces or '<' (placeholders such as "<from Key Vault>" are fine) and is not a Key Vault reference.
    [GeneratedRegex(
        @"(?:api[_-]?key|secret[_-]?key|secret|token|key[_-]?id)[""']?\s*[:=]\s*[""'](?!@Microsoft\.KeyVault\()[^""'<\s]{12,}[""']",
        RegexOptions.IgnoreCase)]
    private static partial Regex LiteralAssignedToSecretName();

    [GeneratedRegex(@"(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{40,}={0,2}")]
    private static partial Regex Base64LikeRun();
}
