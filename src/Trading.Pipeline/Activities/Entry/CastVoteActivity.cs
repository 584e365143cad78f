using System.Text.Json.Nodes;
using Trading.Core.ModelCalls;
using Trading.Pipeline.Council;
using Trading.Pipeline.Orchestration;

namespace Trading.Pipeline.Activities.Entry;

/// <summary>
/// CastVote: one council seat's vote on the deliberation, as its own activity so that a failing seat is retried alone and a
/// vote already in the history is never asked (or paid for) again. Online: the seat's model call through the gateway, kept
/// off the models planned for the other seats; an answer that is missing, malformed or out of range is an abstention.
/// Offline: the rules-based vote. An unexpected failure is thrown, for the engine to retry this seat only; the orchestration
/// turns a seat that still fails into an abstention.
/// </summary>
public sealed class CastVoteActivity : PipelineActivity<VoteInput, CouncilBallot>
{
    private readonly IModelGateway _gateway;

    public CastVoteActivity(IModelGateway gateway)
        : base(ActivityNames.CastVote)
    {
        _gateway = gateway ?? throw new ArgumentNullException(nameof(gateway));
    }

    public override async Task<CouncilBallot> RunAsync(VoteInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var member = input.Seat.Member;
        var deliberation = input.Deliberation;
        if (input.Mode == OfflineRules.Label)
        {
            return new CouncilBallot { Vote = OfflineRules.Vote(member, deliberation) };
        }

        var call = new ModelCall(member, deliberation.Run.RunId, ModelPrompts.VoteSystem(member), ModelPrompts.Facts(deliberation, includeCouncil: false),
            ModelPrompts.VoteSchemaName, ModelPrompts.VoteSchema, deliberation.Run.RunId + ":" + member, 600, input.Seat.AvoidModels);
        var answer = await _gateway.CompleteJsonAsync<JsonObject>(call, cancellationToken);
        var model = answer.ServedModel ?? answer.RequestedModel;
        var vote = answer.Succeeded
            ? ModelAnswers.ReadVote(member, model, answer.Value)
            : new CouncilVote { Member = member, DecidedBy = model, Valid = false, AbstainReason = answer.FailureReason ?? "call failed" };
        var usage = ModelAnswers.UsageOf(member, answer);
        return new CouncilBallot { Vote = vote with { CostUsd = usage.CostUsd, LatencyMs = usage.LatencyMs }, Usage = [usage] };
    }
}
