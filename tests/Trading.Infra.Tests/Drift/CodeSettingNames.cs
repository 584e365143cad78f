using System.Reflection;

namespace Trading.Infra.Tests.Drift;

/// <summary>
/// The code-side list of setting names, <c>Trading.Hosting.AppSettingNames.All</c>, read by reflection
/// so that this project keeps compiling if the type moves or is renamed; the drift test then fails and says so.
/// </summary>
internal static class CodeSettingNames
{
    public const string AssemblyName = "Trading.Hosting";
    public const string TypeName = "Trading.Hosting.AppSettingNames";

    /// <summary>The names in <c>AppSettingNames.All</c>, or null when the type or a static <c>All</c> is missing.</summary>
    public static IReadOnlyCollection<string>? TryLoad()
    {
        var type = Assembly.Load(AssemblyName).GetType(TypeName);
        if (type is null)
        {
            return null;
        }

        const BindingFlags PublicStatic = BindingFlags.Public | BindingFlags.Static;
        var value = type.GetProperty("All", PublicStatic)?.GetValue(null) ?? type.GetField("All", PublicStatic)?.GetValue(null);
        return value as IReadOnlyCollection<string>;
    }
}
