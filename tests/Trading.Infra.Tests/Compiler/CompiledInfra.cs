using System.Text.Json.Nodes;

namespace Trading.Infra.Tests.Compiler;

/// <summary>
/// An infra directory (the repository's infra-bicep, or an altered copy in a test) compiled by the real Bicep compiler:
/// <c>bicep build main.bicep</c> and <c>bicep build-params main.bicepparam</c>, with what each run reported.
/// </summary>
internal sealed class CompiledInfra
{
    private static readonly Lazy<CompiledInfra> LazyRepo = new(() => Compile(RepoFiles.InfraDirectory));

    private CompiledInfra(BicepRun build, BicepRun? buildParams, string? templateText, string? parametersText)
    {
        Build = build;
        BuildParams = buildParams;
        TemplateText = templateText;
        ParametersText = parametersText;
        if (templateText is not null)
        {
            Template = new ArmTemplate((JsonObject)JsonNode.Parse(templateText)!, passedParameters: null);
        }

        if (parametersText is not null)
        {
            ParameterValues = (JsonObject)JsonNode.Parse(parametersText)!["parameters"]!;
        }
    }

    /// <summary>The repository's infra-bicep, compiled once per test run.</summary>
    public static CompiledInfra Repo => LazyRepo.Value;

    public BicepRun Build { get; }

    /// <summary>The build-params run; null when the parameters file was not compiled (see <see cref="Compile"/>).</summary>
    public BicepRun? BuildParams { get; }

    /// <summary>The compiled ARM template (main.json) as text; null when the build failed.</summary>
    public string? TemplateText { get; }

    /// <summary>The compiled parameters file (main.parameters.json) as text; null when build-params failed.</summary>
    public string? ParametersText { get; }

    public ArmTemplate? Template { get; }

    /// <summary>The compiled parameters file's <c>parameters</c> object (name → { value }).</summary>
    public JsonObject? ParameterValues { get; }

    /// <summary>The compiled template, failing the test with the compiler's output when there is none.</summary>
    public ArmTemplate RequireTemplate() =>
        Template ?? throw new Xunit.Sdk.XunitException("bicep build main.bicep failed:\n" + Build.Describe());

    /// <summary>The compiled parameter values, failing the test with the compiler's output when there are none.</summary>
    public JsonObject RequireParameterValues() =>
        ParameterValues ?? throw new Xunit.Sdk.XunitException("bicep build-params main.bicepparam failed:\n" + BuildParams?.Describe());

    /// <summary>The value a deployment with main.bicepparam gives a parameter: the file's value, else the template default.</summary>
    public JsonNode? EffectiveParameter(string name) =>
        RequireParameterValues()[name]?["value"] ?? RequireTemplate().Root["parameters"]?[name]?["defaultValue"];

    /// <summary>Compiles main.bicep and, unless <paramref name="parameters"/> is false, main.bicepparam.</summary>
    public static CompiledInfra Compile(string infraDirectory, bool parameters = true)
    {
        using var output = new TempDirectory();
        var templatePath = Path.Combine(output.Path, "main.json");
        var parametersPath = Path.Combine(output.Path, "main.parameters.json");
        var build = BicepCli.Run(infraDirectory, "build", "main.bicep", "--outfile", templatePath);
        var buildParams = parameters ? BicepCli.Run(infraDirectory, "build-params", "main.bicepparam", "--outfile", parametersPath) : null;
        return new CompiledInfra(
            build,
            buildParams,
            build.ExitCode == 0 && File.Exists(templatePath) ? File.ReadAllText(templatePath) : null,
            buildParams?.ExitCode == 0 && File.Exists(parametersPath) ? File.ReadAllText(parametersPath) : null);
    }
}
