using System.Globalization;
using Trading.Core.Markets;
using Trading.Pipeline.Orchestration;
using Trading.Pipeline.State;

namespace Trading.Pipeline.Activities.Manage;

/// <summary>LoadOpenPositions: ids of positions still opening, open or closing, oldest first.</summary>
public sealed class LoadOpenPositionsActivity : PipelineActivity<RunRequest, OpenPositions>
{
    private readonly IMarketData _market;
    private readonly IBroker _broker;
    private readonly PositionBook _positions;

    public LoadOpenPositionsActivity(IMarketData market, IBroker broker, PositionBook positions)
        : base(ActivityNames.LoadOpenPositions)
    {
        _market = market ?? throw new ArgumentNullException(nameof(market));
        _broker = broker ?? throw new ArgumentNullException(nameof(broker));
        _positions = positions ?? throw new ArgumentNullException(nameof(positions));
    }

    public override async Task<OpenPositions> RunAsync(RunRequest run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        var active = await _positions.ActiveAsync(cancellationToken);
        return new OpenPositions
        {
            PositionIds = active.OrderBy(p => p.OpenedUtc).Select(p => p.PositionId).ToArray(),
            MarketSimulated = _market.IsSimulated,
            BrokerSimulated = _broker.IsSimulated,
            Summary = string.Create(CultureInfo.InvariantCulture,
                $"{active.Count} active condor(s){(_broker.IsSimulated ? " [SIMULATED broker]" : string.Empty)}"),
        };
    }
}
