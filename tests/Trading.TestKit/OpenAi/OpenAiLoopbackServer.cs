using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Trading.TestKit.OpenAi;

/// <summary>
/// A loopback HTTP server (Kestrel on 127.0.0.1, free port) speaking the OpenAI chat-completions and embeddings wire format,
/// usage blocks included, scriptable per request: replies are taken first from the queue of the requested model, then from
/// the shared queue, else from <see cref="DefaultReply"/>. Dispose stops it.
/// </summary>
public sealed class OpenAiLoopbackServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ScriptedReply> _shared = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<ScriptedReply>> _byModel = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<LoopbackRequest> _requests = new();
    private int _sequence;

    private OpenAiLoopbackServer(WebApplication app) => _app = app;

    /// <summary>Base URL to give the SDK (ends in /v1).</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>Reply used when no script is queued.</summary>
    public Func<LoopbackRequest, ScriptedReply> DefaultReply { get; set; } = _ => ScriptedReply.Json("{}");

    /// <summary>Dimensions of embedding vectors returned.</summary>
    public int EmbeddingDimensions { get; set; } = 8;

    /// <summary>
    /// Whether requests are kept for <see cref="Requests"/> (default). Benchmarks turn it off: hundreds of thousands of kept
    /// bodies would make the garbage collector, not the client, the thing measured.
    /// </summary>
    public bool KeepRequests { get; set; } = true;

    /// <summary>What <c>GET /v1/models</c> lists: by default every model of the default registry, as a gateway serving them would.</summary>
    public IReadOnlyList<string> ServedModels { get; set; } = [.. Trading.Gateway.Routing.ModelRegistry.DefaultModels().Select(m => m.GatewayModelId)];

    /// <summary>Every request received, in order.</summary>
    public IReadOnlyList<LoopbackRequest> Requests => [.. _requests];

    /// <summary>Starts a server on a free loopback port.</summary>
    public static async Task<OpenAiLoopbackServer> StartAsync(CancellationToken cancellationToken = default)
    {
        var app = LoopbackApp.Create();
        var server = new OpenAiLoopbackServer(app);
        app.MapPost("/v1/chat/completions", server.HandleAsync);
        app.MapPost("/v1/embeddings", server.HandleAsync);
        app.MapGet("/v1/models", () => Results.Json(new
        {
            @object = "list",
            data = server.ServedModels.Select(id => new { id, @object = "model", created = 1_700_000_000, owned_by = id.Split('/')[0] }),
        }));
        server.BaseUrl = new Uri(await LoopbackApp.StartAsync(app, cancellationToken) + "v1");
        return server;
    }

    /// <summary>Queues replies for any model.</summary>
    public void Enqueue(params ScriptedReply[] replies)
    {
        ArgumentNullException.ThrowIfNull(replies);
        foreach (var r in replies)
            _shared.Enqueue(r);
    }

    /// <summary>Queues replies for requests naming <paramref name="gatewayModelId"/>.</summary>
    public void EnqueueFor(string gatewayModelId, params ScriptedReply[] replies)
    {
        ArgumentNullException.ThrowIfNull(replies);
        var q = _byModel.GetOrAdd(gatewayModelId, _ => new ConcurrentQueue<ScriptedReply>());
        foreach (var r in replies)
            q.Enqueue(r);
    }

    /// <summary>Requests that named <paramref name="gatewayModelId"/>.</summary>
    public IReadOnlyList<LoopbackRequest> RequestsFor(string gatewayModelId) => [.. _requests.Where(r => r.Model == gatewayModelId)];

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        JsonNode? json = null;
        try
        {
            json = JsonNode.Parse(body);
        }
        catch (JsonException)
        {
        }

        var model = json?["model"]?.GetValue<string>();
        var auth = context.Request.Headers.Authorization.ToString();
        var request = new LoopbackRequest(context.Request.Path, model, body,
            auth.StartsWith("Bearer ", StringComparison.Ordinal) ? auth["Bearer ".Length..] : null);
        if (KeepRequests)
            _requests.Enqueue(request);

        var reply = model is not null && _byModel.TryGetValue(model, out var q) && q.TryDequeue(out var m) ? m
            : _shared.TryDequeue(out var s) ? s
            : DefaultReply(request);

        if (reply.Delay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(reply.Delay, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return; // the client gave up
            }
        }

        switch (reply.Kind)
        {
            case ReplyKind.ConnectionReset:
                context.Abort();
                return;
            case ReplyKind.MalformedBody:
                context.Response.StatusCode = 200;
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync("{\"id\": \"chatcmpl-broken\", \"choices\": [ {\"message\": ", context.RequestAborted);
                return;
            case ReplyKind.Error:
                context.Response.StatusCode = reply.Status;
                context.Response.ContentType = "application/json";
                if (reply.RetryAfterSeconds is { } ra)
                    context.Response.Headers.RetryAfter = ra.ToString(CultureInfo.InvariantCulture);
                var error = new JsonObject
                {
                    ["error"] = new JsonObject
                    {
                        ["message"] = reply.ErrorMessage,
                        ["type"] = reply.Status >= 500 ? "server_error" : "invalid_request_error",
                        ["param"] = null,
                        ["code"] = reply.ErrorCode,
                    },
                };
                await context.Response.WriteAsync(error.ToJsonString(), context.RequestAborted);
                return;
            default:
                context.Response.StatusCode = 200;
                context.Response.ContentType = "application/json";
                var payload = context.Request.Path.Value!.EndsWith("/embeddings", StringComparison.Ordinal)
                    ? Embeddings(json, model, reply)
                    : Chat(model, reply);
                await context.Response.WriteAsync(payload.ToJsonString(), context.RequestAborted);
                return;
        }
    }

    private JsonObject Chat(string? model, ScriptedReply reply)
    {
        var id = Interlocked.Increment(ref _sequence);
        var response = new JsonObject
        {
            ["id"] = "chatcmpl-" + id.ToString(CultureInfo.InvariantCulture),
            ["object"] = "chat.completion",
            ["created"] = 1_763_700_000,
            ["model"] = model,
            ["choices"] = new JsonArray(new JsonObject
            {
                ["index"] = 0,
                ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = reply.Content, ["refusal"] = null },
                ["logprobs"] = null,
                ["finish_reason"] = "stop",
            }),
        };
        if (reply.Usage is { } u)
        {
            response["usage"] = new JsonObject
            {
                ["prompt_tokens"] = u.PromptTokens,
                ["completion_tokens"] = u.CompletionTokens,
                ["total_tokens"] = u.PromptTokens + u.CompletionTokens,
                ["prompt_tokens_details"] = new JsonObject { ["cached_tokens"] = u.CachedTokens },
                ["completion_tokens_details"] = new JsonObject { ["reasoning_tokens"] = u.ReasoningTokens },
            };
        }

        return response;
    }

    private JsonObject Embeddings(JsonNode? request, string? model, ScriptedReply reply)
    {
        var inputs = request?["input"] switch
        {
            JsonArray a => a.Select(n => n?.ToString() ?? string.Empty).ToList(),
            JsonNode n => [n.ToString()],
            _ => new List<string>(),
        };
        var base64 = request?["encoding_format"]?.GetValue<string>() == "base64";
        var data = new JsonArray();
        for (var i = 0; i < inputs.Count; i++)
        {
            var vector = Vector(inputs[i]);
            JsonNode embedding = base64
                ? JsonValue.Create(Convert.ToBase64String(System.Runtime.InteropServices.MemoryMarshal.AsBytes(vector.AsSpan())))
                : new JsonArray([.. vector.Select(v => (JsonNode)JsonValue.Create(v))]);
            data.Add(new JsonObject { ["object"] = "embedding", ["index"] = i, ["embedding"] = embedding });
        }

        var tokens = reply.Usage?.PromptTokens ?? 0;
        var response = new JsonObject { ["object"] = "list", ["data"] = data, ["model"] = model };
        if (reply.Usage is not null)
            response["usage"] = new JsonObject { ["prompt_tokens"] = tokens, ["total_tokens"] = tokens };
        return response;
    }

    /// <summary>A deterministic vector per text (same text, same vector), so retrieval tests can rely on it.</summary>
    private float[] Vector(string text)
    {
        var v = new float[EmbeddingDimensions];
        var h = 2166136261u;
        foreach (var c in text)
        {
            h = (h ^ c) * 16777619u;
            v[(int)(h % (uint)v.Length)] += 1f;
        }

        var norm = MathF.Sqrt(v.Sum(x => x * x));
        if (norm > 0)
        {
            for (var i = 0; i < v.Length; i++)
                v[i] /= norm;
        }

        return v;
    }
}
