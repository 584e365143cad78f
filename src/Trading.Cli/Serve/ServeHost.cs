using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Trading.Cli.Clocks;
using Trading.Cli.Configuration;
using Trading.Cli.Mcp;
using Trading.Cli.Storage;
using Trading.Cli.Telemetry;
using Trading.Markets;
using Trading.Hosting;
using Trading.Hosting.Engine;
using Trading.Hosting.Http;

namespace Trading.Cli.Serve;

/// <summary>
/// <c>trading serve</c>: the Functions app's HTTP routes (the same <see cref="TradingApi"/> handlers, via
/// <c>MapTradingApi</c>) behind function-key authorization, and its two schedules, on Kestrel bound to loopback.
/// </summary>
public sealed class ServeHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly LocalStorage _storage;

    private ServeHost(WebApplication app, LocalStorage storage, AdminKey key, McpProfileKeys mcpKeys, IReadOnlyList<Uri> addresses)
    {
        _app = app;
        _storage = storage;
        Key = key;
        McpKeys = mcpKeys;
        Addresses = addresses;
    }

    /// <summary>The key requests must carry.</summary>
    public AdminKey Key { get; }

    /// <summary>The key of each MCP profile at <c>/mcp</c>.</summary>
    public McpProfileKeys McpKeys { get; }

    /// <summary>Where the host listens (with the real port when 0 was asked for).</summary>
    public IReadOnlyList<Uri> Addresses { get; }

    /// <summary>The host's services (tests reach the launcher and the broker through them).</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>
    /// Starts the host; prints where it listens, the storage, and the admin key if this start generated it. With
    /// <paramref name="at"/> (simulated market only) the host's clock starts at that moment and runs at real speed: its
    /// schedules, manual runs and simulated broker all see it.
    /// </summary>
    public static async Task<ServeHost> StartAsync(CliContext context, string? urls, DateTimeOffset? at, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var configuration = context.BuildConfiguration();
        var options = configuration.GetSection(ServeOptions.SectionName).Get<ServeOptions>() ?? new ServeOptions();
        if (!string.IsNullOrWhiteSpace(urls))
        {
            options.Urls = urls;
        }

        var mcp = McpServerSetup.ReadOptions(configuration);
        CliServices.ValidateSettings(configuration, [.. options.Validate(), .. mcp.Validate()], error);

        var storage = await LocalStorage.EnsureAsync(configuration, context.ContentRoot, error, cancellationToken);
        try
        {
            if (storage.Settings.Count > 0)
            {
                var merged = new Dictionary<string, string?>(storage.Settings, StringComparer.OrdinalIgnoreCase);
                foreach (var (k, v) in context.Overrides ?? new Dictionary<string, string?>())
                {
                    merged[k] = v;
                }

                configuration = CliSettings.Build(context.ContentRoot, merged);
            }

            var key = AdminKey.Resolve(options, context.ContentRoot);
            var mcpKeys = McpProfileKeys.Resolve(mcp, context.ContentRoot);
            if (mcpKeys.Keys.Any(k => key.Matches(k.Key.Value)))
            {
                throw new CliUsageException($"The admin key ({key.Source}) and an MCP profile key are the same; each key must be its own (the MCP key decides the profile).");
            }
            var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = context.ContentRoot, Args = [] });
            builder.Configuration.Sources.Clear();
            builder.Configuration.AddConfiguration(configuration);
            builder.WebHost.UseUrls(options.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            builder.Logging.ClearProviders();
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.Logging.AddFilter("Trading.Cli.Serve", LogLevel.Information);
            builder.Logging.AddFilter("DurableTask", LogLevel.None); // the engine's own loops; runs report through their status
            // A failed start (a busy port) is reported by serve in one line; the host's own multi-kilobyte trace adds nothing.
            builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);
            builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
            builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
            var clock = context.Time;
            if (at is { } moment)
            {
                var shifted = new ShiftedClock(context.Time);
                shifted.StartAt(moment);
                clock = shifted;
            }

            builder.Services.AddSingleton(clock);
            try
            {
                builder.Services.AddTradingPipeline(configuration);
                builder.Services.AddTaskHubEngine(configuration);
            }
            catch (TradingConfigurationException e)
            {
                throw new CliUsageException(e.Message, e);
            }

            builder.Services.AddHostedService<WorkerService>();
            builder.Services.AddHostedService<ScheduleRunner>();
            builder.Services.AddTradingMcpServer(mcp).WithHttpTransport();
            CliTelemetry.Add(builder.Services, configuration, http: true);
            context.ConfigureServices?.Invoke(builder.Services);
            var app = builder.Build();
            if (at is not null && !app.Services.GetRequiredService<MarketsMode>().IsSimulated)
            {
                await app.DisposeAsync();
                throw new CliUsageException("--at only works with the simulated market: a live broker trades now. Remove --at, or unset the Alpaca keys.");
            }

            await Commands.ModelsExecution.EnsureModelsAsync(app.Services, context.Time, error, cancellationToken);
            app.UseFunctionKeys(key);
            app.UseMcpProfileKeys(mcpKeys);
            app.MapTradingApi();
            app.MapMcp(McpKeyAuthentication.Path);
            await app.StartAsync(cancellationToken);
            var addresses = app.Urls.Select(u => new Uri(u)).ToArray();
            var host = new ServeHost(app, storage, key, mcpKeys, addresses);
            await host.AnnounceAsync(output, error);
            return host;
        }
        catch
        {
            await storage.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Stops the server, the schedules and the worker (runs in progress stay in the task hub; the next worker, a later
    /// <c>serve</c> or <c>run</c>, finishes them), then stops Azurite if it started it.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await _app.StopAsync();
        }
        finally
        {
            if (CliTelemetry.Summary(_app.Services) is { } telemetry)
            {
                // Through the host's log (standard error): the writer serve started with may be gone by now.
                _app.Services.GetRequiredService<ILogger<ServeHost>>().LogInformation("{TelemetrySummary}", telemetry);
            }

            await _app.DisposeAsync();
            await _storage.DisposeAsync();
        }
    }

    private async Task AnnounceAsync(TextWriter output, TextWriter error)
    {
        // The markets notice was logged when the markets were registered; once is enough.
        await error.WriteLineAsync(_storage.Description);
        foreach (var address in Addresses)
        {
            await output.WriteLineAsync($"Serving the trading API on {address} (GET /api/status, POST /api/runs, GET /api/runs/{{id}}, POST /api/halt, POST /api/resume).");
            await output.WriteLineAsync($"Dashboard: {new Uri(address, Trading.Hosting.Dashboard.DashboardPage.PagePath)} (asks for the key once per browser tab).");
        }

        if (Key.WasGenerated)
        {
            // The only time the key is ever printed: this start generated it.
            await output.WriteLineAsync($"Admin key (printed once; stored in {Key.Source}): {Key.Value}");
        }
        else
        {
            await output.WriteLineAsync($"Requests need the key from {Key.Source} in the x-functions-key header or ?code=.");
        }

        foreach (var address in Addresses)
        {
            await output.WriteLineAsync($"MCP server (Streamable HTTP) on {new Uri(address, McpKeyAuthentication.Path)}: the key decides the profile (Authorization: Bearer <key>).");
        }

        foreach (var (profile, key) in McpKeys.Keys)
        {
            // A profile key is printed only by the start that generated it, like the admin key.
            await output.WriteLineAsync(key.WasGenerated
                ? $"  MCP {profile.Name} key (printed once; stored in {key.Source}): {key.Value}"
                : $"  MCP {profile.Name} key from {key.Source}.");
        }

        await output.WriteLineAsync("Entry and position-management schedules are running. Press Ctrl+C to stop.");
    }
}
