using System.Text.Json;
using Azure.Data.Tables;
using Trading.Cli.Tests.Support;
using Trading.Markets.Simulation;
using Trading.Pipeline.Orchestration;
using Trading.Pipeline.State;
using Trading.TestKit.Storage;

namespace Trading.Cli.Tests.Commands;

/// <summary><c>trading run</c> end to end: simulated market and broker, offline council, the test Azurite.</summary>
public sealed class RunCommandTests : IClassFixture<TradingMoment>
{
    private readonly string _tradingMoment;

    public RunCommandTests(TradingMoment moment)
    {
        _tradingMoment = moment.At;
    }

    [Fact]
    public async Task A_run_prints_every_stage_it_reached_and_exits_zero()
    {
        var result = await new CliRunner().InvokeAsync(["run", "--at", _tradingMoment]);

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.Output.Split('\n');
        Assert.Contains(lines, l => l.StartsWith("Stage ", StringComparison.Ordinal) && l.Contains("Verdict", StringComparison.Ordinal));
        foreach (var stage in new[] { "MarketSnapshot", "SelectStrategy", "RecallTradeMemory", "RetrieveLessons", "AssessRisk", "ConveneCouncil", "DecideExecution", "PlaceOrder" })
        {
            Assert.Contains(lines, l => l.StartsWith(stage + " ", StringComparison.Ordinal));
        }

        Assert.Contains(_tradingMoment.Replace('T', ' ') + " America/New_York", result.Output, StringComparison.Ordinal);
        Assert.Contains("Market SIMULATED, broker SIMULATED", result.Output, StringComparison.Ordinal);
        Assert.Contains("ESTIMATED", result.Output, StringComparison.Ordinal);
        Assert.Contains("Ended: traded", result.Output, StringComparison.Ordinal);
        Assert.Matches(@"Order: \S+ \(Filled\)", result.Output);
    }

