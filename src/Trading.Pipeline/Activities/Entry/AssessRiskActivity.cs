using Trading.Core.Markets;
using Trading.Core.Options;
using Trading.Pipeline.Orchestration;
using Trading.Pipeline.State;

namespace Trading.Pipeline.Activities.Entry;

/// <summary>AssessRisk: the hard limits. No model can override a rejection; the drawdown limit sets the kill switch.</summary>
public sealed class AssessRiskActivity : PipelineActivity<ProposalInput, RiskAssessment>
{
    private readonly IMarketData _market;
    private readonly IBroker _broker;
    private readonly PositionBook _positions;
    private readonly HaltSwitch _halt;
    private readonly PeakEquityStore _peak;
    private readonly VolatilityHistoryStore _volatility;
    private readonly EntryRiskCheck _risk;
    private readonly TimeProvider _time;

    public AssessRiskActivity(IMarketData market, IBroker broker, PositionBook positions, HaltSwitch halt, PeakEquityStore peak, VolatilityHistoryStore volatility, EntryRiskCheck risk, TimeProvider time)
        : base(ActivityNames.AssessRisk)
    {
        _market = market ?? throw new ArgumentNullException(nameof(market));
        _broker = broker ?? throw new ArgumentNullException(nameof(broker));
        _positions = positions ?? throw new ArgumentNullException(nameof(positions));
        _halt = halt ?? throw new ArgumentNullException(nameof(halt));
        _peak = peak ?? throw new ArgumentNullException(nameof(peak));
        _volatility = volatility ?? throw new ArgumentNullException(nameof(volatility));
        _risk = risk ?? throw new ArgumentNullException(nameof(risk));
        _time = time ?? throw new ArgumentNullException(nameof(time));
    }

    public override async Task<RiskAssessment> RunAsync(ProposalInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Strategy.Proposal is null)
        {
            return new RiskAssessment { Approved = false, Violations = ["no proposal"], Summary = "rejected: no proposal" };
        }

        var account = await _broker.GetAccountAsync(cancellationToken);
        var positions = await _positions.AllAsync(cancellationToken);
        var halt = await _halt.GetAsync(cancellationToken);
        var clock = await _market.GetClockAsync(cancellationToken);
        var peak = await _peak.PeakAsync(cancellationToken);
        var now = _time.GetUtcNow();
        var history = await VolatilityHistoryAsync(input.Snapshot.Symbol, Trading.Markets.Calendar.EasternTime.DateOf(now), cancellationToken);
        var assessment = _risk.Assess(input, account, positions, halt, peak ?? account.Equity, clock.IsOpen, now, history);
        if (assessment.HaltedUntilResumed && !halt.Halted)
        {
            // The drawdown limit does not clear by itself: it sets the kill switch, which only a person resumes.
            await _halt.SetAsync(true, $"drawdown limit reached in run {input.Run.RunId}", cancellationToken);
        }

        return assessment;
    }

    /// <summary>
    /// The stored implied-volatility history before <paramref name="today"/>; a market that knows its past (the simulator) fills
    /// a short history first, a live one builds it a snapshot a day.
    /// </summary>
    private async Task<IReadOnlyList<DailyImpliedVolatility>> VolatilityHistoryAsync(string symbol, DateOnly today, CancellationToken cancellationToken)
    {
        var history = await _volatility.BeforeAsync(symbol, today, ImpliedVolatilityRank.LookbackDays, cancellationToken);
        if (history.Count >= ImpliedVolatilityRank.LookbackDays || _market is not IImpliedVolatilityHistory source)
        {
            return history;
        }

        var known = history.Select(h => h.Date).ToHashSet();
        var backfill = source.AtmIv30History(today.AddDays(-380), today.AddDays(-1)).Where(d => !known.Contains(d.Date)).ToArray();
        if (backfill.Length == 0)
        {
            return history;
        }

        foreach (var day in backfill)
        {
            await _volatility.RecordAsync(symbol, day, cancellationToken);
        }

        return await _volatility.BeforeAsync(symbol, today, ImpliedVolatilityRank.LookbackDays, cancellationToken);
    }
}
