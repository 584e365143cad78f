using Trading.Core.ModelCalls;
using Trading.Pipeline.Council;
using Trading.Pipeline.Orchestration;

namespace Trading.Pipeline.Activities.Entry;

/// <summary>
/// SeatCouncil: who sits on the council for this run (Council:Members), the model BATS plans for each seat, the models each
/// seat must avoid (those planned for the others: no model holds two seats, fallbacks included), and the approval rule. The
/// seats then vote as parallel <see cref="CastVoteActivity"/> calls, joined by the orchestration.
/// </summary>
public sealed class SeatCouncilActivity : PipelineActivity<DeliberationInput, CouncilSeating>
{
    private readonly IModelGateway _gateway;
    private readonly CouncilOptions _council;

    public SeatCouncilActivity(IModelGateway gateway, CouncilOptions council)
        : base(ActivityNames.SeatCouncil)
    {
        _gateway = gateway ?? throw new ArgumentNullException(nameof(gateway));
        _council = council ?? throw new ArgumentNullException(nameof(council));
    }

    public override Task<CouncilSeating> RunAsync(DeliberationInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var online = _gateway.IsOnline;
        var members = _council.MemberList;
        var planned = members.ToDictionary(m => m, m => online ? _gateway.PlannedModel(m) : string.Empty, StringComparer.Ordinal);
        var seats = members.Select(member => new CouncilSeat
        {
            Member = member,
            PlannedModel = planned[member],
            AvoidModels = [.. planned.Where(p => p.Key != member && p.Value.Length > 0 && p.Value != planned[member]).Select(p => p.Value).Distinct(StringComparer.Ordinal)],
        }).ToArray();
        return Task.FromResult(new CouncilSeating
        {
            Mode = online ? "models" : OfflineRules.Label,
            Seats = seats,
            QuorumApprovals = _council.QuorumApprovals,
            MinApprovalConfidence = _council.MinApprovalConfidence,
        });
    }
}
