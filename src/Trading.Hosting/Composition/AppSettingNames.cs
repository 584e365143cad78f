namespace Trading.Hosting;

/// <summary>
/// The names of the app settings (environment variables) the deployed app reads, beyond the Functions host's own
/// storage wiring (<c>AzureWebJobsStorage</c>, its identity-based <c>AzureWebJobsStorage__*</c> form, and
/// <c>FUNCTIONS_WORKER_RUNTIME</c>). Names with a double underscore bind to options classes as <c>Section:Property</c>.
/// </summary>
/// <remarks>
/// This is the code-side source of truth for configuration drift: tests/Trading.Infra.Tests requires <see cref="All"/>
/// to equal the settings infra-bicep/main.bicep deploys and those local.settings.json.example lists. Add a setting
/// here, in the Bicep template and in the example file together.
/// </remarks>
public static class AppSettingNames
{
    // Host and telemetry.
    public const string ApplicationInsightsConnectionString = "APPLICATIONINSIGHTS_CONNECTION_STRING";
    public const string ApplicationInsightsAuthenticationString = "APPLICATIONINSIGHTS_AUTHENTICATION_STRING";
    public const string TaskHubName = "TASKHUB_NAME";

    // Schedules (six-field NCRONTAB, UTC).
    public const string TradingSchedule = "TRADING_SCHEDULE";
    public const string ManageSchedule = "MANAGE_SCHEDULE";

    // The app's own tables (identity-based endpoint in Azure).
    public const string StorageTableServiceUri = "Storage__TableServiceUri";

    // Gateway and model budget.
    public const string LlmGatewayBaseUrl = "LLM_GATEWAY_BASE_URL";
    public const string LlmGatewayApiKey = "LLM_GATEWAY_API_KEY";
    public const string RequireLlmGateway = "REQUIRE_LLM_GATEWAY";
    public const string BudgetDailyLimitUsd = "Budget__DailyLimitUsd";
    public const string BudgetMonthlyLimitUsd = "Budget__MonthlyLimitUsd";
    public const string BudgetTimeZone = "Budget__TimeZone";
    public const string RoutingForcedModel = "Routing__ForcedModel";

    // Alpaca.
    public const string AlpacaApiKeyId = "ALPACA_API_KEY_ID";
    public const string AlpacaApiSecretKey = "ALPACA_API_SECRET_KEY";
    public const string AlpacaEnvironment = "Alpaca__Environment";

    // Risk limits.
    public const string RiskMaxRiskPerTradePct = "Risk__MaxRiskPerTradePct";
    public const string RiskMaxTotalOpenRiskPct = "Risk__MaxTotalOpenRiskPct";
    public const string RiskMaxOpenCondors = "Risk__MaxOpenCondors";
    public const string RiskMaxNewCondorsPerDay = "Risk__MaxNewCondorsPerDay";
    public const string RiskDailyLossLimitPct = "Risk__DailyLossLimitPct";
    public const string RiskMaxDrawdownPct = "Risk__MaxDrawdownPct";
    public const string RiskHaltTrading = "Risk__HaltTrading";
    public const string RiskMaxContracts = "Risk__MaxContracts";
    public const string RiskMinIvRankPct = "Risk__MinIvRankPct";

    // Iron condor construction and exits.
    public const string CondorTargetShortDelta = "Condor__TargetShortDelta";
    public const string CondorWingWidthDollars = "Condor__WingWidthDollars";
    public const string CondorMinDte = "Condor__MinDte";
    public const string CondorMaxDte = "Condor__MaxDte";
    public const string ExitTakeProfitPct = "Exit__TakeProfitPct";
    public const string ExitStopLossPct = "Exit__StopLossPct";
    public const string ExitAtDte = "Exit__ExitAtDte";

    // LLM council.
    public const string CouncilMinApprovalConfidence = "Council__MinApprovalConfidence";

    // Strategy variants and the schedule's entry window.
    public const string PipelineVariants = "Pipeline__Variants";
    public const string ScheduleEntryWindowStart = "Schedule__EntryWindowStart";
    public const string ScheduleEntryWindowEnd = "Schedule__EntryWindowEnd";

    /// <summary>Every name above, once.</summary>
    public static IReadOnlyCollection<string> All { get; } =
    [
        ApplicationInsightsConnectionString,
        ApplicationInsightsAuthenticationString,
        TaskHubName,
        TradingSchedule,
        ManageSchedule,
        StorageTableServiceUri,
        LlmGatewayBaseUrl,
        LlmGatewayApiKey,
        RequireLlmGateway,
        BudgetDailyLimitUsd,
        BudgetMonthlyLimitUsd,
        BudgetTimeZone,
        RoutingForcedModel,
        AlpacaApiKeyId,
        AlpacaApiSecretKey,
        AlpacaEnvironment,
        RiskMaxRiskPerTradePct,
        RiskMaxTotalOpenRiskPct,
        RiskMaxOpenCondors,
        RiskMaxNewCondorsPerDay,
        RiskDailyLossLimitPct,
        RiskMaxDrawdownPct,
        RiskHaltTrading,
        RiskMaxContracts,
        RiskMinIvRankPct,
        CondorTargetShortDelta,
        CondorWingWidthDollars,
        CondorMinDte,
        CondorMaxDte,
        ExitTakeProfitPct,
        ExitStopLossPct,
        ExitAtDte,
        CouncilMinApprovalConfidence,
        PipelineVariants,
        ScheduleEntryWindowStart,
        ScheduleEntryWindowEnd,
    ];
}
