using System.Text.Json;

namespace Trading.Dashboard.Tests;

/// <summary>The dashboard's HTTP surface on <c>trading serve</c> (no browser needed): anonymous page, keyed panels, 400s for bad input.</summary>
[Collection(DashboardGroup.Name)]
public sealed class DashboardApiTests
{
    private readonly DashboardFixture _fixture;

    public DashboardApiTests(DashboardFixture fixture) => _fixture = fixture;

    [Theory]
    [InlineData("api/dashboard", "text/html")]
    [InlineData("api/dashboard/static/dashboard.js", "text/javascript")]
    [InlineData("api/dashboard/static/dashboard.css", "text/css")]
    public async Task The_page_and_its_files_need_no_key_and_carry_a_strict_content_security_policy(string path, string type)
    {
        using var client = new HttpClient { BaseAddress = _fixture.BaseAddress };
        using var response = await client.GetAsync(path);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.StartsWith(type, response.Content.Headers.ContentType!.ToString(), StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", string.Join(";", response.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
        Assert.DoesNotContain(DashboardFixture.Key, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("api/dashboard/account")]
    [InlineData("api/dashboard/positions")]
    [InlineData("api/dashboard/runs")]
    [InlineData("api/dashboard/spend")]
    [InlineData("api/dashboard/models")]
    [InlineData("api/dashboard/strategy")]
    [InlineData("api/dashboard/static/../account")]
    [InlineData("api/dashboard/static/secrets.json")]
    public async Task Every_panel_needs_the_key(string path)
    {
        var (status, body) = await _fixture.GetAsync(path, withKey: false);

        Assert.True(status is 401 or 404, $"{path}: {status}");
        Assert.DoesNotContain("equity", body, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("api/dashboard/spend?days=0", "'days' must be a whole number from 1 to 92")]
    [InlineData("api/dashboard/spend?days=abc", "'days' must be a whole number")]
    [InlineData("api/dashboard/models?days=93", "from 1 to 92")]
    [InlineData("api/dashboard/runs?limit=1000", "'limit' must be a whole number from 1 to 200")]
    [InlineData("api/dashboard/runs?outcome=bogus", "Unknown outcome 'bogus'")]
    [InlineData("api/dashboard/runs?limit=5&limit=6", "appears twice")]
    [InlineData("api/dashboard/account?days=3", "the account panel takes none")]
    [InlineData("api/dashboard/spend?outcome=traded", "the spend panel takes: days")]
    public async Task Bad_input_is_400_with_a_message(string path, string message)
    {
        var (status, body) = await _fixture.GetAsync(path);

        Assert.Equal(400, status);
        using var json = JsonDocument.Parse(body);
        Assert.Contains(message, json.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_panel_is_404_naming_the_panels()
    {
        var (status, body) = await _fixture.GetAsync("api/dashboard/nonsense");

        Assert.Equal(404, status);
        Assert.Contains("account, positions, runs, spend, models, strategy", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_seeded_year_reads_back_through_the_panels()
    {
        using var runs = JsonDocument.Parse((await _fixture.GetAsync("api/dashboard/runs?limit=200")).Body);
        Assert.Equal(200, runs.RootElement.GetProperty("runs").GetArrayLength());
        Assert.Equal("manage", runs.RootElement.GetProperty("runs")[0].GetProperty("kind").GetString()); // newest first: the last day's management run

        using var strategy = JsonDocument.Parse((await _fixture.GetAsync("api/dashboard/strategy")).Body);
        var variants = strategy.RootElement.GetProperty("variants").EnumerateArray().ToArray();
        Assert.Equal(3, variants.Length);
        Assert.Equal(_fixture.Seed.ClosedTrades, variants.Sum(v => v.GetProperty("closedTrades").GetInt32()));
        Assert.All(variants, v => Assert.InRange(v.GetProperty("mean").GetDouble(), v.GetProperty("bandLow").GetDouble(), v.GetProperty("bandHigh").GetDouble()));

        using var models = JsonDocument.Parse((await _fixture.GetAsync("api/dashboard/models")).Body);
        var split = models.RootElement.GetProperty("comparisons").EnumerateArray().Single(c => c.GetProperty("kind").GetString() == "split");
        Assert.Equal("pre_trade_research", split.GetProperty("taskType").GetString());
        var arms = split.GetProperty("arms").EnumerateArray().ToDictionary(a => a.GetProperty("model").GetString()!);
        Assert.Equal(["deepseek-r1", "kimi-k2"], arms.Keys.Order());
        // The seed has deepseek-r1 always vote with the council and kimi-k2 not always: the comparison must show it.
        Assert.Equal(1.0, arms["deepseek-r1"].GetProperty("agreementRate").GetDouble());
        Assert.True(arms["kimi-k2"].GetProperty("agreementRate").GetDouble() < 1.0);

        using var account = JsonDocument.Parse((await _fixture.GetAsync("api/dashboard/account")).Body);
        Assert.Equal(_fixture.Seed.ClosedTrades + 2, account.RootElement.GetProperty("equityCurve").GetArrayLength());
    }
}
