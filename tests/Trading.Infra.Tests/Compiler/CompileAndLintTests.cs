using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace Trading.Infra.Tests.Compiler;

/// <summary>
/// The template compiles with the real Bicep compiler and passes its linter. Compiler warnings count as failures
/// (an unknown property or a wrong value type is only a warning to Bicep, and Azure rejects it at deployment);
/// linter warnings do not, because some depend on the date (use-recent-api-versions), but linter errors do.
/// </summary>
public sealed class CompileAndLintTests(ITestOutputHelper output)
{
    private const string CompilerVersion = "0.49.2";

    /// <summary>Linter rules bicepconfig.json must raise to errors: secrets, hard-coded places, dead code.</summary>
    public static readonly IReadOnlyList<string> RulesThatMustBeErrors =
    [
        "secure-parameter-default",
        "secure-secrets-in-params",
        "secure-params-in-nested-deploy",
        "outputs-should-not-contain-secrets",
        "use-secure-value-for-secure-inputs",
        "no-hardcoded-env-urls",
        "no-hardcoded-location",
        "no-loc-expr-outside-params",
        "explicit-values-for-loc-params",
        "no-unused-params",
        "no-unused-vars",
        "no-unused-existing-resources",
    ];

    [BicepFact]
    public void Main_template_and_parameters_compile_without_compiler_diagnostics()
    {
        var infra = CompiledInfra.Repo;

        Assert.True(infra.Build.ExitCode == 0 && infra.TemplateText is not null, "bicep build main.bicep: " + infra.Build.Describe());
        Assert.True(infra.BuildParams?.ExitCode == 0 && infra.ParametersText is not null, "bicep build-params main.bicepparam: " + infra.BuildParams?.Describe());
        var problems = TemplateChecks.CompilerProblems(infra);
        Assert.True(problems.Count == 0, "The compiler reported:\n  " + string.Join("\n  ", problems));
        Assert.StartsWith(CompilerVersion + ".", (string?)infra.RequireTemplate().Root["metadata"]?["_generator"]?["version"], StringComparison.Ordinal);
    }

    [BicepFact]
    public void Lint_reports_no_errors_in_any_file()
    {
        var modules = BicepCli.Run(RepoFiles.InfraDirectory, "lint", "--pattern", "**/*.bicep");
        var parameters = BicepCli.Run(RepoFiles.InfraDirectory, "lint", "main.bicepparam");

        foreach (var run in new[] { modules, parameters })
        {
            foreach (var warning in run.Diagnostics.Where(d => !d.IsError))
            {
                output.WriteLine(warning.Line);
            }

            var errors = run.Diagnostics.Where(d => d.IsError).Select(d => d.Line).ToList();
            Assert.True(run.ExitCode == 0 && errors.Count == 0, "bicep lint found errors:\n" + run.Describe());
        }
    }

    [Fact]
    public void Bicepconfig_raises_the_rules_that_matter()
    {
        var path = Path.Combine(RepoFiles.InfraDirectory, "bicepconfig.json");
        var rules = JsonNode.Parse(File.ReadAllText(path))?["analyzers"]?["core"]?["rules"] as JsonObject;

        Assert.True(rules is not null, $"{path} has no analyzers.core.rules");
        Assert.NotEqual(false, (bool?)JsonNode.Parse(File.ReadAllText(path))?["analyzers"]?["core"]?["enabled"]);
        var notErrors = RulesThatMustBeErrors.Where(rule => (string?)rules![rule]?["level"] != "error").ToList();
        Assert.True(notErrors.Count == 0, "Not raised to error in bicepconfig.json: " + string.Join(", ", notErrors));
        Assert.Contains((string?)rules!["use-recent-api-versions"]?["level"], new[] { "warning", "error" });
    }

    [BicepFact]
    public void Lint_fails_a_copy_with_a_hard_coded_location_and_the_parameter_it_leaves_unused()
    {
        // Proves that bicepconfig.json is picked up from infra-bicep/ and that the lint test above can fail.
        using var temp = new TempDirectory();
        var infra = temp.CopyOf(RepoFiles.InfraDirectory);
        var identity = Path.Combine(infra, "modules", "identity.bicep");
        File.WriteAllText(identity, File.ReadAllText(identity).Replace("  location: location\n", "  location: 'westeurope'\n", StringComparison.Ordinal));

        var run = BicepCli.Run(infra, "lint", "--pattern", "**/*.bicep");

        Assert.NotEqual(0, run.ExitCode);
        var errors = run.Diagnostics.Where(d => d.IsError).Select(d => d.Code).ToHashSet();
        Assert.Contains("no-unused-params", errors);
        Assert.Contains("no-hardcoded-location", errors);
    }
}
