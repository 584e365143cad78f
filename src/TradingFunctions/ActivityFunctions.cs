using Microsoft.Azure.Functions.Worker;
using Trading.Pipeline.Activities;
using Trading.Pipeline.Journal;
using Trading.Pipeline.Orchestration;

namespace TradingFunctions;

/// <summary>One function per activity, each calling the shared activity through <see cref="ActivityCatalog"/> (which traces
/// it). Payloads cross the engine as JSON with <see cref="TradingFunctionsApp.PayloadJsonOptions"/>.</summary>
public sealed class ActivityFunctions
{
    private readonly ActivityCatalog _activities;

    public ActivityFunctions(ActivityCatalog activities) => _activities = activities;

    [Function(ActivityNames.MarketSnapshot)]
    public Task<MarketSnapshot> MarketSnapshotAsync([ActivityTrigger] RunRequest input, CancellationToken cancellationToken) =>
        _activities.RunAsync<RunRequest, MarketSnapshot>(ActivityNames.MarketSnapshot, input, cancellationToken);

    [Function(ActivityNames.AnalyzeMarket)]
    public Task<MarketAnalysis> AnalyzeMarketAsync([ActivityTrigger] SnapshotInput input, CancellationToken cancellationToken) =>
        _activities.RunAsync<SnapshotInput, MarketAnalysis>(ActivityNames.AnalyzeMarket, input, cancellationToken);

    [Function(ActivityNames.SelectStrategy)]
    public Task<StrategySelection> SelectStrategyAsync([ActivityTrigger] SnapshotInput input, CancellationToken cancellationToken) =>
        _activities.RunAsync<SnapshotInput, StrategySelection>(ActivityNames.SelectStrategy, input, cancellationToken);

    [Function(ActivityNames.RecallTradeMemory)]
    public Task<MemoryRecall> RecallTradeMemoryAsync([ActivityTrigger] ProposalInput input, CancellationToken cancellationToken) =>
        _activities.RunAsync<ProposalInput, MemoryRecall>(ActivityNames.RecallTradeMemory, input, cancellationToken);

    [Function(ActivityNames.RetrieveLessons)]
    public Task<LessonsRecall> RetrieveLessonsAsync([ActivityTrigger] ProposalInput input, CancellationToken cancellationToken) =>
        _activities.RunAsync<ProposalInput, LessonsRecall>(ActivityNames.RetrieveLessons, input, cancellationToken);

    [Function(ActivityNames.AssessRisk)]
    public Task<RiskAssessment> AssessRiskAsync([ActivityTrigger] ProposalInput input, CancellationToken cancellationToken) =>
        _activities.RunAsync<ProposalInput, RiskAssessment>(ActivityNames.AssessRisk, input, cancellationToken);

    [Function(ActivityNames.ConveneCouncil)]
    public Task<CouncilVerdict> ConveneCouncilAsync([ActivityTrigger] DeliberationInput input, CancellationToken cancellationToken) =>
        _activities.RunAsync<DeliberationInput, CouncilVerdict>(ActivityNames.ConveneCouncil, input, cancellationToken);

    [Function(ActivityNames.DecideExecution)]
    public Task<ExecutionDecision> DecideExecutionAsync([ActivityTrigger] DeliberationInput input, CancellationToken cancellationToken) =>
        _activities.RunAsync<DeliberationInput, ExecutionDecision>(ActivityNames.DecideExecution, input, cancellationToken);

    [Function(ActivityNames.PlaceOrder)]
    public Task<OrderPlacement> PlaceOrderAsync([ActivityTrigger] OrderRequest input, CancellationToken cancellationToken) =>
        _activities.RunAsync<OrderRequest, OrderPlacement>(ActivityNames.PlaceOrder, input, cancellationToken);

    [Function(ActivityNames.RecordRun)]
    public Task<RunJournal> RecordRunAsync([ActivityTrigger] RunJournal input, CancellationToken cancellationToken) =>
        _activities.RunAsync<RunJournal, RunJournal>(ActivityNames.RecordRun, input, cancellationToken);

    [Function(ActivityNames.LoadOpenPositions)]
    public Task<OpenPositions> LoadOpenPositionsAsync([ActivityTrigger] RunRequest input, CancellationToken cancellationToken) =>
        _activities.RunAsync<RunRequest, OpenPositions>(ActivityNames.LoadOpenPositions, input, cancellationToken);

    [Function(ActivityNames.EvaluateExit)]
    public Task<ExitEvaluation> EvaluateExitAsync([ActivityTrigger] PositionInput input, CancellationToken cancellationToken) =>
        _activities.RunAsync<PositionInput, ExitEvaluation>(ActivityNames.EvaluateExit, input, cancellationToken);

    [Function(ActivityNames.ClosePosition)]
    public Task<CloseResult> ClosePositionAsync([ActivityTrigger] CloseRequest input, CancellationToken cancellationToken) =>
        _activities.RunAsync<CloseRequest, CloseResult>(ActivityNames.ClosePosition, input, cancellationToken);

    [Function(ActivityNames.RecordOutcome)]
    public Task<OutcomeResult> RecordOutcomeAsync([ActivityTrigger] PositionInput input, CancellationToken cancellationToken) =>
        _activities.RunAsync<PositionInput, OutcomeResult>(ActivityNames.RecordOutcome, input, cancellationToken);
}
