using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Trading.Infra.Tests.Compiler;

namespace Trading.Infra.Tests.Security;

/// <summary>
/// No secret in any infra file or in what the compiler makes of them; secrets enter only through @secure() parameters
/// that default to empty, are written only to Key Vault, and reach the app only as Key Vault references.
/// </summary>
public sealed partial class SecretFreeTemplateTests
{
    /// <summary>The three secrets: main.bicep parameter, Key Vault secret name, app setting, key vault module output.</summary>
    public static TheoryData<string, string, string> Secrets() => new()
    {
        { "llmGatewayApiKey", "llm-gateway-api-key", "LLM_GATEWAY_API_KEY" },
        { "alpacaApiKeyId", "alpaca-api-key-id", "ALPACA_API_KEY_ID" },
        { "alpacaApiSecretKey", "alpaca-api-secret-key", "ALPACA_API_SECRET_KEY" },
    };

    private static ArmTemplate Main => CompiledInfra.Repo.RequireTemplate();

    [Fact]
    public void No_infra_file_holds_anything_that_looks_like_a_secret()
    {
        var files = RepoFiles.InfraFiles();
        var findings = files.SelectMany(f => SecretScanner.Scan(Path.GetRelativePath(RepoFiles.Root, f), File.ReadAllText(f))).ToList();

        Assert.True(files.Count >= 10, $"Only {files.Count} files scanned.");
        Assert.True(findings.Count == 0, "Possible secrets:\n  " + string.Join("\n  ", findings));
    }

    [BicepFact]
    public void The_compiled_template_and_parameters_hold_no_secret()
    {
        var infra = CompiledInfra.Repo;
        var findings = TemplateChecks.SecretProblems(infra);

        Assert.NotNull(infra.TemplateText);
        Assert.NotNull(infra.ParametersText);
        Assert.True(findings.Count == 0, "Secrets in the compiled output:\n  " + string.Join("\n  ", findings));
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
            "\"LLM_GATEWAY_API_" + "KEY\": \"abcdefghijklmnop\"",
            "x = '" + string.Concat(Enumerable.Repeat("Ab3+", 12)) + "'",
        };

        foreach (var sample in samples)
        {
            Assert.True(SecretScanner.Scan("sample", sample).Count > 0, $"Not detected: {sample}");
        }

