using System.Text.RegularExpressions;
using Trading.Infra.Tests.Bicep;

namespace Trading.Infra.Tests.Template;

/// <summary>
/// The properties that make the deployment what the design says it is: Flex Consumption on .NET 10 isolated, a
/// user-assigned identity everywhere, no shared keys or local auth, Key Vault in RBAC mode, exactly the listed roles.
/// </summary>
public sealed partial class TemplateShapeTests
{
    private static readonly InfraTemplate Infra = InfraTemplate.Load(RepoFiles.InfraDirectory);

    // The entries of the only object that is the value of `key:` in a file.
    private static Dictionary<string, string> Single(string file, string key)
    {
        var objects = Infra.PropertyObjects(file, key);
        Assert.True(objects.Count == 1, $"Expected one '{key}: {{...}}' in {file}, found {objects.Count}.");
        return objects[0].ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
    }

    [Fact]
    public void Plan_is_Flex_Consumption_FC1_on_Linux()
    {
        var sku = Single("modules/functionapp.bicep", "sku");
        Assert.Equal("'FC1'", sku["name"]);
        Assert.Equal("'FlexConsumption'", sku["tier"]);

        var text = Infra.StrippedFiles["modules/functionapp.bicep"];
        Assert.Matches(@"reserved:\s*true", text);
        Assert.Matches(@"kind:\s*'functionapp,linux'", text);
    }

    [Fact]
    public void Runtime_is_dotnet_isolated_10()
    {
        var runtime = Single("modules/functionapp.bicep", "runtime");

        Assert.Equal("'dotnet-isolated'", runtime["name"]);
        Assert.Equal("'10.0'", runtime["version"]);
    }

