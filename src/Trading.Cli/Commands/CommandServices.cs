using Microsoft.Extensions.DependencyInjection;
using Trading.Cli.Configuration;
using Trading.Cli.Storage;

namespace Trading.Cli.Commands;

/// <summary>The storage (Azurite started if needed) and the composed services of a read-only command (status, lessons).</summary>
internal sealed class CommandServices : IAsyncDisposable
{
    private CommandServices(LocalStorage storage, ServiceProvider services)
    {
        Storage = storage;
        Services = services;
    }

    public LocalStorage Storage { get; }

    public ServiceProvider Services { get; }

    /// <param name="context">The command's surroundings.</param>
    /// <param name="error">Where notices go.</param>
    /// <param name="cancellationToken">Stops the start.</param>
    /// <param name="configure">Registrations of the command itself (before the test's own, which win).</param>
    /// <param name="otherProblems">The command's own settings problems, reported with the pipeline's.</param>
    public static async Task<CommandServices> CreateAsync(
        CliContext context, TextWriter error, CancellationToken cancellationToken, Action<IServiceCollection>? configure = null, IReadOnlyList<string>? otherProblems = null)
    {
        var configuration = context.BuildConfiguration();
        CliServices.ValidateSettings(configuration, otherProblems, warnings: error);
        var storage = await LocalStorage.EnsureAsync(configuration, context.ContentRoot, error, cancellationToken);
        try
        {
            // Every command that reads state says where it reads it.
            await error.WriteLineAsync(storage.Description);
            if (storage.Settings.Count > 0)
            {
                var merged = new Dictionary<string, string?>(storage.Settings, StringComparer.OrdinalIgnoreCase);
                foreach (var (k, v) in context.Overrides ?? new Dictionary<string, string?>())
                {
                    merged[k] = v;
                }

                configuration = CliSettings.Build(context.ContentRoot, merged);
            }

            // Runs are read through the task hub's launcher when the storage is an account (a connection string).
            var engine = !string.IsNullOrWhiteSpace(configuration["Storage:ConnectionString"]) || !string.IsNullOrWhiteSpace(configuration["AzureWebJobsStorage"]);
            var services = CliServices.Build(configuration, context.Time, engine: engine, after: s =>
            {
                configure?.Invoke(s);
                context.ConfigureServices?.Invoke(s);
            });
            context.ServicesCreated?.Invoke(services);
            return new CommandServices(storage, services);
        }
        catch
        {
            await storage.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await Storage.DisposeAsync();
    }
}
