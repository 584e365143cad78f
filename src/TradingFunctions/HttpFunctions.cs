using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Trading.Hosting;
using Trading.Hosting.Dashboard;
using Trading.Hosting.Http;

namespace TradingFunctions;

/// <summary>
/// The HTTP API (function-level keys, ASP.NET Core integration). Each function hands the request body to the shared
/// <see cref="TradingApi"/> and returns its status code, JSON and headers unchanged.
/// </summary>
public sealed class HttpFunctions
{
    // The container, for one thing only: the API is built per invocation around that invocation's DurableTaskClient binding.
    private readonly IServiceProvider _services;
    private readonly DashboardApi _dashboard;

    public HttpFunctions(IServiceProvider services, DashboardApi dashboard)
    {
        _services = services;
        _dashboard = dashboard;
    }

    [Function("Status")]
    public async Task<IActionResult> StatusAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "status")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        Respond(request, await Api(client).GetStatusAsync(request.HttpContext.RequestAborted));

    [Function("StartRun")]
    public async Task<IActionResult> StartRunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "runs")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        Respond(request, await Api(client).StartRunAsync(await ReadBodyAsync(request), request.HttpContext.RequestAborted));

    [Function("GetRun")]
    public async Task<IActionResult> GetRunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "runs/{id}")] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        string id) =>
        Respond(request, await Api(client).GetRunAsync(id, request.HttpContext.RequestAborted));

    [Function("Halt")]
    public async Task<IActionResult> HaltAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "halt")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        Respond(request, await Api(client).HaltAsync(await ReadBodyAsync(request), request.HttpContext.RequestAborted));

    [Function("Resume")]
    public async Task<IActionResult> ResumeAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "resume")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        Respond(request, await Api(client).ResumeAsync(await ReadBodyAsync(request), request.HttpContext.RequestAborted));

    /// <summary>The dashboard page: anonymous, it holds no data (it asks for the key and calls the keyed panels).</summary>
    [Function("DashboardPage")]
    public static async Task<IActionResult> DashboardPageAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "dashboard")] HttpRequest request)
    {
        await DashboardPage.WriteAsync(request.HttpContext, DashboardPage.Html);
        return new EmptyResult();
    }

    /// <summary>The page's script and style sheet (anonymous, like the page).</summary>
    [Function("DashboardStatic")]
    public static async Task<IActionResult> DashboardStaticAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "dashboard/static/{file}")] HttpRequest request,
        string file)
    {
        if (!DashboardPage.TryGetStatic(file, out var asset))
            return new NotFoundObjectResult(new { error = "No such dashboard file." });
        await DashboardPage.WriteAsync(request.HttpContext, asset);
        return new EmptyResult();
    }

    /// <summary>One dashboard panel's JSON (function key, like the rest of the API).</summary>
    [Function("DashboardPanel")]
    public async Task<IActionResult> DashboardPanelAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "dashboard/{panel}")] HttpRequest request,
        string panel)
    {
        return Respond(request, await _dashboard.GetPanelAsync(panel, request.Query, request.HttpContext.RequestAborted));
    }

    // Built once: the API's constructor with the launcher passed in and everything else from the container.
    private static readonly ObjectFactory<TradingApi> NewApi = ActivatorUtilities.CreateFactory<TradingApi>([typeof(IRunLauncher)]);

    /// <summary>The API over this invocation's DurableTaskClient.</summary>
    private TradingApi Api(DurableTaskClient client) => NewApi(_services, [new DurableRunLauncher(client)]);

    /// <summary>Reads at most one character past the API's limit, so an oversized body is rejected without buffering it all.</summary>
    private static async Task<string> ReadBodyAsync(HttpRequest request)
    {
        using var reader = new StreamReader(request.Body);
        var buffer = new char[TradingApi.MaxBodyLength + 1];
        var read = await reader.ReadBlockAsync(buffer.AsMemory(), request.HttpContext.RequestAborted);
        return new string(buffer, 0, read);
    }

    private static ContentResult Respond(HttpRequest request, ApiResponse response)
    {
        foreach (var (name, value) in response.Headers)
        {
            request.HttpContext.Response.Headers[name] = value;
        }

        return new ContentResult { StatusCode = response.StatusCode, Content = response.Json, ContentType = "application/json; charset=utf-8" };
    }
}
