using Trading.Gateway.Routing;

namespace Trading.Gateway.Tests.Routing;

public sealed class TaskCatalogAndCostTests
{
    [Theory]
    [InlineData("sentiment_classification", TaskComplexity.Simple)]
    [InlineData("notification", TaskComplexity.Simple)]
    [InlineData("technical_analysis", TaskComplexity.Medium)]
    [InlineData("news_analysis", TaskComplexity.Medium)]
    [InlineData("options_analysis", TaskComplexity.Complex)]
    [InlineData("pre_trade_research", TaskComplexity.Complex)]
    [InlineData("trade_execution", TaskComplexity.Critical)]
    [InlineData("Approval Decision", TaskComplexity.Critical)]
    [InlineData("stop-loss-calculation", TaskComplexity.Critical)]
    [InlineData("something_new", TaskComplexity.Medium)]
    [InlineData("", TaskComplexity.Medium)]
    public void Task_types_map_to_their_complexity_and_unknown_is_medium(string task, TaskComplexity expected) =>
        Assert.Equal(expected, TaskCatalog.ComplexityOf(task));

    [Fact]
    public void Cost_counts_uncached_cached_and_output_tokens_exactly()
    {
        var price = new ModelPrice(0.60m, 0.15m, 2.50m, new DateOnly(2026, 1, 1));

        // 1,000 prompt tokens of which 400 cached, 300 output of which 120 reasoning.
        var cost = ModelCost.Of(price, new TokenUsage(1000, 400, 300, 120));

        // 600 × 0.60 + 400 × 0.15 + 300 × 2.50 = 360 + 60 + 750 = 1170 per million → 0.00117
        Assert.Equal(0.00117m, cost);
    }

    [Fact]
    public void Reasoning_tokens_reported_beyond_output_are_still_billed()
    {
        var price = new ModelPrice(1m, 1m, 10m, new DateOnly(2026, 1, 1));
        Assert.Equal(0.00005m, ModelCost.Of(price, new TokenUsage(0, 0, 2, 5)));
    }

    [Fact]
    public void Cost_is_exact_decimal_over_many_random_usages()
    {
        var rng = new Random(42);
        var price = new ModelPrice(0.28m, 0.028m, 0.42m, new DateOnly(2026, 1, 1));
        for (var i = 0; i < 2000; i++)
        {
            var input = rng.Next(0, 200_000);
            var cached = rng.Next(0, input + 1);
            var output = rng.Next(0, 50_000);
            var cost = ModelCost.Of(price, new TokenUsage(input, cached, output, 0));

            // Multiplying back by a million recovers the integer-micro-dollar arithmetic exactly.
            var micro = ((input - cached) * 280m) + (cached * 28m) + (output * 420m);
            Assert.Equal(micro / 1_000_000_000m, cost);
        }
    }

    [Fact]
    public void Negative_tokens_are_rejected()
    {
        var price = new ModelPrice(1m, 1m, 1m, new DateOnly(2026, 1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => ModelCost.Of(price, new TokenUsage(-1, 0, 0, 0)));
    }

    [Fact]
    public void Estimate_rounds_input_up_and_uses_the_full_output_cap()
    {
        var price = new ModelPrice(3m, 0.3m, 15m, new DateOnly(2026, 1, 1));
        Assert.Equal(4, ModelCost.EstimateInputTokens(10));
        Assert.Equal(((4 * 3m) + (800 * 15m)) / 1_000_000m, ModelCost.Estimate(price, 10, 800));
    }

    [Fact]
    public void Registry_rejects_duplicates_and_bad_prices_naming_them()
    {
        var p = new ModelPrice(1m, 2m, 1m, new DateOnly(2026, 1, 1));
        var e = Assert.Throws<ArgumentException>(() => new ModelRegistry(
        [
            new ModelDescriptor("a", "x/a", "x", 1000, false, p),
            new ModelDescriptor("a", "x/a", "x", 0, false, p with { CachedInputPerMillionUsd = 0.5m }),
        ]));
        Assert.Contains("'a' is listed twice", e.Message, StringComparison.Ordinal);
        Assert.Contains("CachedInputPerMillionUsd must not exceed", e.Message, StringComparison.Ordinal);
        Assert.Contains("ContextWindowTokens must be positive", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Default_registry_has_the_six_models_and_only_opus_is_critical_capable()
    {
        var r = ModelRegistry.Default;
        Assert.Equal(6, r.Models.Count);
        Assert.Equal([ModelRegistry.ClaudeOpus], r.Models.Where(m => m.CriticalCapable).Select(m => m.LogicalName));
        Assert.True(r.Get(ModelRegistry.TextEmbedding3Small).IsEmbedding);
        Assert.Equal(5.00m, r.Get("CLAUDE-OPUS").Price.InputPerMillionUsd);
    }
}
