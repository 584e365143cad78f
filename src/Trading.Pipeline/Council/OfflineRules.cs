using System.Globalization;
using Trading.Pipeline.Orchestration;

namespace Trading.Pipeline.Council;

/// <summary>
/// The deterministic stand-in for the models when the gateway is offline (no key). Every record it produces is labelled
/// "offline-rules", so a run without models is never mistaken for one with them.
/// </summary>
public static class OfflineRules
{
    public const string Label = "offline-rules";

    /// <summary>A rules-based market read from the snapshot.</summary>
    public static MarketAnalysis Analyze(MarketSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var outlook = snapshot.Return20Pct switch
        {
            > 4 => "bullish",
            < -4 => "bearish",
            _ => "neutral",
        };
        return new MarketAnalysis
        {
            Outlook = outlook,
            DecidedBy = Label,
            Summary = string.Create(CultureInfo.InvariantCulture,
                $"{Label}: regime {snapshot.Regime}, 20-session return {snapshot.Return20Pct:0.0}%, realized vol {snapshot.RealizedVol20Pct:0.0}% → {outlook}"),
        };
    }

    /// <summary>One member's rules-based vote.</summary>
    public static CouncilVote Vote(string member, DeliberationInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var proposal = input.Strategy.Proposal;
        var reasons = new List<string>();
        var risks = new List<string>();
        var score = 0.5;
        if (proposal is null)
        {
            return new CouncilVote { Member = member, DecidedBy = Label, Valid = true, Approve = false, Confidence = 1, Reasons = ["no proposal"] };
        }

        switch (member)
        {
            case "pre_trade_research":
                Score(input.Snapshot.Regime is "Calm" or "Trending", 0.15, $"regime {input.Snapshot.Regime}", reasons, risks, ref score);
                Score(input.Analysis.Outlook == "neutral", 0.1, $"outlook {input.Analysis.Outlook}", reasons, risks, ref score);
                Score(input.Memory.Verdict is not ("AVOID" or "STRONG_AVOID"), 0.1, $"memory {input.Memory.Verdict}", reasons, risks, ref score);
                Score(!input.Lessons.Lessons.Any(l => l.Severity == "CRITICAL"), 0.05, "no critical lessons retrieved", reasons, risks, ref score);
                break;
            case "options_analysis":
                var creditToWidth = proposal.WingWidthDollars > 0 ? proposal.MidCredit / proposal.WingWidthDollars : 0;
                Score(creditToWidth >= 0.2m, 0.2, string.Create(CultureInfo.InvariantCulture, $"credit/width {creditToWidth:0.00}"), reasons, risks, ref score);
                Score(proposal.MaxLegSpreadPct <= 10m, 0.1, string.Create(CultureInfo.InvariantCulture, $"widest leg spread {proposal.MaxLegSpreadPct:0.0}%"), reasons, risks, ref score);
                Score(proposal.DaysToExpiration is >= 21 and <= 60, 0.1, $"{proposal.DaysToExpiration} DTE", reasons, risks, ref score);
                break;
            default:
                Score(input.Risk.Approved, 0.2, $"risk: {input.Risk.Summary}", reasons, risks, ref score);
                Score(input.Risk.IvRankPct >= 20, 0.1,
                    string.Create(CultureInfo.InvariantCulture, $"IV rank {input.Risk.IvRankPct:0}"), reasons, risks, ref score);
                Score(input.Strategy.Label is "ENTER" or "CONSIDER", 0.1, $"sampler {input.Strategy.Label}", reasons, risks, ref score);
                break;
        }

        score = Math.Clamp(Math.Round(score, 4), 0, 1);
        var approve = score >= 0.6;
        return new CouncilVote
        {
            Member = member,
            DecidedBy = Label,
            Valid = true,
            Approve = approve,
            Confidence = approve ? score : Math.Round(1 - score, 4),
            Reasons = reasons,
            Risks = risks,
        };
    }

    /// <summary>The rules-based final decision: ask the mid credit minus a margin, within the execution limits.</summary>
    public static ExecutionDecision Decide(DeliberationInput input, ExecutionOptions limits)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(limits);
        var proposal = input.Strategy.Proposal;
        if (proposal is null || input.Council is not { Approved: true })
        {
            return new ExecutionDecision { DecidedBy = Label, Valid = true, Execute = false, Reason = "no approved proposal" };
        }

        // Below the mid by the margin, but never below the natural credit (the floor execution accepts and risk sized for).
        var naturalCents = Math.Ceiling(proposal.NaturalCredit * 100m) / 100m;
        var limit = Math.Max(decimal.Round(proposal.MidCredit - limits.OfflineCreditBelowMidDollars, 2, MidpointRounding.ToZero), naturalCents);
        var problem = ModelAnswers.CheckLimitCredit(limit, proposal, limits);
        return problem is null
            ? new ExecutionDecision
            {
                DecidedBy = Label,
                Valid = true,
                Execute = true,
                LimitCredit = limit,
                Reason = string.Create(CultureInfo.InvariantCulture,
                    $"council approved; limit credit {limit:0.00} = mid {proposal.MidCredit:0.00} − {limits.OfflineCreditBelowMidDollars:0.00}, not below the natural {proposal.NaturalCredit:0.00}"),
            }
            : new ExecutionDecision { DecidedBy = Label, Valid = true, Execute = false, Reason = problem };
    }

    private static void Score(bool good, double weight, string fact, List<string> reasons, List<string> risks, ref double score)
    {
        if (good)
        {
            reasons.Add(fact);
            score += weight;
        }
        else
        {
            risks.Add(fact);
            score -= weight;
        }
    }
}
