using System.Text.Json.Nodes;
using Trading.Infra.Tests.Compiler;

namespace Trading.Infra.Tests.Template;

/// <summary>
/// The compiled template is what the design says: Flex Consumption on .NET 10 isolated, a user-assigned identity
/// everywhere, no shared keys or local auth, Key Vault in RBAC mode, and exactly the listed roles for the app.
/// </summary>
public sealed class TemplateShapeTests
{
    private static ArmTemplate Main => CompiledInfra.Repo.RequireTemplate();

    private static JsonObject Single(string type)
    {
        var found = Main.ResourcesOfType(type);
        Assert.True(found.Count == 1, $"Expected one {type}, found {found.Count}.");
        return found[0].Resource;
    }

    [BicepFact]
    public void Resources_and_api_versions_are_the_expected_ones()
    {
        var actual = Main.AllResources()
            .Select(r => $"{r.Owner.Path}: {ArmTemplate.TypeOf(r.Resource)}@{ArmTemplate.ApiVersionOf(r.Resource)}")
            .Order(StringComparer.Ordinal)
            .ToList();

        string[] expected =
        [
            "main/functionApp: Microsoft.Web/serverfarms@2025-03-01",
            "main/functionApp: Microsoft.Web/sites/config@2025-03-01",
            "main/functionApp: Microsoft.Web/sites@2025-03-01",
            "main/identity: Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30",
            "main/keyVault: Microsoft.KeyVault/vaults/secrets@2025-05-01",
            "main/keyVault: Microsoft.KeyVault/vaults/secrets@2025-05-01",
            "main/keyVault: Microsoft.KeyVault/vaults/secrets@2025-05-01",
            "main/keyVault: Microsoft.KeyVault/vaults@2025-05-01",
            "main/monitoring: Microsoft.Insights/components@2020-02-02",
            "main/monitoring: Microsoft.OperationalInsights/workspaces@2025-02-01",
            "main/rbac: Microsoft.Authorization/roleAssignments@2022-04-01",
            "main/rbac: Microsoft.Authorization/roleAssignments@2022-04-01",
            "main/rbac: Microsoft.Authorization/roleAssignments@2022-04-01",
            "main/rbac: Microsoft.Authorization/roleAssignments@2022-04-01",
            "main/rbac: Microsoft.Authorization/roleAssignments@2022-04-01",
            "main/storage: Microsoft.Storage/storageAccounts/blobServices/containers@2025-06-01",
            "main/storage: Microsoft.Storage/storageAccounts/blobServices@2025-06-01",
            "main/storage: Microsoft.Storage/storageAccounts@2025-06-01",
        ];
        Assert.Equal(expected, actual);
        Assert.All(Main.AllResources(), r => Assert.DoesNotContain("preview", ArmTemplate.ApiVersionOf(r.Resource), StringComparison.OrdinalIgnoreCase));
    }

    [BicepFact]
    public void Plan_is_Flex_Consumption_FC1_on_Linux()
    {
        var plan = Single("Microsoft.Web/serverfarms");

        Assert.Equal("FC1", (string?)plan["sku"]?["name"]);
        Assert.Equal("FlexConsumption", (string?)plan["sku"]?["tier"]);
        Assert.True((bool?)plan["properties"]?["reserved"], "reserved: true is what makes the plan Linux");
        Assert.Equal("functionapp,linux", (string?)Single("Microsoft.Web/sites")["kind"]);
    }

    [BicepFact]
    public void Runtime_is_dotnet_isolated_10_in_functionAppConfig()
    {
        var config = Single("Microsoft.Web/sites")["properties"]?["functionAppConfig"];

        Assert.Equal("dotnet-isolated", (string?)config?["runtime"]?["name"]);
        Assert.Equal("10.0", (string?)config?["runtime"]?["version"]);
        Assert.Equal("[parameters('maximumInstanceCount')]", (string?)config?["scaleAndConcurrency"]?["maximumInstanceCount"]);
        Assert.Equal("[parameters('instanceMemoryMB')]", (string?)config?["scaleAndConcurrency"]?["instanceMemoryMB"]);
    }

    [BicepFact]
    public void Packages_deploy_from_the_blob_container_as_the_user_assigned_identity()
    {
        var functionApp = Main.Module("functionApp");
        var storage = Single("Microsoft.Web/sites")["properties"]?["functionAppConfig"]?["deployment"]?["storage"];

        Assert.Equal("blobContainer", (string?)storage?["type"]);
        Assert.Equal("[format('{0}{1}', parameters('blobEndpoint'), parameters('deploymentContainerName'))]", (string?)storage?["value"]);
        Assert.Equal("UserAssignedIdentity", (string?)storage?["authentication"]?["type"]);
        Assert.Equal("[parameters('identityId')]", (string?)storage?["authentication"]?["userAssignedIdentityResourceId"]);

        // ... and those parameters are the storage module's endpoint and container, and the identity module's id.
        Assert.Contains("'storage'", Text(functionApp.Passed("blobEndpoint")), StringComparison.Ordinal);
        Assert.EndsWith(".outputs.blobEndpoint.value]", Text(functionApp.Passed("blobEndpoint")), StringComparison.Ordinal);
        Assert.EndsWith(".outputs.deploymentContainerName.value]", Text(functionApp.Passed("deploymentContainerName")), StringComparison.Ordinal);
        Assert.Equal(IdentityOutput("id"), Text(functionApp.Passed("identityId")));
    }

