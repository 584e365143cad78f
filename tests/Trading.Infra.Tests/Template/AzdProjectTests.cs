using Trading.Infra.Tests.Compiler;

namespace Trading.Infra.Tests.Template;

/// <summary>
/// azure.yaml (for <c>azd up</c>) agrees with the repository: it provisions infra-bicep with main.bicep, and its one
/// service is the Functions project, hosted as a function app that carries the service's azd-service-name tag.
/// </summary>
public sealed class AzdProjectTests
{
    private static readonly Dictionary<string, object> Project = AzureYaml.Read(RepoFiles.AzureYaml);

    private static Dictionary<string, object> Map(Dictionary<string, object> parent, string key) =>
        parent.TryGetValue(key, out var value) && value is Dictionary<string, object> map
            ? map
            : throw new Xunit.Sdk.XunitException($"azure.yaml: '{key}' is missing or not a mapping.");

    private static string Scalar(Dictionary<string, object> parent, string key) =>
        parent.TryGetValue(key, out var value) && value is string text
            ? text
            : throw new Xunit.Sdk.XunitException($"azure.yaml: '{key}' is missing or not a value.");

    [Fact]
    public void Project_has_a_name_and_only_the_keys_azd_knows()
    {
        Assert.Matches("^[a-z][a-z0-9-]*$", Scalar(Project, "name"));
        Assert.Subset(new HashSet<string> { "name", "metadata", "infra", "services", "hooks", "pipeline", "state", "resourceGroup", "workflows", "requiredVersions" }, Project.Keys.ToHashSet());
    }

    [Fact]
    public void Infra_is_the_bicep_template_with_its_parameters_file()
    {
        var infra = Map(Project, "infra");

        Assert.Equal("bicep", Scalar(infra, "provider"));
        var path = Path.GetFullPath(Path.Combine(RepoFiles.Root, Scalar(infra, "path")));
        Assert.Equal(RepoFiles.InfraDirectory, path.TrimEnd('/'));
        var module = Scalar(infra, "module");
        Assert.True(File.Exists(Path.Combine(path, module + ".bicep")), $"infra.module '{module}' has no {module}.bicep");
        Assert.True(File.Exists(Path.Combine(path, module + ".bicepparam")), $"azd reads parameters from {module}.bicepparam");
    }

    [Fact]
    public void The_one_service_is_the_Functions_project_in_dotnet_hosted_as_a_function_app()
    {
        var services = Map(Project, "services");
        Assert.Single(services);
        var service = (Dictionary<string, object>)services.Single().Value;

        Assert.Equal("dotnet", Scalar(service, "language"));
        Assert.Equal("function", Scalar(service, "host"));
        var project = Path.GetFullPath(Path.Combine(RepoFiles.Root, Scalar(service, "project")));
        Assert.Equal(Path.Combine(RepoFiles.Root, "src", "TradingFunctions"), project.TrimEnd('/'));
        var csproj = Assert.Single(Directory.GetFiles(project, "*.csproj"));
        Assert.Contains("<AzureFunctionsVersion>v4</AzureFunctionsVersion>", File.ReadAllText(csproj), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(project, "host.json")) || File.Exists(Path.Combine(RepoFiles.Root, "host.json")), "no host.json for the app");
    }

    [BicepFact]
    public void The_function_app_carries_the_service_name_as_its_azd_service_name_tag()
    {
        var serviceName = Map(Project, "services").Single().Key;
        var functionApp = CompiledInfra.Repo.RequireTemplate().Module("functionApp");
        var site = functionApp.ResourcesOfType("Microsoft.Web/sites").Single().Resource;

        Assert.Equal(serviceName, (string?)functionApp.Passed("azdServiceName"));
        Assert.Equal("[union(parameters('tags'), createObject('azd-service-name', parameters('azdServiceName')))]", (string?)site["tags"]);
    }

    [BicepFact]
    public void The_azd_environment_name_reaches_the_template_only_as_a_tag()
    {
        var main = CompiledInfra.Repo.RequireTemplate();

        Assert.Equal("", (string?)main.Root["parameters"]?["environmentName"]?["defaultValue"]);
        Assert.Matches(@"(?m)^param environmentName = readEnvironmentVariable\('AZURE_ENV_NAME', ''\)\s*$", File.ReadAllText(Path.Combine(RepoFiles.InfraDirectory, "main.bicepparam")));
        Assert.Contains("'azd-env-name'", ArmTemplate.Json(main.Root["variables"]?["allTags"]), StringComparison.Ordinal);
        Assert.DoesNotContain("environmentName", ArmTemplate.Json(main.Root["variables"]?["resourceToken"]), StringComparison.Ordinal);
    }
}
