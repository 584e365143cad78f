using Trading.Pipeline.Council;
using Trading.Pipeline.Orchestration;

namespace Trading.Pipeline.Tests.Council;

public sealed class CouncilAggregationTests
{
    private static readonly CouncilOptions Options = new();

    private static int _models;

    // Each vote from its own model unless a test says otherwise: one model gets one seat.
    private static CouncilVote Vote(bool approve, double confidence, string? model = null) =>
        new() { Member = "m", DecidedBy = model ?? $"model-{Interlocked.Increment(ref _models)}", Valid = true, Approve = approve, Confidence = confidence };

    private static readonly CouncilVote Abstain = new() { Member = "m", Valid = false, AbstainReason = "malformed" };

    [Fact]
    public void Two_confident_approvals_approve_even_with_one_abstention()
    {
        var verdict = CouncilAggregation.Aggregate([Vote(true, 0.8), Vote(true, 0.7), Abstain], Options, "models", []);

        Assert.True(verdict.Approved);
        Assert.Equal(0.75, verdict.MeanApprovalConfidence);
        Assert.Contains("1 abstain", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void One_approval_is_no_quorum() =>
        Assert.False(CouncilAggregation.Aggregate([Vote(true, 0.9), Abstain, Abstain], Options, "models", []).Approved);

    [Fact]
    public void A_tie_is_no_trade()
    {
        var options = new CouncilOptions { Members = "a,b,c,d", QuorumApprovals = 2 };
        var verdict = CouncilAggregation.Aggregate([Vote(true, 0.9), Vote(true, 0.9), Vote(false, 0.9), Vote(false, 0.9)], options, "models", []);

        Assert.False(verdict.Approved);
        Assert.Contains("tie", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Low_mean_confidence_is_no_trade()
    {
        var verdict = CouncilAggregation.Aggregate([Vote(true, 0.55), Vote(true, 0.6), Vote(true, 0.5)], Options, "models", []);

        Assert.False(verdict.Approved);
        Assert.Contains("below 0.60", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void All_abstaining_is_no_trade() =>
        Assert.False(CouncilAggregation.Aggregate([Abstain, Abstain, Abstain], Options, "models", []).Approved);

    [Fact]
    public void Settings_are_validated_with_their_names()
    {
        var errors = new CouncilOptions { Members = "only_one", QuorumApprovals = 5, MinApprovalConfidence = 1.5 }.Validate().ToArray();

        Assert.Equal(3, errors.Length);
        Assert.Contains(errors, e => e.StartsWith("Council:Members", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Council:QuorumApprovals", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Council:MinApprovalConfidence", StringComparison.Ordinal));
    }

    [Fact]
    public void One_model_answering_two_seats_counts_once_and_cannot_make_a_quorum_alone()
    {
        var verdict = CouncilAggregation.Aggregate([Vote(true, 0.9, "kimi-k2"), Vote(true, 0.9, "kimi-k2"), Vote(false, 0.6, "deepseek-r1")], Options, "models", []);

        Assert.False(verdict.Approved);
        Assert.Equal(1, verdict.ValidApprovals);
        Assert.Contains("kimi-k2 already holds a council seat", verdict.Votes[1].AbstainReason, StringComparison.Ordinal);
    }

    [Fact]
    public void The_offline_rules_are_one_rule_set_and_keep_every_seat()
    {
        var rules = new CouncilVote { Member = "m", DecidedBy = OfflineRules.Label, Valid = true, Approve = true, Confidence = 0.8 };
        Assert.True(CouncilAggregation.Aggregate([rules, rules with { Member = "n" }], Options, OfflineRules.Label, []).Approved);
    }
}
