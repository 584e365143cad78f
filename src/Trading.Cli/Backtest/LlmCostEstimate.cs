using System.Text.Json;
using Trading.Gateway.Routing;
using Trading.Hosting.Engine;
using Trading.Pipeline.Activities;
using Trading.Pipeline.Council;
using Trading.Pipeline.Orchestration;
using Trading.Pipeline.State;

namespace Trading.Cli.Backtest;

/// <summary>One model call an entry run would make online, rendered from the run's recorded activity inputs.</summary>
public sealed record EstimatedCall(string TaskType, int PromptCharacters, int MaxOutputTokens, string BatsModel, decimal BatsCostUsd, decimal OpusOnlyCostUsd);

/// <summary>
/// The offline estimate of what an entry run's model calls would cost: the prompts the online pipeline would send are
/// rendered from the run's recorded activity inputs (the same <see cref="ModelPrompts"/> text), tokens estimated by the
/// stated <see cref="Rule"/>, the model chosen by BATS under the day's remaining budget, and the same tokens priced on
/// Claude Opus for the baseline.
/// </summary>
public sealed class LlmCostEstimate
{
    /// <summary>Characters per token in the estimate (the usual rule of thumb for English prose and JSON).</summary>
    public const int CharsPerToken = 4;

    /// <summary>The rule, printed with every estimated figure.</summary>
    public const string Rule =
        "estimated offline from the prompts the pipeline would send (rendered from each run's recorded stage inputs): "
        + "input tokens = prompt characters / 4, rounded up; output tokens = half the call's output cap; "
        + "BATS model chosen under the day's remaining budget; baseline = the same tokens on claude-opus";

    private readonly ModelSelector _selector;
    private readonly ModelPrice _opus;

    public LlmCostEstimate(ModelRegistry registry, RoutingPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(registry);
        _selector = new ModelSelector(registry, policy);
        _opus = registry.Get(ModelRegistry.ClaudeOpus).Price;
    }

    /// <summary>Estimated input tokens of a prompt.</summary>
    public static int InputTokens(int promptCharacters) => promptCharacters <= 0 ? 0 : (promptCharacters + CharsPerToken - 1) / CharsPerToken;

    /// <summary>Estimated output tokens of a call with this cap.</summary>
    public static int OutputTokens(int maxOutputTokens) => Math.Max(0, maxOutputTokens) / 2;

    /// <summary>The calls of one entry run, from its activity log, with BATS chosen under <paramref name="headroomUsd"/> (spent as it goes).</summary>
    public IReadOnlyList<EstimatedCall> Estimate(IReadOnlyList<RecordedActivity> log, decimal headroomUsd)
    {
        ArgumentNullException.ThrowIfNull(log);
        var calls = new List<EstimatedCall>();
        foreach (var activity in log)
        {
            switch (activity.Name)
            {
                case ActivityNames.AnalyzeMarket:
                    var snapshot = Read<SnapshotInput>(activity);
                    Add("technical_analysis", ModelPrompts.AnalysisSystem.Length + ModelPrompts.SnapshotFacts(snapshot.Snapshot).Length, 400);
                    break;
                case ActivityNames.CastVote:
                    var vote = Read<VoteInput>(activity);
                    var member = vote.Seat.Member;
                    Add(member, ModelPrompts.VoteSystem(member).Length + ModelPrompts.Facts(vote.Deliberation, includeCouncil: false).Length, 600);
                    break;
                case ActivityNames.DecideExecution:
                    var decision = Read<DeliberationInput>(activity);
                    if (decision.Strategy.Proposal is not null && decision.Council is { Approved: true })
                    {
                        Add("trade_execution", ModelPrompts.DecisionSystem(decision.Strategy.Proposal, new ExecutionOptions()).Length + ModelPrompts.Facts(decision, includeCouncil: true).Length, 400);
                    }

                    break;
            }
        }

        return calls;

        void Add(string task, int promptCharacters, int cap)
        {
            var selection = _selector.Select(task, task, promptCharacters, cap, Math.Max(0m, headroomUsd));
            var model = selection.SelectedModel ?? ModelRegistry.DeepSeekV3;
            var usage = new TokenUsage(InputTokens(promptCharacters), 0, OutputTokens(Math.Max(cap, _selector.Registry.Get(model).MinOutputTokens)), 0);
            var cost = ModelCost.Of(_selector.Registry.Get(model).Price, usage);
            headroomUsd -= cost;
            calls.Add(new EstimatedCall(task, promptCharacters, cap, model, cost, ModelCost.Of(_opus, usage)));
        }
    }

    private static T Read<T>(RecordedActivity activity)
        where T : class =>
        JsonSerializer.Deserialize<T>(activity.InputJson, StateJson.Options)
        ?? throw new InvalidOperationException($"Recorded {activity.Name} has no input.");
}
