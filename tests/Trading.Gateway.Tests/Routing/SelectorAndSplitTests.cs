using Trading.Gateway.Routing;

namespace Trading.Gateway.Tests.Routing;

public sealed class SelectorAndSplitTests
{
    private static ModelSelector Selector(RoutingPolicy? policy = null) => new(ModelRegistry.Default, policy ?? new RoutingPolicy());

    private static readonly TrafficSplit KimiSplit = new("options_analysis",
        [new SplitVariant(ModelRegistry.KimiK2, 90), new SplitVariant(ModelRegistry.DeepSeekR1, 10)], ModelRegistry.DeepSeekV3);

    [Theory]
    [InlineData("text_parsing", ModelRegistry.DeepSeekV3)]
    [InlineData("market_research", ModelRegistry.MistralMedium3)]
    [InlineData("unheard_of", ModelRegistry.MistralMedium3)]
    [InlineData("options_analysis", ModelRegistry.KimiK2)]
    [InlineData("pre_trade_research", ModelRegistry.DeepSeekR1)]
    [InlineData("trade_execution", ModelRegistry.ClaudeOpus)]
    public void With_ample_budget_each_task_gets_its_model(string task, string model)
    {
        var s = Selector().Select(task, "k", 1000, 800, 100m);
        Assert.Equal(model, s.SelectedModel);
        Assert.Equal(model, s.RequestedModel);
    }

    [Fact]
    public void Critical_gets_opus_with_the_budget_exhausted_an_override_and_a_split()
    {
        var policy = new RoutingPolicy
        {
            ForcedModel = ModelRegistry.DeepSeekV3,
            OnExhausted = BudgetExhaustedAction.Refuse,
            Splits = new Dictionary<string, TrafficSplit>
            {
                ["trade_execution"] = new("trade_execution", [new SplitVariant(ModelRegistry.DeepSeekV3, 1)]),
            },
        };
        foreach (var task in TaskCatalog.CriticalTasks)
        {
            var s = Selector(policy).Select(task, "any-key", 50_000, 4000, headroomUsd: 0m);
            Assert.Equal(ModelRegistry.ClaudeOpus, s.SelectedModel);
            Assert.Equal(SelectionReason.Critical, s.Reason);
            Assert.Null(s.SplitVariant);
            Assert.Null(s.ShadowModel);
            Assert.All(s.FallbackModels, m => Assert.True(ModelRegistry.Default.Get(m).CriticalCapable));
        }
    }

    [Fact]
    public void Non_critical_downgrades_along_the_chain_as_headroom_shrinks()
    {
        var sel = Selector(new RoutingPolicy { ForcedModel = ModelRegistry.ClaudeOpus });
        decimal Est(string m) => sel.Estimate(m, 3000, 800);

        Assert.Equal(ModelRegistry.ClaudeOpus, sel.Select("market_research", "k", 3000, 800, Est(ModelRegistry.ClaudeOpus)).SelectedModel);
        var kimi = sel.Select("market_research", "k", 3000, 800, Est(ModelRegistry.ClaudeOpus) - 0.000001m);
        Assert.Equal(ModelRegistry.KimiK2, kimi.SelectedModel);
        Assert.Equal(SelectionReason.Downgraded, kimi.Reason);
        Assert.Equal([ModelRegistry.MistralMedium3, ModelRegistry.DeepSeekV3], kimi.FallbackModels);
        Assert.Equal(ModelRegistry.MistralMedium3, sel.Select("market_research", "k", 3000, 800, Est(ModelRegistry.KimiK2) - 0.000001m).SelectedModel);
        Assert.Equal(ModelRegistry.DeepSeekV3, sel.Select("market_research", "k", 3000, 800, Est(ModelRegistry.MistralMedium3) - 0.000001m).SelectedModel);
    }

    [Fact]
    public void When_nothing_fits_the_cheapest_is_used_or_the_call_refused_per_setting()
    {
        var cheap = Selector().Select("options_analysis", "k", 3000, 800, 0m);
        Assert.Equal(ModelRegistry.DeepSeekV3, cheap.SelectedModel);
        Assert.True(cheap.BudgetExhausted);

        var refuse = Selector(new RoutingPolicy { OnExhausted = BudgetExhaustedAction.Refuse }).Select("options_analysis", "k", 3000, 800, 0m);
        Assert.False(refuse.Admitted);
        Assert.Equal(SelectionReason.Refused, refuse.Reason);
    }

    [Fact]
    public void A_model_outside_the_chain_falls_to_cheaper_chain_members()
    {
        var sel = Selector();
        var s = sel.Select("pre_trade_research", "k", 3000, 800, 100m);
        Assert.Equal(ModelRegistry.DeepSeekR1, s.SelectedModel);
        Assert.DoesNotContain(ModelRegistry.ClaudeOpus, s.FallbackModels);
        Assert.All(s.FallbackModels, m => Assert.True(sel.Estimate(m, 3000, 800) < sel.Estimate(ModelRegistry.DeepSeekR1, 3000, 800)));
        Assert.Equal([ModelRegistry.KimiK2, ModelRegistry.MistralMedium3, ModelRegistry.DeepSeekV3], s.FallbackModels);
    }

    [Fact]
    public void Policy_naming_unknown_models_is_rejected_with_each_name()
    {
        var e = Assert.Throws<ArgumentException>(() => Selector(new RoutingPolicy { ForcedModel = "gpt-9", CriticalModel = ModelRegistry.KimiK2 }));
        Assert.Contains("ForcedModel names unknown model 'gpt-9'", e.Message, StringComparison.Ordinal);
        Assert.Contains("is not marked CriticalCapable", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Split_choice_is_deterministic_per_key_and_follows_the_weights()
    {
        var rng = new Random(7);
        var counts = new Dictionary<string, int>();
        for (var i = 0; i < 20_000; i++)
        {
            var key = $"run-{rng.Next()}-{i}";
            var first = KimiSplit.Choose(key).Model;
            Assert.Equal(first, KimiSplit.Choose(key).Model);
            counts[first] = counts.GetValueOrDefault(first) + 1;
        }

        var share = counts[ModelRegistry.DeepSeekR1] / 20_000.0;
        Assert.InRange(share, 0.085, 0.115);
    }

    [Fact]
    public void Split_hash_is_stable_across_processes()
    {
        // A fixed value: if the hash changed, replayed runs would route differently.
        Assert.Equal(3416199220828106459UL, TrafficSplit.StableHash("options_analysis\nrun-1"));
    }

    [Fact]
    public void Split_applies_to_its_task_and_names_the_shadow()
    {
        var policy = new RoutingPolicy { Splits = new Dictionary<string, TrafficSplit> { ["options_analysis"] = KimiSplit } };
        var s = Selector(policy).Select("options_analysis", "run-42", 1000, 500, 100m);
        Assert.Equal(SelectionReason.Split, s.Reason);
        Assert.Equal(s.SelectedModel, s.SplitVariant);
        Assert.Equal(ModelRegistry.DeepSeekV3, s.ShadowModel);
        Assert.Equal(SelectionReason.Default, Selector(policy).Select("market_research", "run-42", 1000, 500, 100m).Reason);
    }

    [Fact]
    public void Split_rejects_non_positive_weights()
    {
        var e = Assert.Throws<ArgumentException>(() => new TrafficSplit("x", [new SplitVariant("a", 0)]));
        Assert.Contains("weight 0", e.Message, StringComparison.Ordinal);
    }
}
