using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using Microsoft.Playwright;
using Trading.Hosting.Dashboard;
using Xunit.Abstractions;

namespace Trading.Dashboard.Tests;

/// <summary>The dashboard page in Chromium against <c>trading serve</c> on a seeded year: what a user sees equals what the API says.</summary>
[Collection(DashboardGroup.Name)]
public sealed class DashboardPageTests
{
    private const string AllPanelsLoaded = "() => { const s = [...document.querySelectorAll('section.panel')]; return s.length === 6 && s.every(x => x.dataset.loaded === 'true'); }";
    private readonly DashboardFixture _fixture;
    private readonly ITestOutputHelper _output;

    public DashboardPageTests(DashboardFixture fixture, ITestOutputHelper output)
    {
        _fixture = fixture;
        _output = output;
    }

    [SkippableFact]
    public async Task The_page_asks_for_the_key_refuses_a_wrong_one_and_opens_with_the_right_one()
    {
        var (context, page, errors) = await _fixture.NewPageAsync();
        await using var _ = context;

        var response = await page.GotoAsync("api/dashboard");
        Assert.Equal(200, response!.Status);
        await Expect(page.Locator("#key-panel")).ToBeVisibleAsync();
        await Expect(page.Locator("#overview")).ToBeHiddenAsync();

        await page.GetByLabel("Key", new() { Exact = true }).FillAsync("not-the-key-at-all");
        await page.GetByRole(AriaRole.Button, new() { Name = "Open dashboard" }).ClickAsync();
        await Expect(page.Locator("#key-error")).ToContainTextAsync("key");
        await Expect(page.Locator("#key-panel")).ToBeVisibleAsync();
        Assert.Null(await page.EvaluateAsync<string?>("() => sessionStorage.getItem('trading.functionKey')"));

        // The refused key's requests are the only errors the browser may report (Chromium logs every 401 it receives); the
        // page asks for several panels at once, so let every refused request end before the check.
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        lock (errors)
        {
            Assert.All(errors, e => Assert.Contains("401 (Unauthorized)", e, StringComparison.Ordinal));
            errors.Clear();
        }

        await OpenWithKeyAsync(page);
        await Expect(page.Locator("#overview")).ToBeVisibleAsync();
        Assert.Equal(DashboardFixture.Key, await page.EvaluateAsync<string>("() => sessionStorage.getItem('trading.functionKey')"));
        // The key stays in this tab: localStorage and cookies never get it.
        Assert.Equal(0, await page.EvaluateAsync<int>("() => localStorage.length"));
        Assert.Empty(await context.CookiesAsync());
        AssertNoErrors(errors);
    }

