using System.Net;
using System.Text;
using System.Text.Json;
using Xunit;

namespace Trading.TestKit.Http;

/// <summary>
/// The HTTP contract of the trading API, the same for <c>trading serve</c> and the Functions app: every route, keys,
/// 400 for bad bodies and ids, 404 for unknown runs, 409 for a concurrent manual run, nothing secret in any response.
/// Derive a class in a test project and supply the <see cref="Target"/>; every fact below then runs against it.
/// Manual runs here are dry runs, so pointing the suite at a real deployment never places an order.
/// </summary>
public abstract class TradingApiContract
{
    /// <summary>Every route: method and path (the run id is a well-formed one that does not exist).</summary>
    public static readonly (HttpMethod Method, string Path)[] Routes =
    [
        (HttpMethod.Get, "api/status"),
        (HttpMethod.Post, "api/runs"),
        (HttpMethod.Get, "api/runs/contract-no-such-run"),
        (HttpMethod.Post, "api/halt"),
        (HttpMethod.Post, "api/resume"),
    ];

    /// <summary>The API under test.</summary>
    protected abstract TradingApiTarget Target { get; }

    /// <summary>
    /// Makes manual runs started until the handle is disposed stay running, so a second start must see one running.
    /// Null when the host cannot be held (an external host): the 409 fact then races two starts instead.
    /// </summary>
    protected virtual IDisposable? HoldRuns() => null;

