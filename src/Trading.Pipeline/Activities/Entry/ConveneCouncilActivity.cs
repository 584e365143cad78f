using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Trading.Core.ModelCalls;
using Trading.Pipeline.Council;
using Trading.Pipeline.Orchestration;

namespace Trading.Pipeline.Activities.Entry;

/// <summary>ConveneCouncil: every member votes (models, or the offline rules); invalid votes abstain.</summary>
public sealed class ConveneCouncilActivity : PipelineActivity<DeliberationInput, CouncilVerdict>
{
    private readonly IModelGateway _gateway;
    private readonly CouncilOptions _council;
    private readonly ILogger _logger;

    public ConveneCouncilActivity(IModelGateway gateway, CouncilOptions council, ILogger<ConveneCouncilActivity>? logger = null)
        : base(ActivityNames.ConveneCouncil)
    {
        _gateway = gateway ?? throw new ArgumentNullException(nameof(gateway));
        _council = council ?? throw new ArgumentNullException(nameof(council));
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    public override async Task<CouncilVerdict> RunAsync(DeliberationInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var members = _council.MemberList;
        if (!_gateway.IsOnline)
        {
            var rulesVotes = members.Select(m => OfflineRules.Vote(m, input)).ToArray();
            return CouncilAggregation.Aggregate(rulesVotes, _council, OfflineRules.Label, []);
        }

        var facts = ModelPrompts.Facts(input, includeCouncil: false);
        // No model holds two seats: each member's call avoids the models planned for the others, fallbacks included.
        var seats = members.ToDictionary(m => m, _gateway.PlannedModel, StringComparer.Ordinal);
        var answers = await Task.WhenAll(members.Select(async member =>
        {
            var others = seats.Where(s => s.Key != member && s.Value.Length > 0 && s.Value != seats[member]).Select(s => s.Value).ToArray();
            var call = new ModelCall(member, input.Run.RunId, ModelPrompts.VoteSystem(member), facts,
                ModelPrompts.VoteSchemaName, ModelPrompts.VoteSchema, input.Run.RunId + ":" + member, 600, others);
            try
            {
                var answer = await _gateway.CompleteJsonAsync<JsonObject>(call, cancellationToken);
                var model = answer.ServedModel ?? answer.RequestedModel;
                var vote = answer.Succeeded
                    ? ModelAnswers.ReadVote(member, model, answer.Value)
                    : new CouncilVote { Member = member, DecidedBy = model, Valid = false, AbstainReason = answer.FailureReason ?? "call failed" };
                return (Vote: vote, Usage: ModelAnswers.UsageOf(member, answer));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A member that cannot be asked abstains; it never turns into an approval.
                _logger.LogWarning("Council member {Member} failed: {Error}", member, e.Message);
                return (Vote: new CouncilVote { Member = member, DecidedBy = "-", Valid = false, AbstainReason = $"call failed: {e.GetType().Name}" },
                    Usage: new ModelUsage { TaskType = member, Succeeded = false, FailureReason = e.GetType().Name });
            }
        }));
        return CouncilAggregation.Aggregate(answers.Select(a => a.Vote).ToArray(), _council, "models", answers.Select(a => a.Usage).ToArray());
    }
}
