using System.Globalization;
using System.Text.Json.Nodes;
using Trading.Core.ModelCalls;
using Trading.Pipeline.Council;
using Trading.Pipeline.Orchestration;

namespace Trading.Pipeline.Activities.Entry;

/// <summary>DecideExecution: the CRITICAL "trade_execution" call (or the offline rules), with its limit price validated and the size re-checked at that price.</summary>
public sealed class DecideExecutionActivity : PipelineActivity<DeliberationInput, ExecutionDecision>
{
    private readonly IModelGateway _gateway;
    private readonly ExecutionOptions _execution;

    public DecideExecutionActivity(IModelGateway gateway, ExecutionOptions execution)
        : base(ActivityNames.DecideExecution)
    {
        _gateway = gateway ?? throw new ArgumentNullException(nameof(gateway));
        _execution = execution ?? throw new ArgumentNullException(nameof(execution));
    }

    public override async Task<ExecutionDecision> RunAsync(DeliberationInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var proposal = input.Strategy.Proposal;
        if (proposal is null || input.Council is not { Approved: true })
        {
            return new ExecutionDecision { DecidedBy = "-", Valid = true, Execute = false, Reason = "no approved proposal" };
        }

        if (!_gateway.IsOnline)
        {
            return SizedAtLimit(OfflineRules.Decide(input, _execution), input);
        }

        var call = new ModelCall("trade_execution", input.Run.RunId, ModelPrompts.DecisionSystem(proposal, _execution), ModelPrompts.Facts(input, includeCouncil: true),
            ModelPrompts.DecisionSchemaName, ModelPrompts.DecisionSchema, input.Run.RunId + ":trade_execution", 400);
        var answer = await _gateway.CompleteJsonAsync<JsonObject>(call, cancellationToken);
        var model = answer.ServedModel ?? answer.RequestedModel;
        var decision = answer.Succeeded
            ? ModelAnswers.ReadDecision(model, answer.Value, proposal, _execution)
            : new ExecutionDecision { DecidedBy = model, Valid = false, Execute = false, Reason = $"final decision failed: {answer.FailureReason}" };
        return SizedAtLimit(decision, input) with { Usage = [ModelAnswers.UsageOf("trade_execution", answer)] };
    }

    /// <summary>
    /// The risk re-check at the price actually to be sent: the approved contracts that fit the risk manager's max-loss budget when
    /// filled at the decision's limit. A decision no contract fits becomes a decline; no model output can widen the budget.
    /// </summary>
    public static ExecutionDecision SizedAtLimit(ExecutionDecision decision, DeliberationInput input)
    {
        ArgumentNullException.ThrowIfNull(decision);
        ArgumentNullException.ThrowIfNull(input);
        if (!decision.Execute || input.Strategy.Proposal is not { } proposal)
        {
            return decision;
        }

        var contracts = Trading.Core.Risk.RiskManager.ContractsWithinBudget(input.Risk.Contracts, input.Risk.MaxLossBudgetDollars, proposal.WingWidthDollars, decision.LimitCredit);
        var lossAtLimit = (proposal.WingWidthDollars - decision.LimitCredit) * 100m;
        return contracts < 1
            ? decision with
            {
                Execute = false,
                Contracts = 0,
                Reason = string.Create(CultureInfo.InvariantCulture,
                    $"risk re-check at the limit: one contract filled at {decision.LimitCredit:0.00} risks ${lossAtLimit:0}, more than the approved max loss ${input.Risk.MaxLossBudgetDollars:0}; {decision.Reason}"),
            }
            : decision with
            {
                Contracts = contracts,
                Reason = contracts < input.Risk.Contracts
                    ? string.Create(CultureInfo.InvariantCulture, $"{decision.Reason} (size cut from {input.Risk.Contracts} to {contracts} contract(s) at the {decision.LimitCredit:0.00} limit to stay within ${input.Risk.MaxLossBudgetDollars:0} of max loss)")
                    : decision.Reason,
            };
    }
}
