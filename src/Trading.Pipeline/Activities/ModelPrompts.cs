using System.Globalization;
using System.Text.Json;
using Trading.Pipeline.Orchestration;
using Trading.Pipeline.State;

namespace Trading.Pipeline.Activities;

/// <summary>Prompts and JSON schemas of the pipeline's model calls.</summary>
public static class ModelPrompts
{
    public const string AnalysisSchemaName = "market_analysis";
    public const string VoteSchemaName = "council_vote";
    public const string DecisionSchemaName = "final_decision";

    public const string AnalysisSchema = """
        {"type":"object","additionalProperties":false,"required":["outlook","summary"],
         "properties":{"outlook":{"type":"string","enum":["neutral","bullish","bearish"]},"summary":{"type":"string"}}}
        """;

    public const string VoteSchema = """
        {"type":"object","additionalProperties":false,"required":["approve","confidence","reasons","risks"],
         "properties":{"approve":{"type":"boolean"},"confidence":{"type":"number","minimum":0,"maximum":1},
         "reasons":{"type":"array","items":{"type":"string"}},"risks":{"type":"array","items":{"type":"string"}}}}
        """;

    public const string DecisionSchema = """
        {"type":"object","additionalProperties":false,"required":["execute","limitPrice","reason"],
         "properties":{"execute":{"type":"boolean"},"limitPrice":{"type":"number"},"reason":{"type":"string"}}}
        """;

    public const string AnalysisSystem =
        "You are a market technician. Read the SPY snapshot and say whether the next month looks range-bound (neutral), " +
        "bullish or bearish for a short iron condor. Answer only with JSON matching the schema.";

    public static string VoteSystem(string member) => member switch
    {
        "pre_trade_research" => "You are a pre-trade researcher on a trading council. Judge whether opening this SPY iron condor now is sound " +
            "given the regime, the market analysis, trade memory and the lessons learned.",
        "options_analysis" => "You are an options strategist on a trading council. Review the proposed iron condor's structure: strikes, " +
            "deltas, credit versus width, days to expiration and leg spreads.",
        _ => "You are a risk reviewer on a trading council. Judge the proposed trade's risk given the hard-limit verdict and the account.",
    } + " Answer only with JSON: approve (boolean), confidence (0 to 1), reasons and risks (arrays of strings).";

    /// <summary>
    /// The final decision's instructions, stating the very bounds <see cref="Council.ModelAnswers.CheckLimitCredit"/> enforces, so a
    /// model is never told one limit and held to another.
    /// </summary>
    public static string DecisionSystem(CondorProposal? proposal, Council.ExecutionOptions limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        var bounds = proposal is null
            ? "within the execution limits"
            : string.Create(CultureInfo.InvariantCulture,
                $"at least the natural credit {proposal.NaturalCredit:0.00##} and at least {limits.MinCreditDollars:0.00}, at most the mid credit {proposal.MidCredit:0.00##} plus {limits.MaxLimitAboveMidDollars:0.00}, and below the wing width {proposal.WingWidthDollars:0.##}");
        return "You make the final go/no-go decision for a paper-trading iron condor after the council. Answer only with JSON: execute " +
            "(boolean), limitPrice (the net CREDIT per share to ask for, a positive number of dollars with at most two decimals, " +
            bounds + "; a limit outside these bounds is refused, and the position size is re-checked at the limit you give), reason (string).";
    }

    /// <summary>The facts a model sees, as compact JSON (no keys, no account identifiers).</summary>
    public static string Facts(DeliberationInput input, bool includeCouncil)
    {
        ArgumentNullException.ThrowIfNull(input);
        var facts = new
        {
            market = new
            {
                input.Snapshot.Symbol,
                input.Snapshot.UnderlyingPrice,
                input.Snapshot.Regime,
                input.Snapshot.RealizedVol20Pct,
                input.Snapshot.RealizedVolRankPct,
                input.Snapshot.Return20Pct,
            },
            analysis = new { input.Analysis.Outlook, input.Analysis.Summary },
            proposal = input.Strategy.Proposal,
            sampler = new { input.Strategy.Variant, input.Strategy.Label, input.Strategy.RegimeScaledScore },
            memory = new { input.Memory.Verdict, input.Memory.Summary },
            lessons = input.Lessons.Lessons.Select(l => new { l.Title, l.Severity, l.Status, l.Prevention }),
            risk = new { input.Risk.Approved, input.Risk.Contracts, input.Risk.IvRankPct, input.Risk.MaxLossBudgetDollars, input.Risk.Summary },
            council = includeCouncil ? input.Council?.Votes.Select(v => new { v.Member, v.Valid, v.Approve, v.Confidence, v.Reasons, v.Risks }) : null,
        };
        return JsonSerializer.Serialize(facts, StateJson.Options);
    }

    public static string SnapshotFacts(MarketSnapshot snapshot) => JsonSerializer.Serialize(
        new { snapshot.Symbol, snapshot.UnderlyingPrice, snapshot.Regime, snapshot.RealizedVol20Pct, snapshot.RealizedVolRankPct, snapshot.Return20Pct },
        StateJson.Options);
}
