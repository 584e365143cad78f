using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Trading.Infra.Tests.Compiler;

namespace Trading.Infra.Tests.Template;

/// <summary>docs/deployment.md names secrets, outputs and parameters of the template: they must exist in the compiled template.</summary>
public sealed partial class DeploymentGuideTests
{
    private static readonly string Guide = File.ReadAllText(RepoFiles.DeploymentGuide);

    private static ArmTemplate Main => CompiledInfra.Repo.RequireTemplate();

    [BicepFact]
    public void Secret_names_in_the_guide_are_the_vault_secrets_the_app_settings_reference()
    {
        var keyVault = Main.Module("keyVault");
        var inVault = keyVault.ResourcesOfType("Microsoft.KeyVault/vaults/secrets")
            .Select(r => SecretName().Match(keyVault.Substitute((string?)r.Resource["name"] ?? "")).Groups[1].Value)
            .ToHashSet();
        var inGuide = SecretSetCommand().Matches(Guide).Select(m => m.Groups[1].Value).ToHashSet();

        Assert.Equal(3, inVault.Count);
        Assert.Equal(inVault.Order(StringComparer.Ordinal), inGuide.Order(StringComparer.Ordinal));
    }

    [BicepFact]
    public void Outputs_and_parameters_the_guide_uses_exist_in_main()
    {
        var outputs = (Main.Root["outputs"] as JsonObject)!.Select(o => o.Key).ToHashSet();
        var parameters = (Main.Root["parameters"] as JsonObject)!.Select(p => p.Key).ToHashSet();

        var usedOutputs = Regex.Matches(Guide, @"\$\(out (\w+)\)").Select(m => m.Groups[1].Value).ToList();
        var usedParameters = Regex.Matches(Guide, @"--parameters (?!infra-bicep)((?:\w+=\S+ ?)+)")
            .SelectMany(m => m.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(a => a.Split('=')[0])
            .ToList();

        Assert.Equal(4, usedOutputs.Count);
        Assert.All(usedOutputs, o => Assert.Contains(o, outputs));
        Assert.Contains("alpacaEnvironment", usedParameters);
        Assert.Contains("haltTrading", usedParameters);
        Assert.All(usedParameters, p => Assert.Contains(p, parameters));
    }

    [Fact]
    public void Guide_covers_azd_the_plain_path_status_live_switch_and_halt()
    {
        Assert.Contains("azd up", Guide, StringComparison.Ordinal);
        Assert.Contains("az deployment group create", Guide, StringComparison.Ordinal);
        Assert.Contains("bash scripts/package-functions.sh", Guide, StringComparison.Ordinal);
        Assert.Contains("/api/status", Guide, StringComparison.Ordinal);
        Assert.Contains("x-functions-key", Guide, StringComparison.Ordinal);
        Assert.Contains("--parameters alpacaEnvironment=live", Guide, StringComparison.Ordinal);
        Assert.Contains("-X POST", Guide, StringComparison.Ordinal);
        Assert.Contains("/api/halt", Guide, StringComparison.Ordinal);
        Assert.Contains("--settings Risk__HaltTrading=true", Guide, StringComparison.Ordinal);
        Assert.True(Guide.IndexOf("azd up", StringComparison.Ordinal) < Guide.IndexOf("az deployment group create", StringComparison.Ordinal),
            "The guide shows azd first, then the plain Azure CLI path.");
    }

    [GeneratedRegex(@"'([a-z0-9-]+)'\)\]$")]
    private static partial Regex SecretName();

    [GeneratedRegex(@"az keyvault secret set [^\n]*--name ([a-z0-9-]+)")]
    private static partial Regex SecretSetCommand();
}
