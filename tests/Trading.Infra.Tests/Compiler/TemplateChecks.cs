using System.Text.RegularExpressions;
using Trading.Infra.Tests.Security;
using Trading.Infra.Tests.Template;

namespace Trading.Infra.Tests.Compiler;

/// <summary>
/// The checks that guard a deployment, each returning its findings (empty when the template is right), so that the
/// tests can run them on the repository's template (expecting none) and on altered copies (expecting some).
/// </summary>
internal static partial class TemplateChecks
{
    /// <summary>A failed build, or any compiler diagnostic (BCP code, warnings included) or error from either build.</summary>
    public static IReadOnlyList<string> CompilerProblems(CompiledInfra infra)
    {
        var problems = new List<string>();
        foreach (var (what, run, output) in new[]
                 {
                     ("bicep build main.bicep", infra.Build, infra.TemplateText),
                     ("bicep build-params main.bicepparam", infra.BuildParams, infra.ParametersText),
                 })
        {
            if (run is null)
            {
                continue;
            }

            if (run.ExitCode != 0 || output is null)
            {
                problems.Add($"{what} failed: {run.Describe()}");
            }

            problems.AddRange(run.Diagnostics.Where(d => d.IsCompilerDiagnostic || d.IsError).Select(d => $"{what}: {d.Line}"));
        }

        return problems;
    }

    /// <summary>Every way the role assignments differ from the five the app's identity needs, each on its resource.</summary>
    public static IReadOnlyList<string> RoleProblems(ArmTemplate main)
    {
        var problems = new List<string>();
        var granted = new List<string>();
        foreach (var (owner, assignment) in main.ResourcesOfType("Microsoft.Authorization/roleAssignments"))
        {
            var role = RoleDefinition().Match(owner.Substitute((string?)assignment["properties"]?["roleDefinitionId"] ?? ""));
            var scope = ScopeType().Match((string?)assignment["scope"] ?? "");
            if (!role.Success || !scope.Success)
            {
                problems.Add($"{owner.Path}: a role assignment without a built-in role id or a resource scope: {ArmTemplate.Json(assignment)}");
                continue;
            }

            var what = $"{role.Groups["id"].Value} on {scope.Groups["type"].Value}";
            if (assignment["condition"] is not null)
            {
                problems.Add($"{owner.Path}: {what} is conditional");
            }

            if ((string?)assignment["properties"]?["principalType"] != "ServicePrincipal"
                || (string?)assignment["properties"]?["principalId"] != "[parameters('principalId')]"
                || ArmTemplate.Json(owner.Passed("principalId")) != $"\"{IdentityOutput("principalId")}\"")
            {
                problems.Add($"{owner.Path}: {what} is not granted to the app's user-assigned identity");
            }

            granted.Add(what);
        }

        var expected = TemplateShapeTests.ExpectedRoles.Select(r => $"{r.Key} on {r.Value}").ToList();
        problems.AddRange(expected.Except(granted).Select(r => $"missing role assignment: {r}"));
        problems.AddRange(granted.Except(expected).Select(r => $"unexpected role assignment: {r}"));
        problems.AddRange(granted.GroupBy(g => g).Where(g => g.Count() > 1).Select(g => $"assigned {g.Count()} times: {g.Key}"));
        return problems;
    }

    /// <summary>
    /// Secret-looking text in the compiled template or parameters, a secure parameter with a value of its own, or one of
    /// the three secret settings that is not a Key Vault reference.
    /// </summary>
    public static IReadOnlyList<string> SecretProblems(CompiledInfra infra)
    {
        var problems = new List<string>();
        problems.AddRange(SecretScanner.Scan("main.json", infra.TemplateText ?? ""));
        problems.AddRange(SecretScanner.Scan("main.parameters.json", infra.ParametersText ?? ""));
        var main = infra.RequireTemplate();
        foreach (var template in new[] { main }.Concat(main.Modules.Values))
        {
            foreach (var (name, declaration) in template.Root["parameters"]!.AsObject())
            {
                if ((string?)declaration?["type"] == "securestring" && (string?)declaration["defaultValue"] is { Length: > 0 })
                {
                    problems.Add($"{template.Path}: secure parameter {name} has a default value");
                }
            }
        }

        foreach (var (name, value) in infra.RequireParameterValues())
        {
            if ((string?)main.Root["parameters"]?[name]?["type"] == "securestring" && (string?)value?["value"] is { Length: > 0 })
            {
                problems.Add($"main.bicepparam gives secure parameter {name} a value");
            }
        }

        var settings = main.AppSettings().ToDictionary(s => s.Name, s => s.Value, StringComparer.Ordinal);
        foreach (var setting in new[] { "LLM_GATEWAY_API_KEY", "ALPACA_API_KEY_ID", "ALPACA_API_SECRET_KEY" })
        {
            if (!settings.TryGetValue(setting, out var value) || !KeyVaultReference().IsMatch(value))
            {
                problems.Add($"{setting} is not a Key Vault reference to the keyVault module's secret URI");
            }
        }

        return problems;
    }

    public static string IdentityOutput(string output) =>
        $"[reference(resourceId('Microsoft.Resources/deployments', 'identity'), '2025-04-01').outputs.{output}.value]";

    [GeneratedRegex(@"^\[subscriptionResourceId\('Microsoft\.Authorization/roleDefinitions', '(?<id>[0-9a-f-]{36})'\)\]$")]
    private static partial Regex RoleDefinition();

    [GeneratedRegex(@"^\[resourceId\('(?<type>[\w./]+)', parameters\('\w+'\)\)\]$")]
    private static partial Regex ScopeType();

    [GeneratedRegex(@"^\[format\('@Microsoft\.KeyVault\(SecretUri=\{0\}\)', reference\(resourceId\('Microsoft\.Resources/deployments', 'keyVault'\), '[\d-]+'\)\.outputs\.\w+SecretUri\.value\)\]$")]
    public static partial Regex KeyVaultReference();
}
