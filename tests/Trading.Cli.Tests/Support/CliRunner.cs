using Microsoft.Extensions.Configuration;
using Trading.Cli.Clocks;
using Trading.TestKit.Storage;

namespace Trading.Cli.Tests.Support;

/// <summary>Invokes the command tree in-process with captured output, against the test Azurite and a table prefix of its own.</summary>
public sealed class CliRunner
{
    /// <summary>A wall clock frozen at a known second, so run ids (and the sampler draws seeded by them) repeat.</summary>
    public static readonly DateTimeOffset FixedNow = new(2026, 1, 5, 12, 0, 0, TimeSpan.Zero);

    public CliRunner(string? tablePrefix = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        TablePrefix = tablePrefix ?? TestStorage.UniqueTableName("cli");
        var overrides = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Storage:ConnectionString"] = TestStorage.ConnectionString,
            ["PipelineTables:TablePrefix"] = TablePrefix,
            // One variant: the run's decisions do not hinge on which arm the sampler draws.
            ["Pipeline:Variants"] = "d15-w5",
            // Keys serve generates for MCP profiles go to a scratch directory, not the checkout's .trading/.
            ["Mcp:KeyDirectory"] = Path.Combine(Path.GetTempPath(), "trading-cli-tests", "mcp-keys-" + Guid.NewGuid().ToString("N")[..12]),
            // A task hub of this runner's own, polled often.
            ["TASKHUB_NAME"] = "hub" + new string(TablePrefix.Where(char.IsAsciiLetterOrDigit).ToArray()),
            ["TaskHub:MaxQueuePollingInterval"] = "00:00:00.050",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            overrides[key] = value;
        }

        Overrides = overrides;
    }

    public string TablePrefix { get; }

    public IReadOnlyDictionary<string, string?> Overrides { get; }

    /// <summary>
    /// Registrations that give the engine a hook called after each activity ran, before its result is recorded (a crash or a
    /// hold at a chosen stage), on this runner's task hub.
    /// </summary>
    public Action<Microsoft.Extensions.DependencyInjection.IServiceCollection> AfterActivity(Func<string, Task> hook)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(Overrides).Build();
        var options = Trading.Hosting.Engine.TaskHubServiceCollectionExtensions.ReadTaskHubOptions(configuration);
        options.AfterActivity = (name, _) => hook(name);
        return services => Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions.AddSingleton(services, options);
    }

    public CliContext Context(Action<IServiceProvider>? servicesCreated = null, DateTimeOffset? now = null, Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? configureServices = null) => new()
    {
        ConfigureServices = configureServices,
        ContentRoot = Trading.Cli.Configuration.CliSettings.FindContentRoot(AppContext.BaseDirectory),
        Overrides = Overrides,
        Time = new SimulationClock(now ?? FixedNow),
        Interactive = false,
        ServicesCreated = servicesCreated,
    };

    public async Task<CliResult> InvokeAsync(string[] args, CliContext? context = null, CancellationToken cancellationToken = default)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await TradingCommandLine.InvokeAsync(args, context ?? Context(), output, error, cancellationToken);
        return new CliResult(exit, output.ToString(), error.ToString());
    }
}

/// <summary>What a command printed and returned.</summary>
public sealed record CliResult(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Error}";
}
