using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using Trading.Cli.Mcp;
using Trading.Cli.Serve;
using Trading.Cli.Tests.Support;
using Trading.Lessons.Drafts;
using Trading.Lessons.Retrieval;

namespace Trading.Cli.Tests.Mcp;

/// <summary>An in-process <c>trading serve</c> on 127.0.0.1:0 with a key per MCP profile, on a seeded state.</summary>
public sealed class McpServeFixture : IAsyncLifetime
{
    public const string AdminKey = "mcp-suite-admin-key-0123456789";

    public static readonly IReadOnlyDictionary<string, string> ProfileKeys = new Dictionary<string, string>
    {
        ["observer"] = "mcp-suite-observer-key-0123456789",
        ["researcher"] = "mcp-suite-researcher-key-0123456789",
        ["operator"] = "mcp-suite-operator-key-0123456789",
    };

    public ServeHost Host { get; private set; } = null!;

    public McpTestState State { get; } = McpTestState.Create();

    public string Output { get; private set; } = string.Empty;

    public Uri Endpoint => new(Host.Addresses[0], McpKeyAuthentication.Path);

    public async Task InitializeAsync()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Serve:AdminKey"] = AdminKey,
            ["Mcp:BacktestMaxDays"] = "40",
            // Runs started by the operator run now, whatever the simulated market's hours.
            ["Pipeline:RequireMarketOpen"] = "false",
        };
        foreach (var (profile, key) in ProfileKeys)
        {
            settings[$"Mcp:Keys:{profile}"] = key;
        }

        var runner = new CliRunner(settings: settings);
        using var output = new StringWriter();
        using var error = new StringWriter();
        var context = new CliContext
        {
            ContentRoot = Trading.Cli.Configuration.CliSettings.FindContentRoot(AppContext.BaseDirectory),
            Overrides = runner.Overrides,
            Interactive = false,
        };
        Host = await ServeHost.StartAsync(context, "http://127.0.0.1:0", null, output, error, CancellationToken.None);
        Output = output.ToString() + error;
        await State.SeedAsync(Host.Services);
    }

    public Task<McpClient> ConnectAsync(string profile) => ConnectWithKeyAsync(ProfileKeys[profile]);

    public async Task<McpClient> ConnectWithKeyAsync(string? key)
    {
        var headers = new Dictionary<string, string>();
        if (key is not null)
        {
            headers["Authorization"] = "Bearer " + key;
        }

        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = Endpoint,
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = headers,
        });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        return await McpClient.CreateAsync(transport, cancellationToken: timeout.Token);
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

/// <summary>The MCP server at /mcp of <c>trading serve</c>, through the SDK's own client: profiles, tools, resources, keys.</summary>
public sealed class McpHttpTests : IClassFixture<McpServeFixture>
{
    private readonly McpServeFixture _fixture;

    public McpHttpTests(McpServeFixture fixture)
    {
        _fixture = fixture;
    }

    [Theory]
    [InlineData("observer")]
    [InlineData("researcher")]
    [InlineData("operator")]
    public async Task Each_profile_lists_exactly_its_tools(string name)
    {
        await using var client = await _fixture.ConnectAsync(name);

        Assert.Equal(McpCalls.Sorted(McpProfiles.Find(name)!.Tools), await McpCalls.ToolNamesAsync(client));
        var tools = await client.ListToolsAsync();
        Assert.All(tools, t => Assert.False(string.IsNullOrWhiteSpace(t.Description), t.Name));
        var account = tools.FirstOrDefault(t => t.Name == McpToolNames.GetAccount);
        Assert.NotNull(account);
        Assert.True(account.ReturnJsonSchema?.GetProperty("properties").TryGetProperty("optionsBuyingPower", out _), "get_account has an output schema from AccountView");
    }

