using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Trading.Hosting.Dashboard;

namespace Trading.Cli.Serve;

/// <summary>
/// Function-level key authorization as the Functions host does it: the key in the <c>x-functions-key</c> header or the
/// <c>code</c> query parameter; anything else under <c>/api</c> gets 401 before a handler runs. The dashboard page and its
/// script and style sheet (<see cref="DashboardPage.IsPublic"/>) are anonymous, as their HTTP functions are: they hold no data.
/// </summary>
public static class FunctionKeyAuthentication
{
    public const string HeaderName = "x-functions-key";
    public const string QueryName = "code";

    /// <summary>Requires <paramref name="key"/> on every request whose path starts with <c>/api</c>.</summary>
    public static IApplicationBuilder UseFunctionKeys(this IApplicationBuilder app, AdminKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return app.Use(async (context, next) =>
        {
            if (!context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
                || (HttpMethods.IsGet(context.Request.Method) && DashboardPage.IsPublic(context.Request.Path.Value))
                || key.Matches(PresentedKey(context.Request)))
            {
                await next(context);
                return;
            }

            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            await context.Response.WriteAsJsonAsync(
                new { error = $"A valid key is required: send it in the {HeaderName} header or the '{QueryName}' query parameter." },
                context.RequestAborted);
        });
    }

    private static string? PresentedKey(HttpRequest request)
    {
        if (request.Headers.TryGetValue(HeaderName, out var header) && header.Count == 1)
        {
            return header[0];
        }

        return request.Query.TryGetValue(QueryName, out var code) && code.Count == 1 ? code[0] : null;
    }
}
