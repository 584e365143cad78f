using System.Text.Json;
using Trading.Hosting;
using Trading.Pipeline.Orchestration;
using Trading.Pipeline.Tests.Support;

namespace Trading.Pipeline.Tests.Http;

public sealed class TradingApiTests
{
    [Fact]
    public async Task Status_reports_account_positions_spend_runs_halt_and_next_slots_without_secrets()
    {
        await using var harness = await PipelineHarness.CreateAsync(online: true);
        await harness.StartAndRunAsync(RunKinds.Entry, "entry-2026-11-23T15:00Z", new RunRequest { Trigger = RunTriggers.Timer }, CancellationToken.None);

        var response = await harness.Api.GetStatusAsync(CancellationToken.None);

        Assert.Equal(200, response.StatusCode);
        using var json = JsonDocument.Parse(response.Json);
        var root = json.RootElement;
        Assert.True(root.GetProperty("account").GetProperty("equity").GetDecimal() > 0);
        Assert.Equal(1, root.GetProperty("openPositions").GetArrayLength());
        Assert.False(root.GetProperty("halted").GetProperty("halted").GetBoolean());
        Assert.True(root.GetProperty("llm").GetProperty("today").GetProperty("spentUsd").GetDecimal() > 0);
        Assert.True(root.GetProperty("llm").GetProperty("callsByModel").GetArrayLength() >= 2);
        Assert.Equal("entry-2026-11-23T15:00Z", root.GetProperty("lastRuns")[0].GetProperty("instanceId").GetString());
        Assert.StartsWith("entry-2026-11-24T15:00Z", root.GetProperty("nextRuns").GetProperty("entry")[0].GetProperty("instanceId").GetString(), StringComparison.Ordinal);
        Assert.True(root.GetProperty("mode").GetProperty("marketSimulated").GetBoolean());
        Assert.DoesNotContain("test-key-not-secret", response.Json, StringComparison.Ordinal);
        Assert.DoesNotContain("AccountKey", response.Json, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("accountId", response.Json, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Status_lists_positions_with_an_alert()
    {
        await using var harness = await PipelineHarness.CreateAsync();
        var book = new Trading.Pipeline.State.PositionBook(harness.Tables);
        await book.TryAddAsync(new Trading.Pipeline.State.PositionRecord
        {
            PositionId = "ic-alerted",
            State = Trading.Pipeline.State.PositionStates.Open,
            Expiration = new DateOnly(2026, 12, 31),
            Contracts = 1,
            WingWidthDollars = 5m,
            LimitCredit = 1m,
            OpenedUtc = harness.Time.GetUtcNow(),
            Alert = "entry fill: the fill credit 0.80 is worse than the limit 1.00",
        }, CancellationToken.None);

        var response = await harness.Api.GetStatusAsync(CancellationToken.None);

        using var json = JsonDocument.Parse(response.Json);
        var alert = Assert.Single(json.RootElement.GetProperty("alerts").EnumerateArray());
        Assert.Equal("ic-alerted", alert.GetProperty("positionId").GetString());
        Assert.Contains("worse than the limit", alert.GetProperty("alert").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Manual_run_returns_202_with_status_url_then_the_journal_is_readable()
    {
        await using var harness = await PipelineHarness.CreateAsync();

        var started = await harness.Api.StartRunAsync("""{"dryRun": true}""", CancellationToken.None);

        Assert.Equal(202, started.StatusCode);
        using var body = JsonDocument.Parse(started.Json);
        var id = body.RootElement.GetProperty("instanceId").GetString()!;
        Assert.StartsWith("manual-", id, StringComparison.Ordinal);
        Assert.Equal("/api/runs/" + Uri.EscapeDataString(id), started.Headers["Location"]);
        await harness.WaitForBackgroundRunsAsync();
        var run = await harness.Api.GetRunAsync(id, CancellationToken.None);
        Assert.Equal(200, run.StatusCode);
        using var runJson = JsonDocument.Parse(run.Json);
        Assert.Equal("Completed", runJson.RootElement.GetProperty("status").GetProperty("status").GetString());
        Assert.Equal("dry-run", runJson.RootElement.GetProperty("journal").GetProperty("endReason").GetString());
        Assert.Equal("manual", runJson.RootElement.GetProperty("journal").GetProperty("trigger").GetString());
    }

    [Fact]
    public async Task A_manual_run_while_another_runs_is_409()
    {
        await using var harness = await PipelineHarness.CreateAsync();
        await harness.Worker.StopAsync(); // nobody executes it: it stays pending
        await harness.Launcher.StartAsync(RunKinds.Entry, "entry-2026-11-23T15:00Z", new RunRequest(), CancellationToken.None);

        var response = await harness.Api.StartRunAsync(null, CancellationToken.None);

        Assert.Equal(409, response.StatusCode);
        Assert.Contains("entry-2026-11-23T15:00Z", response.Json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Halt_blocks_new_runs_and_resume_allows_them_with_reasons_recorded()
    {
        await using var harness = await PipelineHarness.CreateAsync();

        var halt = await harness.Api.HaltAsync("""{"reason":"FOMC day"}""", CancellationToken.None);
        Assert.Equal(200, halt.StatusCode);
        var blocked = await harness.Api.StartRunAsync("{}", CancellationToken.None);
        Assert.Equal(409, blocked.StatusCode);
        Assert.Contains("FOMC day", blocked.Json, StringComparison.Ordinal);

        // A timer run that starts anyway stops at the snapshot with the reason.
        var (_, timer) = await harness.StartAndRunAsync(RunKinds.Entry, "entry-2026-11-23T15:00Z", new RunRequest { Trigger = RunTriggers.Timer }, CancellationToken.None);
        Assert.Equal("halted", timer!.Output!.EndReason);
        Assert.Contains("FOMC day", timer.Output.EndDetail, StringComparison.Ordinal);
        Assert.Equal(0, harness.Broker.PlaceCalls);

        var resume = await harness.Api.ResumeAsync("""{"reason":"FOMC done"}""", CancellationToken.None);
        Assert.Equal(200, resume.StatusCode);
        var allowed = await harness.Api.StartRunAsync("""{"dryRun":false}""", CancellationToken.None);
        Assert.Equal(202, allowed.StatusCode);
        await harness.WaitForBackgroundRunsAsync();
        Assert.Equal(1, harness.Broker.PlaceCalls);
    }

    [Theory]
    [InlineData("{", "not valid JSON")]
    [InlineData("[]", "must be a JSON object")]
    [InlineData("null", "must be a JSON object")]
    [InlineData("\"run\"", "must be a JSON object")]
    [InlineData("""{"dryRun":"yes"}""", "'dryRun' must be true or false")]
    [InlineData("""{"dryRun":1}""", "'dryRun' must be true or false")]
    [InlineData("""{"dryrun":true}""", "Unknown field 'dryrun'")]
    [InlineData("""{"dryRun":true,"force":true}""", "Unknown field 'force'")]
    [InlineData("""{"dryRun":true,"dryRun":false}""", "appears twice")]
    public async Task Bad_run_bodies_are_400_with_a_clear_message(string body, string expected)
    {
        await using var harness = await PipelineHarness.CreateAsync();

        var response = await harness.Api.StartRunAsync(body, CancellationToken.None);

        Assert.Equal(400, response.StatusCode);
        Assert.Contains(expected, JsonDocument.Parse(response.Json).RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, harness.Broker.PlaceCalls);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("{}")]
    [InlineData("""{"reason":""}""")]
    [InlineData("""{"reason":42}""")]
    [InlineData("""{"reason":"ok","by":"me"}""")]
    [InlineData("""{"reason":"a\u0000b"}""")]
    public async Task Bad_halt_bodies_are_400(string? body)
    {
        await using var harness = await PipelineHarness.CreateAsync();

        Assert.Equal(400, (await harness.Api.HaltAsync(body, CancellationToken.None)).StatusCode);
        Assert.Equal(400, (await harness.Api.ResumeAsync(body, CancellationToken.None)).StatusCode);
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("")]
    [InlineData("a b")]
    [InlineData("id'or'1=1")]
    public async Task Invalid_run_ids_are_400_and_unknown_ones_404(string id)
    {
        await using var harness = await PipelineHarness.CreateAsync();

        Assert.Equal(400, (await harness.Api.GetRunAsync(id, CancellationToken.None)).StatusCode);
        Assert.Equal(404, (await harness.Api.GetRunAsync("manual-2026-01-01T00:00:00Z", CancellationToken.None)).StatusCode);
    }
}
