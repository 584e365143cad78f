using System.Globalization;
using Trading.Gateway.Routing;

namespace Trading.Gateway.Configuration;

/// <summary>LLM spend caps and their windows (section "Budget", e.g. <c>Budget__DailyLimitUsd</c>).</summary>
public sealed class BudgetOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "Budget";

    /// <summary>Cap per calendar day in <see cref="TimeZone"/>.</summary>
    public decimal DailyLimitUsd { get; set; } = 0.83m;

    /// <summary>Cap per calendar month in <see cref="TimeZone"/>.</summary>
    public decimal MonthlyLimitUsd { get; set; } = 25m;

    /// <summary>IANA (or Windows) time zone whose midnights and 1st-of-month open the windows.</summary>
    public string TimeZone { get; set; } = "America/New_York";

    /// <summary>When nothing on the downgrade chain fits: use the cheapest model (recorded as budget-exhausted) or refuse.</summary>
    public BudgetExhaustedAction OnExhausted { get; set; } = BudgetExhaustedAction.CheapestModel;

    /// <summary>An unsettled reservation stops counting after this long (its caller crashed).</summary>
    public int ReservationTimeoutMinutes { get; set; } = 10;

    /// <summary>Table holding the budget ledger.</summary>
    public string TableName { get; set; } = "LlmBudget";

    /// <summary>The caps as a value.</summary>
    public BudgetLimits Limits => new(DailyLimitUsd, MonthlyLimitUsd);

    /// <summary>The resolved time zone; throws naming the setting when unknown.</summary>
    public TimeZoneInfo ResolveTimeZone() =>
        System.TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out var zone)
            ? zone
            : throw new GatewayConfigurationException($"{SectionName}:{nameof(TimeZone)} '{TimeZone}' is not a known time zone.");

    /// <summary>Each broken setting and the rule it broke (empty when valid).</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (DailyLimitUsd < 0)
            errors.Add(Invariant($"{SectionName}:{nameof(DailyLimitUsd)} must be ≥ 0 (was {DailyLimitUsd})"));
        if (MonthlyLimitUsd < 0)
            errors.Add(Invariant($"{SectionName}:{nameof(MonthlyLimitUsd)} must be ≥ 0 (was {MonthlyLimitUsd})"));
        if (ReservationTimeoutMinutes is < 1 or > 24 * 60)
            errors.Add(Invariant($"{SectionName}:{nameof(ReservationTimeoutMinutes)} must be between 1 and 1440 (was {ReservationTimeoutMinutes})"));
        if (!System.TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone ?? string.Empty, out _))
            errors.Add($"{SectionName}:{nameof(TimeZone)} '{TimeZone}' is not a known time zone");
        if (!Enum.IsDefined(OnExhausted))
            errors.Add($"{SectionName}:{nameof(OnExhausted)} must be CheapestModel or Refuse");
        if (string.IsNullOrWhiteSpace(TableName) || !TableName.All(char.IsAsciiLetterOrDigit) || !char.IsAsciiLetter(TableName[0]) || TableName.Length is < 3 or > 63)
            errors.Add($"{SectionName}:{nameof(TableName)} must be 3–63 letters or digits starting with a letter (was '{TableName}')");
        return errors;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
