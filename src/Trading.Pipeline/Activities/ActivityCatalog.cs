using System.Text.Json;
using Trading.Pipeline.Journal;
using Trading.Pipeline.Orchestration;
using Trading.Pipeline.State;

namespace Trading.Pipeline.Activities;

/// <summary>
/// Activities by name, with JSON in and out exactly as Durable Task passes them, so every host exercises the same
/// serialization as the Functions app.
/// </summary>
public sealed class ActivityCatalog
{
    private readonly Dictionary<string, Func<string, CancellationToken, Task<string>>> _activities = new(StringComparer.Ordinal);

    public ActivityCatalog(EntryActivities entry, ManageActivities manage)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(manage);
        Add<RunRequest, MarketSnapshot>(ActivityNames.MarketSnapshot, entry.MarketSnapshotAsync);
        Add<SnapshotInput, MarketAnalysis>(ActivityNames.AnalyzeMarket, entry.AnalyzeMarketAsync);
        Add<SnapshotInput, StrategySelection>(ActivityNames.SelectStrategy, entry.SelectStrategyAsync);
        Add<ProposalInput, MemoryRecall>(ActivityNames.RecallTradeMemory, entry.RecallTradeMemoryAsync);
        Add<ProposalInput, LessonsRecall>(ActivityNames.RetrieveLessons, entry.RetrieveLessonsAsync);
        Add<ProposalInput, RiskAssessment>(ActivityNames.AssessRisk, entry.AssessRiskAsync);
        Add<DeliberationInput, CouncilVerdict>(ActivityNames.ConveneCouncil, entry.ConveneCouncilAsync);
        Add<DeliberationInput, ExecutionDecision>(ActivityNames.DecideExecution, entry.DecideExecutionAsync);
        Add<OrderRequest, OrderPlacement>(ActivityNames.PlaceOrder, entry.PlaceOrderAsync);
        Add<RunJournal, RunJournal>(ActivityNames.RecordRun, entry.RecordRunAsync);
        Add<RunRequest, OpenPositions>(ActivityNames.LoadOpenPositions, manage.LoadOpenPositionsAsync);
        Add<PositionInput, ExitEvaluation>(ActivityNames.EvaluateExit, manage.EvaluateExitAsync);
        Add<CloseRequest, CloseResult>(ActivityNames.ClosePosition, manage.ClosePositionAsync);
        Add<PositionInput, OutcomeResult>(ActivityNames.RecordOutcome, manage.RecordOutcomeAsync);
    }

    /// <summary>The registered names.</summary>
    public IReadOnlyCollection<string> Names => _activities.Keys;

    /// <summary>Runs an activity on a JSON input and returns its JSON output.</summary>
    public Task<string> InvokeAsync(string name, string inputJson, CancellationToken cancellationToken) =>
        _activities.TryGetValue(name, out var activity)
            ? activity(inputJson, cancellationToken)
            : throw new InvalidOperationException($"Unknown activity '{name}'.");

    private void Add<TIn, TOut>(string name, Func<TIn, CancellationToken, Task<TOut>> activity) =>
        _activities[name] = async (json, ct) =>
        {
            var input = JsonSerializer.Deserialize<TIn>(json, StateJson.Options)
                ?? throw new InvalidOperationException($"Activity {name} received no input.");
            var output = await activity(input, ct);
            return JsonSerializer.Serialize(output, StateJson.Options);
        };
}
