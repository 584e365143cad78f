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

    public static async Task<CommandServices> CreateAsync(CliContext context, TextWriter error, CancellationToken cancellationToken)
    {
        var configuration = context.BuildConfiguration();
        CliServices.ValidateSettings(configuration, warnings: error);
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
            var services = CliServices.Build(configuration, context.Time, after: context.ConfigureServices, engine: engine);
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
