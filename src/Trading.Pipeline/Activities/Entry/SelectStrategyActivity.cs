using System.Globalization;
using Trading.Core.Condors;
using Trading.Core.Markets;
using Trading.Core.Options;
using Trading.Core.Strategy;
using Trading.Pipeline.Orchestration;
using Trading.Pipeline.State;
using StrategySelection = Trading.Pipeline.Orchestration.StrategySelection;

namespace Trading.Pipeline.Activities.Entry;

/// <summary>SelectStrategy: the Thompson draw (seeded by the run id) and the condor built for the chosen variant.</summary>
public sealed class SelectStrategyActivity : PipelineActivity<SnapshotInput, StrategySelection>
{
    private readonly IMarketData _market;
    private readonly TradeMemoryStore _memory;
    private readonly VolatilityHistoryStore _volatility;
    private readonly ThompsonSampler _sampler;
    private readonly PipelineOptions _options;
    private readonly CondorSettings _condor;
    private readonly TimeProvider _time;

    private const int VolatilityHorizonDays = 30;

    public SelectStrategyActivity(IMarketData market, TradeMemoryStore memory, VolatilityHistoryStore volatility, SamplerSettings sampler, PipelineOptions options, CondorSettings condor, TimeProvider time)
        : base(ActivityNames.SelectStrategy)
    {
        _market = market ?? throw new ArgumentNullException(nameof(market));
        _memory = memory ?? throw new ArgumentNullException(nameof(memory));
        _volatility = volatility ?? throw new ArgumentNullException(nameof(volatility));
        _sampler = new ThompsonSampler(sampler ?? throw new ArgumentNullException(nameof(sampler)));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _condor = condor ?? throw new ArgumentNullException(nameof(condor));
        _time = time ?? throw new ArgumentNullException(nameof(time));
    }

    public override async Task<StrategySelection> RunAsync(SnapshotInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var regime = Enum.Parse<MarketRegime>(input.Snapshot.Regime);
        var now = _time.GetUtcNow();
        var variants = _options.VariantList;
        var posteriors = new List<BetaPosterior>();
        foreach (var variant in variants)
        {
            posteriors.Add((await _memory.GetArmAsync(_options.Strategy, variant.Id, cancellationToken)).ToPosterior());
        }

        // Seeded by the run id: a replayed or resumed run draws the same numbers (reproducibility, not secrecy, is the point).
        var random = new Random(StrategySampler.SeedOf(input.Run.RunId));
        var draw = _sampler.Select(posteriors, regime, random, now).Best;
        var chosen = variants.First(v => v.Id == draw.VariantId);
        var scaled = Math.Round(draw.Score, 4);
        var label = draw.Label.ToString().ToUpperInvariant();
        var entryReason = input.Snapshot.Regime.ToLowerInvariant() + "_regime";
        var today = Trading.Markets.Calendar.EasternTime.DateOf(now);
        // From a little before 30 days: the 30-day volatility is interpolated between the expirations either side of it.
        var firstExpiry = today.AddDays(Math.Max(1, Math.Min(_condor.MinDte, VolatilityHorizonDays) - 10));
        var chain = await _market.GetOptionChainAsync(_options.Symbol, firstExpiry, today.AddDays(Math.Max(_condor.MaxDte, VolatilityHorizonDays + 1)), cancellationToken);
        var build = new IronCondorBuilder(_condor).Build(chain, now, chosen);
        var atm = AtTheMoneyVolatility.Compute(chain, _condor.RiskFreeRatePct / 100, _condor.DividendYieldPct / 100, VolatilityHorizonDays);
        if (atm.Succeeded)
        {
            await _volatility.RecordAsync(_options.Symbol, new DailyImpliedVolatility(today, Math.Round(atm.VolatilityPct, 2)), cancellationToken);
        }

        var selection = new StrategySelection
        {
            Strategy = _options.Strategy,
            Variant = chosen.Id,
            Draw = Math.Round(draw.Draw, 4),
            RegimeScaledScore = scaled,
            Label = label,
            ClosedTradesForVariant = draw.ClosedTrades,
            EntryReason = entryReason,
            AtmVolatilityPct = atm.Succeeded ? Math.Round(atm.VolatilityPct, 2) : null,
        };
        if (!build.Succeeded || build.Condor is null)
        {
            return selection with { Summary = $"variant {chosen.Id} ({label}, score {scaled:0.00}): no condor — {build.Refusal}" };
        }

        var proposal = ProposalMapping.ToProposal(build.Condor);
        return selection with
        {
            Proposal = proposal,
            Summary = string.Create(CultureInfo.InvariantCulture,
                $"variant {chosen.Id} ({label}, draw {draw.Draw:0.00} × regime {draw.RegimeMultiplier} = {scaled:0.00}): {proposal.Describe()}"),
        };
    }
}
