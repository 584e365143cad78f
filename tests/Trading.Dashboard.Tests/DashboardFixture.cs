using System.Diagnostics;
using Microsoft.Playwright;
using Trading.Cli;
using Trading.Cli.Clocks;
using Trading.Cli.Configuration;
using Trading.Cli.Serve;
using Trading.TestKit.Storage;

namespace Trading.Dashboard.Tests;

/// <summary>
/// An in-process <c>trading serve</c> on 127.0.0.1:0 over the test Azurite, seeded with a year of history (<see cref="DashboardSeed"/>),
/// and Debian's chromium driven by Playwright. Without chromium the browser tests are reported as skipped (never as passed) with the
/// command that installs it.
/// </summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    public const string Key = "dashboard-suite-key-0123456789";

    /// <summary>The served host's "now": a Tuesday at 10:30 New York time, market open (the seeded condor needs an open market).</summary>
    public static readonly DateTimeOffset Now = new(2026, 11, 24, 15, 30, 0, TimeSpan.Zero);

    /// <summary>Days of seeded history ("a year of runs"), and the most recent of them with call records.</summary>
    public const int SeededDays = 365;

    public const int CallDays = 45;

    /// <summary>Where the browser is looked for (TRADING_CHROMIUM overrides).</summary>
    public static string ChromiumPath => Environment.GetEnvironmentVariable("TRADING_CHROMIUM") is { Length: > 0 } p ? p : "/usr/bin/chromium";

    /// <summary>The reason the browser tests cannot run, or null.</summary>
    public static string? BrowserMissing => File.Exists(ChromiumPath)
        ? null
        : $"SKIPPED: no Chromium at {ChromiumPath}. Install it with: sudo apt-get install -y chromium (or set TRADING_CHROMIUM to its path).";

    public ServeHost Host { get; private set; } = null!;

    public Uri BaseAddress { get; private set; } = null!;

    public IPlaywright? Playwright { get; private set; }

    public IBrowser? Browser { get; private set; }

    public SeedSummary Seed { get; private set; } = null!;

    /// <summary>Repository folder where screenshots and measurements go (artifacts/dashboard, ignored by git).</summary>
    public string ArtifactsDirectory { get; } = Path.Combine(CliSettings.FindContentRoot(AppContext.BaseDirectory), "artifacts", "dashboard");

    public async Task InitializeAsync()
    {
        // Playwright first: starting its driver sets Console.OutputEncoding, which deadlocks against a console logger writing
        // at the same moment (a lock-order problem in System.Console); the served host logs to the console once it starts.
        if (BrowserMissing is null)
        {
            Playwright = await Microsoft.Playwright.Playwright.CreateAsync();
            Browser = await Playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ChromiumPath,
                Headless = true,
                // Chromium's sandbox refuses to start as root (CI containers); as any other user it stays on.
                Args = Environment.UserName == "root" ? ["--no-sandbox"] : [],
            });
        }
        else
        {
            Console.WriteLine(BrowserMissing);
        }

        var prefix = TestStorage.UniqueTableName("dash");
        var overrides = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Storage:ConnectionString"] = TestStorage.ConnectionString,
            ["PipelineTables:TablePrefix"] = prefix,
            // A task hub of its own: a worker on the shared default hub would execute other test processes' runs with these tables.
            ["TASKHUB_NAME"] = "hub" + prefix,
            ["Budget:TableName"] = prefix + "budget",
            ["Routing:TelemetryTableName"] = prefix + "calls",
            ["Serve:AdminKey"] = Key,
            // No scheduled run may land while the tests compare the page with the API: the next slots are days away (Sunday 03:00).
            ["TRADING_SCHEDULE"] = "0 0 3 * * 0",
            ["MANAGE_SCHEDULE"] = "0 0 3 * * 0",
        };
        foreach (var (k, v) in DashboardSeed.RoutingSettings)
        {
            overrides[k] = v;
        }

        var contentRoot = CliSettings.FindContentRoot(AppContext.BaseDirectory);
        Seed = await DashboardSeed.SeedAsync(CliSettings.Build(contentRoot, overrides), Now, SeededDays, CallDays, CancellationToken.None);

        var clock = new ShiftedClock(TimeProvider.System);
        clock.StartAt(Now);
        var context = new CliContext { ContentRoot = contentRoot, Overrides = overrides, Interactive = false, Time = clock };
        using var output = new StringWriter();
        using var error = new StringWriter();
        Host = await ServeHost.StartAsync(context, "http://127.0.0.1:0", null, output, error, CancellationToken.None);
        BaseAddress = Host.Addresses[0];

        Directory.CreateDirectory(ArtifactsDirectory);
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        Playwright?.Dispose();
        if (Host is not null)
        {
            await Host.DisposeAsync();
        }
    }

    /// <summary>A fresh browser context (its own sessionStorage) with a page that records console errors and page errors.</summary>
    public async Task<(IBrowserContext Context, IPage Page, List<string> Errors)> NewPageAsync(int width = 1280, int height = 900)
    {
        Skip.If(Browser is null, BrowserMissing);
        var context = await Browser!.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height }, BaseURL = BaseAddress.ToString() });
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                lock (errors)
                {
                    errors.Add("console: " + message.Text);
                }
            }
        };
        page.PageError += (_, message) =>
        {
            lock (errors)
            {
                errors.Add("page: " + message);
            }
        };
        return (context, page, errors);
    }

    /// <summary>GET with the key; the JSON body as text.</summary>
    public async Task<(int Status, string Body)> GetAsync(string path, bool withKey = true)
    {
        using var client = new HttpClient { BaseAddress = BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (withKey)
        {
            request.Headers.Add(FunctionKeyAuthentication.HeaderName, Key);
        }

        using var response = await client.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public static Stopwatch Time() => Stopwatch.StartNew();
}

[CollectionDefinition(Name)]
public sealed class DashboardGroup : ICollectionFixture<DashboardFixture>
{
    public const string Name = "dashboard";
}