    [SkippableFact]
    public async Task Every_panel_shows_the_values_the_api_returns()
    {
        var (context, page, errors) = await _fixture.NewPageAsync();
        await using var _ = context;
        await page.GotoAsync("api/dashboard");
        // The account and positions panels are marked to the simulated market, whose price moves with the (real-speed) clock:
        // compare the page with the answers it was given, not with a later request that may be a cent away.
        var accountServed = page.WaitForResponseAsync(r => r.Url.EndsWith("/api/dashboard/account", StringComparison.Ordinal) && r.Status == 200);
        var positionsServed = page.WaitForResponseAsync(r => r.Url.EndsWith("/api/dashboard/positions", StringComparison.Ordinal) && r.Status == 200);
        await OpenWithKeyAsync(page);

        using var account = JsonDocument.Parse(await (await accountServed).TextAsync());
        var a = account.RootElement;
        Assert.Equal(PageFormat.Money(a.GetProperty("equity")), await Text(page, "account.equity"));
        Assert.Equal(PageFormat.Money(a.GetProperty("cash")), await Text(page, "account.cash"));
        Assert.Equal(PageFormat.Money(a.GetProperty("buyingPower")), await Text(page, "account.buyingPower"));
        Assert.Equal(PageFormat.Money(a.GetProperty("realizedPnlDollars")), await Text(page, "account.realized"));
        Assert.Equal(a.GetProperty("halt").GetProperty("halted").GetBoolean() ? "HALTED" : "Trading", await Text(page, "account.halt"));
        Assert.True(a.GetProperty("equityCurve").GetArrayLength() > 50, "a year of closed trades draws the equity curve");
        await Expect(page.Locator("#account svg polyline.chart-line")).ToHaveCountAsync(1);
        await Expect(page.Locator("#account svg polygon.drawdown")).ToHaveCountAsync(1);

        using var positions = JsonDocument.Parse(await (await positionsServed).TextAsync());
        var p = positions.RootElement;
        Assert.Equal(PageFormat.Money(p.GetProperty("underlyingPrice")), await Text(page, "positions.price"));
        var held = Assert.Single(p.GetProperty("positions").EnumerateArray());
        var condor = page.Locator($"[data-position='{held.GetProperty("positionId").GetString()}']");
        Assert.Equal(PageFormat.Money(held.GetProperty("entryCredit")), await condor.Locator("[data-field='position.credit']").TextContentAsync());
        Assert.Equal(PageFormat.Money(held.GetProperty("currentDebit")), await condor.Locator("[data-field='position.debit']").TextContentAsync());
        Assert.Equal(PageFormat.Money(held.GetProperty("unrealizedPnlDollars")), await condor.Locator("[data-field='position.pnl']").TextContentAsync());
        Assert.Equal(PageFormat.Money(held.GetProperty("distanceToShortPut")), await condor.Locator("[data-field='position.toShortPut']").TextContentAsync());
        Assert.Equal(PageFormat.Money(held.GetProperty("distanceToShortCall")), await condor.Locator("[data-field='position.toShortCall']").TextContentAsync());
        Assert.Equal(held.GetProperty("timeExitDate").GetString(), await condor.Locator("[data-field='position.timeExit']").TextContentAsync());
        await Expect(condor.Locator("svg")).ToHaveCountAsync(2); // the price band and the debit band with the exit levels
        Assert.NotEqual(JsonValueKind.Null, held.GetProperty("currentDebit").ValueKind);

        using var runs = await ApiAsync("api/dashboard/runs");
        var r = runs.RootElement.GetProperty("runs");
        var rows = page.Locator("#runs tbody tr");
        await Expect(rows).ToHaveCountAsync(r.GetArrayLength());
        for (var i = 0; i < 5; i++)
        {
            var row = rows.Nth(i);
            Assert.Equal(r[i].GetProperty("instanceId").GetString(), await row.GetAttributeAsync("data-run"));
            Assert.Equal(r[i].GetProperty("endReason").GetString(), await row.Locator("[data-field='run.outcome']").TextContentAsync());
            Assert.Equal(PageFormat.Usd(r[i].GetProperty("llmCostUsd")), await row.Locator("[data-field='run.cost']").TextContentAsync());
            await Expect(row.Locator("button.stage")).ToHaveCountAsync(r[i].GetProperty("stages").GetArrayLength());
        }

        using var spend = await ApiAsync("api/dashboard/spend");
        var s = spend.RootElement;
        Assert.Equal(PageFormat.Usd(s.GetProperty("today").GetProperty("spentUsd")), await Text(page, "spend.today"));
        Assert.Equal(PageFormat.Usd(s.GetProperty("monthToDate").GetProperty("spentUsd")), await Text(page, "spend.month"));
        Assert.Equal(PageFormat.Usd(s.GetProperty("dailyLimitUsd")), await Text(page, "spend.dailyLimit"));
        Assert.Equal(PageFormat.Usd(s.GetProperty("monthlyLimitUsd")), await Text(page, "spend.monthlyLimit"));
        Assert.Equal(PageFormat.Count(s.GetProperty("calls")), await Text(page, "spend.calls"));
        Assert.Equal(PageFormat.Usd(s.GetProperty("costUsd")), await Text(page, "spend.cost"));
        Assert.True(s.GetProperty("perModel").GetArrayLength() >= 5, "five models served calls");
        foreach (var m in s.GetProperty("perModel").EnumerateArray())
        {
            var row = page.Locator($"#spend tr[data-model='{m.GetProperty("model").GetString()}']");
            Assert.Equal(PageFormat.Count(m.GetProperty("calls")), await row.Locator("[data-field='model.calls']").TextContentAsync());
            Assert.Equal(PageFormat.Usd(m.GetProperty("costUsd")), await row.Locator("[data-field='model.cost']").TextContentAsync());
            Assert.Equal(PageFormat.Ms(m.GetProperty("p50LatencyMs")), await row.Locator("[data-field='model.p50']").TextContentAsync());
            Assert.Equal(PageFormat.Ms(m.GetProperty("p95LatencyMs")), await row.Locator("[data-field='model.p95']").TextContentAsync());
            Assert.Equal(PageFormat.Count(m.GetProperty("failures")), await row.Locator("[data-field='model.failures']").TextContentAsync());
            Assert.Equal(PageFormat.Count(m.GetProperty("fallbacks")), await row.Locator("[data-field='model.fallbacks']").TextContentAsync());
            Assert.Equal(PageFormat.Count(m.GetProperty("criticalCalls")), await row.Locator("[data-field='model.critical']").TextContentAsync());
        }

        await Expect(page.Locator("#spend svg rect")).ToHaveCountAsync(s.GetProperty("perDay").GetArrayLength());
        await Expect(page.Locator("#spend svg line.budget-line")).ToHaveCountAsync(1);
        Assert.True(await page.Locator("#spend .badge.critical").CountAsync() > 0, "CRITICAL calls are marked");

        using var models = await ApiAsync("api/dashboard/models");
        var comparisons = models.RootElement.GetProperty("comparisons");
        Assert.Contains(comparisons.EnumerateArray(), c => c.GetProperty("kind").GetString() == "split");
        Assert.Contains(comparisons.EnumerateArray(), c => c.GetProperty("kind").GetString() == "shadow");
        foreach (var c in comparisons.EnumerateArray())
        {
            var block = page.Locator($"[data-comparison='{c.GetProperty("kind").GetString()}:{c.GetProperty("taskType").GetString()}']");
            var arms = c.GetProperty("arms");
            for (var i = 0; i < arms.GetArrayLength(); i++)
            {
                Assert.Equal(PageFormat.Count(arms[i].GetProperty("calls")), await block.Locator("[data-field='arm.calls']").Nth(i).TextContentAsync());
                Assert.Equal(PageFormat.Usd(arms[i].GetProperty("costUsd")), await block.Locator("[data-field='arm.cost']").Nth(i).TextContentAsync());
                Assert.Equal(PageFormat.Ms(arms[i].GetProperty("p95LatencyMs")), await block.Locator("[data-field='arm.p95']").Nth(i).TextContentAsync());
                Assert.Equal(PageFormat.Percent(arms[i].GetProperty("failureRate")), await block.Locator("[data-field='arm.failureRate']").Nth(i).TextContentAsync());
                Assert.StartsWith(PageFormat.Percent(arms[i].GetProperty("agreementRate")), await block.Locator("[data-field='arm.agreement']").Nth(i).TextContentAsync(), StringComparison.Ordinal);
            }
        }

        using var strategy = await ApiAsync("api/dashboard/strategy");
        foreach (var v in strategy.RootElement.GetProperty("variants").EnumerateArray())
        {
            var row = page.Locator($"#strategy tr[data-variant='{v.GetProperty("variant").GetString()}']");
            Assert.Equal(PageFormat.Number(v.GetProperty("mean"), 3), await row.Locator("[data-field='variant.mean']").TextContentAsync());
            Assert.Equal($"{PageFormat.Number(v.GetProperty("bandLow"), 3)}–{PageFormat.Number(v.GetProperty("bandHigh"), 3)}", await row.Locator("[data-field='variant.band']").TextContentAsync());
            Assert.Equal(PageFormat.Count(v.GetProperty("closedTrades")), await row.Locator("[data-field='variant.closed']").TextContentAsync());
            Assert.Equal(PageFormat.Money(v.GetProperty("realizedPnlDollars")), await row.Locator("[data-field='variant.pnl']").TextContentAsync());
            Assert.Equal(v.GetProperty("memoryVerdict").GetString(), await row.Locator("[data-field='variant.verdict']").TextContentAsync());
        }

        await Expect(page.Locator("#strategy svg circle")).ToHaveCountAsync(strategy.RootElement.GetProperty("variants").GetArrayLength());
        var screenshot = Path.Combine(_fixture.ArtifactsDirectory, "dashboard.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
        Assert.True(new FileInfo(screenshot).Length > 10_000, screenshot);
        _output.WriteLine($"Screenshot: {screenshot}");
        AssertNoErrors(errors);
    }

    [SkippableFact]
    public async Task Halt_asks_for_a_reason_then_shows_the_halted_state_and_resume_clears_it()
    {
        var (context, page, errors) = await _fixture.NewPageAsync();
        await using var _ = context;
        await page.GotoAsync("api/dashboard");
        await OpenWithKeyAsync(page);
        await Expect(page.Locator("[data-field='account.halt']")).ToHaveTextAsync("Trading");

        await page.GetByRole(AriaRole.Button, new() { Name = "Halt trading…" }).ClickAsync();
        var dialog = page.Locator("#halt-dialog");
        await Expect(dialog).ToBeVisibleAsync();
        await page.Locator("#halt-confirm").ClickAsync(); // no reason: the form refuses, nothing is written
        await Expect(dialog).ToBeVisibleAsync();
        Assert.False(await HaltedAsync());

        await page.GetByLabel("Reason (required, recorded with the change)").FillAsync("dashboard test: checking the halt button");
        await page.Locator("#halt-confirm").ClickAsync();
        await Expect(dialog).ToBeHiddenAsync();
        await Expect(page.Locator("[data-field='account.halt']")).ToHaveTextAsync("HALTED");
        await Expect(page.Locator("[data-field='account.haltReason']")).ToContainTextAsync("dashboard test: checking the halt button");
        Assert.True(await HaltedAsync());

        await page.GetByRole(AriaRole.Button, new() { Name = "Resume trading…" }).ClickAsync();
        await page.GetByLabel("Reason (required, recorded with the change)").FillAsync("dashboard test done");
        await page.Locator("#halt-confirm").ClickAsync();
        await Expect(page.Locator("[data-field='account.halt']")).ToHaveTextAsync("Trading");
        Assert.False(await HaltedAsync());
        AssertNoErrors(errors);
    }

    [SkippableFact]
    public async Task Runs_filter_by_outcome_a_stage_shows_its_reason_and_a_run_opens_its_whole_journal()
    {
        var (context, page, errors) = await _fixture.NewPageAsync();
        await using var _ = context;
        await page.GotoAsync("api/dashboard");
        await OpenWithKeyAsync(page);

        var firstStage = page.Locator("#runs tbody tr").First.Locator("button.stage").First;
        var reason = await firstStage.GetAttributeAsync("title");
        await firstStage.ClickAsync();
        await Expect(page.Locator("#runs tbody tr").First.Locator(".stage-detail")).ToHaveTextAsync(reason!);

        await page.GetByLabel("Outcome").SelectOptionAsync("council-declined");
        using var filtered = await ApiAsync("api/dashboard/runs?outcome=council-declined");
        var expected = filtered.RootElement.GetProperty("runs");
        Assert.True(expected.GetArrayLength() > 10);
        await Expect(page.Locator("#runs tbody tr")).ToHaveCountAsync(expected.GetArrayLength());
        await Expect(page.Locator("#runs tbody tr").First).ToHaveAttributeAsync("data-run", expected[0].GetProperty("instanceId").GetString()!);
        foreach (var outcome in await page.Locator("#runs [data-field='run.outcome']").AllTextContentsAsync())
        {
            Assert.Equal("council-declined", outcome);
        }

        var id = expected[0].GetProperty("instanceId").GetString()!;
        await page.GetByRole(AriaRole.Link, new() { Name = id }).ClickAsync();
        await Expect(page.Locator("#run-page")).ToBeVisibleAsync();
        using var run = await ApiAsync("api/runs/" + Uri.EscapeDataString(id));
        var journal = run.RootElement.GetProperty("journal");
        await Expect(page.Locator("[data-field='journal.outcome']")).ToHaveTextAsync("council-declined");
        var stages = journal.GetProperty("stages");
        await Expect(page.Locator("#run-page tbody tr[data-stage]")).ToHaveCountAsync(stages.GetArrayLength());
        for (var i = 0; i < stages.GetArrayLength(); i++)
        {
            Assert.Equal(stages[i].GetProperty("verdict").GetString(), await page.Locator("#run-page [data-field='journal.verdict']").Nth(i).TextContentAsync());
        }

        using var shown = JsonDocument.Parse((await page.Locator("[data-field='journal.json']").TextContentAsync())!);
        Assert.Equal(id, shown.RootElement.GetProperty("instanceId").GetString());
        Assert.Equal(journal.GetProperty("councilVotes").GetArrayLength(), shown.RootElement.GetProperty("councilVotes").GetArrayLength());
        await Expect(page.Locator("#run-page h3", new() { HasText = "Council votes" })).ToHaveCountAsync(1);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(_fixture.ArtifactsDirectory, "run-journal.png"), FullPage = true });

