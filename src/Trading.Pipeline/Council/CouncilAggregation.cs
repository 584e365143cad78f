using System.Globalization;
using Trading.Pipeline.Orchestration;

namespace Trading.Pipeline.Council;

/// <summary>
/// The fail-safe vote count: approve only when at least <see cref="CouncilOptions.QuorumApprovals"/> valid votes approve,
/// approvals outnumber valid rejections (a tie is no trade), and the approvers' mean confidence reaches the threshold.
/// Invalid votes abstain and never count either way, and so does a second vote by a model that already voted: one model
/// cannot be a quorum on its own.
/// </summary>
public static class CouncilAggregation
{
    public static CouncilVerdict Aggregate(IReadOnlyList<CouncilVote> votes, CouncilOptions options, string mode, IReadOnlyList<ModelUsage> usage)
    {
        ArgumentNullException.ThrowIfNull(votes);
        ArgumentNullException.ThrowIfNull(options);
        votes = OneSeatPerModel(votes, mode);
        var approvals = votes.Where(v => v.Valid && v.Approve).ToArray();
        var rejections = votes.Count(v => v.Valid && !v.Approve);
        var abstentions = votes.Count(v => !v.Valid);
        var meanConfidence = approvals.Length == 0 ? 0 : Math.Round(approvals.Average(v => v.Confidence), 4);

        string reason;
        bool approved = false;
        if (approvals.Length < options.QuorumApprovals)
        {
            reason = $"no quorum: {approvals.Length} valid approval(s), {options.QuorumApprovals} needed";
        }
        else if (approvals.Length <= rejections)
        {
            reason = approvals.Length == rejections ? "tie between approvals and rejections" : "more rejections than approvals";
        }
        else if (meanConfidence < options.MinApprovalConfidence)
        {
            reason = string.Create(CultureInfo.InvariantCulture,
                $"mean approval confidence {meanConfidence:0.00} below {options.MinApprovalConfidence:0.00}");
        }
        else
        {
            approved = true;
            reason = string.Create(CultureInfo.InvariantCulture, $"approved with mean confidence {meanConfidence:0.00}");
        }

        reason = string.Create(CultureInfo.InvariantCulture,
            $"{reason} ({approvals.Length} approve, {rejections} reject, {abstentions} abstain; {mode})");
        return new CouncilVerdict
        {
            Approved = approved,
            Votes = votes.ToArray(),
            ValidApprovals = approvals.Length,
            ValidRejections = rejections,
            MeanApprovalConfidence = meanConfidence,
            Reason = reason,
            Mode = mode,
            Usage = usage.ToArray(),
        };
    }

    /// <summary>With models voting, a model's second and later votes abstain (the offline rules are one rule set, not models).</summary>
    private static IReadOnlyList<CouncilVote> OneSeatPerModel(IReadOnlyList<CouncilVote> votes, string mode)
    {
        if (mode == OfflineRules.Label)
        {
            return votes;
        }

        var seated = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        return votes.Select(v => !v.Valid || seated.Add(v.DecidedBy)
            ? v
            : v with { Valid = false, AbstainReason = $"{v.DecidedBy} already holds a council seat; one model gets one vote" }).ToArray();
    }
}
