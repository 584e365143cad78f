using System.Collections.Concurrent;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using Trading.Cli.Mcp;
using Trading.Cli.Tests.Support;
using Trading.TestKit.Storage;

namespace Trading.Cli.Tests.Mcp;

/// <summary>A seeded state in tables of its own, shared by the stdio tests.</summary>
public sealed class McpStdioFixture : IAsyncLifetime
{
    public CliRunner Runner { get; } = new(settings: new Dictionary<string, string?> { ["Pipeline:RequireMarketOpen"] = "false" });

    public McpTestState State { get; } = McpTestState.Create();

    public async Task InitializeAsync()
    {
        await using var services = CliServices.Build(Runner.Context().BuildConfiguration(), TimeProvider.System);
        await State.SeedAsync(services);
    }

    /// <summary>Starts the built <c>trading mcp --profile NAME</c> as a process, as an agent's configuration would, and connects.</summary>
    public async Task<(McpClient Client, ConcurrentQueue<string> Stderr)> StartAsync(string profile, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var stderr = new ConcurrentQueue<string>();
        var variables = new Dictionary<string, string?>
        {
            ["Storage__ConnectionString"] = TestStorage.ConnectionString,
            ["PipelineTables__TablePrefix"] = Runner.TablePrefix,
            // The fixture's own task hub: on the shared default hub, another class's run counted as "a run in progress".
            ["TASKHUB_NAME"] = Runner.Overrides["TASKHUB_NAME"],
            ["TaskHub__MaxQueuePollingInterval"] = "00:00:00.050",
            ["Pipeline__Variants"] = "d15-w5",
            ["Pipeline__RequireMarketOpen"] = "false",
            ["Mcp__BacktestMaxDays"] = "40",
        };
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            variables[key] = value;
        }

        var transport = new StdioClientTransport(new StdioClientTransportOptions
        {
            Name = "trading-" + profile,
            Command = "dotnet",
            Arguments = [TradingProgram.Dll(), "mcp", "--profile", profile],
            WorkingDirectory = Trading.Cli.Configuration.CliSettings.FindContentRoot(AppContext.BaseDirectory),
            InheritEnvironmentVariables = true,
            EnvironmentVariables = variables,
            StandardErrorLines = stderr.Enqueue,
            ShutdownTimeout = TimeSpan.FromSeconds(10),
        });
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            return (await McpClient.CreateAsync(transport, cancellationToken: timeout.Token), stderr);
        }
        catch (Exception e)
        {
            throw new InvalidOperationException("trading mcp did not start: " + string.Join("\n", stderr), e);
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;
}

/// <summary><c>trading mcp --profile NAME</c> as a real process over stdio, through the SDK's own client.</summary>
public sealed class McpStdioTests : IClassFixture<McpStdioFixture>
{
    private readonly McpStdioFixture _fixture;

    public McpStdioTests(McpStdioFixture fixture)
    {
        _fixture = fixture;
    }