    [Fact]
    public async Task The_simulated_account_carries_over_to_the_next_command()
    {
        var runner = new CliRunner();
        var run = await runner.InvokeAsync(["run", "--at", _tradingMoment]);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("Ended: traded", run.Output, StringComparison.Ordinal);

        var status = await runner.InvokeAsync(["status"]);

        // A new process (new services, new broker) sees the account the run left: the condor's credit moved the cash, and
        // status prints the stored account.
        Assert.True(status.ExitCode == 0, status.ToString());
        var tables = new PipelineTables(new TableServiceClient(TestStorage.ConnectionString), new PipelineTablesOptions { TablePrefix = runner.TablePrefix });
        var stored = (await tables.Control.GetAsync<SimulatedBrokerState>("simulated-broker", "account", CancellationToken.None))!.Value;
        Assert.NotEqual(100_000m, stored.Cash);
        Assert.Single(stored.Orders);
        var account = status.Output.Split('\n').Single(l => l.StartsWith("Account:", StringComparison.Ordinal));
        Assert.Contains("cash $" + Math.Round(stored.Cash, 2).ToString("#,0.00", System.Globalization.CultureInfo.InvariantCulture), account, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_prints_the_run_journal()
    {
        var result = await new CliRunner().InvokeAsync(["run", "--at", _tradingMoment, "--json"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        using var journal = JsonDocument.Parse(result.Output);
        var root = journal.RootElement;
        Assert.StartsWith("manual-", root.GetProperty("instanceId").GetString(), StringComparison.Ordinal);
        Assert.Equal("manual", root.GetProperty("trigger").GetString());
        Assert.Equal("traded", root.GetProperty("endReason").GetString());
        Assert.True(root.GetProperty("marketSimulated").GetBoolean());
        Assert.Equal("offline-rules", root.GetProperty("decisionMode").GetString());
        var stages = root.GetProperty("stages").EnumerateArray().Select(s => s.GetProperty("stage").GetString()).ToList();
        Assert.Equal(ActivityNames.MarketSnapshot, stages[0]);
        Assert.Contains(ActivityNames.PlaceOrder, stages);
        Assert.False(string.IsNullOrEmpty(root.GetProperty("orderId").GetString()));
        Assert.True(root.GetProperty("estimatedLlmCostUsd").GetDecimal() > 0); // offline: what the models would have cost
        Assert.Equal(JsonValueKind.String, root.GetProperty("recordedUtc").ValueKind);
        Assert.DoesNotContain("\\u2192", result.Output, StringComparison.Ordinal); // "→" printed as itself
    }

    [Fact]
    public async Task A_dry_run_stops_before_the_order()
    {
        var result = await new CliRunner().InvokeAsync(["run", "--at", _tradingMoment, "--dry-run", "--json"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        using var journal = JsonDocument.Parse(result.Output);
        Assert.True(journal.RootElement.GetProperty("dryRun").GetBoolean());
        Assert.Equal("dry-run", journal.RootElement.GetProperty("endReason").GetString());
        Assert.Equal(JsonValueKind.Null, journal.RootElement.GetProperty("orderId").ValueKind);
    }

    [Fact]
    public async Task A_run_on_a_closed_market_completes_with_exit_zero_and_says_why()
    {
        var result = await new CliRunner().InvokeAsync(["run", "--at", "2025-01-04T10:00", "--json"]); // a Saturday

        Assert.True(result.ExitCode == 0, result.ToString());
        using var journal = JsonDocument.Parse(result.Output);
        Assert.Equal("entry-not-allowed", journal.RootElement.GetProperty("endReason").GetString());
    }

    [Fact]
    public async Task Without_at_the_simulated_run_happens_at_the_next_entry_window()
    {
        // 2026-01-03 is a Saturday: the next entry slot in a session is Monday 2026-01-05 10:00 New York (15:00 UTC).
        var runner = new CliRunner();
        var result = await runner.InvokeAsync(["run", "--json"], runner.Context(now: new DateTimeOffset(2026, 1, 3, 12, 0, 0, TimeSpan.Zero)));

        Assert.True(result.ExitCode == 0, result.ToString());
        using var journal = JsonDocument.Parse(result.Output);
        Assert.Equal(new DateTime(2026, 1, 5, 15, 0, 0), journal.RootElement.GetProperty("startedUtc").GetDateTime());
        Assert.NotEqual("entry-not-allowed", journal.RootElement.GetProperty("endReason").GetString());
    }

    [Fact]
    public async Task Invalid_settings_exit_2_with_one_error_listing_every_bad_setting()
    {
        var runner = new CliRunner(settings: new Dictionary<string, string?>
        {
            ["Risk:MaxRiskPerTradePct"] = "-1",
            ["Condor:WingWidthDollars"] = "wide",
            ["Pipeline:Variants"] = "d99-w0",
            ["TRADING_SCHEDULE"] = "every day",
        });

        var result = await runner.InvokeAsync(["run", "--at", _tradingMoment]);

        Assert.True(result.ExitCode == TradingCommandLine.UsageError, result.ToString());
        Assert.Equal(1, result.Error.Split('\n').Count(l => l.StartsWith("error:", StringComparison.Ordinal)));
        // The binder's message for a non-number names the section and the value (not yet the property).
        foreach (var name in new[] { "Risk:MaxRiskPerTradePct", "Condor", "wide", "Pipeline:Variants", "TRADING_SCHEDULE" })
        {
            Assert.Contains(name, result.Error, StringComparison.Ordinal);
        }

        Assert.Equal(string.Empty, result.Output);
    }

    [Fact]
    public async Task Resuming_an_unknown_or_malformed_run_is_a_usage_error()
    {
        var runner = new CliRunner();
        var unknown = await runner.InvokeAsync(["run", "--resume", "manual-2020-01-01T00:00:00Z"]);
        Assert.True(unknown.ExitCode == TradingCommandLine.UsageError, unknown.ToString());
        Assert.Contains("no run 'manual-2020-01-01T00:00:00Z'", unknown.Error, StringComparison.Ordinal);

        var malformed = await runner.InvokeAsync(["run", "--resume", "../etc"]);
        Assert.Equal(TradingCommandLine.UsageError, malformed.ExitCode);
    }

    [Fact]
    public async Task A_run_interrupted_after_its_order_resumes_without_a_second_order()
    {
        var runner = new CliRunner();
        using var crash = new CancellationTokenSource();
        var firstActivities = new List<string>();
        var first = await runner.InvokeAsync(
            ["run", "--at", _tradingMoment],
            runner.Context(configureServices: runner.AfterActivity(name =>
            {
                firstActivities.Add(name);
                if (name == ActivityNames.PlaceOrder)
                {
                    crash.Cancel(); // the command is interrupted right after the broker accepted the order
                }

                return Task.CompletedTask;
            })),
            crash.Token);

        Assert.True(first.ExitCode != 0, first.ToString());
        Assert.Single(firstActivities, ActivityNames.PlaceOrder);
        var runId = System.Text.RegularExpressions.Regex.Match(first.Error, @"--resume (\S+)").Groups[1].Value;
        Assert.StartsWith("manual-", runId, StringComparison.Ordinal);

        var recorded = new List<string>();
        var second = await runner.InvokeAsync(
            ["run", "--resume", runId, "--json"],
            runner.Context(configureServices: runner.AfterActivity(name =>
            {
                recorded.Add(name);
                return Task.CompletedTask;
            })));

        Assert.True(second.ExitCode == 0, second.ToString());
        using var journal = JsonDocument.Parse(second.Output);
        Assert.Equal(runId, journal.RootElement.GetProperty("instanceId").GetString());
        Assert.Equal("traded", journal.RootElement.GetProperty("endReason").GetString());

        // The resumed run replayed PlaceOrder from the engine's history: it executed only what was left (the journal, unless
        // the first worker recorded it while stopping). The simulated account (kept in the tables, so both processes share
        // it) holds the first process's order once, and positions of that one order.
        Assert.DoesNotContain(ActivityNames.PlaceOrder, recorded);
        Assert.All(recorded, name => Assert.Equal(ActivityNames.RecordRun, name));
        var tables = new PipelineTables(new TableServiceClient(TestStorage.ConnectionString), new PipelineTablesOptions { TablePrefix = runner.TablePrefix });
        var account = (await tables.Control.GetAsync<SimulatedBrokerState>("simulated-broker", "account", CancellationToken.None))!.Value;
        var clientOrderId = journal.RootElement.GetProperty("clientOrderId").GetString();
        var order = Assert.Single(account.Orders, o => o.ClientOrderId == clientOrderId);
        Assert.Single(account.Orders);
        Assert.Equal(4, account.Positions.Count);
        Assert.All(account.Positions, p => Assert.Equal(order.FilledQuantity, Math.Abs(p.Quantity)));
    }

    [Fact]
    public async Task Serve_reports_its_own_and_the_pipeline_bad_settings_in_one_error_before_listening()
    {
        var runner = new CliRunner(settings: new Dictionary<string, string?>
        {
            ["Serve:AdminKey"] = "short",
            ["Exit:TakeProfitPct"] = "150",
        });

        var result = await runner.InvokeAsync(["serve", "--urls", "ftp://127.0.0.1:1"]);

        Assert.True(result.ExitCode == TradingCommandLine.UsageError, result.ToString());
        Assert.Equal(1, result.Error.Split('\n').Count(l => l.StartsWith("error:", StringComparison.Ordinal)));
        foreach (var name in new[] { "Serve:AdminKey", "Serve:Urls", "Exit:TakeProfitPct" })
        {
            Assert.Contains(name, result.Error, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("Serving", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stage_that_keeps_failing_is_an_error_exit_with_the_reason_and_no_secret()
    {
        // Alpaca keys make the broker live; its URLs point at a closed loopback port, so the market snapshot cannot succeed.
        var runner = new CliRunner(settings: new Dictionary<string, string?>
        {
            ["ALPACA_API_KEY_ID"] = "cli-test-key-id-4711",
            ["ALPACA_API_SECRET_KEY"] = "cli-test-secret-0815",
            ["ALPACA_TRADING_URL"] = "http://127.0.0.1:9",
            ["ALPACA_DATA_URL"] = "http://127.0.0.1:9",
        });

        var result = await runner.InvokeAsync(["run"]);

        Assert.True(result.ExitCode == TradingCommandLine.Failure, result.ToString());
        Assert.Contains("stopped because a stage failed", result.Error, StringComparison.Ordinal);
        Assert.Contains("MarketSnapshot", result.Output, StringComparison.Ordinal);
        Assert.Contains("failed", result.Output, StringComparison.Ordinal);
        foreach (var secret in new[] { "cli-test-key-id-4711", "cli-test-secret-0815" })
        {
            Assert.DoesNotContain(secret, result.Output, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, result.Error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task At_is_refused_with_a_live_broker()
    {
        var runner = new CliRunner(settings: new Dictionary<string, string?>
        {
            ["ALPACA_API_KEY_ID"] = "cli-test-key-id-4711",
            ["ALPACA_API_SECRET_KEY"] = "cli-test-secret-0815",
            ["ALPACA_TRADING_URL"] = "http://127.0.0.1:9",
            ["ALPACA_DATA_URL"] = "http://127.0.0.1:9",
        });

        var result = await runner.InvokeAsync(["run", "--at", "2025-01-06T10:00"]);

        Assert.True(result.ExitCode == TradingCommandLine.UsageError, result.ToString());
        Assert.Contains("--at only works with the simulated market", result.Error, StringComparison.Ordinal);
    }
}
