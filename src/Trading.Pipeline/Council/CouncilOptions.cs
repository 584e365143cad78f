using System.Globalization;

namespace Trading.Pipeline.Council;

/// <summary>The council's membership and approval rule. Section "Council".</summary>
public sealed class CouncilOptions
{
    public const string SectionName = "Council";

    /// <summary>Comma-separated BATS task types, one council member each (each routes to its own model).</summary>
    public string Members { get; set; } = "pre_trade_research,options_analysis,risk_assessment";

    /// <summary>Valid approvals needed; abstentions never count.</summary>
    public int QuorumApprovals { get; set; } = 2;

    /// <summary>Mean confidence of the approving votes must reach this (0–1).</summary>
    public double MinApprovalConfidence { get; set; } = 0.6;

    public IReadOnlyList<string> MemberList =>
        Members.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal).ToArray();

    /// <summary>Every broken rule, naming the setting.</summary>
    public IEnumerable<string> Validate()
    {
        if (MemberList.Count < 2)
        {
            yield return $"{SectionName}:Members must name at least two task types (got '{Members}').";
        }

        if (QuorumApprovals < 1 || QuorumApprovals > Math.Max(1, MemberList.Count))
        {
            yield return string.Create(CultureInfo.InvariantCulture,
                $"{SectionName}:QuorumApprovals must be between 1 and the number of members ({MemberList.Count}); got {QuorumApprovals}.");
        }

        if (!(MinApprovalConfidence is >= 0 and <= 1))
        {
            yield return string.Create(CultureInfo.InvariantCulture,
                $"{SectionName}:MinApprovalConfidence must be between 0 and 1; got {MinApprovalConfidence}.");
        }
    }
}

/// <summary>Limits on the final decision's limit price. Section "Execution".</summary>
public sealed class ExecutionOptions
{
    public const string SectionName = "Execution";

    /// <summary>Never ask for less credit than this, dollars per share.</summary>
    public decimal MinCreditDollars { get; set; } = 0.50m;

    /// <summary>Never ask for more than the mid credit plus this, dollars per share (a limit above mid rarely fills).</summary>
    public decimal MaxLimitAboveMidDollars { get; set; } = 0.05m;

    /// <summary>The offline rules ask for the mid credit minus this, dollars per share.</summary>
    public decimal OfflineCreditBelowMidDollars { get; set; } = 0.05m;

    public IEnumerable<string> Validate()
    {
        if (MinCreditDollars <= 0)
        {
            yield return $"{SectionName}:MinCreditDollars must be positive; got {MinCreditDollars.ToString(CultureInfo.InvariantCulture)}.";
        }

        if (MaxLimitAboveMidDollars < 0 || MaxLimitAboveMidDollars > 1)
        {
            yield return $"{SectionName}:MaxLimitAboveMidDollars must be between 0 and 1; got {MaxLimitAboveMidDollars.ToString(CultureInfo.InvariantCulture)}.";
        }

        if (OfflineCreditBelowMidDollars < 0 || OfflineCreditBelowMidDollars > 1)
        {
            yield return $"{SectionName}:OfflineCreditBelowMidDollars must be between 0 and 1; got {OfflineCreditBelowMidDollars.ToString(CultureInfo.InvariantCulture)}.";
        }
    }
}
