using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Trading.Pipeline.Hosting;

// The isolated worker with ASP.NET Core integration. Configuration comes from the app settings (environment variables; the
// Functions host maps local.settings.json's Values to them locally) through the same builder every host uses, and every
// options class is validated here, so a bad setting stops the app at start-up with one message listing each problem.
var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.Services
    .AddApplicationInsightsTelemetryWorkerService()
    .ConfigureFunctionsApplicationInsights();
builder.Services.AddTradingPipeline(TradingConfiguration.Build());
builder.Build().Run();
