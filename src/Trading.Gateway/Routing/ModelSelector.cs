namespace Trading.Gateway.Routing;

/// <summary>What to do when no model on the downgrade chain fits the remaining budget.</summary>
public enum BudgetExhaustedAction
{
    /// <summary>Use the cheapest model on the chain, recorded as budget-exhausted.</summary>
    CheapestModel,

    /// <summary>Refuse the call.</summary>
    Refuse,
}

/// <summary>Why a model was chosen.</summary>
public enum SelectionReason
{
    /// <summary>The task's default model fit the budget.</summary>
    Default,

    /// <summary>CRITICAL: the critical model, before any budget check, override or split.</summary>
    Critical,

    /// <summary>A forced-model override.</summary>
    Forced,

    /// <summary>A traffic-split variant.</summary>
    Split,

    /// <summary>The requested model did not fit the budget; a cheaper one on the chain did.</summary>
    Downgraded,

    /// <summary>Nothing fit; the cheapest model was used anyway.</summary>
    BudgetExhausted,

    /// <summary>Nothing fit and the policy refuses.</summary>
    Refused,
}

/// <summary>Routing policy: which model serves which complexity, the downgrade chain and optional overrides.</summary>
public sealed record RoutingPolicy
{
    /// <summary>The model every CRITICAL task uses.</summary>
    public string CriticalModel { get; init; } = ModelRegistry.ClaudeOpus;

    /// <summary>Default model of SIMPLE tasks.</summary>
    public string SimpleModel { get; init; } = ModelRegistry.DeepSeekV3;

    /// <summary>Default model of MEDIUM (and unknown) tasks.</summary>
    public string MediumModel { get; init; } = ModelRegistry.MistralMedium3;

    /// <summary>Default model of COMPLEX tasks.</summary>
    public string ComplexModel { get; init; } = ModelRegistry.KimiK2;

    /// <summary>
    /// Per-task models that differ from their complexity's default. The three council seats go to three different models
    /// (pre-trade research → DeepSeek-R1, options analysis → Kimi K2, risk assessment → Mistral Medium 3): a council is worth
    /// its cost only if its members can disagree.
    /// </summary>
    public IReadOnlyDictionary<string, string> TaskModels { get; init; } =
        new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["pre_trade_research"] = ModelRegistry.DeepSeekR1,
            ["risk_assessment"] = ModelRegistry.MistralMedium3,
        };

    /// <summary>Most to least expensive: Opus → Kimi K2 → Mistral → DeepSeek.</summary>
    public IReadOnlyList<string> DowngradeChain { get; init; } =
        [ModelRegistry.ClaudeOpus, ModelRegistry.KimiK2, ModelRegistry.MistralMedium3, ModelRegistry.DeepSeekV3];

    /// <summary>When set, every non-critical task requests this model (still subject to the budget).</summary>
    public string? ForcedModel { get; init; }

    /// <summary>Traffic splits by normalized task type.</summary>
    public IReadOnlyDictionary<string, TrafficSplit> Splits { get; init; } = new Dictionary<string, TrafficSplit>(StringComparer.Ordinal);

    /// <summary>What happens when nothing fits.</summary>
    public BudgetExhaustedAction OnExhausted { get; init; } = BudgetExhaustedAction.CheapestModel;

    /// <summary>Model names the policy refers to that <paramref name="registry"/> lacks (empty when consistent).</summary>
    public IReadOnlyList<string> Problems(ModelRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var problems = new List<string>();
        void Need(string setting, string? model)
        {
            if (model is not null && !registry.Contains(model))
                problems.Add($"{setting} names unknown model '{model}'");
        }

        Need(nameof(CriticalModel), CriticalModel);
        if (registry.Contains(CriticalModel) && !registry.Get(CriticalModel).CriticalCapable)
            problems.Add($"{nameof(CriticalModel)} '{CriticalModel}' is not marked CriticalCapable");
        Need(nameof(SimpleModel), SimpleModel);
        Need(nameof(MediumModel), MediumModel);
        Need(nameof(ComplexModel), ComplexModel);
        Need(nameof(ForcedModel), ForcedModel);
        foreach (var (task, model) in TaskModels)
            Need($"{nameof(TaskModels)}[{task}]", model);
        foreach (var model in DowngradeChain)
            Need(nameof(DowngradeChain), model);
        foreach (var split in Splits.Values)
        {
            foreach (var v in split.Variants)
                Need($"Splits[{split.TaskType}]", v.Model);
            Need($"Splits[{split.TaskType}].Shadow", split.ShadowModel);
        }

        return problems;
    }
}

