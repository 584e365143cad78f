using Microsoft.Azure.Functions.Worker;
using Trading.Pipeline.Activities;
using Trading.Pipeline.Journal;
using Trading.Pipeline.Orchestration;

namespace TradingFunctions;

/// <summary>One function per activity, each calling the shared activity implementation.</summary>
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
    public Task<MarketSnapshot> MarketSnapshotAsync([ActivityTrigger] RunRequest input, FunctionContext context) =>
        _entry.MarketSnapshotAsync(input, context.CancellationToken);

    [Function(ActivityNames.AnalyzeMarket)]
    public Task<MarketAnalysis> AnalyzeMarketAsync([ActivityTrigger] SnapshotInput input, FunctionContext context) =>
        _entry.AnalyzeMarketAsync(input, context.CancellationToken);

    [Function(ActivityNames.SelectStrategy)]
    public Task<StrategySelection> SelectStrategyAsync([ActivityTrigger] SnapshotInput input, FunctionContext context) =>
        _entry.SelectStrategyAsync(input, context.CancellationToken);

    [Function(ActivityNames.RecallTradeMemory)]
    public Task<MemoryRecall> RecallTradeMemoryAsync([ActivityTrigger] ProposalInput input, FunctionContext context) =>
        _entry.RecallTradeMemoryAsync(input, context.CancellationToken);

    [Function(ActivityNames.RetrieveLessons)]
    public Task<LessonsRecall> RetrieveLessonsAsync([ActivityTrigger] ProposalInput input, FunctionContext context) =>
        _entry.RetrieveLessonsAsync(input, context.CancellationToken);

    [Function(ActivityNames.AssessRisk)]
    public Task<RiskAssessment> AssessRiskAsync([ActivityTrigger] ProposalInput input, FunctionContext context) =>
        _entry.AssessRiskAsync(input, context.CancellationToken);

    [Function(ActivityNames.ConveneCouncil)]
    public Task<CouncilVerdict> ConveneCouncilAsync([ActivityTrigger] DeliberationInput input, FunctionContext context) =>
        _entry.ConveneCouncilAsync(input, context.CancellationToken);

    [Function(ActivityNames.DecideExecution)]
    public Task<ExecutionDecision> DecideExecutionAsync([ActivityTrigger] DeliberationInput input, FunctionContext context) =>
        _entry.DecideExecutionAsync(input, context.CancellationToken);

    [Function(ActivityNames.PlaceOrder)]
    public Task<OrderPlacement> PlaceOrderAsync([ActivityTrigger] OrderRequest input, FunctionContext context) =>
        _entry.PlaceOrderAsync(input, context.CancellationToken);

    [Function(ActivityNames.RecordRun)]
    public Task<RunJournal> RecordRunAsync([ActivityTrigger] RunJournal input, FunctionContext context) =>
        _entry.RecordRunAsync(input, context.CancellationToken);

    [Function(ActivityNames.LoadOpenPositions)]
    public Task<OpenPositions> LoadOpenPositionsAsync([ActivityTrigger] RunRequest input, FunctionContext context) =>
        _manage.LoadOpenPositionsAsync(input, context.CancellationToken);

    [Function(ActivityNames.EvaluateExit)]
    public Task<ExitEvaluation> EvaluateExitAsync([ActivityTrigger] PositionInput input, FunctionContext context) =>
        _manage.EvaluateExitAsync(input, context.CancellationToken);

    [Function(ActivityNames.ClosePosition)]
    public Task<CloseResult> ClosePositionAsync([ActivityTrigger] CloseRequest input, FunctionContext context) =>
        _manage.ClosePositionAsync(input, context.CancellationToken);

    [Function(ActivityNames.RecordOutcome)]
    public Task<OutcomeResult> RecordOutcomeAsync([ActivityTrigger] PositionInput input, FunctionContext context) =>
        _manage.RecordOutcomeAsync(input, context.CancellationToken);
}
