using System.Collections.Frozen;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;

namespace Trading.Hosting.Dashboard;

/// <summary>One file of the page: its bytes, content type and a strong ETag.</summary>
public sealed record DashboardAsset(string Name, byte[] Content, string ContentType, string ETag);

/// <summary>
/// The dashboard page's files (HTML, JS, CSS), embedded in this assembly so both hosts serve the same bytes: the page at
/// <see cref="PagePath"/> and its files under <see cref="StaticPath"/>. They hold no data and no key (the page asks for the key and
/// calls the keyed JSON endpoints), so they are served without one.
/// </summary>
public static class DashboardPage
{
    /// <summary>Where the page is served (both hosts; the Functions host's route prefix is <c>api</c>).</summary>
    public const string PagePath = "/api/dashboard";

    /// <summary>Where its script and style sheet are served.</summary>
    public const string StaticPath = "/api/dashboard/static";

    /// <summary>The page's security headers: its own script and style only, no framing, no referrer.</summary>
    public static IReadOnlyDictionary<string, string> Headers { get; } = new Dictionary<string, string>
    {
        ["Content-Security-Policy"] = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ["X-Content-Type-Options"] = "nosniff",
        ["Referrer-Policy"] = "no-referrer",
        ["Cache-Control"] = "no-cache",
    };

    private static readonly FrozenDictionary<string, DashboardAsset> Assets = Load();

    /// <summary>The HTML page.</summary>
    public static DashboardAsset Html => Assets["dashboard.html"];

    /// <summary>Every file, by name.</summary>
    public static IReadOnlyCollection<DashboardAsset> All => Assets.Values;

    /// <summary>A static file by name (dashboard.js, dashboard.css); false for anything else.</summary>
    public static bool TryGetStatic(string? name, out DashboardAsset asset)
    {
        asset = null!;
        return name is not null && !name.EndsWith(".html", StringComparison.Ordinal) && Assets.TryGetValue(name, out asset!);
    }

    /// <summary>True for the page and its static files: the paths served without a key.</summary>
    public static bool IsPublic(string? path) =>
        path is not null
        && (string.Equals(path.TrimEnd('/'), PagePath, StringComparison.OrdinalIgnoreCase)
            || (path.StartsWith(StaticPath + "/", StringComparison.OrdinalIgnoreCase)
                && TryGetStatic(path[(StaticPath.Length + 1)..], out _)));

    /// <summary>Writes <paramref name="asset"/> (or 304 when the browser's copy is current) with the page's headers.</summary>
    public static async Task WriteAsync(HttpContext http, DashboardAsset asset)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(asset);
        foreach (var (name, value) in Headers)
            http.Response.Headers[name] = value;
        http.Response.Headers.ETag = asset.ETag;
        if (http.Request.Headers.IfNoneMatch.Contains(asset.ETag))
        {
            http.Response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = asset.ContentType;
        http.Response.ContentLength = asset.Content.Length;
        await http.Response.Body.WriteAsync(asset.Content, http.RequestAborted);
    }

    private static FrozenDictionary<string, DashboardAsset> Load()
    {
        var assembly = typeof(DashboardPage).Assembly;
        const string Prefix = "Trading.Hosting.Dashboard.Page.";
        var assets = new Dictionary<string, DashboardAsset>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var bytes = copy.ToArray();
            var name = resource[Prefix.Length..];
            var type = Path.GetExtension(name) switch
            {
                ".html" => "text/html; charset=utf-8",
                ".js" => "text/javascript; charset=utf-8",
                ".css" => "text/css; charset=utf-8",
                _ => "application/octet-stream",
            };
            assets[name] = new DashboardAsset(name, bytes, type, "\"" + Convert.ToHexString(SHA256.HashData(bytes))[..16] + "\"");
        }

        if (!assets.ContainsKey("dashboard.html"))
            throw new InvalidOperationException("The dashboard page is not embedded in Trading.Pipeline (Dashboard/Page/dashboard.html).");
        return assets.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
