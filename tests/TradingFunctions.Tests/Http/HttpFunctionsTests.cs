using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Trading.Hosting.Http;
using Trading.Pipeline.Orchestration;
using TradingFunctions.Tests.Support;

namespace TradingFunctions.Tests.Http;

/// <summary>
/// The app's HTTP functions called as the worker calls them: a real <see cref="HttpRequest"/> (DefaultHttpContext with the
/// body stream and route value) and the engine's <see cref="DurableTaskClient"/>; runs execute on the Durable engine.
/// (Keys are enforced by the Functions host before the worker sees a request: see FunctionsMetadataTests for the levels.)
/// </summary>
public sealed class HttpFunctionsTests
{
    [Fact]
    public async Task Status_is_200_with_the_account_mode_and_next_runs()
    {
        using var app = new TestApp();
        await using var engine = await DurableEngine.StartAsync();
        await using var worker = await engine.StartWorkerAsync(app);
        var http = worker.Services.GetRequiredService<HttpFunctions>();

        var (status, json, _) = await CallAsync(r => http.StatusAsync(r, worker.Client), "GET", null);

        Assert.Equal(200, status);
        using var document = JsonDocument.Parse(json);
        Assert.True(document.RootElement.GetProperty("mode").GetProperty("brokerSimulated").GetBoolean());
        Assert.Equal(JsonValueKind.Array, document.RootElement.GetProperty("nextRuns").GetProperty("entry").ValueKind);
        Assert.False(document.RootElement.GetProperty("halted").GetProperty("halted").GetBoolean());
    }

    [Fact]
    public async Task A_manual_run_is_202_with_its_status_url_a_second_is_409_while_it_runs_and_get_run_shows_the_stages_so_far()
    {
        using var app = new TestApp();
        using var gate = new SemaphoreSlim(0);
        await using var engine = await DurableEngine.StartAsync();
        // The run waits at the risk stage until the test lets it go, so "while it runs" is a state, not a race.
        await using var worker = await engine.StartWorkerAsync(app, new FunctionHooks
        {
            ActivityStarting = (name, _) =>
            {
                if (name == ActivityNames.AssessRisk)
                {
                    gate.Wait(Engine.HangGuard);
                }
            },
        });
        var http = worker.Services.GetRequiredService<HttpFunctions>();

        var (status, json, headers) = await CallAsync(r => http.StartRunAsync(r, worker.Client), "POST", """{"dryRun": true}""");
        Assert.Equal(202, status);
        using var started = JsonDocument.Parse(json);
        var id = started.RootElement.GetProperty("instanceId").GetString()!;
        Assert.Equal("/api/runs/" + Uri.EscapeDataString(id), started.RootElement.GetProperty("statusUrl").GetString());
        Assert.Equal("/api/runs/" + Uri.EscapeDataString(id), headers["Location"]);
        Assert.True(started.RootElement.GetProperty("dryRun").GetBoolean());

        await Engine.UntilAsync(worker.Client, id, m => m.SerializedCustomStatus is { Length: > 0 } && m.ReadCustomStatusAs<RunProgress>()?.CurrentStage == ActivityNames.AssessRisk);
        var (second, secondJson, _) = await CallAsync(r => http.StartRunAsync(r, worker.Client), "POST", "{}");
        Assert.Equal(409, second);
        Assert.Contains(id, secondJson, StringComparison.Ordinal);

        var (running, runningJson, _) = await CallAsync(r => http.GetRunAsync(r, worker.Client, id), "GET", null);
        Assert.Equal(200, running);
        using (var view = JsonDocument.Parse(runningJson))
        {
            var runStatus = view.RootElement.GetProperty("status");
            Assert.Equal("Running", runStatus.GetProperty("status").GetString());
            var progress = runStatus.GetProperty("progress");
            Assert.Equal(ActivityNames.AssessRisk, progress.GetProperty("currentStage").GetString());
            Assert.Equal(
                [ActivityNames.MarketSnapshot, ActivityNames.AnalyzeMarket, ActivityNames.SelectStrategy, ActivityNames.RecallTradeMemory, ActivityNames.RetrieveLessons],
                progress.GetProperty("stagesDone").EnumerateArray().Select(e => e.GetString()!).ToArray());
            Assert.Equal(JsonValueKind.Null, view.RootElement.GetProperty("journal").ValueKind);
        }

        // The status endpoint lists the run among the active ones, with the same progress.
        var (_, statusJson, _) = await CallAsync(r => http.StatusAsync(r, worker.Client), "GET", null);
        using (var statusView = JsonDocument.Parse(statusJson))
        {
            var active = Assert.Single(statusView.RootElement.GetProperty("activeRuns").EnumerateArray());
            Assert.Equal(id, active.GetProperty("instanceId").GetString());
            Assert.Equal(ActivityNames.AssessRisk, active.GetProperty("progress").GetProperty("currentStage").GetString());
        }

        gate.Release();
        await Engine.CompletionAsync(worker.Client, id);
        var (done, doneJson, _) = await CallAsync(r => http.GetRunAsync(r, worker.Client, id), "GET", null);
        Assert.Equal(200, done);
        using var final = JsonDocument.Parse(doneJson);
        Assert.Equal("Completed", final.RootElement.GetProperty("status").GetProperty("status").GetString());
        Assert.Equal("dry-run", final.RootElement.GetProperty("journal").GetProperty("endReason").GetString());
        Assert.Contains(ActivityNames.RecordRun, final.RootElement.GetProperty("status").GetProperty("progress").GetProperty("stagesDone").EnumerateArray().Select(e => e.GetString()));
        Assert.Empty(app.Broker.Accepted);
    }

