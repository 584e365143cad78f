using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Trading.Core.ModelCalls;
using Trading.Pipeline.Orchestration;

namespace Trading.Pipeline.Council;

/// <summary>
/// Strict reading of the models' JSON answers. Anything not exactly of the expected shape and range is invalid:
/// a malformed answer abstains (a vote) or means no trade (the final decision); it never becomes a trade.
/// </summary>
public static class ModelAnswers
{
    private const int MaxListItems = 20;
    private const int MaxTextLength = 2_000;

    /// <summary>What a model call cost and who served it, for the run's journal.</summary>
    public static ModelUsage UsageOf<T>(string taskType, StructuredCompletion<T> answer)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(answer);
        return new ModelUsage
        {
            TaskType = taskType,
            RequestedModel = answer.RequestedModel,
            ServedModel = answer.ServedModel,
            CostUsd = answer.CostUsd,
            Succeeded = answer.Succeeded,
            FailureReason = answer.FailureReason,
        };
    }

    /// <summary>Validates a vote {approve: bool, confidence: number 0–1, reasons: string[], risks: string[]}.</summary>
    public static CouncilVote ReadVote(string member, string decidedBy, JsonObject? answer)
    {
        var invalid = new CouncilVote { Member = member, DecidedBy = decidedBy, Valid = false };
        if (answer is null)
        {
            return invalid with { AbstainReason = "no answer" };
        }

        if (!TryGetBool(answer, "approve", out var approve, out var error)
            || !TryGetUnitInterval(answer, "confidence", out var confidence, out error)
            || !TryGetStrings(answer, "reasons", out var reasons, out error)
            || !TryGetStrings(answer, "risks", out var risks, out error))
        {
            return invalid with { AbstainReason = error };
        }

        return new CouncilVote
        {
            Member = member,
            DecidedBy = decidedBy,
            Valid = true,
            Approve = approve,
            Confidence = confidence,
            Reasons = reasons,
            Risks = risks,
        };
    }

    /// <summary>
    /// Validates the final decision {execute: bool, limitPrice: number, reason: string} and its limit price against the proposal.
    /// </summary>
    public static ExecutionDecision ReadDecision(string decidedBy, JsonObject? answer, CondorProposal proposal, ExecutionOptions limits)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        ArgumentNullException.ThrowIfNull(limits);
        var declined = new ExecutionDecision { DecidedBy = decidedBy, Execute = false, Valid = false };
        if (answer is null)
        {
            return declined with { Reason = "invalid final decision: no answer" };
        }

        if (!TryGetBool(answer, "execute", out var execute, out var error)
            || !TryGetString(answer, "reason", out var reason, out error))
        {
            return declined with { Reason = $"invalid final decision: {error}" };
        }

        if (!execute)
        {
            return declined with { Valid = true, Reason = reason };
        }

        if (!answer.TryGetPropertyValue("limitPrice", out var node) || node is not JsonValue value
            || value.GetValueKind() != JsonValueKind.Number || !value.TryGetValue<decimal>(out var limit))
        {
            return declined with { Reason = "invalid final decision: limitPrice must be a number" };
        }

        var problem = CheckLimitCredit(limit, proposal, limits);
        return problem is null
            ? new ExecutionDecision { DecidedBy = decidedBy, Execute = true, Valid = true, LimitCredit = limit, Reason = reason }
            : declined with { Reason = $"invalid final decision: {problem}" };
    }

    /// <summary>Null when <paramref name="limitCredit"/> is an acceptable credit per share; otherwise the rule it breaks.</summary>
    public static string? CheckLimitCredit(decimal limitCredit, CondorProposal proposal, ExecutionOptions limits)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        ArgumentNullException.ThrowIfNull(limits);
        var text = limitCredit.ToString(CultureInfo.InvariantCulture);
        if (limitCredit <= 0)
        {
            return $"limitPrice {text} is not a credit (an opening condor must receive money, never pay a debit)";
        }

        if (decimal.Round(limitCredit, 2) != limitCredit)
        {
            return $"limitPrice {text} has more than two decimals";
        }

        if (limitCredit < limits.MinCreditDollars)
        {
            return $"limitPrice {text} is below the minimum credit {limits.MinCreditDollars.ToString(CultureInfo.InvariantCulture)}";
        }

        if (limitCredit < proposal.NaturalCredit)
        {
            return $"limitPrice {text} is below the natural credit {proposal.NaturalCredit.ToString(CultureInfo.InvariantCulture)} (sell at the bids, buy at the asks): it would give away more than crossing the spread, and the size was approved for no less";
        }

        if (limitCredit > proposal.MidCredit + limits.MaxLimitAboveMidDollars)
        {
            return $"limitPrice {text} is more than {limits.MaxLimitAboveMidDollars.ToString(CultureInfo.InvariantCulture)} above the mid credit {proposal.MidCredit.ToString(CultureInfo.InvariantCulture)}";
        }

        if (limitCredit >= proposal.WingWidthDollars)
        {
            return $"limitPrice {text} is not below the wing width {proposal.WingWidthDollars.ToString(CultureInfo.InvariantCulture)}";
        }

        return null;
    }

    private static bool TryGetBool(JsonObject answer, string name, out bool value, out string error)
    {
        value = false;
        error = string.Empty;
        if (!answer.TryGetPropertyValue(name, out var node) || node is null)
        {
            error = $"'{name}' is missing";
            return false;
        }

        var kind = node.GetValueKind();
        if (kind is not (JsonValueKind.True or JsonValueKind.False))
        {
            error = $"'{name}' must be true or false, not {kind}";
            return false;
        }

        value = kind == JsonValueKind.True;
        return true;
    }

    private static bool TryGetUnitInterval(JsonObject answer, string name, out double value, out string error)
    {
        value = 0;
        error = string.Empty;
        if (!answer.TryGetPropertyValue(name, out var node) || node is not JsonValue json || json.GetValueKind() != JsonValueKind.Number
            || !json.TryGetValue<double>(out value))
        {
            error = $"'{name}' must be a number";
            return false;
        }

        if (!double.IsFinite(value) || value < 0 || value > 1)
        {
            error = string.Create(CultureInfo.InvariantCulture, $"'{name}' must be between 0 and 1, got {value}");
            return false;
        }

        return true;
    }

    private static bool TryGetString(JsonObject answer, string name, out string value, out string error)
    {
        value = string.Empty;
        error = string.Empty;
        if (!answer.TryGetPropertyValue(name, out var node) || node is not JsonValue json || json.GetValueKind() != JsonValueKind.String)
        {
            error = $"'{name}' must be a string";
            return false;
        }

        value = Truncate(json.GetValue<string>());
        return true;
    }

    private static bool TryGetStrings(JsonObject answer, string name, out IReadOnlyList<string> values, out string error)
    {
        values = [];
        error = string.Empty;
        if (!answer.TryGetPropertyValue(name, out var node) || node is not JsonArray array)
        {
            error = $"'{name}' must be an array of strings";
            return false;
        }

        var list = new List<string>();
        foreach (var item in array)
        {
            if (item is not JsonValue text || text.GetValueKind() != JsonValueKind.String)
            {
                error = $"'{name}' must contain only strings";
                return false;
            }

            if (list.Count < MaxListItems)
            {
                list.Add(Truncate(text.GetValue<string>()));
            }
        }

        values = list;
        return true;
    }

    private static string Truncate(string text) => text.Length <= MaxTextLength ? text : text[..MaxTextLength];
}
