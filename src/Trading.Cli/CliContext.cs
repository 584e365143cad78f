using Microsoft.Extensions.Configuration;
using Trading.Cli.Configuration;

namespace Trading.Cli;

/// <summary>
/// What a command needs from its surroundings: where the repository is, extra settings, and the clock. The program uses
/// the real ones; tests pass their own (a storage connection string, a fixed time) and capture output through
/// System.CommandLine's <c>InvocationConfiguration</c>.
/// </summary>
public sealed class CliContext
{
    /// <summary>The directory that holds local.settings.json, .trading/ and node_modules/.</summary>
    public string ContentRoot { get; init; } = CliSettings.FindContentRoot(Directory.GetCurrentDirectory(), AppContext.BaseDirectory);

    /// <summary>Settings that win over local.settings.json and the environment (tests).</summary>
    public IReadOnlyDictionary<string, string?>? Overrides { get; init; }

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>True to draw progress bars; by default only when the output is the process's terminal.</summary>
    public bool? Interactive { get; init; }

    /// <summary>Registrations added after the pipeline's, so they win (tests: a gated market, a loopback gateway).</summary>
    public Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? ConfigureServices { get; init; }

    /// <summary>Called with a command's services once they exist (tests: interrupt a run after a chosen stage, inspect the broker).</summary>
    public Action<IServiceProvider>? ServicesCreated { get; init; }

    /// <summary>The merged configuration (local.settings.json Values, environment, overrides).</summary>
    public IConfiguration BuildConfiguration() => CliSettings.Build(ContentRoot, Overrides);
}
