using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Trading.Infra.Tests.Compiler;

/// <summary>
/// A compiled ARM template (main.json, or the nested template of one module) and the parameter values its parent
/// deployment passes to it. Expressions stay as the compiler wrote them; the few helpers here only look up what an
/// expression names (a variable, or a parameter a module was given), never evaluate ARM functions.
/// </summary>
internal sealed partial class ArmTemplate
{
    public const string DeploymentType = "Microsoft.Resources/deployments";

    public ArmTemplate(JsonObject root, JsonObject? passedParameters, string path = "main")
    {
        Root = root;
        PassedParameters = passedParameters;
        Path = path;
    }

    public JsonObject Root { get; }

    /// <summary>name → { value } as the parent deployment passes them; null for main.</summary>
    public JsonObject? PassedParameters { get; }

    /// <summary>"main", or "main/functionApp" for a module.</summary>
    public string Path { get; }

    /// <summary>The resources, whether the compiler wrote them as an array or (language version 2) by symbolic name.</summary>
    public IReadOnlyList<JsonObject> Resources => Root["resources"] switch
    {
        JsonArray array => [.. array.OfType<JsonObject>()],
        JsonObject byName => [.. byName.Select(p => p.Value).OfType<JsonObject>()],
        _ => [],
    };

    /// <summary>The modules: nested deployments with their compiled template, by deployment name.</summary>
    public IReadOnlyDictionary<string, ArmTemplate> Modules =>
        Resources.Where(r => TypeOf(r) == DeploymentType)
            .ToDictionary(
                r => (string)r["name"]!,
                r => new ArmTemplate((JsonObject)r["properties"]!["template"]!, r["properties"]!["parameters"] as JsonObject, $"{Path}/{r["name"]}"),
                StringComparer.Ordinal);

    public ArmTemplate Module(string name) =>
        Modules.TryGetValue(name, out var module) ? module : throw new Xunit.Sdk.XunitException($"{Path} has no module (deployment) named '{name}'.");

    /// <summary>The deployment resource in this template that deploys a module.</summary>
    public JsonObject ModuleDeployment(string name) =>
        Resources.SingleOrDefault(r => TypeOf(r) == DeploymentType && (string?)r["name"] == name)
        ?? throw new Xunit.Sdk.XunitException($"{Path} has no module (deployment) named '{name}'.");

    /// <summary>Every resource other than the module deployments, in this template and every module below it.</summary>
    public IEnumerable<(ArmTemplate Owner, JsonObject Resource)> AllResources()
    {
        foreach (var resource in Resources.Where(r => TypeOf(r) != DeploymentType))
        {
            yield return (this, resource);
        }

        foreach (var module in Modules.Values)
        {
            foreach (var nested in module.AllResources())
            {
                yield return nested;
            }
        }
    }

    /// <summary>The resources of one type (exact, case-sensitive) in this template and its modules.</summary>
    public IReadOnlyList<(ArmTemplate Owner, JsonObject Resource)> ResourcesOfType(string type) =>
        [.. AllResources().Where(r => TypeOf(r.Resource) == type)];

    /// <summary>JSON text as the compiler wrote it (quotes in expressions left as they are, not escaped).</summary>
    public static string Json(JsonNode? node) => node?.ToJsonString(Unescaped) ?? "null";

    private static readonly JsonSerializerOptions Unescaped = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string TypeOf(JsonObject resource) => (string?)resource["type"] ?? "";

    public static string ApiVersionOf(JsonObject resource) => (string?)resource["apiVersion"] ?? "";

    /// <summary>The value a module's parent passes for one of its parameters (as compiled: a literal or an expression).</summary>
    public JsonNode? Passed(string parameter) => PassedParameters?[parameter]?["value"];

    /// <summary>
    /// Replaces every <c>variables('name')</c> and <c>variables('name').property</c> whose value is a plain string with
    /// that string in quotes, so that a role id or secret name kept in a variable reads as the literal it is.
    /// </summary>
    public string Substitute(string expression) => VariableReference().Replace(expression, m =>
    {
        var value = Root["variables"]?[m.Groups["name"].Value];
        if (m.Groups["property"].Success)
        {
            value = value?[m.Groups["property"].Value];
        }

        return value is JsonValue v && v.TryGetValue<string>(out var text) && !text.StartsWith('[') ? $"'{text}'" : m.Value;
    });

