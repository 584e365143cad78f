using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace Trading.Infra.Tests.Compiler;

/// <summary>
/// The real Bicep compiler, from the NuGet package <see cref="PackageId"/> (its build props give the path of
/// <c>tools/bicep</c>, baked into this assembly as the <c>BicepPath</c> metadata at build time).
/// </summary>
internal static partial class BicepCli
{
    public const string PackageId = "Azure.Bicep.CommandLine.linux-x64";

    /// <summary>
    /// Variables the parameters file reads with readEnvironmentVariable(...). They are removed from the compiler's
    /// environment so that a developer's exported keys never reach the compiled output, and every run is reproducible.
    /// </summary>
    public static readonly IReadOnlyList<string> ParameterEnvironmentVariables =
        ["LLM_GATEWAY_API_KEY", "ALPACA_API_KEY_ID", "ALPACA_API_SECRET_KEY", "AZURE_ENV_NAME"];

    private static readonly Lazy<(string? Path, string? MissingReason)> Located = new(Locate);

    /// <summary>The compiler's path, or null when it cannot run here (see <see cref="MissingReason"/>).</summary>
    public static string? ExecutablePath => Located.Value.Path;

    /// <summary>Why the compiler cannot run on this machine; null when it can.</summary>
    public static string? MissingReason => Located.Value.MissingReason;

    /// <summary>Runs <c>bicep</c> with the given arguments in a working directory and waits for it (at most two minutes).</summary>
    public static BicepRun Run(string workingDirectory, params string[] arguments)
    {
        var path = ExecutablePath ?? throw new InvalidOperationException(MissingReason);
        var start = new ProcessStartInfo(path)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var name in ParameterEnvironmentVariables)
        {
            start.Environment.Remove(name);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {path}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"bicep {string.Join(' ', arguments)} did not finish within two minutes.");
        }

        return new BicepRun(process.ExitCode, output.GetAwaiter().GetResult(), errors.GetAwaiter().GetResult());
    }

    private static (string?, string?) Locate()
    {
        var configured = typeof(BicepCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "BicepPath")?.Value;
        if (!OperatingSystem.IsLinux() || RuntimeInformation.OSArchitecture != Architecture.X64)
        {
            return (null, $"Skipped: the Bicep compiler comes from the NuGet package {PackageId}, which runs on Linux x64 only " +
                $"(this is {RuntimeInformation.OSDescription}, {RuntimeInformation.OSArchitecture}). Reference the package for this " +
                "platform (Azure.Bicep.CommandLine.<rid>) to run these tests here.");
        }

        if (string.IsNullOrEmpty(configured))
        {
            return (null, $"Skipped: the build did not provide the Bicep compiler path; is the NuGet package {PackageId} referenced and restored?");
        }

        var path = Path.GetFullPath(configured.Replace('\\', '/'));
        return File.Exists(path)
            ? (path, null)
            : (null, $"Skipped: the Bicep compiler from the NuGet package {PackageId} is missing at {path}; run dotnet restore.");
    }
}

/// <summary>One run of the compiler: its exit code, standard output and the diagnostics it wrote to standard error.</summary>
internal sealed partial record BicepRun(int ExitCode, string Output, string Errors)
{
    /// <summary>Every diagnostic line (<c>file(line,col) : Level code: message [link]</c>), once each.</summary>
    public IReadOnlyList<BicepDiagnostic> Diagnostics =>
        [.. Errors.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => DiagnosticLine().Match(line))
            .Where(m => m.Success)
            .Select(m => new BicepDiagnostic(m.Groups["file"].Value, m.Groups["level"].Value, m.Groups["code"].Value, m.Groups["message"].Value, m.Value))
            .DistinctBy(d => d.Line)];

    /// <summary>For assertion messages: everything the compiler said.</summary>
    public string Describe() => $"exit code {ExitCode}\n{Errors}{Output}".Trim();

    [GeneratedRegex(@"^(?<file>.+?)\(\d+,\d+\) : (?<level>Error|Warning|Info) (?<code>[\w-]+): (?<message>.*)$")]
    private static partial Regex DiagnosticLine();
}

/// <summary>One compiler or linter diagnostic. Compiler diagnostics have BCP codes; linter rules have names.</summary>
internal sealed record BicepDiagnostic(string File, string Level, string Code, string Message, string Line)
{
    public bool IsError => Level == "Error";

    public bool IsCompilerDiagnostic => Code.StartsWith("BCP", StringComparison.Ordinal);
}