        await page.GetByRole(AriaRole.Link, new() { Name = "← back to the overview" }).ClickAsync();
        await page.WaitForFunctionAsync(AllPanelsLoaded);
        await Expect(page.Locator("#overview")).ToBeVisibleAsync();
        AssertNoErrors(errors);
    }

    [SkippableFact]
    public async Task The_page_fits_a_phone_width_and_every_control_is_labelled()
    {
        var (context, page, errors) = await _fixture.NewPageAsync(390, 844);
        await using var _ = context;
        await page.GotoAsync("api/dashboard/"); // with the trailing slash a user may type: the page still finds the API
        await OpenWithKeyAsync(page);

        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"),
            "no horizontal scrolling of the page at 390 px (wide tables scroll inside their own box)");
        Assert.True(await page.EvaluateAsync<bool>("() => [...document.querySelectorAll('input, select, textarea')].every(e => e.labels && e.labels.length > 0)"));
        Assert.True(await page.EvaluateAsync<bool>("() => [...document.querySelectorAll('button')].every(b => (b.getAttribute('aria-label') || b.textContent).trim().length > 0)"));
        Assert.True(await page.EvaluateAsync<bool>("() => [...document.querySelectorAll('svg')].every(s => s.getAttribute('aria-label'))"), "every chart says what it shows in words");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(_fixture.ArtifactsDirectory, "dashboard-phone.png"), FullPage = true });
        AssertNoErrors(errors);
    }

    [SkippableFact]
    public async Task Page_weight_and_time_to_first_render_of_all_panels_are_measured()
    {
        Skip.If(_fixture.Browser is null, DashboardFixture.BrowserMissing);
        var weight = DashboardPage.All.Sum(a => a.Content.Length);
        var gzipped = DashboardPage.All.Sum(a => Gzip(a.Content));
        var timings = new List<double>();
        var inPage = new List<int>();
        for (var i = 0; i < 5; i++)
        {
            await using var context = await _fixture.Browser!.NewContextAsync(new BrowserNewContextOptions { BaseURL = _fixture.BaseAddress.ToString() });
            await context.AddInitScriptAsync($"sessionStorage.setItem('trading.functionKey', '{DashboardFixture.Key}')");
            var page = await context.NewPageAsync();
            var clock = DashboardFixture.Time();
            await page.GotoAsync("api/dashboard");
            await page.WaitForFunctionAsync(AllPanelsLoaded);
            timings.Add(clock.Elapsed.TotalMilliseconds);
            inPage.Add(int.Parse((await page.EvaluateAsync<string>("() => document.body.dataset.renderedMs"))!, CultureInfo.InvariantCulture));
        }

        timings.Sort();
        var perPanel = new List<string>();
        foreach (var panel in DashboardApi.Panels)
        {
            var samples = new List<double>();
            for (var i = 0; i < 5; i++)
            {
                var clock = DashboardFixture.Time();
                var (status, _) = await _fixture.GetAsync("api/dashboard/" + panel);
                samples.Add(clock.Elapsed.TotalMilliseconds);
                Assert.Equal(200, status);
            }

            samples.Sort();
            perPanel.Add(string.Create(CultureInfo.InvariantCulture, $"{panel} {samples[2]:F0}"));
        }

        var report = string.Create(CultureInfo.InvariantCulture,
            $"""
            Dashboard measurements ({DateTimeOffset.UtcNow:u}); seeded {_fixture.Seed.Runs} runs over {DashboardFixture.SeededDays} days, {_fixture.Seed.ClosedTrades} closed trades, {_fixture.Seed.Calls} calls (seeding took {_fixture.Seed.Took.TotalSeconds:F1} s)
            Page weight: {weight} bytes (HTML + JS + CSS: {string.Join(", ", DashboardPage.All.Select(a => $"{a.Name} {a.Content.Length}"))}); {gzipped} bytes gzipped
            Time to first render of all six panels (navigation to every panel drawn, 5 loads): median {timings[2]:F0} ms, min {timings[0]:F0} ms, max {timings[^1]:F0} ms
            Of which the panels' requests and drawing after the script started (in-page): {string.Join(", ", inPage)} ms
            Each panel's endpoint alone (median of 5 sequential GETs): {string.Join(", ", perPanel)} ms
            Screenshot: {Path.Combine(_fixture.ArtifactsDirectory, "dashboard.png")}
            """);
        _output.WriteLine(report);
        await File.WriteAllTextAsync(Path.Combine(_fixture.ArtifactsDirectory, "measurements.txt"), report);
        Assert.True(weight > 0);
    }

    private static int Gzip(byte[] content)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(content);
        }

        return (int)buffer.Length;
    }

    private static async Task OpenWithKeyAsync(IPage page)
    {
        await page.GetByLabel("Key", new() { Exact = true }).FillAsync(DashboardFixture.Key);
        await page.GetByRole(AriaRole.Button, new() { Name = "Open dashboard" }).ClickAsync();
        await page.WaitForFunctionAsync(AllPanelsLoaded);
    }

    private static Task<string?> Text(IPage page, string field) => page.Locator($"[data-field='{field}']").First.TextContentAsync();

    private async Task<JsonDocument> ApiAsync(string path)
    {
        var (status, body) = await _fixture.GetAsync(path);
        Assert.True(status == 200, $"{path}: {status} {body}");
        return JsonDocument.Parse(body);
    }

    private async Task<bool> HaltedAsync()
    {
        using var account = await ApiAsync("api/dashboard/account");
        return account.RootElement.GetProperty("halt").GetProperty("halted").GetBoolean();
    }

    private static void AssertNoErrors(List<string> errors)
    {
        lock (errors)
        {
            Assert.True(errors.Count == 0, "browser console errors: " + string.Join(" | ", errors));
        }
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