    /// <summary>
    /// Every app setting the templates give the function app: the <c>appsettings</c> config resources and any
    /// <c>siteConfig.appSettings</c> on a site, in main and every module. An object built as
    /// <c>union(variables('x'), parameters('y'), ...)</c> is resolved through this template's variables and the values its
    /// parent passes; any other expression fails the test with a message, rather than hiding settings from it.
    /// </summary>
    public IReadOnlyList<AppSetting> AppSettings()
    {
        var settings = new List<AppSetting>();
        foreach (var (owner, resource) in AllResources())
        {
            var type = TypeOf(resource);
            var name = (string?)resource["name"] ?? "";
            if (type == "Microsoft.Web/sites/config" && (name.EndsWith("'appsettings')]", StringComparison.Ordinal) || name.EndsWith("/appsettings", StringComparison.Ordinal)))
            {
                settings.AddRange(owner.ResolveObject(resource["properties"], $"{owner.Path} appsettings"));
            }

            var properties = resource["properties"] as JsonObject;
            if (type == "Microsoft.Web/sites" && (properties?["siteConfig"] as JsonObject)?["appSettings"] is { } siteConfigSettings)
            {
                settings.AddRange(NameValueArray(siteConfigSettings, $"{owner.Path} siteConfig.appSettings"));
            }

            if (type == "Microsoft.Web/sites/config" && properties?["appSettings"] is { } webConfigSettings)
            {
                settings.AddRange(NameValueArray(webConfigSettings, $"{owner.Path} config appSettings"));
            }
        }

        return settings;
    }

    private IEnumerable<AppSetting> ResolveObject(JsonNode? node, string where)
    {
        switch (node)
        {
            case JsonObject literal:
                return literal.Select(p => new AppSetting(p.Key, Text(p.Value), where));
            case JsonValue value when value.TryGetValue<string>(out var expression) && UnionCall().Match(expression) is { Success: true } union:
                return SplitArguments(union.Groups["arguments"].Value).SelectMany(argument => ResolveReference(argument, where));
            default:
                throw new Xunit.Sdk.XunitException(
                    $"{where}: the settings are built by an expression the tests cannot follow ({Json(node)}). " +
                    "Keep them an object, or union(...) of variables and module parameters that hold objects.");
        }
    }

    private IEnumerable<AppSetting> ResolveReference(string argument, string where)
    {
        var reference = SimpleReference().Match(argument.Trim());
        JsonNode? target = !reference.Success ? null
            : reference.Groups["kind"].Value == "variables" ? Root["variables"]?[reference.Groups["name"].Value]
            : Passed(reference.Groups["name"].Value);
        if (target is not JsonObject settings)
        {
            throw new Xunit.Sdk.XunitException($"{where}: cannot follow '{argument}' to an object of settings.");
        }

        return settings.Select(p => new AppSetting(p.Key, Text(p.Value), $"{where} ({argument.Trim()})"));
    }

    private static IEnumerable<AppSetting> NameValueArray(JsonNode node, string where) => node is JsonArray array
        ? array.Select(item => new AppSetting((string?)item?["name"] ?? "", Text(item?["value"]), where))
        : throw new Xunit.Sdk.XunitException($"{where} is an expression ({Json(node)}); write the settings out.");

    private static string Text(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<string>(out var s) ? s : Json(node);

    // Splits "a(b, c), d" into "a(b, c)" and " d": commas inside parentheses or quotes belong to the argument.
    private static IEnumerable<string> SplitArguments(string arguments)
    {
        var depth = 0;
        var quoted = false;
        var current = new StringBuilder();
        foreach (var c in arguments)
        {
            quoted ^= c == '\'';
            depth += quoted ? 0 : c == '(' ? 1 : c == ')' ? -1 : 0;
            if (c == ',' && depth == 0 && !quoted)
            {
                yield return current.ToString();
                current.Clear();
            }
            else
            {
                current.Append(c);
            }
        }

        yield return current.ToString();
    }

    [GeneratedRegex(@"variables\('(?<name>\w+)'\)(?:\.(?<property>\w+))?")]
    private static partial Regex VariableReference();

    [GeneratedRegex(@"^\[union\((?<arguments>.*)\)\]$")]
    private static partial Regex UnionCall();

    [GeneratedRegex(@"^(?<kind>variables|parameters)\('(?<name>\w+)'\)$")]
    private static partial Regex SimpleReference();
}

/// <summary>One app setting as compiled: its name, its value (a literal or an ARM expression), and where it is defined.</summary>
internal sealed record AppSetting(string Name, string Value, string DefinedIn);