    [Fact]
    public async Task Observer_tools_answer_from_the_seeded_state()
    {
        var state = _fixture.State;
        await using var client = await _fixture.ConnectAsync("observer");

        var status = await McpCalls.OkAsync(client, McpToolNames.GetStatus);
        Assert.True(status.GetProperty("mode").GetProperty("brokerSimulated").GetBoolean());

        var account = await McpCalls.OkAsync(client, McpToolNames.GetAccount);
        Assert.True(account.GetProperty("equity").GetDecimal() > 0);
        Assert.DoesNotContain("accountId", account.ToString(), StringComparison.OrdinalIgnoreCase);

        var positions = await McpCalls.OkAsync(client, McpToolNames.ListPositions, new { includeClosed = true, limit = 100 });
        var position = positions.GetProperty("positions").EnumerateArray().Single(p => p.GetProperty("positionId").GetString() == state.PositionId);
        Assert.Equal(56m, position.GetProperty("realizedPnlDollars").GetDecimal());
        var active = await McpCalls.OkAsync(client, McpToolNames.ListPositions);
        Assert.DoesNotContain(active.GetProperty("positions").EnumerateArray(), p => p.GetProperty("positionId").GetString() == state.PositionId);

        var runs = await McpCalls.OkAsync(client, McpToolNames.ListRuns, new { limit = 50 });
        var listed = runs.GetProperty("runs").EnumerateArray().Single(r => r.GetProperty("instanceId").GetString() == state.RunId);
        Assert.Equal("trading://runs/" + state.RunId, listed.GetProperty("uri").GetString());

        var run = await McpCalls.OkAsync(client, McpToolNames.GetRun, new { runId = state.RunId });
        Assert.Equal("dry-run", run.GetProperty("journal").GetProperty("endReason").GetString());

        var spend = await McpCalls.OkAsync(client, McpToolNames.GetLlmSpend);
        Assert.Contains(spend.GetProperty("perModel").EnumerateArray(), m => m.GetProperty("model").GetString() == state.Model);
        Assert.True(spend.GetProperty("today").GetProperty("limitUsd").GetDecimal() > 0);

        var models = await McpCalls.OkAsync(client, McpToolNames.CompareModels, new { days = 2 });
        var model = models.GetProperty("models").EnumerateArray().Single(m => m.GetProperty("model").GetString() == state.Model);
        Assert.Equal(1, model.GetProperty("calls").GetInt32());
        Assert.Equal(0.0123m, model.GetProperty("costUsd").GetDecimal());

        var lessons = await McpCalls.OkAsync(client, McpToolNames.SearchLessons, new { query = "stop loss", limit = 3 });
        var hits = lessons.GetProperty("lessons").EnumerateArray().ToArray();
        Assert.InRange(hits.Length, 1, 3);
        Assert.StartsWith("trading://lessons/", hits[0].GetProperty("uri").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(McpToolNames.GetAccount, null)]
    [InlineData(McpToolNames.ListPositions, "{\"includeClosed\": true}")]
    [InlineData(McpToolNames.ListRuns, null)]
    [InlineData(McpToolNames.GetLlmSpend, null)]
    [InlineData(McpToolNames.CompareVariants, null)]
    public async Task Structured_content_has_the_properties_its_output_schema_names(string tool, string? arguments)
    {
        await using var client = await _fixture.ConnectAsync("researcher");
        var schema = (await client.ListToolsAsync()).Single(t => t.Name == tool).ReturnJsonSchema;
        Assert.True(schema.HasValue, tool + " has no output schema");
        using var document = JsonDocument.Parse(arguments ?? "{}");

        var structured = await McpCalls.OkAsync(client, tool, document.RootElement);

        var named = schema.Value.GetProperty("properties").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(named, structured.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Lessons_and_run_journals_are_resources()
    {
        await using var client = await _fixture.ConnectAsync("observer");

        var templates = (await client.ListResourceTemplatesAsync()).Select(t => t.UriTemplate).ToArray();
        Assert.Contains("trading://lessons/{lessonId}", templates);
        Assert.Contains("trading://runs/{runId}", templates);

        var listed = (await client.ListResourcesAsync()).Select(r => r.Uri).ToArray();
        Assert.Contains("trading://runs/" + _fixture.State.RunId, listed);
        Assert.Contains(listed, u => u.StartsWith("trading://lessons/", StringComparison.Ordinal));

        var lessons = await McpCalls.OkAsync(client, McpToolNames.SearchLessons, new { query = "iron condor loss", limit = 1 });
        var uri = lessons.GetProperty("lessons")[0].GetProperty("uri").GetString()!;
        var lesson = await client.ReadResourceAsync(uri);
        var markdown = Assert.IsType<ModelContextProtocol.Protocol.TextResourceContents>(Assert.Single(lesson.Contents)).Text;
        Assert.Contains("## Root cause", markdown, StringComparison.OrdinalIgnoreCase);

        var journal = await client.ReadResourceAsync("trading://runs/" + _fixture.State.RunId);
        var json = Assert.IsType<ModelContextProtocol.Protocol.TextResourceContents>(Assert.Single(journal.Contents)).Text;
        using var parsed = JsonDocument.Parse(json);
        Assert.Equal(_fixture.State.RunId, parsed.RootElement.GetProperty("instanceId").GetString());

        var missing = await Assert.ThrowsAsync<McpProtocolException>(() => client.ReadResourceAsync("trading://runs/no-such-run").AsTask());
        Assert.Contains("no-such-run", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Researcher_backtests_with_progress_drafts_a_lesson_and_compares_variants()
    {
        await using var client = await _fixture.ConnectAsync("researcher");

        var schema = (await client.ListToolsAsync()).Single(t => t.Name == McpToolNames.RunBacktest).JsonSchema;
        Assert.Equal(["fills", "from", "seed", "to", "variants"], schema.GetProperty("properties").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        var progress = new ProgressLog();
        await using var listening = progress.Listen(client);
        var report = await McpCalls.OkAsync(client, McpToolNames.RunBacktest, new { from = "2025-03-03", to = "2025-03-14", seed = 7 }, progress);
        Assert.Equal(10, report.GetProperty("tradingDays").GetInt32());
        Assert.Equal(7, report.GetProperty("seed").GetInt32());
        // The server sends every notification before the result; the client may hand them over a moment later. A lost one
        // never arrives, however long this waits.
        await progress.WaitForAsync(10);
        Assert.True(progress.Values.Count == 10, "progress received: " + string.Join(", ", progress.Values.Select(v => v.Progress)));
        Assert.Equal(10, progress.Values.Max(v => v.Progress));
        Assert.All(progress.Values, v => Assert.Equal(10, v.Total));

        var draft = await McpCalls.OkAsync(client, McpToolNames.DraftLesson, new
        {
            title = "Wide spreads at the open eat the credit",
            whatHappened = "Backtests of d10-w5 show fills far from the mid in the first half hour.",
            severity = "high",
            strategy = "iron_condor",
            ticker = "SPY",
            runId = _fixture.State.RunId,
        });
        var draftId = draft.GetProperty("draftId").GetString()!;
        Assert.False(draft.GetProperty("inCorpus").GetBoolean());
        var stored = (await _fixture.Host.Services.GetRequiredService<DraftLessonStore>().ListDraftsAsync(CancellationToken.None)).Single(d => d.DraftId == draftId);
        Assert.Equal("mcp:researcher", stored.Source);
        var corpus = await _fixture.Host.Services.GetRequiredService<LessonLibrary>().ReloadAsync(CancellationToken.None);
        Assert.DoesNotContain(corpus.Index.Lessons, l => l.Title == "Wide spreads at the open eat the credit");

        var unknown = await McpCalls.RefusedAsync(client, McpToolNames.CompareVariants, new { variants = new[] { "d99-w1" } });
        Assert.Contains("d99-w1", unknown.Message, StringComparison.Ordinal);
        var variants = await McpCalls.OkAsync(client, McpToolNames.CompareVariants, new { variants = new[] { _fixture.State.Variant } });
        var variant = variants.GetProperty("variants").EnumerateArray().Single(v => v.GetProperty("variant").GetString() == _fixture.State.Variant);
        Assert.True(variant.GetProperty("closedTrades").GetInt32() >= 1);
        Assert.True(variant.GetProperty("alpha").GetDouble() > 1);
        Assert.InRange(variant.GetProperty("mean").GetDouble(), variant.GetProperty("bandLow").GetDouble(), variant.GetProperty("bandHigh").GetDouble());
    }

    [Fact]
    public async Task Researcher_backtests_are_bounded_and_checked()
    {
        await using var client = await _fixture.ConnectAsync("researcher");

        var tooLong = await McpCalls.RefusedAsync(client, McpToolNames.RunBacktest, new { from = "2025-01-01", to = "2025-12-31" });
        Assert.Contains("Mcp:BacktestMaxDays", tooLong.Message, StringComparison.Ordinal);
        Assert.Equal(McpErrorCode.InvalidParams, tooLong.ErrorCode);
        var backwards = await McpCalls.RefusedAsync(client, McpToolNames.RunBacktest, new { from = "2025-03-14", to = "2025-03-03" });
        Assert.Contains("before", backwards.Message, StringComparison.Ordinal);
        var badDate = await McpCalls.RefusedAsync(client, McpToolNames.RunBacktest, new { from = "March 3", to = "2025-03-14" });
        Assert.Contains("yyyy-MM-dd", badDate.Message, StringComparison.Ordinal);
        var badFills = await McpCalls.RefusedAsync(client, McpToolNames.RunBacktest, new { from = "2025-03-03", to = "2025-03-04", fills = "lucky" });
        Assert.Contains("pessimistic", badFills.Message, StringComparison.Ordinal);
        var critical = await McpCalls.RefusedAsync(client, McpToolNames.DraftLesson, new { title = "t", whatHappened = "w", severity = "critical" });
        Assert.Contains("reviewer", critical.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Operator_runs_go_through_the_pipeline_and_halt_blocks_the_next_run()
    {
        await using var client = await _fixture.ConnectAsync("operator");

        var dry = await McpCalls.OkAsync(client, McpToolNames.StartDryRun);
        var dryId = dry.GetProperty("instanceId").GetString()!;
        Assert.True(dry.GetProperty("dryRun").GetBoolean());
        var ended = await McpCalls.WaitForRunAsync(client, dryId);
        Assert.True(ended.GetProperty("journal").GetProperty("dryRun").GetBoolean());
        Assert.Null(ended.GetProperty("journal").GetProperty("orderId").GetString());

        var halted = await McpCalls.OkAsync(client, McpToolNames.HaltTrading, new { reason = "MCP test: halt before FOMC" });
        Assert.True(halted.GetProperty("halted").GetBoolean());
        try
        {
            var blocked = await McpCalls.CallAsync(client, McpToolNames.StartRun);
            Assert.True(blocked.IsError, McpCalls.Text(blocked));
            Assert.Contains("halted", McpCalls.Text(blocked), StringComparison.OrdinalIgnoreCase);
            var blockedDry = await McpCalls.CallAsync(client, McpToolNames.StartDryRun);
            Assert.True(blockedDry.IsError, McpCalls.Text(blockedDry));

            var status = await McpCalls.OkAsync(client, McpToolNames.GetStatus);
            Assert.True(status.GetProperty("halted").GetProperty("halted").GetBoolean());
        }
        finally
        {
            await McpCalls.OkAsync(client, McpToolNames.ResumeTrading, new { reason = "MCP test: resume" });
        }

        var run = await McpCalls.OkAsync(client, McpToolNames.StartRun);
        Assert.False(run.GetProperty("dryRun").GetBoolean());
        await McpCalls.WaitForRunAsync(client, run.GetProperty("instanceId").GetString()!);

        var emptyReason = await McpCalls.RefusedAsync(client, McpToolNames.HaltTrading, new { reason = "   " });
        Assert.Contains("reason", emptyReason.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("observer", McpToolNames.HaltTrading)]
    [InlineData("observer", McpToolNames.RunBacktest)]
    [InlineData("researcher", McpToolNames.StartRun)]
    [InlineData("researcher", McpToolNames.ResumeTrading)]
    [InlineData("operator", McpToolNames.DraftLesson)]
    [InlineData("operator", "place_order")]
    public async Task A_tool_outside_the_profile_is_refused_naming_the_profile(string profile, string tool)
    {
        await using var client = await _fixture.ConnectAsync(profile);

        var refused = await McpCalls.RefusedAsync(client, tool, tool == McpToolNames.HaltTrading ? new { reason = "should not happen" } : null);

        Assert.Contains($"'{profile}' profile", refused.Message, StringComparison.Ordinal);
        var status = await McpCalls.OkAsync(client, McpToolNames.GetStatus);
        Assert.False(status.GetProperty("halted").GetProperty("halted").GetBoolean());
    }

    [Theory]
    [InlineData(McpToolNames.GetRun, "{\"runId\": 42}", "must be a string")]
    [InlineData(McpToolNames.GetRun, "{}", "Missing argument 'runId'")]
    [InlineData(McpToolNames.GetRun, "{\"runId\": \"../etc/passwd\"}", "Invalid run id")]
    [InlineData(McpToolNames.ListRuns, "{\"limit\": \"ten\"}", "whole number")]
    [InlineData(McpToolNames.ListRuns, "{\"limit\": 2.5}", "whole number")]
    [InlineData(McpToolNames.ListRuns, "{\"limit\": 0}", "between 1 and 50")]
    [InlineData(McpToolNames.ListRuns, "{\"count\": 5}", "Unknown argument 'count'")]
    [InlineData(McpToolNames.GetStatus, "{\"verbose\": true}", "takes no arguments")]
    [InlineData(McpToolNames.SearchLessons, "{\"query\": \"\"}", "'query'")]
    [InlineData(McpToolNames.GetLlmSpend, "{\"days\": 0}", "between 1 and 92")]
    [InlineData(McpToolNames.CompareModels, "{\"days\": \"week\"}", "whole number")]
    [InlineData(McpToolNames.ListPositions, "{\"includeClosed\": \"yes\"}", "true or false")]
    public async Task Malformed_arguments_are_an_mcp_error_naming_the_problem(string tool, string arguments, string expected)
    {
        await using var client = await _fixture.ConnectAsync("observer");
        using var document = JsonDocument.Parse(arguments);
        var args = document.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone());

        var refused = await Assert.ThrowsAsync<McpProtocolException>(() => client.CallToolAsync(tool, args).AsTask());

        Assert.Equal(McpErrorCode.InvalidParams, refused.ErrorCode);
        Assert.Contains(expected, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_key_or_a_wrong_key_gets_401_and_the_admin_key_is_not_an_mcp_key()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        foreach (var key in new[] { null, "not-a-key-of-any-profile-000", McpServeFixture.AdminKey })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, _fixture.Endpoint)
            {
                Content = new StringContent("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}", Encoding.UTF8, "application/json"),
            };
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
            if (key is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
            }

            using var response = await http.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Contains("profile key", body, StringComparison.Ordinal);
            Assert.DoesNotContain(McpServeFixture.ProfileKeys["operator"], body, StringComparison.Ordinal);
        }

        await Assert.ThrowsAnyAsync<Exception>(() => _fixture.ConnectWithKeyAsync(null));
        await Assert.ThrowsAnyAsync<Exception>(() => _fixture.ConnectWithKeyAsync("not-a-key-of-any-profile-000"));
    }

    [Fact]
    public async Task Every_request_is_authorized_by_its_own_key_there_is_no_session_to_hand_over()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var initialize = Post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"test\",\"version\":\"1\"}}}", "observer");
        using var opened = await http.SendAsync(initialize);
        Assert.Equal(HttpStatusCode.OK, opened.StatusCode);
        Assert.False(opened.Headers.Contains("Mcp-Session-Id"));

        using var list = Post("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}", null);
        list.Headers.Add("MCP-Protocol-Version", "2025-06-18");
        using var refused = await http.SendAsync(list);

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    private HttpRequestMessage Post(string json, string? profile)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, _fixture.Endpoint) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (profile is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", McpServeFixture.ProfileKeys[profile]);
        }

        return request;
    }

    [Fact]
    public async Task An_mcp_key_is_not_an_api_key_and_another_profiles_key_gets_that_profile()
    {
        using var http = new HttpClient { BaseAddress = _fixture.Host.Addresses[0], Timeout = TimeSpan.FromSeconds(30) };
        using var api = new HttpRequestMessage(HttpMethod.Get, "/api/status");
        api.Headers.Add(FunctionKeyAuthentication.HeaderName, McpServeFixture.ProfileKeys["operator"]);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(api)).StatusCode);

        // The x-functions-key header works for /mcp too; the key, not the header, decides the profile.
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = _fixture.Endpoint,
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = new Dictionary<string, string> { [FunctionKeyAuthentication.HeaderName] = McpServeFixture.ProfileKeys["researcher"] },
        });
        await using var client = await McpClient.CreateAsync(transport);
        Assert.Equal(McpCalls.Sorted(McpProfiles.Researcher.Tools), await McpCalls.ToolNamesAsync(client));
    }

    [Fact]
    public void Serve_never_prints_a_configured_profile_key()
    {
        Assert.All(McpServeFixture.ProfileKeys.Values, key => Assert.DoesNotContain(key, _fixture.Output, StringComparison.Ordinal));
        Assert.Contains("Mcp:Keys:operator", _fixture.Output, StringComparison.Ordinal);
        Assert.Contains("/mcp", _fixture.Output, StringComparison.Ordinal);
    }
}
