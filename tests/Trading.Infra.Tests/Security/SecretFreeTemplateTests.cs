using System.Text.RegularExpressions;
using Trading.Infra.Tests.Bicep;

namespace Trading.Infra.Tests.Security;

/// <summary>No secret in any infra file; secrets only through @secure() parameters that default to empty.</summary>
public sealed partial class SecretFreeTemplateTests
{
    private static readonly InfraTemplate Infra = InfraTemplate.Load(RepoFiles.InfraDirectory);

    [Fact]
    public void No_infra_file_holds_anything_that_looks_like_a_secret()
    {
        var files = RepoFiles.InfraFiles();
        var findings = files.SelectMany(f => SecretScanner.Scan(Path.GetRelativePath(RepoFiles.Root, f), File.ReadAllText(f))).ToList();

        Assert.True(files.Count >= 10, $"Only {files.Count} files scanned.");
        Assert.True(findings.Count == 0, "Possible secrets:\n  " + string.Join("\n  ", findings));
    }

    [Fact]
    public void The_scanner_finds_each_kind_of_secret()
    {
        // Built at run time so that no secret-shaped literal sits in the repository.
        var samples = new[]
        {
            "DefaultEndpointsProtocol=https;Account" + "Key=abc",
            "https://x.blob.core.windows.net/c?sv=2022&sig=" + new string('Q', 20),
            "key: 's" + "k-" + new string('a', 24) + "'",
            "admin" + "Pass" + "word: 'x'",
            "id: 'P" + "K" + new string('7', 18) + "'",
            "ey" + "J" + new string('a', 12) + "." + new string('b', 12),
            "-----BEGIN RSA PRIVATE" + " KEY-----",
            "LLM_GATEWAY_API_" + "KEY: 'abcdefghijklmnop'",
            "x = '" + string.Concat(Enumerable.Repeat("Ab3+", 12)) + "'",
        };

        foreach (var sample in samples)
        {
            Assert.True(SecretScanner.Scan("sample", sample).Count > 0, $"Not detected: {sample}");
        }

        Assert.Empty(SecretScanner.Scan("ok", "LLM_GATEWAY_API_KEY: '@Microsoft.KeyVault(SecretUri=${keyVault.outputs.llmGatewayApiKeySecretUri})'"));
        Assert.Empty(SecretScanner.Scan("ok", "\"ALPACA_API_KEY_ID\": \"<from Key Vault>\""));
    }

    [Fact]
    public void Secret_parameters_are_secure_and_default_to_empty()
    {
        var parameters = Infra.Parameters();
        var secretLooking = parameters.Where(p => SecretName().IsMatch(p.Parameter.Name)).ToList();
        var secure = parameters.Where(p => p.Parameter.IsSecure).ToList();

        // main.bicep and keyvault.bicep each take the three secrets.
        Assert.Equal(6, secretLooking.Count);
        Assert.All(secretLooking, p => Assert.True(p.Parameter.IsSecure, $"{p.File}: param {p.Parameter.Name} must be @secure()"));
        Assert.All(secure, p => Assert.True(p.Parameter.Default is null or "''", $"{p.File}: @secure() param {p.Parameter.Name} has a default"));
        Assert.All(secure, p => Assert.Equal("string", p.Parameter.Type));
    }

    [Fact]
    public void Secure_values_are_never_outputs_and_are_written_to_Key_Vault_only_when_given()
    {
        var secureNames = Infra.Parameters().Where(p => p.Parameter.IsSecure).Select(p => p.Parameter.Name).ToHashSet();
        foreach (var (file, text) in Infra.StrippedFiles)
        {
            foreach (Match output in Regex.Matches(text, @"(?m)^output\s+\w+\s+\w+\s*=\s*(.*)$"))
            {
                Assert.DoesNotContain(secureNames, n => Regex.IsMatch(output.Groups[1].Value, $@"\b{n}\b"));
            }
        }

        var keyVault = Infra.StrippedFiles["modules/keyvault.bicep"];
        var secrets = Regex.Matches(keyVault, @"'Microsoft\.KeyVault/vaults/secrets@[\d-]+'\s*=\s*([^{]*)\{");
        Assert.Equal(3, secrets.Count);
        Assert.All(secrets, s => Assert.Matches(@"^if \(!empty\(\w+\)\)\s*$", s.Groups[1].Value));
    }

    [Fact]
    public void Parameters_file_reads_secrets_from_the_environment_only()
    {
        var bicepparam = BicepText.StripComments(File.ReadAllText(Path.Combine(RepoFiles.InfraDirectory, "main.bicepparam")));
        var secureNames = Infra.Parameters().Where(p => p.File == "main.bicep" && p.Parameter.IsSecure).Select(p => p.Parameter.Name).ToHashSet();
        var assigned = Regex.Matches(bicepparam, @"(?m)^\s*param\s+(\w+)\s*=\s*(.+?)\s*$")
            .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);

        Assert.Matches(@"(?m)^using '\./main\.bicep'\s*$", bicepparam);
        foreach (var name in secureNames.Where(assigned.ContainsKey))
        {
            Assert.Matches(@"^(?:''|readEnvironmentVariable\('[A-Z_]+',\s*''\))$", assigned[name]);
        }

        var mainParameters = Infra.Parameters().Where(p => p.File == "main.bicep").Select(p => p.Parameter.Name).ToHashSet();
        Assert.All(assigned.Keys, name => Assert.Contains(name, mainParameters));
    }

    // Names that carry credentials. (Application Insights' connection string is not one: with local auth disabled
    // it identifies the component and grants nothing.)
    [GeneratedRegex("(?i)(apikey|secret|password|token|accountkey|sas)")]
    private static partial Regex SecretName();
}
