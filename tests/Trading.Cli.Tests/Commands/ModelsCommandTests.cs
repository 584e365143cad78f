using Trading.Cli.Tests.Support;
using Trading.Gateway.Routing;
using Trading.TestKit.OpenAi;

namespace Trading.Cli.Tests.Commands;

/// <summary><c>trading models</c> and the start-up check, against the loopback OpenAI server's <c>GET /v1/models</c>.</summary>
public sealed class ModelsCommandTests
{
    private static readonly string OpusId = ModelRegistry.Default.Get(ModelRegistry.ClaudeOpus).GatewayModelId;
    private static readonly string MistralId = ModelRegistry.Default.Get(ModelRegistry.MistralMedium3).GatewayModelId;

    [Fact]
    public async Task A_missing_model_is_reported_with_the_closest_ids_and_the_setting_that_overrides_it()
    {
        await using var gateway = await OpenAiLoopbackServer.StartAsync();
        gateway.ServedModels = [.. gateway.ServedModels.Where(id => id != MistralId), "mistral/mistral-medium-2508", "mistral/mistral-large-2411"];

        var result = await Runner(gateway).InvokeAsync(["models"]);

        Assert.True(result.ExitCode == 0, result.ToString()); // only a non-critical model is missing
        Assert.Contains("MISSING", result.Output, StringComparison.Ordinal);
        Assert.Matches(@"claude-opus\s+\S+\s+available\s+\(critical", result.Output);
        Assert.Contains($"model 'mistral-medium-3' asks for '{MistralId}'", result.Error, StringComparison.Ordinal);
        Assert.Contains("closest: mistral/mistral-medium-2508", result.Error, StringComparison.Ordinal);
        Assert.Contains("Models__mistral-medium-3__GatewayModelId", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("test-key-not-secret", result.Output + result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_critical_model_fails_the_check_and_stops_a_run_before_it_starts()
    {
        await using var gateway = await OpenAiLoopbackServer.StartAsync();
        gateway.ServedModels = [.. gateway.ServedModels.Where(id => id != OpusId), "anthropic/claude-opus-4-1"];
        var runner = Runner(gateway);

        var models = await runner.InvokeAsync(["models"]);
        var run = await runner.InvokeAsync(["run", "--dry-run"]);

        Assert.True(models.ExitCode == 1, models.ToString());
        Assert.Contains("CRITICAL model 'claude-opus'", models.Error, StringComparison.Ordinal);
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("does not serve the model trade decisions need", run.Error, StringComparison.Ordinal);
        Assert.Empty(gateway.Requests); // not one chat call was spent
    }

    [Fact]
    public async Task Without_a_key_there_is_nothing_to_ask_and_it_says_so()
    {
        var result = await new CliRunner().InvokeAsync(["models"]);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("No gateway key is set", result.Error, StringComparison.Ordinal);
    }

    private static CliRunner Runner(OpenAiLoopbackServer gateway) => new(settings: new Dictionary<string, string?>
    {
        ["LLM_GATEWAY_BASE_URL"] = gateway.BaseUrl.ToString(),
        ["LLM_GATEWAY_API_KEY"] = "test-key-not-secret",
    });
}
