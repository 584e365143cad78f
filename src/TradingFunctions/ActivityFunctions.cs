using Microsoft.Azure.Functions.Worker;
using Trading.Pipeline.Activities;
using Trading.Pipeline.Journal;
using Trading.Pipeline.Orchestration;

namespace TradingFunctions;

/// <summary>One function per activity, each calling the shared activity implementation. Payloads cross the engine as JSON
/// with <see cref="TradingFunctionsApp.PayloadJsonOptions"/>.</summary>
public sealed class ActivityFunctions
{
    private readonly EntryActivities _entry;
    private readonly ManageActivities _manage;

    public ActivityFunctions(EntryActivities entry, ManageActivities manage)
    {
        _entry = entry;
        _manage = manage;
    }

    [Function(ActivityNames.MarketSnapshot)]
    public Task<MarketSnapshot> MarketSnapshotAsync([ActivityTrigger] RunRequest input, CancellationToken cancellationToken) =>
        _entry.MarketSnapshotAsync(input, cancellationToken);

    [Function(ActivityNames.AnalyzeMarket)]
    public Task<MarketAnalysis> AnalyzeMarketAsync([ActivityTrigger] SnapshotInput input, CancellationToken cancellationToken) =>
        _entry.AnalyzeMarketAsync(input, cancellationToken);

    [Function(ActivityNames.SelectStrategy)]
    public Task<StrategySelection> SelectStrategyAsync([ActivityTrigger] SnapshotInput input, CancellationToken cancellationToken) =>
        _entry.SelectStrategyAsync(input, cancellationToken);

    [Function(ActivityNames.RecallTradeMemory)]
    public Task<MemoryRecall> RecallTradeMemoryAsync([ActivityTrigger] ProposalInput input, CancellationToken cancellationToken) =>
        _entry.RecallTradeMemoryAsync(input, cancellationToken);

    [Function(ActivityNames.RetrieveLessons)]
    public Task<LessonsRecall> RetrieveLessonsAsync([ActivityTrigger] ProposalInput input, CancellationToken cancellationToken) =>
        _entry.RetrieveLessonsAsync(input, cancellationToken);

    [Function(ActivityNames.AssessRisk)]
    public Task<RiskAssessment> AssessRiskAsync([ActivityTrigger] ProposalInput input, CancellationToken cancellationToken) =>
        _entry.AssessRiskAsync(input, cancellationToken);

    [Function(ActivityNames.ConveneCouncil)]
    public Task<CouncilVerdict> ConveneCouncilAsync([ActivityTrigger] DeliberationInput input, CancellationToken cancellationToken) =>
        _entry.ConveneCouncilAsync(input, cancellationToken);

    [Function(ActivityNames.DecideExecution)]
    public Task<ExecutionDecision> DecideExecutionAsync([ActivityTrigger] DeliberationInput input, CancellationToken cancellationToken) =>
        _entry.DecideExecutionAsync(input, cancellationToken);

    [Function(ActivityNames.PlaceOrder)]
    public Task<OrderPlacement> PlaceOrderAsync([ActivityTrigger] OrderRequest input, CancellationToken cancellationToken) =>
        _entry.PlaceOrderAsync(input, cancellationToken);

    [Function(ActivityNames.RecordRun)]
    public Task<RunJournal> RecordRunAsync([ActivityTrigger] RunJournal input, CancellationToken cancellationToken) =>
        _entry.RecordRunAsync(input, cancellationToken);

    [Function(ActivityNames.LoadOpenPositions)]
    public Task<OpenPositions> LoadOpenPositionsAsync([ActivityTrigger] RunRequest input, CancellationToken cancellationToken) =>
        _manage.LoadOpenPositionsAsync(input, cancellationToken);

    [Function(ActivityNames.EvaluateExit)]
    public Task<ExitEvaluation> EvaluateExitAsync([ActivityTrigger] PositionInput input, CancellationToken cancellationToken) =>
        _manage.EvaluateExitAsync(input, cancellationToken);

    [Function(ActivityNames.ClosePosition)]
    public Task<CloseResult> ClosePositionAsync([ActivityTrigger] CloseRequest input, CancellationToken cancellationToken) =>
        _manage.ClosePositionAsync(input, cancellationToken);

    [Function(ActivityNames.RecordOutcome)]
    public Task<OutcomeResult> RecordOutcomeAsync([ActivityTrigger] PositionInput input, CancellationToken cancellationToken) =>
        _manage.RecordOutcomeAsync(input, cancellationToken);
}