    [Theory]
    [InlineData("observer")]
    [InlineData("researcher")]
    [InlineData("operator")]
    public async Task Each_profile_lists_exactly_its_tools(string name)
    {
        var (client, stderr) = await _fixture.StartAsync(name);
        await using (client)
        {
            Assert.Equal(McpCalls.Sorted(McpProfiles.Find(name)!.Tools), await McpCalls.ToolNamesAsync(client));
            Assert.Contains(stderr, line => line.Contains($"profile '{name}'", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Observer_reads_the_seeded_state_and_is_refused_the_rest()
    {
        var (client, _) = await _fixture.StartAsync("observer");
        await using (client)
        {
            var state = _fixture.State;
            await McpCalls.OkAsync(client, McpToolNames.GetStatus);
            await McpCalls.OkAsync(client, McpToolNames.GetAccount);
            var runs = await McpCalls.OkAsync(client, McpToolNames.ListRuns, new { limit = 50 });
            Assert.Contains(runs.GetProperty("runs").EnumerateArray(), r => r.GetProperty("instanceId").GetString() == state.RunId);
            var run = await McpCalls.OkAsync(client, McpToolNames.GetRun, new { runId = state.RunId });
            Assert.Equal("dry-run", run.GetProperty("journal").GetProperty("endReason").GetString());
            var positions = await McpCalls.OkAsync(client, McpToolNames.ListPositions, new { includeClosed = true });
            Assert.Contains(positions.GetProperty("positions").EnumerateArray(), p => p.GetProperty("positionId").GetString() == state.PositionId);
            var models = await McpCalls.OkAsync(client, McpToolNames.CompareModels);
            Assert.Contains(models.GetProperty("models").EnumerateArray(), m => m.GetProperty("model").GetString() == state.Model);
            await McpCalls.OkAsync(client, McpToolNames.GetLlmSpend);
            await McpCalls.OkAsync(client, McpToolNames.SearchLessons, new { query = "iron condor" });
            var journal = await client.ReadResourceAsync("trading://runs/" + state.RunId);
            Assert.Contains(state.RunId, Assert.IsType<ModelContextProtocol.Protocol.TextResourceContents>(Assert.Single(journal.Contents)).Text, StringComparison.Ordinal);

            var refused = await McpCalls.RefusedAsync(client, McpToolNames.HaltTrading, new { reason = "not allowed" });
            Assert.Contains("'observer' profile", refused.Message, StringComparison.Ordinal);
            var malformed = await McpCalls.RefusedAsync(client, McpToolNames.ListRuns, new { limit = "all" });
            Assert.Equal(McpErrorCode.InvalidParams, malformed.ErrorCode);
            Assert.Contains("'limit'", malformed.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Operator_halt_over_stdio_blocks_a_following_run()
    {
        var (client, _) = await _fixture.StartAsync("operator");
        await using (client)
        {
            await McpCalls.OkAsync(client, McpToolNames.HaltTrading, new { reason = "stdio test halt" });
            try
            {
                var blocked = await McpCalls.CallAsync(client, McpToolNames.StartDryRun);
                Assert.True(blocked.IsError, McpCalls.Text(blocked));
                Assert.Contains("halted", McpCalls.Text(blocked), StringComparison.OrdinalIgnoreCase);
            }
            finally
            {
                await McpCalls.OkAsync(client, McpToolNames.ResumeTrading, new { reason = "stdio test resume" });
            }

            var started = await McpCalls.OkAsync(client, McpToolNames.StartDryRun);
            var ended = await McpCalls.WaitForRunAsync(client, started.GetProperty("instanceId").GetString()!);
            Assert.True(ended.GetProperty("journal").GetProperty("dryRun").GetBoolean());
            var refused = await McpCalls.RefusedAsync(client, McpToolNames.RunBacktest, new { from = "2025-03-03", to = "2025-03-04" });
            Assert.Contains("'operator' profile", refused.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Researcher_backtest_over_stdio_reports_progress()
    {
        var (client, _) = await _fixture.StartAsync("researcher");
        await using (client)
        {
            var progress = new ProgressLog();
            await using var listening = progress.Listen(client);
            var report = await McpCalls.OkAsync(client, McpToolNames.RunBacktest, new { from = "2025-03-03", to = "2025-03-07" }, progress);
            Assert.Equal(5, report.GetProperty("tradingDays").GetInt32());
            await progress.WaitForAsync(5);
            Assert.Equal([1d, 2d, 3d, 4d, 5d], progress.Values.Select(v => (double)v.Progress).Order());
            var refused = await McpCalls.RefusedAsync(client, McpToolNames.StartRun);
            Assert.Contains("'researcher' profile", refused.Message, StringComparison.Ordinal);
        }
    }
}

/// <summary>The researcher's backtest stops at its wall-time limit (its own process: a one-second limit).</summary>
public sealed class McpBacktestLimitTests : IClassFixture<McpStdioFixture>
{
    private readonly McpStdioFixture _fixture;

    public McpBacktestLimitTests(McpStdioFixture fixture)
    {
        _fixture = fixture;
    }

    [Fact]
    public async Task A_backtest_past_its_time_limit_is_stopped_with_a_tool_error()
    {
        var (client, _) = await _fixture.StartAsync("researcher", new Dictionary<string, string?>
        {
            ["Mcp__BacktestMaxDays"] = "366",
            ["Mcp__BacktestTimeoutSeconds"] = "1",
        });
        await using (client)
        {
            // A year takes several seconds on any machine we build on (3.5-4.5 s warm on the 2-core build machine).
            var result = await McpCalls.CallAsync(client, McpToolNames.RunBacktest, new { from = "2025-01-01", to = "2025-12-31" });

            Assert.True(result.IsError, McpCalls.Text(result));
            Assert.Contains("Mcp:BacktestTimeoutSeconds", McpCalls.Text(result), StringComparison.Ordinal);
            Assert.Equal(1, result.StructuredContent!.Value.GetProperty("limitSeconds").GetInt32());
        }
    }
}

/// <summary><c>trading mcp</c>'s own options, in process.</summary>
public sealed class McpCommandTests
{
    [Fact]
    public async Task List_profiles_prints_every_profile_with_its_purpose_and_tools()
    {
        var result = await new CliRunner().InvokeAsync(["mcp", "--list-profiles"]);

        Assert.Equal(0, result.ExitCode);
        foreach (var profile in McpProfiles.All)
        {
            Assert.Contains(profile.Name, result.Output, StringComparison.Ordinal);
            Assert.Contains(profile.Purpose, result.Output, StringComparison.Ordinal);
            Assert.Contains(string.Join(", ", profile.Tools), result.Output, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(new[] { "mcp" }, "--profile")]
    [InlineData(new[] { "mcp", "--profile", "admin" }, "observer, researcher, operator")]
    public async Task A_missing_or_unknown_profile_is_a_usage_error(string[] args, string expected)
    {
        var result = await new CliRunner().InvokeAsync(args);

        Assert.Equal(TradingCommandLine.UsageError, result.ExitCode);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_mcp_settings_stop_the_start_naming_the_setting()
    {
        var result = await new CliRunner(settings: new Dictionary<string, string?> { ["Mcp:BacktestMaxDays"] = "0" }).InvokeAsync(["mcp", "--profile", "observer"]);

        Assert.Equal(TradingCommandLine.UsageError, result.ExitCode);
        Assert.Contains("Mcp:BacktestMaxDays", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Researcher_and_operator_extend_observer_and_only_operator_holds_the_switches()
    {
        Assert.All(McpProfiles.Observer.Tools, t => Assert.True(McpProfiles.Researcher.Allows(t) && McpProfiles.Operator.Allows(t), t));
        foreach (var tool in new[] { McpToolNames.StartRun, McpToolNames.StartDryRun, McpToolNames.HaltTrading, McpToolNames.ResumeTrading })
        {
            Assert.True(McpProfiles.Operator.Allows(tool));
            Assert.False(McpProfiles.Researcher.Allows(tool));
            Assert.False(McpProfiles.Observer.Allows(tool));
        }

        Assert.All(McpProfiles.All, p => Assert.False(p.Allows("place_order")));
    }
}
