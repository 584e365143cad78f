using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Trading.Hosting;
using Trading.Hosting.Engine;
using Trading.Hosting.Http;
using Trading.TestKit.Storage;

namespace Trading.Pipeline.Tests.Http;

/// <summary>The minimal-API mapping the local host serves, over real HTTP on loopback.</summary>
public sealed class MinimalApiMappingTests
{
    [Fact]
    public async Task MapTradingApi_serves_the_handlers_with_their_status_codes()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var configuration = TradingConfiguration.Build(includeEnvironment: false, overrides: new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = TestStorage.ConnectionString,
            ["PipelineTables:TablePrefix"] = "m" + Guid.NewGuid().ToString("N")[..10],
            ["TASKHUB_NAME"] = "m" + Guid.NewGuid().ToString("N")[..10],
        });
        builder.Services.AddTradingPipeline(configuration);
        builder.Services.AddTaskHubEngine(configuration);
        await using var app = builder.Build();
        app.MapTradingApi();
        await app.StartAsync();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

            var status = await http.GetAsync(new Uri("/api/status", UriKind.Relative));
            var bad = await http.PostAsync(new Uri("/api/runs", UriKind.Relative), new StringContent("{\"dryRun\":\"maybe\"}", Encoding.UTF8, "application/json"));
            var badId = await http.GetAsync(new Uri("/api/runs/a%20b", UriKind.Relative));
            var halt = await http.PostAsync(new Uri("/api/halt", UriKind.Relative), new StringContent("{\"reason\":\"test\"}", Encoding.UTF8, "application/json"));

            Assert.Equal(HttpStatusCode.OK, status.StatusCode);
            Assert.Equal("application/json", status.Content.Headers.ContentType?.MediaType);
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Contains("'dryRun' must be true or false", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.BadRequest, badId.StatusCode);
            Assert.Equal(HttpStatusCode.OK, halt.StatusCode);
        }
        finally
        {
            await app.StopAsync();
        }
    }
}
