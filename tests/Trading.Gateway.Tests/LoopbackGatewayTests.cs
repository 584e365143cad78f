using Polly.CircuitBreaker;
using Trading.Gateway.Routing;
using Trading.Gateway.Configuration;
using Trading.Gateway.Tests.Support;
using Trading.TestKit.OpenAi;

namespace Trading.Gateway.Tests;

/// <summary>The real OpenAI SDK end to end against our loopback server, one failure class at a time.</summary>
public sealed class LoopbackGatewayTests
{
    [Fact]
    public async Task A_valid_answer_is_parsed_and_costed_from_the_usage_block()
    {
        await using var h = await GatewayHarness.StartAsync();
        h.Server.Enqueue(ScriptedReply.Json(Verdict.ApproveJson, new LoopbackUsage(1000, 300, CachedTokens: 400, ReasoningTokens: 120)));

        var r = await h.Gateway.CompleteJsonAsync<Verdict>(GatewayHarness.Call(), CancellationToken.None);

        Assert.True(r.Succeeded, r.FailureReason);
        Assert.Equal(new Verdict(true, 0.8, "credit is adequate"), r.Value);
        Assert.Equal(ModelRegistry.KimiK2, r.ServedModel);
        Assert.Equal(0.00117m, r.CostUsd); // 600×0.60 + 400×0.15 + 300×2.50 per million
        Assert.False(r.CostEstimated);
        var request = Assert.Single(h.Server.Requests);
        Assert.Equal(h.IdOf(ModelRegistry.KimiK2), request.Model);
        Assert.Contains("\"json_schema\"", request.Body, StringComparison.Ordinal);
        Assert.Contains("\"verdict\"", request.Body, StringComparison.Ordinal);
        Assert.Equal(GatewayHarness.ApiKey, request.BearerToken);
        var status = await h.Ledger.GetStatusAsync(CancellationToken.None);
        Assert.Equal(0.00117m, status.DaySpend.SettledUsd);
        Assert.Equal(0m, status.DaySpend.ReservedUsd);
        var rec = Assert.Single(h.Records.All);
        Assert.Equal((1000, 400, 300, 120), (rec.InputTokens, rec.CachedInputTokens, rec.OutputTokens, rec.ReasoningTokens));
        Assert.Equal("succeeded", rec.Outcome);
    }

