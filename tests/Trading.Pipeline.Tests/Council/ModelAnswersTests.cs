using System.Text.Json.Nodes;
using Trading.Pipeline.Council;
using Trading.Pipeline.Orchestration;

namespace Trading.Pipeline.Tests.Council;

public sealed class ModelAnswersTests
{
    private static readonly CondorProposal Proposal = new() { MidCredit = 1.20m, NaturalCredit = 0.95m, WingWidthDollars = 5m };
    private static readonly ExecutionOptions Limits = new();

    [Fact]
    public void A_well_formed_vote_is_valid()
    {
        var vote = ModelAnswers.ReadVote("options_analysis", "kimi-k2",
            JsonNode.Parse("""{"approve":true,"confidence":0.72,"reasons":["credit 24% of width"],"risks":["event risk"]}""")!.AsObject());

        Assert.True(vote.Valid);
        Assert.True(vote.Approve);
        Assert.Equal(0.72, vote.Confidence);
        Assert.Equal(["credit 24% of width"], vote.Reasons);
    }

    [Theory]
    [InlineData("""{"approve":true,"confidence":5,"reasons":[],"risks":[]}""", "between 0 and 1")]
    [InlineData("""{"approve":true,"confidence":-0.1,"reasons":[],"risks":[]}""", "between 0 and 1")]
    [InlineData("""{"approve":"yes","confidence":0.9,"reasons":[],"risks":[]}""", "true or false")]
    [InlineData("""{"approve":1,"confidence":0.9,"reasons":[],"risks":[]}""", "true or false")]
    [InlineData("""{"confidence":0.9,"reasons":[],"risks":[]}""", "'approve' is missing")]
    [InlineData("""{"approve":true,"reasons":[],"risks":[]}""", "'confidence' must be a number")]
    [InlineData("""{"approve":true,"confidence":"0.9","reasons":[],"risks":[]}""", "'confidence' must be a number")]
    [InlineData("""{"approve":true,"confidence":0.9,"risks":[]}""", "'reasons' must be an array")]
    [InlineData("""{"approve":true,"confidence":0.9,"reasons":"good","risks":[]}""", "'reasons' must be an array")]
    [InlineData("""{"approve":true,"confidence":0.9,"reasons":[1,2],"risks":[]}""", "only strings")]
    [InlineData("""{"approve":null,"confidence":0.9,"reasons":[],"risks":[]}""", "'approve' is missing")]
    public void Malformed_votes_abstain_with_a_reason(string json, string expected)
    {
        var vote = ModelAnswers.ReadVote("pre_trade_research", "deepseek-r1", JsonNode.Parse(json)!.AsObject());

        Assert.False(vote.Valid);
        Assert.False(vote.Approve);
        Assert.Contains(expected, vote.AbstainReason, StringComparison.Ordinal);
    }

    [Fact]
    public void No_answer_abstains() => Assert.False(ModelAnswers.ReadVote("x", "m", null).Valid);

    [Theory]
    [InlineData("""{"execute":true,"limitPrice":1.15,"reason":"ok"}""", true, 1.15)]
    [InlineData("""{"execute":true,"limitPrice":1.25,"reason":"at mid + 0.05"}""", true, 1.25)]
    [InlineData("""{"execute":false,"limitPrice":1.15,"reason":"too risky"}""", false, 0)]
    public void Valid_final_decisions(string json, bool execute, double limit)
    {
        var decision = ModelAnswers.ReadDecision("claude-opus", JsonNode.Parse(json)!.AsObject(), Proposal, Limits);

        Assert.True(decision.Valid);
        Assert.Equal(execute, decision.Execute);
        Assert.Equal((decimal)limit, decision.LimitCredit);
    }

    [Theory]
    [InlineData("""{"execute":true,"limitPrice":-1.15,"reason":"alpaca sign"}""", "not a credit")]
    [InlineData("""{"execute":true,"limitPrice":0,"reason":"free"}""", "not a credit")]
    [InlineData("""{"execute":true,"limitPrice":0.40,"reason":"cheap"}""", "below the minimum credit")]
    [InlineData("""{"execute":true,"limitPrice":1.26,"reason":"greedy"}""", "above the mid credit")]
    [InlineData("""{"execute":true,"limitPrice":99999,"reason":"absurd"}""", "above the mid credit")]
    [InlineData("""{"execute":true,"limitPrice":1.155,"reason":"sub-penny"}""", "two decimals")]
    [InlineData("""{"execute":true,"limitPrice":"1.15","reason":"string"}""", "must be a number")]
    [InlineData("""{"execute":true,"reason":"no price"}""", "must be a number")]
    [InlineData("""{"execute":"true","limitPrice":1.15,"reason":"string bool"}""", "true or false")]
    [InlineData("""{"limitPrice":1.15,"reason":"no execute"}""", "'execute' is missing")]
    [InlineData("""{"execute":true,"limitPrice":1.15}""", "'reason' must be a string")]
    [InlineData("""{"execute":true,"limitPrice":1e300,"reason":"overflow"}""", "must be a number")]
    public void Invalid_final_decisions_never_execute(string json, string expected)
    {
        var decision = ModelAnswers.ReadDecision("claude-opus", JsonNode.Parse(json)!.AsObject(), Proposal, Limits);

        Assert.False(decision.Execute);
        Assert.False(decision.Valid);
        Assert.Contains(expected, decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Random_json_objects_never_produce_an_execution_outside_the_limits()
    {
        var random = new Random(20261123);
        string[] values = ["true", "false", "\"yes\"", "1", "0", "-1", "null", "[]", "{}", "1.15", "1.2", "0.5", "0.49", "1.25", "1.26", "\"1.15\"", "5", "-0.5"];
        for (var i = 0; i < 2_000; i++)
        {
            var json = $$"""{"execute":{{values[random.Next(values.Length)]}},"limitPrice":{{values[random.Next(values.Length)]}},"reason":{{(random.Next(3) == 0 ? "1" : "\"r\"")}}}""";
            var decision = ModelAnswers.ReadDecision("m", JsonNode.Parse(json)!.AsObject(), Proposal, Limits);
            if (decision.Execute)
            {
                Assert.InRange(decision.LimitCredit, Limits.MinCreditDollars, Proposal.MidCredit + Limits.MaxLimitAboveMidDollars);
                Assert.Contains("\"execute\":true", json, StringComparison.Ordinal);
            }
        }
    }

    [Theory]
    [InlineData(0.50, false)] // far below the mid (1.20): below the natural credit (0.95) is refused, never sent
    [InlineData(0.94, false)]
    [InlineData(0.95, true)]
    public void A_limit_below_the_natural_credit_is_refused(double limit, bool accepted)
    {
        var json = $$"""{"execute": true, "limitPrice": {{limit.ToString(System.Globalization.CultureInfo.InvariantCulture)}}, "reason": "ok"}""";
        var decision = ModelAnswers.ReadDecision("claude-opus", JsonNode.Parse(json)!.AsObject(), Proposal, Limits);
        Assert.Equal(accepted, decision.Execute);
        if (!accepted)
        {
            Assert.Contains("below the natural credit", decision.Reason, StringComparison.Ordinal);
        }
    }
}
