using Trading.Cli.Serve;
using Trading.Cli.Tests.Support;
using Trading.Pipeline.Orchestration;
using Trading.TestKit.Http;

namespace Trading.Cli.Tests.Serve;

/// <summary>
/// An in-process <c>trading serve</c> on 127.0.0.1:0 with the test Azurite; or, when TRADING_API_BASE_URL and TRADING_API_KEY
/// are set, whatever they name (a running Functions host), with the same contract.
/// </summary>
public sealed class ServeFixture : IAsyncLifetime
{
    public const string Key = "contract-suite-key-0123456789";

    private readonly ManualResetEventSlim _released = new(true);

    public ServeHost? Host { get; private set; }

    public TradingApiTarget Target { get; private set; } = null!;

    public string Output { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        if (TradingApiTarget.FromEnvironment() is { } external)
        {
            Target = external;
            return;
        }

        var runner = new CliRunner(settings: new Dictionary<string, string?> { ["Serve:AdminKey"] = Key });
        using var output = new StringWriter();
        using var error = new StringWriter();
        var context = new CliContext
        {
            ContentRoot = Trading.Cli.Configuration.CliSettings.FindContentRoot(AppContext.BaseDirectory),
            Overrides = runner.Overrides,
            Interactive = false,
            // Holding: a run blocks after its first stage until released (so "a run is in progress" is certain).
            ConfigureServices = runner.AfterActivity(name =>
            {
                if (name == ActivityNames.MarketSnapshot)
                {
                    _released.Wait(TimeSpan.FromSeconds(60));
                }

                return Task.CompletedTask;
            }),
        };
        Host = await ServeHost.StartAsync(context, "http://127.0.0.1:0", null, output, error, CancellationToken.None);
        Output = output.ToString();

        Target = new TradingApiTarget(Host.Addresses[0], Key);
    }

    /// <summary>Holds runs until the handle is disposed; null against an external host.</summary>
    public IDisposable? Hold()
    {
        if (Host is null)
        {
            return null;
        }

        _released.Reset();
        return new Release(_released);
    }

    public async Task DisposeAsync()
    {
        _released.Set();
        if (Host is not null)
        {
            await Host.DisposeAsync();
        }

        _released.Dispose();
    }

    private sealed class Release(ManualResetEventSlim gate) : IDisposable
    {
        public void Dispose() => gate.Set();
    }
}

/// <summary>The HTTP contract suite against <c>trading serve</c>.</summary>
public sealed class ServeContractTests : TradingApiContract, IClassFixture<ServeFixture>
{
    private readonly ServeFixture _fixture;

    public ServeContractTests(ServeFixture fixture)
    {
        _fixture = fixture;
    }

    protected override TradingApiTarget Target => _fixture.Target;

    protected override IDisposable? HoldRuns() => _fixture.Hold();

    [Fact]
    public void Serve_listens_on_loopback_and_never_prints_a_configured_key()
    {
        if (_fixture.Host is null)
        {
            return; // external target: nothing of ours to inspect
        }

        Assert.All(_fixture.Host.Addresses, a => Assert.True(a.IsLoopback, a.ToString()));
        Assert.DoesNotContain(ServeFixture.Key, _fixture.Output, StringComparison.Ordinal);
        Assert.Contains("Serve:AdminKey", _fixture.Output, StringComparison.Ordinal);
    }
}