    [Fact]
    public async Task Halt_blocks_manual_runs_until_resume()
    {
        using var app = new TestApp();
        await using var engine = await DurableEngine.StartAsync();
        await using var worker = await engine.StartWorkerAsync(app);
        var http = worker.Services.GetRequiredService<HttpFunctions>();

        var (halted, haltJson, _) = await CallAsync(r => http.HaltAsync(r, worker.Client), "POST", """{"reason": "volatility spike"}""");
        Assert.Equal(200, halted);
        Assert.Contains("volatility spike", haltJson, StringComparison.Ordinal);
        var (refused, refusedJson, _) = await CallAsync(r => http.StartRunAsync(r, worker.Client), "POST", "{}");
        Assert.Equal(409, refused);
        Assert.Contains("halted", refusedJson, StringComparison.Ordinal);
        var (statusCode, statusJson, _) = await CallAsync(r => http.StatusAsync(r, worker.Client), "GET", null);
        Assert.Equal(200, statusCode);
        Assert.True(JsonDocument.Parse(statusJson).RootElement.GetProperty("halted").GetProperty("halted").GetBoolean());

        var (resumed, _, _) = await CallAsync(r => http.ResumeAsync(r, worker.Client), "POST", """{"reason": "calm again"}""");
        Assert.Equal(200, resumed);
        var (accepted, acceptedJson, _) = await CallAsync(r => http.StartRunAsync(r, worker.Client), "POST", """{"dryRun": true}""");
        Assert.Equal(202, accepted);
        await Engine.CompletionAsync(worker.Client, JsonDocument.Parse(acceptedJson).RootElement.GetProperty("instanceId").GetString()!);
    }

    [Theory]
    [InlineData("runs", "{")]
    [InlineData("runs", "[]")]
    [InlineData("runs", "\"dryRun\"")]
    [InlineData("runs", "{\"dryRun\": \"yes\"}")]
    [InlineData("runs", "{\"dryRun\": 1}")]
    [InlineData("runs", "{\"dryRun\": null}")]
    [InlineData("runs", "{\"dryRun\": true, \"unexpected\": 1}")]
    [InlineData("runs", "{\"dryRun\": true, \"dryRun\": false}")]
    [InlineData("halt", "")]
    [InlineData("halt", "{")]
    [InlineData("halt", "{}")]
    [InlineData("halt", "{\"reason\": 5}")]
    [InlineData("halt", "{\"reason\": \"\"}")]
    [InlineData("halt", "{\"reason\": \"x\", \"unexpected\": true}")]
    [InlineData("resume", "null")]
    [InlineData("resume", "{\"reason\": [\"x\"]}")]
    public async Task A_malformed_body_is_400_with_a_message(string route, string body)
    {
        using var app = new TestApp();
        await using var engine = await DurableEngine.StartAsync();
        await using var worker = await engine.StartWorkerAsync(app);
        var http = worker.Services.GetRequiredService<HttpFunctions>();
        Func<HttpRequest, Task<IActionResult>> function = route switch
        {
            "runs" => r => http.StartRunAsync(r, worker.Client),
            "halt" => r => http.HaltAsync(r, worker.Client),
            _ => r => http.ResumeAsync(r, worker.Client),
        };

        var (status, json, _) = await CallAsync(function, "POST", body);

        Assert.Equal(400, status);
        AssertMessage(json);
        Assert.Empty(await AllAsync(worker.Client));
    }

    [Fact]
    public async Task An_oversized_body_is_refused_with_a_message_without_starting_anything()
    {
        using var app = new TestApp();
        await using var engine = await DurableEngine.StartAsync();
        await using var worker = await engine.StartWorkerAsync(app);
        var http = worker.Services.GetRequiredService<HttpFunctions>();
        var body = "{\"dryRun\": true" + new string(' ', TradingApi.MaxBodyLength * 4) + "}";

        var (status, json, _) = await CallAsync(r => http.StartRunAsync(r, worker.Client), "POST", body);
        var (haltStatus, haltJson, _) = await CallAsync(r => http.HaltAsync(r, worker.Client), "POST", "{\"reason\": \"" + new string('x', 100_000) + "\"}");

        Assert.True(status is 400 or 413, $"status {status}");
        Assert.Contains("longer than", json, StringComparison.Ordinal);
        Assert.True(haltStatus is 400 or 413, $"status {haltStatus}");
        AssertMessage(haltJson);
        Assert.Empty(await AllAsync(worker.Client));
    }