    [Fact]
    public async Task Concurrent_calls_with_one_schema_each_send_their_own_model_and_prompt()
    {
        // The gateway reuses one options object per schema; each request must still carry its own model and messages.
        await using var h = await GatewayHarness.StartAsync();
        h.Server.DefaultReply = _ => ScriptedReply.Json(Verdict.ApproveJson);
        var calls = Enumerable.Range(0, 40).Select(i =>
        {
            var task = i % 2 == 0 ? "options_analysis" : "market_research";
            return GatewayHarness.Call(task, $"run-1/req-{i}") with { UserPrompt = $"Assess condor number {i}." };
        }).ToList();

        var results = await Task.WhenAll(calls.Select(c => h.Gateway.CompleteJsonAsync<Verdict>(c, CancellationToken.None)));

        Assert.All(results, r => Assert.True(r.Succeeded, r.FailureReason));
        Assert.Equal(calls.Count, h.Server.Requests.Count);
        foreach (var request in h.Server.Requests)
        {
            var number = System.Text.RegularExpressions.Regex.Matches(request.Body, @"Assess condor number (\d+)\.");
            var i = int.Parse(Assert.Single(number).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(h.IdOf(results[i].ServedModel!), request.Model);
            Assert.Equal(i % 2 == 0 ? ModelRegistry.KimiK2 : ModelRegistry.MistralMedium3, results[i].ServedModel);
        }
    }

    [Fact]
    public async Task Rate_limit_is_retried_on_the_same_model_after_Retry_After()
    {
        await using var h = await GatewayHarness.StartAsync();
        h.Server.Enqueue(ScriptedReply.RateLimited(0.3), ScriptedReply.Json(Verdict.ApproveJson));

        var started = DateTimeOffset.UtcNow;
        var r = await h.Gateway.CompleteJsonAsync<Verdict>(GatewayHarness.Call(), CancellationToken.None);

        Assert.True(r.Succeeded, r.FailureReason);
        Assert.Equal(ModelRegistry.KimiK2, r.ServedModel);
        Assert.Equal(2, h.Server.RequestsFor(h.IdOf(ModelRegistry.KimiK2)).Count);
        Assert.True(DateTimeOffset.UtcNow - started >= TimeSpan.FromMilliseconds(280), "Retry-After was not honoured");
        Assert.Equal(["RateLimited", "ok"], h.Records.All.Single().Attempts.Select(a => a.Outcome));
    }

    [Theory]
    [InlineData(500)]
    [InlineData(503)]
    public async Task Server_errors_are_retried_then_fall_back_to_the_next_model(int status)
    {
        await using var h = await GatewayHarness.StartAsync();
        var kimi = h.IdOf(ModelRegistry.KimiK2);
        h.Server.EnqueueFor(kimi, ScriptedReply.Failure(status), ScriptedReply.Failure(status), ScriptedReply.Failure(status));
        h.Server.EnqueueFor(h.IdOf(ModelRegistry.MistralMedium3), ScriptedReply.Json(Verdict.RejectJson));

        var r = await h.Gateway.CompleteJsonAsync<Verdict>(GatewayHarness.Call(), CancellationToken.None);

        Assert.True(r.Succeeded, r.FailureReason);
        Assert.Equal(ModelRegistry.KimiK2, r.RequestedModel);
        Assert.Equal(ModelRegistry.MistralMedium3, r.ServedModel);
        Assert.Equal(3, h.Server.RequestsFor(kimi).Count);
        Assert.Equal(["ServerError", "ServerError", "ServerError", "ok"], h.Records.All.Single().Attempts.Select(a => a.Outcome));
    }

    [Fact]
    public async Task Connection_reset_and_malformed_body_are_retried()
    {
        await using var h = await GatewayHarness.StartAsync();
        h.Server.Enqueue(ScriptedReply.Reset(), ScriptedReply.Malformed(), ScriptedReply.Json(Verdict.ApproveJson));

        var r = await h.Gateway.CompleteJsonAsync<Verdict>(GatewayHarness.Call(), CancellationToken.None);

        Assert.True(r.Succeeded, r.FailureReason);
        Assert.Equal(["Connection", "MalformedResponse", "ok"], h.Records.All.Single().Attempts.Select(a => a.Outcome));
    }

    [Fact]
    public async Task A_slow_attempt_times_out_and_is_retried()
    {
        var routing = GatewayHarness.FastRouting();
        routing.AttemptTimeoutSeconds = 1;
        await using var h = await GatewayHarness.StartAsync(routing);
        h.Server.Enqueue(ScriptedReply.Slow(TimeSpan.FromSeconds(5), Verdict.RejectJson), ScriptedReply.Json(Verdict.ApproveJson));

        var r = await h.Gateway.CompleteJsonAsync<Verdict>(GatewayHarness.Call(), CancellationToken.None);

        Assert.True(r.Succeeded, r.FailureReason);
        Assert.True(r.Value!.Approve);
        Assert.Equal("Timeout", h.Records.All.Single().Attempts[0].Outcome);
    }

    [Fact]
    public async Task The_hard_deadline_ends_the_call_with_a_failure()
    {
        var routing = GatewayHarness.FastRouting();
        routing.CallDeadlineSeconds = 1;
        routing.AttemptTimeoutSeconds = 10;
        await using var h = await GatewayHarness.StartAsync(routing);
        h.Server.DefaultReply = _ => ScriptedReply.Slow(TimeSpan.FromSeconds(8), Verdict.ApproveJson);

        var r = await h.Gateway.CompleteJsonAsync<Verdict>(GatewayHarness.Call(), CancellationToken.None);

        Assert.False(r.Succeeded);
        Assert.Contains("deadline", r.FailureReason, StringComparison.Ordinal);
        Assert.True(r.Latency < TimeSpan.FromSeconds(5));
        Assert.Equal(0m, (await h.Ledger.GetStatusAsync(CancellationToken.None)).DaySpend.ReservedUsd);
    }

    [Fact]
    public async Task Context_length_goes_to_a_model_with_a_larger_window()
    {
        await using var h = await GatewayHarness.StartAsync();
        var mistral = h.IdOf(ModelRegistry.MistralMedium3);
        h.Server.EnqueueFor(mistral, ScriptedReply.ContextLengthExceeded());
        h.Server.DefaultReply = _ => ScriptedReply.Json(Verdict.ApproveJson);

        var r = await h.Gateway.CompleteJsonAsync<Verdict>(GatewayHarness.Call("market_research"), CancellationToken.None);

        Assert.True(r.Succeeded, r.FailureReason);
        Assert.Equal(ModelRegistry.MistralMedium3, r.RequestedModel);
        Assert.True(h.Registry.Get(r.ServedModel!).ContextWindowTokens > h.Registry.Get(ModelRegistry.MistralMedium3).ContextWindowTokens);
        Assert.Single(h.Server.RequestsFor(mistral)); // not retried on the same model
        Assert.Equal("ContextLength", h.Records.All.Single().Attempts[0].Outcome);
    }

    [Theory]
    [InlineData(401)]
    [InlineData(403)]
    [InlineData(400)]
    public async Task Auth_and_invalid_request_errors_fail_at_once_without_fallback(int status)
    {
        await using var h = await GatewayHarness.StartAsync();
        h.Server.Enqueue(status == 401 ? ScriptedReply.Unauthorized() : ScriptedReply.Failure(status, "bad", "nope"));
        h.Server.DefaultReply = _ => ScriptedReply.Json(Verdict.ApproveJson);

        var r = await h.Gateway.CompleteJsonAsync<Verdict>(GatewayHarness.Call(), CancellationToken.None);

        Assert.False(r.Succeeded);
        Assert.Null(r.Value);
        Assert.Single(h.Server.Requests);
        Assert.Contains("no fallback", r.FailureReason, StringComparison.Ordinal);
        Assert.DoesNotContain(GatewayHarness.ApiKey, r.FailureReason, StringComparison.Ordinal);
        Assert.DoesNotContain(GatewayHarness.ApiKey, h.Logs.All(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_json_gets_one_repair_attempt()
    {
        await using var h = await GatewayHarness.StartAsync();
        h.Server.Enqueue(ScriptedReply.Json("Sure! approve: yes"), ScriptedReply.Json(Verdict.RejectJson));

        var r = await h.Gateway.CompleteJsonAsync<Verdict>(GatewayHarness.Call(), CancellationToken.None);

        Assert.True(r.Succeeded, r.FailureReason);
        Assert.False(r.Value!.Approve);
        var repair = h.Server.Requests[1];
        Assert.Contains("Sure! approve: yes", repair.Body, StringComparison.Ordinal); // the model is shown its bad answer
        Assert.Equal(2 * 0.0001100m, r.CostUsd); // both answers are paid: 100×0.60 + 20×2.50 per million each
    }

    [Fact]
    public async Task Invalid_json_twice_is_a_typed_failure_not_an_exception()
    {
        await using var h = await GatewayHarness.StartAsync();
        h.Server.Enqueue(ScriptedReply.Json("{\"approve\": true"), ScriptedReply.Json("{\"approve\": true}"));

        var r = await h.Gateway.CompleteJsonAsync<Verdict>(GatewayHarness.Call(), CancellationToken.None);

        Assert.False(r.Succeeded);
        Assert.Null(r.Value);
        Assert.Contains("invalid JSON", r.FailureReason, StringComparison.Ordinal);
        Assert.Equal(ModelRegistry.KimiK2, r.ServedModel);
        Assert.Equal("invalid_json", h.Records.All.Single().Outcome);
        Assert.Equal(2, h.Server.Requests.Count);
    }

    [Fact]
    public async Task A_response_without_usage_is_costed_by_estimate_and_flagged()
    {
        await using var h = await GatewayHarness.StartAsync();
        h.Server.Enqueue(ScriptedReply.JsonWithoutUsage(Verdict.ApproveJson));

        var r = await h.Gateway.CompleteJsonAsync<Verdict>(GatewayHarness.Call(), CancellationToken.None);

        Assert.True(r.Succeeded);
        Assert.True(r.CostEstimated);
        Assert.True(r.CostUsd > 0m);
    }

    [Fact]
    public async Task Circuit_opens_after_repeated_failures_and_the_model_is_skipped()
    {
        var routing = GatewayHarness.FastRouting();
        routing.CircuitFailureThreshold = 3;
        routing.MaxAttemptsPerModel = 3;
        await using var h = await GatewayHarness.StartAsync(routing);
        var kimi = h.IdOf(ModelRegistry.KimiK2);
        h.Server.DefaultReply = req => req.Model == kimi ? ScriptedReply.Unavailable() : ScriptedReply.Json(Verdict.ApproveJson);

        var first = await h.Gateway.CompleteJsonAsync<Verdict>(GatewayHarness.Call(), CancellationToken.None);
        Assert.Equal(CircuitState.Open, h.Gateway.CircuitOf(ModelRegistry.KimiK2));
        var second = await h.Gateway.CompleteJsonAsync<Verdict>(GatewayHarness.Call(), CancellationToken.None);

        Assert.True(first.Succeeded && second.Succeeded);
        Assert.Equal(3, h.Server.RequestsFor(kimi).Count); // the second call never reached Kimi
        Assert.Equal("CircuitOpen", h.Records.All[^1].Attempts[0].Outcome);
    }

    [Fact]
    public async Task An_open_circuit_lets_one_trial_through_after_the_cooldown_and_a_success_closes_it()
    {
        var routing = GatewayHarness.FastRouting();
        routing.CircuitFailureThreshold = 2;
        routing.MaxAttemptsPerModel = 2;
        routing.CircuitCooldownSeconds = 1;
        await using var h = await GatewayHarness.StartAsync(routing);
        var kimi = h.IdOf(ModelRegistry.KimiK2);
        var kimiFails = true;
        h.Server.DefaultReply = req => req.Model == kimi && kimiFails ? ScriptedReply.ServerError() : ScriptedReply.Json(Verdict.ApproveJson);

        var opened = await h.Gateway.CompleteJsonAsync<Verdict>(GatewayHarness.Call(), CancellationToken.None);
        Assert.Equal(CircuitState.Open, h.Gateway.CircuitOf(ModelRegistry.KimiK2));
        Assert.Equal(ModelRegistry.MistralMedium3, opened.ServedModel);

        kimiFails = false;
        await Task.Delay(TimeSpan.FromSeconds(1.2));
        var trial = await h.Gateway.CompleteJsonAsync<Verdict>(GatewayHarness.Call(), CancellationToken.None);

        Assert.True(trial.Succeeded, trial.FailureReason);
        Assert.Equal(ModelRegistry.KimiK2, trial.ServedModel);
        Assert.Equal(CircuitState.Closed, h.Gateway.CircuitOf(ModelRegistry.KimiK2));
        Assert.Equal(3, h.Server.RequestsFor(kimi).Count); // two failures opened it, one trial closed it
    }

    [Fact]
    public async Task Total_attempts_are_bounded()
    {
        var routing = GatewayHarness.FastRouting();
        routing.MaxTotalAttempts = 4;
        await using var h = await GatewayHarness.StartAsync(routing);
        h.Server.DefaultReply = _ => ScriptedReply.ServerError();

        var r = await h.Gateway.CompleteJsonAsync<Verdict>(GatewayHarness.Call(), CancellationToken.None);

        Assert.False(r.Succeeded);
        Assert.Equal(4, h.Server.Requests.Count);
        Assert.Contains("attempt limit", r.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Critical_falls_back_only_to_critical_capable_models_and_fails_when_none_answers()
    {
        var models = ModelRegistry.DefaultModels().ToList();
        models.Add(new ModelDescriptor("claude-sonnet", "anthropic/claude-sonnet-4-5", "anthropic", 200_000, true, new ModelPrice(3m, 0.3m, 15m, new DateOnly(2026, 1, 1))));
        await using var h = await GatewayHarness.StartAsync(models: models);
        h.Server.DefaultReply = _ => ScriptedReply.Unavailable();

        var r = await h.Gateway.CompleteJsonAsync<Verdict>(GatewayHarness.Call("trade_execution"), CancellationToken.None);

        Assert.False(r.Succeeded);
        Assert.Equal(ModelRegistry.ClaudeOpus, r.RequestedModel);
        var asked = h.Server.Requests.Select(q => q.Model).Distinct().ToList();
        Assert.Equal([h.IdOf(ModelRegistry.ClaudeOpus), "anthropic/claude-sonnet-4-5"], asked);
        Assert.Contains("CRITICAL", r.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Critical_uses_opus_with_budget_exhausted_forced_model_and_split()
    {
        var routing = GatewayHarness.FastRouting();
        routing.ForcedModel = ModelRegistry.DeepSeekV3;
        routing.Splits["trade_execution"] = new SplitOptions { Variants = "deepseek-v3=100", Shadow = "kimi-k2" };
        var budget = new BudgetOptions { DailyLimitUsd = 0m, MonthlyLimitUsd = 0m, OnExhausted = BudgetExhaustedAction.Refuse };
        await using var h = await GatewayHarness.StartAsync(routing, budget);
        h.Server.DefaultReply = _ => ScriptedReply.Json(Verdict.ApproveJson);

        var critical = await h.Gateway.CompleteJsonAsync<Verdict>(GatewayHarness.Call("trade_execution"), CancellationToken.None);
        var other = await h.Gateway.CompleteJsonAsync<Verdict>(GatewayHarness.Call("market_research"), CancellationToken.None);
        await h.Gateway.DrainShadowsAsync();

        Assert.True(critical.Succeeded, critical.FailureReason);
        Assert.Equal(ModelRegistry.ClaudeOpus, critical.ServedModel);
        Assert.False(other.Succeeded); // the non-critical call is refused by the exhausted budget
        Assert.Contains("budget exhausted", other.FailureReason, StringComparison.Ordinal);
        Assert.Equal([h.IdOf(ModelRegistry.ClaudeOpus)], h.Server.Requests.Select(q => q.Model));
        var status = await h.Ledger.GetStatusAsync(CancellationToken.None);
        Assert.Equal(critical.CostUsd, status.DaySpend.SettledUsd); // recorded though over the cap
    }

    [Fact]
    public async Task Fallback_targets_are_re_checked_against_the_budget()
    {
        var budget = new BudgetOptions { DailyLimitUsd = 0.01m, MonthlyLimitUsd = 25m };
        await using var h = await GatewayHarness.StartAsync(budget: budget);
        var call = GatewayHarness.Call("options_analysis");
        var chars = call.SystemPrompt.Length + call.UserPrompt.Length + call.JsonSchema.Length;
        var mistral = h.Gateway.Selector.Estimate(ModelRegistry.MistralMedium3, chars, call.MaxOutputTokens);
        var deepseek = h.Gateway.Selector.Estimate(ModelRegistry.DeepSeekV3, chars, call.MaxOutputTokens);
        var kimi = h.IdOf(ModelRegistry.KimiK2);
        var consumed = false;
        h.Server.DefaultReply = req =>
        {
            if (req.Model != kimi)
                return ScriptedReply.Json(Verdict.ApproveJson);
            if (!consumed)
            {
                // While Kimi is failing, a concurrent CRITICAL call takes budget: afterwards Mistral no longer fits, DeepSeek does.
                consumed = true;
                var taken = budget.DailyLimitUsd - ((mistral + deepseek) / 2);
                Assert.NotNull(h.Ledger.TryReserveAsync(taken, critical: true, force: false, CancellationToken.None).GetAwaiter().GetResult());
            }

            return ScriptedReply.Unavailable();
        };

        var r = await h.Gateway.CompleteJsonAsync<Verdict>(call, CancellationToken.None);

        Assert.True(r.Succeeded, r.FailureReason);
        Assert.Equal(ModelRegistry.DeepSeekV3, r.ServedModel);
        Assert.DoesNotContain(h.Server.Requests, q => q.Model == h.IdOf(ModelRegistry.MistralMedium3));
        Assert.Equal(["ServerError", "ServerError", "ServerError", "BudgetRefused", "ok"], h.Records.All.Single().Attempts.Select(a => a.Outcome));
    }

    [Fact]
    public async Task Split_is_deterministic_per_request_key_and_the_shadow_is_recorded_without_affecting_the_result()
    {
        var routing = GatewayHarness.FastRouting();
        routing.Splits["options_analysis"] = new SplitOptions { Variants = "kimi-k2=50;deepseek-r1=50", Shadow = "deepseek-v3" };
        await using var h = await GatewayHarness.StartAsync(routing);
        var v3 = h.IdOf(ModelRegistry.DeepSeekV3);
        h.Server.DefaultReply = req => req.Model == v3 ? ScriptedReply.Unavailable() : ScriptedReply.Json(Verdict.ApproveJson);

        var served = new List<string?>();
        for (var i = 0; i < 6; i++)
        {
            var key = $"run-{i % 3}";
            var r = await h.Gateway.CompleteJsonAsync<Verdict>(GatewayHarness.Call("options_analysis", key), CancellationToken.None);
            Assert.True(r.Succeeded, r.FailureReason); // a failing shadow never affects the result
            served.Add(r.ServedModel);
        }

        await h.Gateway.DrainShadowsAsync();
        Assert.Equal(served[..3], served[3..]); // replayed keys pick the same variant
        var shadows = h.Records.All.Where(x => x.IsShadow).ToList();
        Assert.Equal(6, shadows.Count);
        Assert.All(shadows, s => Assert.Equal(ModelRegistry.DeepSeekV3, s.RequestedModel));
        var primaries = h.Records.All.Where(x => !x.IsShadow).ToList();
        Assert.All(primaries, p => Assert.Equal(p.ServedModel, p.SplitVariant));
    }

    [Fact]
    public async Task A_shadow_that_outlives_its_wait_for_a_slow_primary_is_still_recorded_with_agreement_unknown()
    {
        var routing = GatewayHarness.FastRouting();
        routing.ShadowTimeoutSeconds = 1;
        routing.Splits["options_analysis"] = new SplitOptions { Variants = "kimi-k2=1", Shadow = "deepseek-r1" };
        await using var h = await GatewayHarness.StartAsync(routing);
        h.Server.EnqueueFor(h.IdOf(ModelRegistry.KimiK2), ScriptedReply.Slow(TimeSpan.FromSeconds(3), Verdict.ApproveJson));
        h.Server.DefaultReply = _ => ScriptedReply.Json(Verdict.ApproveJson);

        var result = await h.Gateway.CompleteJsonAsync<Verdict>(GatewayHarness.Call(key: "slow"), CancellationToken.None);
        await h.Gateway.DrainShadowsAsync();

        Assert.True(result.Succeeded, result.FailureReason);
        var shadow = Assert.Single(h.Records.All, r => r.IsShadow);
        Assert.Equal("succeeded", shadow.Outcome);
        Assert.Null(shadow.AgreedWithPrimary);
    }

    [Fact]
    public async Task Shadow_agreement_is_recorded_and_summarised()
    {
        var routing = GatewayHarness.FastRouting();
        routing.Splits["options_analysis"] = new SplitOptions { Variants = "kimi-k2=1", Shadow = "deepseek-r1" };
        await using var h = await GatewayHarness.StartAsync(routing);
        var r1 = h.IdOf(ModelRegistry.DeepSeekR1);
        h.Server.EnqueueFor(r1, ScriptedReply.Json(Verdict.ApproveJson), ScriptedReply.Json(Verdict.RejectJson));
        h.Server.DefaultReply = _ => ScriptedReply.Json(Verdict.ApproveJson);

        await h.Gateway.CompleteJsonAsync<Verdict>(GatewayHarness.Call(key: "a"), CancellationToken.None);
        await h.Gateway.DrainShadowsAsync();
        await h.Gateway.CompleteJsonAsync<Verdict>(GatewayHarness.Call(key: "b"), CancellationToken.None);
        await h.Gateway.DrainShadowsAsync();

        var day = DateOnly.ParseExact(h.Records.All[0].Day, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var summary = await new Telemetry.GatewayTelemetryReader(h.Records).GetDailySummaryAsync(day, CancellationToken.None);
        var shadow = Assert.Single(summary.Shadows);
        Assert.Equal(2, shadow.Calls);
        Assert.Equal(0.5, shadow.AgreementRate);
        Assert.Equal(4, summary.Calls);
        Assert.Contains(summary.BySplitVariant, g => g.Key == "options_analysis/kimi-k2" && g.Calls == 2);
    }

    [Fact]
    public async Task Embeddings_are_batched_costed_and_recorded()
    {
        var routing = GatewayHarness.FastRouting();
        routing.EmbeddingBatchSize = 2;
        await using var h = await GatewayHarness.StartAsync(routing);
        h.Server.DefaultReply = _ => new ScriptedReply { Usage = new LoopbackUsage(50, 0) };

        var vectors = await h.Embedder.EmbedAsync(["alpha", "beta", "gamma", "alpha"], "run-9", CancellationToken.None);

        Assert.Equal(4, vectors.Count);
        Assert.Equal(vectors[0], vectors[3]);
        Assert.NotEqual(vectors[0], vectors[1]);
        Assert.Equal(2, h.Server.Requests.Count);
        Assert.All(h.Server.Requests, q => Assert.EndsWith("/embeddings", q.Path, StringComparison.Ordinal));
        var records = h.Records.All;
        Assert.Equal(2, records.Count);
        Assert.All(records, x => Assert.Equal(0.000001m, x.CostUsd)); // 50 tokens × $0.02 per million
        Assert.Equal(0.000002m, (await h.Ledger.GetStatusAsync(CancellationToken.None)).DaySpend.SettledUsd);
    }

    [Fact]
    public async Task An_embedding_attempt_that_times_out_is_retried()
    {
        var routing = GatewayHarness.FastRouting();
        // Wide apart, so that a loaded machine cannot make the prompt reply look like a timeout too.
        routing.AttemptTimeoutSeconds = 3;
        await using var h = await GatewayHarness.StartAsync(routing);
        h.Server.Enqueue(ScriptedReply.Slow(TimeSpan.FromSeconds(30)) with { Usage = new LoopbackUsage(50, 0) }, new ScriptedReply { Usage = new LoopbackUsage(50, 0) });

        var vectors = await h.Embedder.EmbedAsync(["alpha"], "run-10", CancellationToken.None);

        Assert.Single(vectors);
        Assert.Equal(["Timeout", "ok"], h.Records.All.Single().Attempts.Select(a => a.Outcome));
    }

    [Fact]
    public async Task Embedding_failure_after_retries_is_a_clear_exception()
    {
        await using var h = await GatewayHarness.StartAsync();
        h.Server.DefaultReply = _ => ScriptedReply.Unauthorized();

        var e = await Assert.ThrowsAsync<Embeddings.EmbeddingFailedException>(() => h.Embedder.EmbedAsync(["x"], "run", CancellationToken.None));
        Assert.Contains("Unauthorized", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(GatewayHarness.ApiKey, e.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_key_never_reaches_logs_records_or_results()
    {
        await using var h = await GatewayHarness.StartAsync();
        h.Server.Enqueue(ScriptedReply.ServerError(), ScriptedReply.Unauthorized());

        var r = await h.Gateway.CompleteJsonAsync<Verdict>(GatewayHarness.Call(), CancellationToken.None);

        Assert.False(r.Succeeded);
        Assert.NotEmpty(h.Logs.Lines());
        Assert.DoesNotContain(GatewayHarness.ApiKey, h.Logs.All(), StringComparison.Ordinal);
        Assert.DoesNotContain(GatewayHarness.ApiKey, System.Text.Json.JsonSerializer.Serialize(h.Records.All), StringComparison.Ordinal);
        Assert.DoesNotContain(GatewayHarness.ApiKey, r.ToString(), StringComparison.Ordinal);
    }
}

public sealed class StorageOutageTests
{
    [Theory]
    [InlineData("options_analysis")]
    [InlineData("trade_execution")]
    public async Task A_ledger_outage_is_a_failed_completion_not_an_exception(string task)
    {
        await using var h = await GatewayHarness.StartAsync(ledger: (b, f) => new UnreachableLedger(b));
        h.Server.DefaultReply = _ => ScriptedReply.Json(Verdict.ApproveJson);

        var r = await h.Gateway.CompleteJsonAsync<Verdict>(GatewayHarness.Call(task), CancellationToken.None);

        Assert.False(r.Succeeded);
        Assert.Null(r.Value);
        Assert.Contains("storage unreachable", r.FailureReason, StringComparison.Ordinal);
        Assert.Empty(h.Server.Requests); // no unrecorded spend
    }

    private sealed class UnreachableLedger(BudgetOptions options)
        : Budgets.BudgetLedger(options, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance)
    {
        protected override Task<Budgets.VersionedLedger?> LoadAsync(string monthKey, CancellationToken cancellationToken) =>
            throw new IOException("storage unreachable");

        protected override Task<bool> TrySaveAsync(BudgetLedgerState state, string? expectedVersion, CancellationToken cancellationToken) =>
            throw new IOException("storage unreachable");
    }

    [Fact]
    public async Task A_reasoning_model_gets_room_to_think_and_a_call_avoids_the_models_it_is_told_to()
    {
        await using var h = await GatewayHarness.StartAsync();
        h.Server.Enqueue(ScriptedReply.Json(Verdict.ApproveJson));
        h.Server.Enqueue(ScriptedReply.Json(Verdict.ApproveJson));

        // pre_trade_research routes to DeepSeek-R1: a 200-token cap would leave its reasoning no room, so it is raised.
        var r1 = await h.Gateway.CompleteJsonAsync<Verdict>(GatewayHarness.Call("pre_trade_research"), CancellationToken.None);
        Assert.True(r1.Succeeded, r1.FailureReason);
        var request = Assert.Single(h.Server.RequestsFor(h.IdOf(ModelRegistry.DeepSeekR1)));
        Assert.Contains("\"max_completion_tokens\":4000", request.Body, StringComparison.Ordinal);

        // A council seat told to avoid Kimi K2 is served further down the chain, never by Kimi.
        var avoided = await h.Gateway.CompleteJsonAsync<Verdict>(
            GatewayHarness.Call("options_analysis", "run-1/req-2") with { AvoidModels = [ModelRegistry.KimiK2] }, CancellationToken.None);
        Assert.True(avoided.Succeeded, avoided.FailureReason);
        Assert.NotEqual(ModelRegistry.KimiK2, avoided.ServedModel);
        Assert.Empty(h.Server.RequestsFor(h.IdOf(ModelRegistry.KimiK2)));
        Assert.Equal(ModelRegistry.KimiK2, h.Gateway.PlannedModel("options_analysis"));
        Assert.Equal(ModelRegistry.MistralMedium3, h.Gateway.PlannedModel("risk_assessment"));
    }
}
