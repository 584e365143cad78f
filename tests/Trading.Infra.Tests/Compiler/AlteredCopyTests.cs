using System.Text.RegularExpressions;

namespace Trading.Infra.Tests.Compiler;

/// <summary>
/// The checks can fail: each test breaks a copy of infra-bicep the way a careless change would, compiles it with the
/// real compiler, and expects the same check the repository's template passes to report it.
/// (A setting the code does not read: SettingsDriftTests.Settings_added_to_a_copy_of_main_and_of_a_module_are_reported.)
/// </summary>
public sealed class AlteredCopyTests
{
    // Built at run time so that no secret-shaped literal sits in the repository.
    private static readonly string LiteralKey = "s" + "k-" + string.Concat(Enumerable.Repeat("Qx7", 10));

    [BicepFact]
    public void A_removed_role_assignment_is_reported()
    {
        var infra = CompileAlteredCopy("modules/rbac.bicep", text => Regex.Replace(
            text, @"resource queueDataContributor '[^']+' = \{.*?\n\}\n", "", RegexOptions.Singleline));

        Assert.Empty(TemplateChecks.CompilerProblems(infra));
        Assert.Contains("missing role assignment: 974c5e8b-45b9-4653-ba55-5f855dd0fb88 on Microsoft.Storage/storageAccounts", TemplateChecks.RoleProblems(infra.RequireTemplate()));
    }

    [BicepFact]
    public void A_role_on_the_wrong_resource_is_reported()
    {
        var infra = CompileAlteredCopy("modules/rbac.bicep", text => text.Replace(
            "name: guid(vault.id, principalId, roleDefinitionIds.keyVaultSecretsUser)\n  scope: vault",
            "name: guid(vault.id, principalId, roleDefinitionIds.keyVaultSecretsUser)\n  scope: storage",
            StringComparison.Ordinal));

        Assert.Contains("missing role assignment: 4633458b-17de-408a-b874-0445c86b69e6 on Microsoft.KeyVault/vaults", TemplateChecks.RoleProblems(infra.RequireTemplate()));
    }

    [BicepFact]
    public void A_secret_written_as_a_literal_app_setting_is_reported()
    {
        var infra = CompileAlteredCopy("main.bicep", text => Regex.Replace(
            text, @"(?m)^  LLM_GATEWAY_API_KEY: .*$", $"  LLM_GATEWAY_API_KEY: '{LiteralKey}'"), parameters: true);

        var problems = TemplateChecks.SecretProblems(infra);

        Assert.Contains("LLM_GATEWAY_API_KEY is not a Key Vault reference to the keyVault module's secret URI", problems);
        Assert.Contains(problems, p => p.StartsWith("main.json:", StringComparison.Ordinal));
    }

    [BicepFact]
    public void A_secret_written_as_a_literal_in_the_parameters_file_is_reported()
    {
        var infra = CompileAlteredCopy("main.bicepparam", text => Regex.Replace(
            text, @"(?m)^param alpacaApiSecretKey = .*$", $"param alpacaApiSecretKey = '{LiteralKey}'"), parameters: true);

        Assert.Contains("main.bicepparam gives secure parameter alpacaApiSecretKey a value", TemplateChecks.SecretProblems(infra));
    }

    [BicepFact]
    public void A_secret_given_as_a_parameter_default_is_reported()
    {
        // The linter's secure-parameter-default rule is an error in bicepconfig.json, so the build itself fails.
        var infra = CompileAlteredCopy("main.bicep", text => text.Replace(
            "param alpacaApiKeyId string = ''", $"param alpacaApiKeyId string = '{LiteralKey}'", StringComparison.Ordinal));

        Assert.Contains(TemplateChecks.CompilerProblems(infra), p => p.Contains("secure-parameter-default", StringComparison.Ordinal));
    }

    [BicepFact]
    public void An_invalid_resource_property_is_reported()
    {
        // Bicep reports an unknown property only as a warning (BCP037) and still writes the template; Azure rejects it.
        var infra = CompileAlteredCopy("modules/functionapp.bicep", text => text.Replace(
            "    httpsOnly: true\n", "    httpsOnly: true\n    alwaysReady: true\n", StringComparison.Ordinal));

        Assert.NotNull(infra.TemplateText);
        Assert.Contains(TemplateChecks.CompilerProblems(infra), p => p.Contains("BCP037", StringComparison.Ordinal));
    }

    private static CompiledInfra CompileAlteredCopy(string file, Func<string, string> alter, bool parameters = false)
    {
        using var temp = new TempDirectory();
        var infra = temp.CopyOf(RepoFiles.InfraDirectory);
        var path = Path.Combine(infra, file);
        var original = File.ReadAllText(path);
        var altered = alter(original);
        Assert.True(altered != original, $"The alteration of {file} matched nothing; update this test.");
        File.WriteAllText(path, altered);
        return CompiledInfra.Compile(infra, parameters);
    }
}