    [Theory]
    [InlineData("bad id", 400)]
    [InlineData("-starts-with-a-dash", 400)]
    [InlineData("semi;colon", 400)]
    [InlineData("quote's", 400)]
    [InlineData("new\nline", 400)]
    [InlineData("", 400)]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 400)]
    [InlineData("manual-2026-11-23T15:04:05Z", 404)]
    [InlineData("entry-2099-01-01T00:00Z", 404)]
    public async Task A_malformed_run_id_is_400_and_an_unknown_one_404_with_a_message(string id, int expected)
    {
        using var app = new TestApp();
        await using var engine = await DurableEngine.StartAsync();
        await using var worker = await engine.StartWorkerAsync(app);
        var http = worker.Services.GetRequiredService<HttpFunctions>();

        var (status, json, _) = await CallAsync(r => http.GetRunAsync(r, worker.Client, id), "GET", null);

        Assert.Equal(expected, status);
        AssertMessage(json);
    }

    [Fact]
    public async Task The_dashboard_page_its_files_and_its_panels_are_served_by_the_functions()
    {
        using var app = new TestApp();
        await using var engine = await DurableEngine.StartAsync();
        await using var worker = await engine.StartWorkerAsync(app);
        var http = worker.Services.GetRequiredService<HttpFunctions>();

        var page = new DefaultHttpContext();
        page.Response.Body = new MemoryStream();
        Assert.IsType<EmptyResult>(await HttpFunctions.DashboardPageAsync(page.Request));
        Assert.Equal(200, page.Response.StatusCode);
        Assert.StartsWith("text/html", page.Response.ContentType, StringComparison.Ordinal);
        Assert.Equal(Trading.Hosting.Dashboard.DashboardPage.Html.Content, ((MemoryStream)page.Response.Body).ToArray());
        Assert.Contains("script-src 'self'", page.Response.Headers.ContentSecurityPolicy.ToString(), StringComparison.Ordinal);

        var script = new DefaultHttpContext();
        script.Response.Body = new MemoryStream();
        Assert.IsType<EmptyResult>(await HttpFunctions.DashboardStaticAsync(script.Request, "dashboard.js"));
        Assert.StartsWith("text/javascript", script.Response.ContentType, StringComparison.Ordinal);
        Assert.IsType<NotFoundObjectResult>(await HttpFunctions.DashboardStaticAsync(new DefaultHttpContext().Request, "dashboard.html"));

        var (status, json, _) = await CallAsync(r => http.DashboardPanelAsync(r, "strategy"), "GET", null);
        Assert.Equal(200, status);
        using (var strategy = JsonDocument.Parse(json))
        {
            Assert.Equal("iron_condor", strategy.RootElement.GetProperty("strategy").GetString());
        }

        (status, json, _) = await CallAsync(r => http.DashboardPanelAsync(r, "spend"), "GET", null, "?days=abc");
        Assert.Equal(400, status);
        AssertMessage(json);
    }

    /// <summary>Calls a function with a real request, as the ASP.NET Core integration hands it over, and reads its answer.</summary>
    private static async Task<(int Status, string Json, IHeaderDictionary Headers)> CallAsync(
        Func<HttpRequest, Task<IActionResult>> function, string method, string? body, string? query = null)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.QueryString = new QueryString(query);
        context.Request.Scheme = "http";
        context.Request.Host = new HostString("127.0.0.1");
        if (body is not null)
        {
            var bytes = Encoding.UTF8.GetBytes(body);
            context.Request.Body = new MemoryStream(bytes);
            context.Request.ContentLength = bytes.Length;
            context.Request.ContentType = "application/json";
        }

        var result = Assert.IsType<ContentResult>(await function(context.Request));
        Assert.Equal("application/json; charset=utf-8", result.ContentType);
        return (result.StatusCode ?? 200, result.Content ?? string.Empty, context.Response.Headers);
    }

    private static void AssertMessage(string json)
    {
        using var document = JsonDocument.Parse(json);
        Assert.False(string.IsNullOrWhiteSpace(document.RootElement.GetProperty("error").GetString()), json);
    }

    private static async Task<List<OrchestrationMetadata>> AllAsync(DurableTaskClient client)
    {
        var all = new List<OrchestrationMetadata>();
        await foreach (var instance in client.GetAllInstancesAsync(new OrchestrationQuery()))
        {
            all.Add(instance);
        }

        return all;
    }
}
