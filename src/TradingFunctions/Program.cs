using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using Trading.Hosting;
using TradingFunctions;

// The isolated worker with ASP.NET Core integration. Configuration comes from the app settings (environment variables; the
// Functions host maps local.settings.json's Values to them locally) through the same builder every host uses. All
// registration is in TradingFunctionsApp.AddTradingFunctions so a test can build the same graph with validation on.
var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.Services.AddTradingFunctions(TradingConfiguration.Build());
builder.Build().Run();
