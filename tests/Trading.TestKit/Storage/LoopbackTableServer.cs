using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Trading.TestKit.Storage;

/// <summary>
/// A scripted HTTP server on 127.0.0.1 (free port) for protocol tests the emulator cannot provoke: transient failures,
/// empty continuation pages, captured request headers. Each request is recorded, then answered by the script.
/// </summary>
public sealed class LoopbackTableServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LoopbackTableServer(WebApplication app)
    {
        _app = app;
    }

    /// <summary>The account endpoint, path-style like Azurite: http://127.0.0.1:port/devstoreaccount1.</summary>
    public Uri Endpoint { get; private set; } = null!;

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    /// <summary>A connection string for the development account pointing at this server.</summary>
    public string ConnectionString =>
        $"AccountName=devstoreaccount1;AccountKey={Trading.Storage.Tables.TableConnectionString.DevelopmentAccountKey};TableEndpoint={Endpoint}";

    public static async Task<LoopbackTableServer> StartAsync(Func<HttpContext, int, Task> respond)
    {
        var app = LoopbackApp.Create();
        LoopbackTableServer? server = null;
        var count = 0;
        app.Run(async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync();
            server!.Requests.Enqueue(new RecordedRequest(
                context.Request.Method,
                context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()!.RawTarget,
                context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
                body));
            await respond(context, Interlocked.Increment(ref count) - 1);
        });
        server = new LoopbackTableServer(app);
        server.Endpoint = new Uri(await LoopbackApp.StartAsync(app), "devstoreaccount1");
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

}

/// <summary>One request as the server saw it; PathAndQuery is still percent-encoded.</summary>
public sealed record RecordedRequest(string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers, string Body);
