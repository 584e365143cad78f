using System.Globalization;
using Trading.Core.Markets;
using Trading.Pipeline.Orchestration;
using Trading.Pipeline.State;

namespace Trading.Pipeline.Activities.Entry;

/// <summary>MarketSnapshot: quote, realized volatility and regime, account equity (raising the peak), market clock and the halt switch.</summary>
public sealed class MarketSnapshotActivity : PipelineActivity<RunRequest, MarketSnapshot>
{
    private readonly IMarketData _market;
    private readonly IBroker _broker;
    private readonly HaltSwitch _halt;
    private readonly PeakEquityStore _peak;
    private readonly PipelineOptions _options;
    private readonly TimeProvider _time;

    public MarketSnapshotActivity(IMarketData market, IBroker broker, HaltSwitch halt, PeakEquityStore peak, PipelineOptions options, TimeProvider time)
        : base(ActivityNames.MarketSnapshot)
    {
        _market = market ?? throw new ArgumentNullException(nameof(market));
        _broker = broker ?? throw new ArgumentNullException(nameof(broker));
        _halt = halt ?? throw new ArgumentNullException(nameof(halt));
        _peak = peak ?? throw new ArgumentNullException(nameof(peak));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _time = time ?? throw new ArgumentNullException(nameof(time));
    }

    public override async Task<MarketSnapshot> RunAsync(RunRequest run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        var now = _time.GetUtcNow();
        var halt = await _halt.GetAsync(cancellationToken);
        var clock = await _market.GetClockAsync(cancellationToken);
        var quote = await _market.GetQuoteAsync(_options.Symbol, cancellationToken);
        var today = Trading.Markets.Calendar.EasternTime.DateOf(now);
        var bars = await _market.GetDailyBarsAsync(_options.Symbol, today.AddDays(-400), today, cancellationToken);
        var closes = bars.OrderBy(b => b.Time).Select(b => b.Close).ToArray();
        var account = await _broker.GetAccountAsync(cancellationToken);
        await _peak.RaiseAsync(account.Equity, now, cancellationToken);
        var realized = Math.Round(MarketMeasures.RealizedVolPct(closes), 2);
        var ret20 = Math.Round(MarketMeasures.ReturnPct(closes), 2);
        var regime = MarketMeasures.Classify(realized, ret20);
        string? block = halt.Halted ? $"halted: {halt.Reason}"
            : !clock.IsOpen && _options.RequireMarketOpen ? string.Create(CultureInfo.InvariantCulture, $"market closed (next open {clock.NextOpen:u})")
            : account.TradingBlocked ? "the broker account is blocked from trading"
            : null;
        var simulated = _market.IsSimulated || _broker.IsSimulated ? " [SIMULATED]" : string.Empty;
        return new MarketSnapshot
        {
            RunId = run.RunId,
            Symbol = _options.Symbol,
            AsOf = now,
            UnderlyingPrice = quote.Mid,
            Regime = regime.ToString(),
            RealizedVol20Pct = realized,
            RealizedVolRankPct = MarketMeasures.RealizedVolRankPct(closes),
            Return20Pct = ret20,
            MarketOpen = clock.IsOpen,
            Equity = account.Equity,
            Halted = halt.Halted,
            HaltReason = halt.Halted ? halt.Reason : null,
            EntryAllowed = block is null,
            BlockReason = block,
            MarketSimulated = _market.IsSimulated,
            BrokerSimulated = _broker.IsSimulated,
            Summary = string.Create(CultureInfo.InvariantCulture,
                $"{_options.Symbol} {quote.Mid:0.00}, regime {regime}, realized vol {realized:0.0}%, 20-session {ret20:+0.0;-0.0}%, equity ${account.Equity:0}, market {(clock.IsOpen ? "open" : "closed")}{(block is null ? string.Empty : "; " + block)}{simulated}"),
        };
    }
}