        Assert.Empty(SecretScanner.Scan("ok", "\"LLM_GATEWAY_API_KEY\": \"[format('@Microsoft.KeyVault(SecretUri={0})', reference(x).outputs.y.value)]\""));
        Assert.Empty(SecretScanner.Scan("ok", "\"ALPACA_API_KEY_ID\": \"<from Key Vault>\""));
    }

    [BicepTheory]
    [MemberData(nameof(Secrets))]
    public void Secret_parameters_are_secure_empty_by_default_and_empty_in_the_parameters_file(string parameter, string secretName, string setting)
    {
        _ = secretName;
        _ = setting;
        var declaration = Main.Root["parameters"]?[parameter];

        Assert.Equal("securestring", (string?)declaration?["type"]);
        Assert.Equal("", (string?)declaration?["defaultValue"]);

        // main.bicepparam reads the value from the deployer's environment, which the tests clear: it must compile to empty.
        var value = CompiledInfra.Repo.RequireParameterValues()[parameter];
        Assert.True(value is null || (string?)value["value"] == "", $"main.bicepparam gives {parameter} a value of its own.");
        var bicepparam = File.ReadAllText(Path.Combine(RepoFiles.InfraDirectory, "main.bicepparam"));
        Assert.Matches($@"(?m)^param {parameter} = readEnvironmentVariable\('[A-Z_]+', ''\)\s*$", bicepparam);
    }

    [BicepFact]
    public void Every_secret_looking_parameter_anywhere_is_secure_and_never_an_output()
    {
        var templates = new[] { Main }.Concat(Main.Modules.Values).ToList();
        var secureNames = new HashSet<string>(StringComparer.Ordinal);
        var declared = 0;
        foreach (var template in templates)
        {
            foreach (var (name, declaration) in (template.Root["parameters"] as JsonObject)!)
            {
                if (SecretName().IsMatch(name))
                {
                    Assert.True((string?)declaration?["type"] == "securestring", $"{template.Path}: parameter {name} must be @secure()");
                    Assert.True((string?)declaration?["defaultValue"] is null or "", $"{template.Path}: @secure() parameter {name} has a default");
                    secureNames.Add(name);
                    declared++;
                }
            }

            foreach (var (name, output) in (template.Root["outputs"] as JsonObject) ?? [])
            {
                var value = ArmTemplate.Json(output?["value"]);
                var leaked = secureNames.Where(s => value.Contains($"parameters('{s}')", StringComparison.Ordinal)).ToList();
                Assert.True(leaked.Count == 0, $"{template.Path}: output {name} returns {string.Join(", ", leaked)}");
                Assert.NotEqual("securestring", (string?)output?["type"]);
            }
        }

        // main and the keyVault module each take the three secrets, under the same names.
        Assert.Equal(6, declared);
        Assert.Equal(3, secureNames.Count);
    }

    [BicepTheory]
    [MemberData(nameof(Secrets))]
    public void Secrets_are_written_only_to_Key_Vault_only_when_given_and_only_from_the_secure_parameter(string parameter, string secretName, string setting)
    {
        _ = setting;
        var keyVault = Main.Module("keyVault");
        var secret = keyVault.ResourcesOfType("Microsoft.KeyVault/vaults/secrets")
            .Select(r => r.Resource)
            .Single(r => keyVault.Substitute((string?)r["name"] ?? "").Contains($"'{secretName}'", StringComparison.Ordinal));

        Assert.Equal($"[parameters('{parameter}')]", (string?)secret["properties"]?["value"]);
        Assert.Equal($"[not(empty(parameters('{parameter}')))]", (string?)secret["condition"]);
        Assert.Equal("securestring", (string?)keyVault.Root["parameters"]?[parameter]?["type"]);
        Assert.Equal($"[parameters('{parameter}')]", (string?)keyVault.Passed(parameter));

        // The only other place a secure value may go is nowhere: no other resource property names the parameter.
        var uses = Main.AllResources().Count(r => ArmTemplate.Json(r.Resource).Contains($"parameters('{parameter}')", StringComparison.Ordinal));
        Assert.Equal(1, uses);
    }

    [BicepTheory]
    [MemberData(nameof(Secrets))]
    public void Secrets_reach_the_app_only_as_Key_Vault_references(string parameter, string secretName, string setting)
    {
        _ = parameter;
        var value = Main.AppSettings().Single(s => s.Name == setting).Value;
        var reference = KeyVaultReference().Match(value);

        Assert.True(reference.Success, $"{setting} is not a Key Vault reference to the keyVault module's secret URI: {value}");
        var keyVault = Main.Module("keyVault");
        var uri = keyVault.Substitute((string?)keyVault.Root["outputs"]?[reference.Groups["output"].Value]?["value"] ?? "");
        Assert.Equal($"[format('{{0}}secrets/{{1}}', reference(resourceId('Microsoft.KeyVault/vaults', parameters('name')), '2025-05-01').vaultUri, '{secretName}')]", uri);
    }

    // Names that carry credentials. (Application Insights' connection string is not one: with local auth disabled
    // it identifies the component and grants nothing.)
    [GeneratedRegex("(?i)(apikey|secret|password|token|accountkey|sas)")]
    private static partial Regex SecretName();

    [GeneratedRegex(@"^\[format\('@Microsoft\.KeyVault\(SecretUri=\{0\}\)', reference\(resourceId\('Microsoft\.Resources/deployments', 'keyVault'\), '[\d-]+'\)\.outputs\.(?<output>\w+)\.value\)\]$")]
    private static partial Regex KeyVaultReference();
}
