using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Trading.Hosting.Dashboard;

namespace Trading.Hosting.Http;

/// <summary>The HTTP API as ASP.NET Core minimal-API routes (the local host's <c>serve</c>).</summary>
public static class TradingApiEndpoints
{
    /// <summary>
    /// Maps GET /api/status, POST /api/runs, GET /api/runs/{id}, POST /api/halt and POST /api/resume onto <see cref="TradingApi"/>, and
    /// the dashboard: its page (GET /api/dashboard and /api/dashboard/static/{file}) and its panels (GET /api/dashboard/{panel}).
    /// </summary>
    public static IEndpointRouteBuilder MapTradingApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var api = app.MapGroup("/api");
        api.MapGet("/status", Status);
        api.MapPost("/runs", StartRun);
        api.MapGet("/runs/{id}", GetRun);
        api.MapPost("/halt", Halt);
        api.MapPost("/resume", Resume);
        api.MapGet("/dashboard", static http => DashboardPage.WriteAsync(http, DashboardPage.Html));
        api.MapGet("/dashboard/static/{file}", DashboardFile);
        api.MapGet("/dashboard/{panel}", DashboardPanel);
        return app;
    }

    private static Task Status(HttpContext http, TradingApi api) => RespondAsync(http, (_, ct) => api.GetStatusAsync(ct));

    private static Task StartRun(HttpContext http, TradingApi api) => RespondAsync(http, api.StartRunAsync);

    private static Task GetRun(HttpContext http, TradingApi api, string id) => RespondAsync(http, (_, ct) => api.GetRunAsync(id, ct));

    private static Task DashboardPanel(HttpContext http, DashboardApi dashboard, string panel) =>
        RespondAsync(http, (_, ct) => dashboard.GetPanelAsync(panel, http.Request.Query, ct));

    private static Task DashboardFile(HttpContext http, string file)
    {
        if (DashboardPage.TryGetStatic(file, out var asset))
            return DashboardPage.WriteAsync(http, asset);
        http.Response.StatusCode = StatusCodes.Status404NotFound;
        return http.Response.WriteAsJsonAsync(new { error = "No such dashboard file." }, http.RequestAborted);
    }

    private static Task Halt(HttpContext http, TradingApi api) => RespondAsync(http, api.HaltAsync);

    private static Task Resume(HttpContext http, TradingApi api) => RespondAsync(http, api.ResumeAsync);

    /// <summary>Reads the body (bounded), runs the handler and writes its answer.</summary>
    public static async Task RespondAsync(HttpContext http, Func<string?, CancellationToken, Task<ApiResponse>> handler)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(handler);
        var ct = http.RequestAborted;
        string? body = null;
        ApiResponse response;
        if (http.Request.ContentLength > TradingApi.MaxBodyLength * 4L)
        {
            response = ApiResponse.Error(400, $"The body is longer than {TradingApi.MaxBodyLength} characters.");
        }
        else
        {
            if (HttpMethods.IsPost(http.Request.Method))
            {
                using var reader = new StreamReader(http.Request.Body);
                var buffer = new char[TradingApi.MaxBodyLength + 1];
                var read = await reader.ReadBlockAsync(buffer.AsMemory(), ct);
                body = new string(buffer, 0, read);
            }

            response = await handler(body, ct);
        }

        http.Response.StatusCode = response.StatusCode;
        foreach (var (name, value) in response.Headers)
        {
            http.Response.Headers[name] = value;
        }

        http.Response.ContentType = "application/json; charset=utf-8";
        await http.Response.WriteAsync(response.Json, ct);
    }
}