    [Fact]
    public async Task Every_route_answers_401_without_a_key_or_with_a_wrong_one()
    {
        using var client = Target.CreateClient();
        foreach (var (method, path) in Routes)
        {
            using var none = await SendAsync(client, method, path, body: "{}", key: null);
            Assert.True(none.StatusCode == HttpStatusCode.Unauthorized, $"{method} {path} without a key: {(int)none.StatusCode}");

            using var wrong = await SendAsync(client, method, path, body: "{}", key: "wrong-" + Target.Key);
            Assert.True(wrong.StatusCode == HttpStatusCode.Unauthorized, $"{method} {path} with a wrong key: {(int)wrong.StatusCode}");
            Assert.DoesNotContain(Target.Key, await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            using var wrongCode = await client.SendAsync(new HttpRequestMessage(method, path + "?code=nope") { Content = Json("{}") });
            Assert.Equal(HttpStatusCode.Unauthorized, wrongCode.StatusCode);
        }
    }

    [Fact]
    public async Task Status_answers_with_the_key_in_the_header_or_the_code_query()
    {
        using var client = Target.CreateClient();
        using var viaHeader = await SendAsync(client, HttpMethod.Get, "api/status", body: null, key: Target.Key);
        Assert.Equal(HttpStatusCode.OK, viaHeader.StatusCode);
        var body = await viaHeader.Content.ReadAsStringAsync();
        using (var doc = JsonDocument.Parse(body))
        {
            Assert.Equal(JsonValueKind.Object, doc.RootElement.ValueKind);
            Assert.True(doc.RootElement.EnumerateObject().Any(), "the status body is an empty object");
        }

        AssertNoSecret(body);
        using var viaQuery = await client.GetAsync(new Uri("api/status?code=" + Uri.EscapeDataString(Target.Key), UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, viaQuery.StatusCode);
    }

    [Fact]
    public async Task A_manual_dry_run_is_accepted_and_its_status_and_journal_can_be_read()
    {
        using var client = Target.CreateClient();
        var id = await StartDryRunAsync(client);
        var final = await WaitForTerminalAsync(client, id, TimeSpan.FromSeconds(90));
        Assert.Contains(id, final, StringComparison.Ordinal);
        AssertNoSecret(final);
    }

    [Theory]
    [InlineData("{")]
    [InlineData("[]")]
    [InlineData("\"dryRun\"")]
    [InlineData("{\"dryRun\": \"yes\"}")]
    [InlineData("{\"dryRun\": 1}")]
    [InlineData("{\"dryRun\": true, \"unexpected\": 1}")]
    public async Task A_malformed_run_request_is_400_with_a_message(string body)
    {
        using var client = Target.CreateClient();
        using var response = await SendAsync(client, HttpMethod.Post, "api/runs", body, Target.Key);
        await AssertBadRequestAsync(response, $"POST api/runs {body}");
    }

    [Theory]
    [InlineData("{")]
    [InlineData("{\"reason\": 5}")]
    [InlineData("{\"reason\": \"x\", \"unexpected\": true}")]
    public async Task A_malformed_halt_request_is_400_with_a_message(string body)
    {
        using var client = Target.CreateClient();
        using var response = await SendAsync(client, HttpMethod.Post, "api/halt", body, Target.Key);
        await AssertBadRequestAsync(response, $"POST api/halt {body}");
    }

    [Theory]
    [InlineData("api/runs/bad%20id")]
    [InlineData("api/runs/-starts-with-a-dash")]
    [InlineData("api/runs/semi%3Bcolon")]
    [InlineData("api/runs/quote%27s")]
    public async Task An_invalid_run_id_is_400(string path)
    {
        using var client = Target.CreateClient();
        using var response = await SendAsync(client, HttpMethod.Get, path, body: null, key: Target.Key);
        await AssertBadRequestAsync(response, "GET " + path);
    }

    [Fact]
    public async Task A_run_id_longer_than_100_characters_is_400_and_an_unknown_one_404()
    {
        using var client = Target.CreateClient();
        using var tooLong = await SendAsync(client, HttpMethod.Get, "api/runs/" + new string('a', 101), body: null, key: Target.Key);
        await AssertBadRequestAsync(tooLong, "GET a 101-character id");

        using var unknown = await SendAsync(client, HttpMethod.Get, "api/runs/contract-" + Guid.NewGuid().ToString("N"), body: null, key: Target.Key);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task A_second_manual_run_while_one_is_running_is_409()
    {
        using var client = Target.CreateClient();
        using var hold = HoldRuns();
        using var first = await SendAsync(client, HttpMethod.Post, "api/runs", "{\"dryRun\": true}", Target.Key);
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        var firstId = RunIdOf(await first.Content.ReadAsStringAsync());
        using var second = await SendAsync(client, HttpMethod.Post, "api/runs", "{\"dryRun\": true}", Target.Key);
        if (hold is null && second.StatusCode == HttpStatusCode.Accepted)
        {
            // Unheld external host: the first run may legitimately have finished already; then it must be terminal.
            var status = await GetStatusAsync(client, firstId);
            Assert.True(IsTerminal(status), "a second manual run was accepted while the first was still running");
        }
        else
        {
            Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
            var body = await second.Content.ReadAsStringAsync();
            Assert.Contains(firstId, body, StringComparison.Ordinal);
        }

        hold?.Dispose();
        await WaitForTerminalAsync(client, firstId, TimeSpan.FromSeconds(90));
    }

    [Fact]
    public async Task Halt_blocks_until_resume_and_both_are_recorded_in_the_status()
    {
        using var client = Target.CreateClient();
        try
        {
            using var halt = await SendAsync(client, HttpMethod.Post, "api/halt", "{\"reason\": \"contract suite\"}", Target.Key);
            Assert.Equal(HttpStatusCode.OK, halt.StatusCode);
            Assert.True(HaltedOf(await StatusBodyAsync(client)), "status does not say halted after POST api/halt");
        }
        finally
        {
            using var resume = await SendAsync(client, HttpMethod.Post, "api/resume", "{\"reason\": \"contract suite done\"}", Target.Key);
            Assert.Equal(HttpStatusCode.OK, resume.StatusCode);
        }

        Assert.False(HaltedOf(await StatusBodyAsync(client)), "status still says halted after POST api/resume");
    }

    /// <summary>Starts a dry run and returns its id (from <c>id</c> or <c>instanceId</c> in the 202 body).</summary>
    protected async Task<string> StartDryRunAsync(HttpClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var response = await SendAsync(client, HttpMethod.Post, "api/runs", "{\"dryRun\": true}", Target.Key);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"POST api/runs: {(int)response.StatusCode} {body}");
        AssertNoSecret(body);
        using (var doc = JsonDocument.Parse(body))
        {
            Assert.True(
                FindString(doc.RootElement, "statusUrl") is not null || FindString(doc.RootElement, "statusQueryGetUri") is not null,
                "the 202 body names no status URL: " + body);
        }

        return RunIdOf(body);
    }

    /// <summary>Polls <c>GET api/runs/{id}</c> until the run is terminal; returns the last body.</summary>
    protected async Task<string> WaitForTerminalAsync(HttpClient client, string id, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var body = await GetStatusAsync(client, id);
            if (IsTerminal(body))
            {
                return body;
            }

            Assert.True(DateTime.UtcNow < deadline, $"run {id} did not finish within {timeout.TotalSeconds:0} s: {body}");
            await Task.Delay(200);
        }
    }

    private async Task<string> GetStatusAsync(HttpClient client, string id)
    {
        using var response = await SendAsync(client, HttpMethod.Get, "api/runs/" + Uri.EscapeDataString(id), body: null, key: Target.Key);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET api/runs/{id}: {(int)response.StatusCode} {body}");
        return body;
    }

    private async Task<string> StatusBodyAsync(HttpClient client)
    {
        using var response = await SendAsync(client, HttpMethod.Get, "api/status", body: null, key: Target.Key);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    private static bool IsTerminal(string runBody)
    {
        // The status is a string at the top ("runtimeStatus", Durable's shape) or inside a "status" object (ours).
        using var doc = JsonDocument.Parse(runBody);
        var root = doc.RootElement;
        var status = FindString(root, "runtimeStatus") ?? FindString(root, "status");
        if (status is null && root.TryGetProperty("status", out var nested))
        {
            status = FindString(nested, "runtimeStatus") ?? FindString(nested, "status");
        }

        return status is "Completed" or "Failed" or "Terminated";
    }

    private static bool HaltedOf(string statusBody)
    {
        using var doc = JsonDocument.Parse(statusBody);
        return FindBool(doc.RootElement, "halted") ?? throw new Xunit.Sdk.XunitException("the status body has no 'halted' field: " + statusBody);
    }

    private static string RunIdOf(string body)
    {
        using var doc = JsonDocument.Parse(body);
        return FindString(doc.RootElement, "id") ?? FindString(doc.RootElement, "instanceId")
            ?? throw new Xunit.Sdk.XunitException("the 202 body names no run id ('id' or 'instanceId'): " + body);
    }

    private static string? FindString(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object
        && element.EnumerateObject().FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)) is { Value.ValueKind: JsonValueKind.String } p
            ? p.Value.GetString()
            : null;

    private static bool? FindBool(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (var property in element.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase) && property.Value.ValueKind is JsonValueKind.True or JsonValueKind.False)
            {
                return property.Value.GetBoolean();
            }

            if (property.Value.ValueKind == JsonValueKind.Object && FindBool(property.Value, name) is { } nested)
            {
                return nested;
            }
        }

        return null;
    }

    private async Task AssertBadRequestAsync(HttpResponseMessage response, string what)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{what}: expected 400, got {(int)response.StatusCode} {body}");
        Assert.False(string.IsNullOrWhiteSpace(body), $"{what}: the 400 has no message");
        AssertNoSecret(body);
    }

    private void AssertNoSecret(string body) =>
        Assert.DoesNotContain(Target.Key, body, StringComparison.Ordinal);

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, string? body, string? key)
    {
        var request = new HttpRequestMessage(method, path);
        if (body is not null && method != HttpMethod.Get)
        {
            request.Content = Json(body);
        }

        if (key is not null)
        {
            request.Headers.Add("x-functions-key", key);
        }

        return client.SendAsync(request);
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}
