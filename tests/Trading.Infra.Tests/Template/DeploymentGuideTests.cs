using System.Text.RegularExpressions;
using Trading.Infra.Tests.Bicep;

namespace Trading.Infra.Tests.Template;

/// <summary>docs/deployment.md names secrets, outputs and parameters of the template: they must exist there.</summary>
public sealed partial class DeploymentGuideTests
{
    private static readonly InfraTemplate Infra = InfraTemplate.Load(RepoFiles.InfraDirectory);
    private static readonly string Guide = File.ReadAllText(RepoFiles.DeploymentGuide);

    [Fact]
    public void Secret_names_in_the_guide_are_the_vault_secrets_the_app_settings_reference()
    {
        var inVault = SecretNameVariable().Matches(Infra.StrippedFiles["modules/keyvault.bicep"]).Select(m => m.Groups[1].Value).ToHashSet();
        var inGuide = SecretSetCommand().Matches(Guide).Select(m => m.Groups[1].Value).ToHashSet();

        Assert.Equal(3, inVault.Count);
        Assert.Equal(inVault.Order(StringComparer.Ordinal), inGuide.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Outputs_and_parameters_the_guide_uses_exist_in_main()
    {
        var main = Infra.StrippedFiles["main.bicep"];
        var outputs = Regex.Matches(main, @"(?m)^output\s+(\w+)").Select(m => m.Groups[1].Value).ToHashSet();
        var parameters = Infra.Parameters().Where(p => p.File == "main.bicep").Select(p => p.Parameter.Name).ToHashSet();

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
    public void Guide_covers_status_live_switch_and_halt()
    {
        Assert.Contains("/api/status", Guide, StringComparison.Ordinal);
        Assert.Contains("x-functions-key", Guide, StringComparison.Ordinal);
        Assert.Contains("--parameters alpacaEnvironment=live", Guide, StringComparison.Ordinal);
        Assert.Contains("-X POST", Guide, StringComparison.Ordinal);
        Assert.Contains("/api/halt", Guide, StringComparison.Ordinal);
        Assert.Contains("--settings Risk__HaltTrading=true", Guide, StringComparison.Ordinal);
        Assert.Contains("func azure functionapp publish", Guide, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"var \w+SecretName = '([a-z0-9-]+)'")]
    private static partial Regex SecretNameVariable();

    [GeneratedRegex(@"az keyvault secret set [^\n]*--name ([a-z0-9-]+)")]
    private static partial Regex SecretSetCommand();
}
