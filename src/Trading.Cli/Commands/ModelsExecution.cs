using System.ClientModel;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Trading.Cli.Configuration;
using Trading.Gateway;
using Trading.Gateway.Catalog;
using Trading.Gateway.Configuration;
using Trading.Pipeline.State;

namespace Trading.Cli.Commands;

/// <summary>Runs <c>trading models</c>, and the same check when <c>run</c> or <c>serve</c> starts with a gateway key.</summary>
internal static class ModelsExecution
{
    private static readonly JsonSerializerOptions Indented = new(JsonSerializerDefaults.Web) { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static async Task<int> ExecuteAsync(CliContext context, bool json, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var configuration = context.BuildConfiguration();
        var collection = new ServiceCollection().AddLogging(l => l.ClearProviders()).AddSingleton<TimeProvider>(context.Time);
        try
        {
            collection.AddTradingGateway(configuration);
        }
        catch (GatewayConfigurationException e)
        {
            throw new CliUsageException(e.Message, e);
        }

        await using var services = collection.BuildServiceProvider();
        var catalog = services.GetService<GatewayModelCatalog>()
            ?? throw new CliUsageException("No gateway key is set (LLM_GATEWAY_API_KEY, TETRATE_API_KEY or TARS_API_KEY): there is no gateway to ask. Offline runs use the rules-based council.");
        var check = await AskAsync(catalog, cancellationToken);
        if (json)
        {
            await output.WriteLineAsync(JsonSerializer.Serialize(check, Indented));
        }
        else
        {
            await output.WriteLineAsync($"The gateway lists {check.ServedCount} model(s).");
            foreach (var m in check.Models)
            {
                await output.WriteLineAsync(
                    $"  {m.LogicalName,-24} {m.GatewayModelId,-48} {(m.Available ? "available" : "MISSING")}{(m.Critical ? "  (critical: trade decisions)" : string.Empty)}");
            }

            foreach (var problem in check.Problems())
            {
                await error.WriteLineAsync(problem);
            }
        }

        return check.CriticalMissing ? TradingCommandLine.Failure : TradingCommandLine.Success;
    }

    /// <summary>
    /// Before <c>run</c> or <c>serve</c> with a gateway key: a missing critical model stops the command (trade decisions would
    /// fail, and they are never downgraded); other missing models are warnings. Checked once a day (remembered in the control
    /// table); a gateway that cannot be asked is a warning, not a verdict.
    /// </summary>
    public static async Task EnsureModelsAsync(IServiceProvider services, TimeProvider time, TextWriter error, CancellationToken cancellationToken)
    {
        if (services.GetService<GatewayModelCatalog>() is not { } catalog)
        {
            return;
        }

        var control = services.GetRequiredService<PipelineTables>().Control;
        var day = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var cached = await control.GetAsync<CheckedModels>("gateway", "model-check", cancellationToken);
        IReadOnlyList<string> problems;
        bool criticalMissing;
        if (cached?.Value is { } known && known.Day == day)
        {
            (problems, criticalMissing) = (known.Problems, known.CriticalMissing);
        }
        else
        {
            ModelCheck check;
            try
            {
                check = await catalog.CheckAsync(cancellationToken);
            }
            catch (Exception e) when (e is ClientResultException or HttpRequestException or TaskCanceledException)
            {
                await error.WriteLineAsync($"warning: could not list the gateway's models ({e.GetType().Name}: {e.Message.Split('\n')[0]}); 'trading models' checks them.");
                return;
            }

            (problems, criticalMissing) = (check.Problems().ToArray(), check.CriticalMissing);
            await control.UpsertAsync("gateway", "model-check", new CheckedModels { Day = day, Problems = problems, CriticalMissing = criticalMissing }, cancellationToken);
        }

        if (criticalMissing)
        {
            throw new CliUsageException("The gateway does not serve the model trade decisions need: " + string.Join("; ", problems) + ". 'trading models' lists what it serves.");
        }

        foreach (var problem in problems)
        {
            await error.WriteLineAsync("warning: " + problem);
        }
    }

    private static async Task<ModelCheck> AskAsync(GatewayModelCatalog catalog, CancellationToken cancellationToken)
    {
        try
        {
            return await catalog.CheckAsync(cancellationToken);
        }
        catch (ClientResultException e)
        {
            throw new CliUsageException($"The gateway answered {e.Status} to GET /models: {e.Message.Split('\n')[0]} Check LLM_GATEWAY_BASE_URL and the key.", e);
        }
        catch (HttpRequestException e)
        {
            throw new CliUsageException($"The gateway could not be reached: {e.Message} Check LLM_GATEWAY_BASE_URL.", e);
        }
    }

    private sealed record CheckedModels
    {
        public DateOnly Day { get; init; }

        public IReadOnlyList<string> Problems { get; init; } = [];

        public bool CriticalMissing { get; init; }
    }
}