/// <summary>The outcome of BATS selection for one call.</summary>
/// <param name="TaskType">Normalized task type.</param>
/// <param name="Complexity">Its complexity.</param>
/// <param name="RequestedModel">The model the policy asked for before budget downgrades.</param>
/// <param name="SelectedModel">The model to call first, or null when refused.</param>
/// <param name="Reason">Why.</param>
/// <param name="EstimatedCostUsd">Estimated cost on <paramref name="SelectedModel"/> (0 when refused).</param>
/// <param name="FallbackModels">Models to try, in order, after <paramref name="SelectedModel"/> fails (budget re-checked for each).</param>
/// <param name="SplitVariant">The split variant's model when a split applied.</param>
/// <param name="ShadowModel">Shadow model to call alongside, or null.</param>
public sealed record ModelSelection(
    string TaskType,
    TaskComplexity Complexity,
    string RequestedModel,
    string? SelectedModel,
    SelectionReason Reason,
    decimal EstimatedCostUsd,
    IReadOnlyList<string> FallbackModels,
    string? SplitVariant,
    string? ShadowModel)
{
    /// <summary>True when the call may proceed.</summary>
    public bool Admitted => SelectedModel is not null;

    /// <summary>True when the chosen model did not fit the budget but was used anyway.</summary>
    public bool BudgetExhausted => Reason == SelectionReason.BudgetExhausted;
}

/// <summary>BATS: budget-aware model selection. Pure and allocation-light; the budget figure comes from the ledger.</summary>
public sealed class ModelSelector
{
    private readonly ModelRegistry _registry;
    private readonly RoutingPolicy _policy;

    /// <summary>Creates a selector; throws naming each policy problem against the registry.</summary>
    public ModelSelector(ModelRegistry registry, RoutingPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(policy);
        var problems = policy.Problems(registry);
        if (problems.Count > 0)
            throw new ArgumentException("Invalid routing policy: " + string.Join("; ", problems), nameof(policy));
        _registry = registry;
        _policy = policy;
    }

    /// <summary>The registry in use.</summary>
    public ModelRegistry Registry => _registry;

    /// <summary>The policy in use.</summary>
    public RoutingPolicy Policy => _policy;