    [BicepFact]
    public void App_runs_as_the_user_assigned_identity_and_resolves_Key_Vault_references_with_it()
    {
        var site = Single("Microsoft.Web/sites");

        Assert.Equal("UserAssigned", (string?)site["identity"]?["type"]);
        var identities = site["identity"]?["userAssignedIdentities"] as JsonObject;
        Assert.Equal(["[format('{0}', parameters('identityId'))]"], identities!.Select(p => p.Key));
        Assert.Equal("[parameters('identityId')]", (string?)site["properties"]?["keyVaultReferenceIdentity"]);
        Assert.True((bool?)site["properties"]?["httpsOnly"]);
        Assert.Equal("Disabled", (string?)site["properties"]?["siteConfig"]?["ftpsState"]);
        Assert.Equal(IdentityOutput("clientId"), Text(Main.Module("functionApp").Passed("identityClientId")));
    }

    [BicepFact]
    public void Storage_refuses_shared_keys_and_old_TLS()
    {
        var properties = Single("Microsoft.Storage/storageAccounts")["properties"];

        Assert.False((bool?)properties?["allowSharedKeyAccess"]);
        Assert.True((bool?)properties?["defaultToOAuthAuthentication"]);
        Assert.False((bool?)properties?["allowBlobPublicAccess"]);
        Assert.Equal("TLS1_2", (string?)properties?["minimumTlsVersion"]);
        Assert.True((bool?)properties?["supportsHttpsTrafficOnly"]);
        Assert.Equal("None", (string?)Single("Microsoft.Storage/storageAccounts/blobServices/containers")["properties"]?["publicAccess"]);
    }

    [BicepFact]
    public void Monitoring_disables_local_auth_and_the_app_authenticates_with_its_identity()
    {
        Assert.True((bool?)Single("Microsoft.Insights/components")["properties"]?["DisableLocalAuth"]);
        Assert.True((bool?)Single("Microsoft.OperationalInsights/workspaces")["properties"]?["features"]?["disableLocalAuth"]);

        var settings = Main.AppSettings().ToDictionary(s => s.Name, s => s.Value);
        Assert.Equal("[format('ClientId={0};Authorization=AAD', parameters('identityClientId'))]", settings["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]);
    }

    [BicepFact]
    public void Key_Vault_uses_RBAC_authorization_and_no_access_policies()
    {
        var properties = Single("Microsoft.KeyVault/vaults")["properties"] as JsonObject;

        Assert.True((bool?)properties?["enableRbacAuthorization"]);
        Assert.False(properties!.ContainsKey("accessPolicies"), "access policies bypass Azure RBAC");
    }

    /// <summary>Role definition id → the resource type it must be scoped to (the one resource that needs it).</summary>
    public static readonly IReadOnlyDictionary<string, string> ExpectedRoles = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["b7e6dc6d-f1e8-4753-8033-0f276bb0955b"] = "Microsoft.Storage/storageAccounts", // Storage Blob Data Owner
        ["974c5e8b-45b9-4653-ba55-5f855dd0fb88"] = "Microsoft.Storage/storageAccounts", // Storage Queue Data Contributor
        ["0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3"] = "Microsoft.Storage/storageAccounts", // Storage Table Data Contributor
        ["3913510d-42f4-4e42-8a64-420c390055eb"] = "Microsoft.Insights/components", // Monitoring Metrics Publisher
        ["4633458b-17de-408a-b874-0445c86b69e6"] = "Microsoft.KeyVault/vaults", // Key Vault Secrets User
    };

    [BicepFact]
    public void The_app_identity_holds_exactly_the_five_roles_each_on_its_resource()
    {
        var problems = TemplateChecks.RoleProblems(Main);

        Assert.True(problems.Count == 0, "Role assignments:\n  " + string.Join("\n  ", problems));
        Assert.Equal(5, Main.ResourcesOfType("Microsoft.Authorization/roleAssignments").Count);
    }

    [BicepFact]
    public void Role_assignments_are_granted_before_the_app_starts()
    {
        var dependsOn = Main.ModuleDeployment("functionApp")["dependsOn"]?.AsArray().Select(d => (string?)d).ToList() ?? [];

        Assert.Contains("[resourceId('Microsoft.Resources/deployments', 'rbac')]", dependsOn);
    }

    [BicepFact]
    public void Main_outputs_the_names_a_deployer_needs()
    {
        var outputs = (Main.Root["outputs"] as JsonObject)!.Select(o => o.Key).ToHashSet();

        Assert.Superset(new HashSet<string> { "functionAppName", "defaultHostName", "storageAccountName", "keyVaultName", "alpacaEnvironment" }, outputs);
    }

    private static string IdentityOutput(string output) => TemplateChecks.IdentityOutput(output);

    private static string Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : node?.ToJsonString() ?? "";
}