    [Fact]
    public void Packages_deploy_from_a_blob_container_as_the_user_assigned_identity()
    {
        var storage = Single("modules/functionapp.bicep", "storage");
        Assert.Equal("'blobContainer'", storage["type"]);
        Assert.Equal("'${blobEndpoint}${deploymentContainerName}'", storage["value"]);

        var authentication = Single("modules/functionapp.bicep", "authentication");
        Assert.Equal("'UserAssignedIdentity'", authentication["type"]);
        Assert.Equal("identityId", authentication["userAssignedIdentityResourceId"]);

        var scale = Single("modules/functionapp.bicep", "scaleAndConcurrency");
        Assert.Equal(["instanceMemoryMB", "maximumInstanceCount"], scale.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void App_runs_as_the_user_assigned_identity_and_resolves_Key_Vault_references_with_it()
    {
        var identity = Single("modules/functionapp.bicep", "identity");
        Assert.Equal("'UserAssigned'", identity["type"]);

        var text = Infra.StrippedFiles["modules/functionapp.bicep"];
        Assert.Matches(@"keyVaultReferenceIdentity:\s*identityId\s*\n", text);
        Assert.Matches(@"httpsOnly:\s*true", text);
        Assert.Matches(@"identityId:\s*identity\.outputs\.id\s*\n", Infra.StrippedFiles["main.bicep"]);
    }

    [Fact]
    public void Storage_refuses_shared_keys_and_old_TLS()
    {
        var properties = Infra.PropertyObjects("modules/storage.bicep", "properties")
            .Select(p => p.ToDictionary(e => e.Key, e => e.Value))
            .Single(p => p.ContainsKey("allowSharedKeyAccess"));

        Assert.Equal("false", properties["allowSharedKeyAccess"]);
        Assert.Equal("'TLS1_2'", properties["minimumTlsVersion"]);
        Assert.Equal("false", properties["allowBlobPublicAccess"]);
        Assert.Equal("true", properties["supportsHttpsTrafficOnly"]);
    }

    [Fact]
    public void Monitoring_disables_local_auth_and_the_app_authenticates_with_its_identity()
    {
        var text = Infra.StrippedFiles["modules/monitoring.bicep"];
        Assert.Matches(@"DisableLocalAuth:\s*true", text);
        Assert.Equal("true", Single("modules/monitoring.bicep", "features")["disableLocalAuth"]);
        Assert.Matches(@"WorkspaceResourceId:\s*workspace\.id", text);

        var settings = Infra.AppSettings().ToDictionary(s => s.Name, s => s.Value);
        Assert.Equal("'ClientId=${identityClientId};Authorization=AAD'", settings["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]);
    }

    [Fact]
    public void Key_Vault_uses_RBAC_authorization()
    {
        var properties = Infra.PropertyObjects("modules/keyvault.bicep", "properties")
            .Select(p => p.ToDictionary(e => e.Key, e => e.Value))
            .Single(p => p.ContainsKey("enableRbacAuthorization"));

        Assert.Equal("true", properties["enableRbacAuthorization"]);
        Assert.DoesNotMatch("accessPolicies", Infra.StrippedFiles["modules/keyvault.bicep"]);
    }

    [Fact]
    public void Role_definition_ids_are_exactly_the_five_listed()
    {
        var expected = new SortedSet<string>(StringComparer.Ordinal)
        {
            "b7e6dc6d-f1e8-4753-8033-0f276bb0955b", // Storage Blob Data Owner
            "974c5e8b-45b9-4653-ba55-5f855dd0fb88", // Storage Queue Data Contributor
            "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3", // Storage Table Data Contributor
            "3913510d-42f4-4e42-8a64-420c390055eb", // Monitoring Metrics Publisher
            "4633458b-17de-408a-b874-0445c86b69e6", // Key Vault Secrets User
        };
        var roles = Infra.VariableObject("modules/rbac.bicep", "roleDefinitionIds");
        Assert.Equal(expected, new SortedSet<string>(roles.Select(r => BicepText.StringLiteral(r.Value)!), StringComparer.Ordinal));

        // Each role is assigned once, through the table above; no GUID appears anywhere else in the templates.
        var rbac = Infra.StrippedFiles["modules/rbac.bicep"];
        Assert.Equal(5, Regex.Count(rbac, @"'Microsoft\.Authorization/roleAssignments@"));
        var used = RoleReference().Matches(rbac).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(roles.Select(r => r.Key).Order(StringComparer.Ordinal), used.Order(StringComparer.Ordinal));
        var guids = Infra.StrippedFiles.Values.SelectMany(t => GuidPattern().Matches(t).Select(m => m.Value)).ToHashSet();
        Assert.Subset(expected.ToHashSet(), guids);
        Assert.Equal(5, Regex.Count(rbac, @"principalType:\s*'ServicePrincipal'"));
    }

    [Fact]
    public void Role_assignments_are_granted_before_the_app_starts()
    {
        Assert.Matches(@"module functionApp '[^']+' = \{[\s\S]*dependsOn:\s*\[\s*rbac\s*\]", Infra.StrippedFiles["main.bicep"]);
        Assert.Matches(@"principalId:\s*identity\.outputs\.principalId", Infra.StrippedFiles["main.bicep"]);
    }

    [Fact]
    public void Main_outputs_the_names_a_deployer_needs()
    {
        var outputs = OutputPattern().Matches(Infra.StrippedFiles["main.bicep"]).Select(m => m.Groups[1].Value).ToList();

        Assert.Subset(outputs.ToHashSet(), new HashSet<string> { "functionAppName", "defaultHostName", "storageAccountName", "keyVaultName" });
    }

    [Fact]
    public void Every_module_main_references_exists_and_every_module_is_used()
    {
        var referenced = ModulePath().Matches(Infra.StrippedFiles["main.bicep"]).Select(m => m.Groups[1].Value).ToHashSet();
        var onDisk = Infra.StrippedFiles.Keys.Where(k => k.StartsWith("modules/", StringComparison.Ordinal)).ToHashSet();

        Assert.Equal(onDisk.Order(StringComparer.Ordinal), referenced.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Resource_api_versions_are_dated_and_not_previews()
    {
        var versions = Infra.StrippedFiles.Values.SelectMany(t => ApiVersion().Matches(t)).ToList();

        Assert.NotEmpty(versions);
        Assert.All(versions, v => Assert.True(int.Parse(v.Groups["year"].Value, System.Globalization.CultureInfo.InvariantCulture) >= 2020, v.Value));
        Assert.All(versions, v => Assert.DoesNotContain("preview", v.Value, StringComparison.OrdinalIgnoreCase));
    }

    [GeneratedRegex(@"subscriptionResourceId\('Microsoft\.Authorization/roleDefinitions',\s*roleDefinitionIds\.(\w+)\)")]
    private static partial Regex RoleReference();

    [GeneratedRegex(@"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")]
    private static partial Regex GuidPattern();

    [GeneratedRegex(@"^output\s+(\w+)\s+\w+\s*=", RegexOptions.Multiline)]
    private static partial Regex OutputPattern();

    [GeneratedRegex(@"^module\s+\w+\s+'([^']+)'", RegexOptions.Multiline)]
    private static partial Regex ModulePath();

    [GeneratedRegex(@"'[A-Za-z.]+/[A-Za-z/]+@(?<year>\d{4})-\d{2}-\d{2}[^']*'")]
    private static partial Regex ApiVersion();
}