    /// <summary>
    /// Chooses the model for one call. CRITICAL returns the critical model first, before the budget, override or split are
    /// even looked at. Otherwise: forced model, else split variant, else the task's model; then down the chain until the
    /// estimate fits <paramref name="headroomUsd"/>.
    /// </summary>
    /// <param name="taskType">BATS task type.</param>
    /// <param name="requestKey">Deterministic key for traffic splits.</param>
    /// <param name="promptCharacters">Prompt size, for the estimate.</param>
    /// <param name="maxOutputTokens">Output cap, for the estimate.</param>
    /// <param name="headroomUsd">What the budget still admits (smaller of day and month).</param>
    public ModelSelection Select(string taskType, string requestKey, int promptCharacters, int maxOutputTokens, decimal headroomUsd)
    {
        var task = TaskCatalog.Normalize(taskType ?? string.Empty);
        var complexity = TaskCatalog.ComplexityOf(task);

        if (complexity == TaskComplexity.Critical)
        {
            var critical = _policy.CriticalModel;
            return new ModelSelection(task, complexity, critical, critical, SelectionReason.Critical,
                Estimate(critical, promptCharacters, maxOutputTokens), CriticalFallbacks(critical), null, null);
        }

        string requested;
        var reason = SelectionReason.Default;
        string? variant = null;
        string? shadow = null;
        if (_policy.ForcedModel is { } forced)
        {
            requested = forced;
            reason = SelectionReason.Forced;
        }
        else if (_policy.Splits.TryGetValue(task, out var split))
        {
            requested = variant = split.Choose(requestKey ?? string.Empty).Model;
            shadow = split.ShadowModel;
            reason = SelectionReason.Split;
        }
        else
        {
            requested = DefaultModel(task, complexity);
        }

        var candidates = DowngradeCandidates(requested, promptCharacters, maxOutputTokens);
        for (var i = 0; i < candidates.Count; i++)
        {
            var estimate = Estimate(candidates[i], promptCharacters, maxOutputTokens);
            if (estimate <= headroomUsd)
            {
                return new ModelSelection(task, complexity, requested, candidates[i], i == 0 ? reason : SelectionReason.Downgraded,
                    estimate, Rest(candidates, i), variant, shadow);
            }
        }

        if (_policy.OnExhausted == BudgetExhaustedAction.Refuse)
            return new ModelSelection(task, complexity, requested, null, SelectionReason.Refused, 0m, [], variant, shadow);

        var cheapest = candidates.MinBy(m => Estimate(m, promptCharacters, maxOutputTokens))!;
        return new ModelSelection(task, complexity, requested, cheapest, SelectionReason.BudgetExhausted,
            Estimate(cheapest, promptCharacters, maxOutputTokens), [], variant, shadow);
    }

    /// <summary>The task's model without overrides, splits or budget.</summary>
    public string DefaultModel(string taskType, TaskComplexity complexity) =>
        _policy.TaskModels.TryGetValue(taskType, out var m) ? m : complexity switch
        {
            TaskComplexity.Simple => _policy.SimpleModel,
            TaskComplexity.Complex => _policy.ComplexModel,
            TaskComplexity.Critical => _policy.CriticalModel,
            _ => _policy.MediumModel,
        };

    /// <summary>Estimated cost of a call on <paramref name="model"/>.</summary>
    public decimal Estimate(string model, int promptCharacters, int maxOutputTokens) =>
        ModelCost.Estimate(_registry.Get(model).Price, promptCharacters, maxOutputTokens);

    /// <summary>
    /// The requested model followed by the downgrade chain below it. A model outside the chain is followed by the chain
    /// members that are cheaper for this call, in chain order.
    /// </summary>
    public IReadOnlyList<string> DowngradeCandidates(string requested, int promptCharacters, int maxOutputTokens)
    {
        var chain = _policy.DowngradeChain;
        var list = new List<string>(chain.Count + 1) { requested };
        var at = IndexOf(chain, requested);
        if (at >= 0)
        {
            for (var i = at + 1; i < chain.Count; i++)
                list.Add(chain[i]);
        }
        else
        {
            var cost = Estimate(requested, promptCharacters, maxOutputTokens);
            foreach (var m in chain)
            {
                if (Estimate(m, promptCharacters, maxOutputTokens) < cost)
                    list.Add(m);
            }
        }

        return list;
    }

    /// <summary>Critical-capable models other than <paramref name="critical"/>, in registry order: a CRITICAL call never falls to a cheap model.</summary>
    public IReadOnlyList<string> CriticalFallbacks(string critical) =>
        [.. _registry.Models.Where(m => m.CriticalCapable && !m.IsEmbedding && !string.Equals(m.LogicalName, critical, StringComparison.OrdinalIgnoreCase)).Select(m => m.LogicalName)];

    private static int IndexOf(IReadOnlyList<string> chain, string model)
    {
        for (var i = 0; i < chain.Count; i++)
        {
            if (string.Equals(chain[i], model, StringComparison.OrdinalIgnoreCase))
                return i;
        }

        return -1;
    }

    private static string[] Rest(IReadOnlyList<string> candidates, int index)
    {
        var rest = new string[candidates.Count - index - 1];
        for (var i = 0; i < rest.Length; i++)
            rest[i] = candidates[index + 1 + i];
        return rest;
    }
}
