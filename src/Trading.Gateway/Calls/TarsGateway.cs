using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using OpenAI;
using OpenAI.Chat;
using Polly;
using Polly.CircuitBreaker;
using Trading.Core.ModelCalls;
using Trading.Gateway.Routing;
using Trading.Gateway.Budgets;
using Trading.Gateway.Configuration;
using Trading.Gateway.Telemetry;

namespace Trading.Gateway.Calls;

/// <summary>
/// The pipeline's model gateway: BATS selection, budget reservation per model tried, fallback along the chain
/// (critical-capable models only for CRITICAL), retries, circuit breaker and attempt timeout per model (<see cref="ModelResilience"/>), a hard deadline, structured JSON output
/// with one repair attempt, traffic splits with an optional shadow, and one telemetry record per call.
/// </summary>
public sealed class TarsGateway : IModelGateway
{
    // Missing required constructor parameters and nulls in non-nullable members are errors: a half answer is no answer.
    private static readonly JsonSerializerOptions ParseOptions = new(JsonSerializerDefaults.Web)
    {
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
    };

    private readonly GatewaySettings _settings;
    private readonly OpenAIClient? _client;
    private readonly ModelSelector _selector;
    private readonly BudgetLedger _ledger;
    private readonly GatewayTelemetry _telemetry;
    private readonly RoutingOptions _routing;
    private readonly TimeProvider _time;
    private readonly ILogger<TarsGateway> _logger;
    private readonly ConcurrentDictionary<string, ChatClient> _chatClients = new(StringComparer.Ordinal);
    private readonly ModelResilience _resilience;
    private readonly ConcurrentDictionary<Task, byte> _shadows = new();

    // Request options per schema and output cap, so a call neither re-parses its schema nor rebuilds its options (the SDK
    // copies the options before filling in model and messages, so one object serves concurrent calls). Bounded because
    // schemas come from code (a handful), and a caller building them per call must not grow this without end.
    private readonly ConcurrentDictionary<OptionsKey, ChatCompletionOptions> _options = new();
    private const int MaxCachedOptions = 64;

    /// <summary>
    /// Creates the gateway. <paramref name="client"/> is null offline; build it with <see cref="GatewayClientFactory"/>, whose
    /// own retries are off; <paramref name="resilience"/> retries, breaks circuits and times out attempts per model.
    /// </summary>
    public TarsGateway(
        GatewaySettings settings,
        OpenAIClient? client,
        ModelSelector selector,
        BudgetLedger ledger,
        GatewayTelemetry telemetry,
        RoutingOptions routing,
        ModelResilience resilience,
        TimeProvider time,
        ILogger<TarsGateway> logger)
    {
        _settings = settings ?? throw new ArgumentNullException(nameof(settings));
        _selector = selector ?? throw new ArgumentNullException(nameof(selector));
        _ledger = ledger ?? throw new ArgumentNullException(nameof(ledger));
        _telemetry = telemetry ?? throw new ArgumentNullException(nameof(telemetry));
        _routing = routing ?? throw new ArgumentNullException(nameof(routing));
        _resilience = resilience ?? throw new ArgumentNullException(nameof(resilience));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        var errors = routing.Validate();
        if (errors.Count > 0)
            throw new GatewayConfigurationException("Invalid routing settings: " + string.Join("; ", errors));
        if (settings.IsOnline && client is null)
            throw new ArgumentNullException(nameof(client), "An online gateway needs its OpenAI client.");
        _client = settings.IsOnline ? client : null;
        if (!settings.IsOnline)
        {
            _logger.LogWarning(
                "LLM gateway OFFLINE: no key in {KeySettings}. Model calls return failures and the pipeline uses its rules-based council.",
                string.Join(", ", GatewaySettings.ApiKeyKeys));
        }
        else
        {
            _logger.LogInformation("LLM gateway online: {Settings}", settings.ToString());
        }
    }

    /// <inheritdoc />
    public bool IsOnline => _client is not null;

    /// <inheritdoc/>
    public string PlannedModel(string taskType)
    {
        if (!IsOnline)
            return string.Empty;
        var task = TaskCatalog.Normalize(taskType ?? string.Empty);
        var complexity = TaskCatalog.ComplexityOf(task);
        return complexity != TaskComplexity.Critical && _selector.Policy.ForcedModel is { } forced ? forced : _selector.DefaultModel(task, complexity);
    }

    /// <summary>The selector (registry and policy) in use.</summary>
    public ModelSelector Selector => _selector;

    /// <summary>State of a model's circuit breaker.</summary>
    public CircuitState CircuitOf(string model) => _resilience.CircuitOf(model);

    /// <summary>Waits for shadow calls still running (hosts call it before shutdown; tests before asserting).</summary>
    public Task DrainShadowsAsync() => Task.WhenAll(_shadows.Keys);

    /// <inheritdoc />
    public async Task<StructuredCompletion<T>> CompleteJsonAsync<T>(ModelCall call, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(call);
        var startedUtc = _time.GetUtcNow();
        var started = _time.GetTimestamp();
        // One method, not a guard around a core one: each async layer is a state machine and a resumption on every call.
        try
        {
            var callId = UniqueIds.Next();
            using var activity = GatewayTelemetry.ActivitySource.StartActivity("gateway.chat", ActivityKind.Client);
            activity?.SetTag("gateway.task_type", call.TaskType);
            activity?.SetTag("gateway.run_id", call.RunId);

            var complexity = TaskCatalog.ComplexityOf(call.TaskType);
            var day = _ledger.WindowsAt(startedUtc).Day.Key;
            var taskType = TaskCatalog.Normalize(call.TaskType ?? string.Empty);
            // The record of a call that ends early (an answered call's record is built once at the end, not copied from this).
            GatewayCallRecord Record() => new()
            {
                CallId = callId,
                StartedUtc = startedUtc,
                Day = day,
                RunId = call.RunId ?? string.Empty,
                TaskType = taskType,
                Complexity = ComplexityLabel(complexity),
                RequestedModel = string.Empty,
                SelectionReason = string.Empty,
                Outcome = "failed",
            };

            if (!IsOnline)
            {
                var offline = Fail<T>("gateway offline: no API key configured", string.Empty, null, 0m, false, started);
                await _telemetry.RecordAsync(Record() with { Outcome = "offline", FailureReason = offline.FailureReason, RequestedModel = "-", SelectionReason = "Offline" }, CancellationToken.None);
                return offline;
            }

            if (ChatOptions(call) is not { } options)
            {
                var bad = Fail<T>($"the JSON schema '{call.SchemaName}' is not valid JSON", "-", null, 0m, false, started);
                await _telemetry.RecordAsync(Record() with { Outcome = "failed", FailureReason = bad.FailureReason, RequestedModel = "-", SelectionReason = "InvalidRequest" }, CancellationToken.None);
                return bad;
            }

            var promptChars = call.SystemPrompt.Length + call.UserPrompt.Length + call.JsonSchema.Length;
            var headroom = complexity == TaskComplexity.Critical ? decimal.MaxValue : await _ledger.GetHeadroomAsync(cancellationToken);
            var selection = _selector.Select(call.TaskType ?? string.Empty, call.RequestKey ?? string.Empty, promptChars, call.MaxOutputTokens, headroom);
            activity?.SetTag("gateway.requested_model", selection.RequestedModel);

            if (!selection.Admitted)
            {
                var refused = Fail<T>(
                    string.Create(CultureInfo.InvariantCulture, $"budget exhausted: no model on the chain fits the remaining ${headroom} and the policy refuses"),
                    selection.RequestedModel, null, 0m, false, started);
                await _telemetry.RecordAsync(Record() with
                {
                    RequestedModel = selection.RequestedModel,
                    SelectionReason = selection.Reason.ToString(),
                    SplitVariant = selection.SplitVariant,
                    Outcome = "refused",
                    FailureReason = refused.FailureReason,
                    LatencyMs = Ms(started),
                }, CancellationToken.None);
                return refused;
            }

            if (selection.BudgetExhausted)
            {
                _logger.LogWarning("Budget exhausted: task {TaskType} uses the cheapest model {Model} (headroom ${Headroom})",
                    selection.TaskType, selection.SelectedModel, headroom);
            }

            var primaryAnswer = selection.ShadowModel is null ? null : new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (selection.ShadowModel is { } shadowModel && !string.Equals(shadowModel, selection.SelectedModel, StringComparison.OrdinalIgnoreCase))
                StartShadow<T>(call, options, selection, shadowModel, callId, primaryAnswer!.Task);

            var outcome = await RunChainAsync<T>(call, options, selection, cancellationToken);
            primaryAnswer?.TrySetResult(outcome.Value is null ? null : JsonSerializer.Serialize(outcome.Value, ParseOptions));

            var result = new StructuredCompletion<T>(
                outcome.Value is not null, outcome.Value, outcome.Value is null ? outcome.Failure : null, selection.RequestedModel,
                outcome.ServedModel, outcome.CostUsd, outcome.CostEstimated, _time.GetElapsedTime(started));
            activity?.SetTag("gateway.served_model", outcome.ServedModel);

            await _telemetry.RecordAsync(new GatewayCallRecord
            {
                CallId = callId,
                StartedUtc = startedUtc,
                Day = day,
                RunId = call.RunId ?? string.Empty,
                TaskType = taskType,
                Complexity = ComplexityLabel(complexity),
                RequestedModel = selection.RequestedModel,
                SelectionReason = selection.Reason.ToString(),
                SplitVariant = selection.SplitVariant,
                ServedModel = outcome.ServedModel,
                Attempts = outcome.Attempts,
                InputTokens = outcome.Usage.InputTokens,
                CachedInputTokens = outcome.Usage.CachedInputTokens,
                OutputTokens = outcome.Usage.OutputTokens,
                ReasoningTokens = outcome.Usage.ReasoningTokens,
                CostUsd = outcome.CostUsd,
                CostEstimated = outcome.CostEstimated,
                LatencyMs = result.Latency.TotalMilliseconds,
                Outcome = result.Succeeded ? "succeeded" : outcome.InvalidJson ? "invalid_json" : "failed",
                FailureReason = result.FailureReason,
            }, CancellationToken.None);
            return result;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Storage or other infrastructure failures must reach the caller as "no answer", never as an exception that
            // could be mistaken for approval; CRITICAL included (no ledger record, no trade).
            _logger.LogError("Gateway call for task {TaskType} failed outside the model chain: {Error}", call.TaskType, _settings.Redact(Shorten(e.ToString())));
            return Fail<T>($"gateway error: {e.GetType().Name}: {Shorten(e.Message)}", string.Empty, null, 0m, false, started);
        }
    }

    private async Task<ChainOutcome<T>> RunChainAsync<T>(
        ModelCall call, ChatCompletionOptions options, ModelSelection selection, CancellationToken cancellationToken)
        where T : class
    {
        var critical = selection.Complexity == TaskComplexity.Critical;
        var promptChars = call.SystemPrompt.Length + call.UserPrompt.Length + call.JsonSchema.Length;
        var avoid = critical || call.AvoidModels is null ? [] : call.AvoidModels;
        var queue = new List<string>(selection.FallbackModels.Count + 1);
        Enqueue(selection.SelectedModel!);
        foreach (var fallback in selection.FallbackModels)
            Enqueue(fallback);
        var tried = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var attempts = new List<GatewayAttempt>();
        var usage = TokenUsage.None;
        var cost = 0m;
        var estimated = false;
        var totalAttempts = 0;
        string? lastFailure = null;

        // The whole call's hard deadline (linked to the caller's token only when that one can be cancelled). Each attempt's
        // own limit is the timeout in its model's Polly pipeline (Routing:AttemptTimeoutSeconds; the SDK's own is off).
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(_routing.CallDeadlineSeconds), _time);
        using var linked = cancellationToken.CanBeCanceled ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token) : null;
        var token = linked?.Token ?? deadline.Token;

        while (queue.Count > 0 && totalAttempts < _routing.MaxTotalAttempts)
        {
            var model = queue[0];
            queue.RemoveAt(0);
            if (!tried.Add(model))
                continue;
            if (critical && !_selector.Registry.Get(model).CriticalCapable)
                continue; // defence in depth: a CRITICAL call never reaches a model not marked critical-capable

            var descriptor = _selector.Registry.Get(model);
            // A reasoning model thinks within its output cap: below its floor the answer would be cut off and the vote lost.
            var cap = Math.Max(call.MaxOutputTokens, descriptor.MinOutputTokens);
            var modelOptions = cap == call.MaxOutputTokens ? options : ChatOptions(call with { MaxOutputTokens = cap }) ?? options;
            // The selection already priced its first choice at this cap (decimal arithmetic is not free on every call).
            var estimate = cap == call.MaxOutputTokens && string.Equals(model, selection.SelectedModel, StringComparison.OrdinalIgnoreCase)
                ? selection.EstimatedCostUsd
                : _selector.Estimate(model, promptChars, cap);
            var force = selection.BudgetExhausted && string.Equals(model, selection.SelectedModel, StringComparison.OrdinalIgnoreCase);
            BudgetHold? hold;
            try
            {
                hold = await _ledger.TryReserveAsync(estimate, critical, force, token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                lastFailure = "call deadline exceeded";
                break;
            }

            if (hold is null)
            {
                attempts.Add(new GatewayAttempt(model, nameof(FailureClass.BudgetRefused), null, 0));
                lastFailure = string.Create(CultureInfo.InvariantCulture, $"{model}: budget does not admit estimated ${estimate}");
                continue;
            }

            var billed = 0m;
            try
            {
                var messages = new List<ChatMessage> { new SystemChatMessage(call.SystemPrompt), new UserChatMessage(call.UserPrompt) };
                AttemptResult? attempt;
                try
                {
                    attempt = await _resilience.ExecuteAsync(
                        model,
                        attemptToken =>
                        {
                            totalAttempts++;
                            return AttemptAsync(descriptor, messages, modelOptions, estimate, attempts, attemptToken, token);
                        },
                        _routing.MaxTotalAttempts - totalAttempts,
                        token);
                }
                catch (OperationCanceledException)
                {
                    // The call's deadline or the caller ended a wait between attempts.
                    lastFailure = cancellationToken.IsCancellationRequested ? "cancelled by the caller" : "call deadline exceeded";
                    return new ChainOutcome<T>(null, lastFailure, null, attempts, usage, cost, estimated, false);
                }

                if (attempt is null)
                {
                    attempts.Add(new GatewayAttempt(model, nameof(FailureClass.CircuitOpen), null, 0));
                    lastFailure = $"{model}: circuit open";
                    continue;
                }

                if (attempt.Failure == FailureClass.None)
                {
                    billed += attempt.CostUsd;
                    usage = usage.Add(attempt.Usage);
                    estimated |= attempt.CostEstimated;
                    var (value, parseError) = Parse<T>(attempt.Content);
                    if (value is null)
                    {
                        // One repair attempt on the same model, showing it its answer and the error (it may be the one
                        // attempt beyond MaxTotalAttempts: an answer in hand is worth one correction).
                        totalAttempts++;
                        messages.Add(new AssistantChatMessage(attempt.Content ?? string.Empty));
                        messages.Add(new UserChatMessage(
                            $"Your reply was not valid JSON for the schema '{call.SchemaName}' ({parseError}). Reply again with only one JSON object that matches the schema."));
                        var repair = (await AttemptAsync(descriptor, messages, modelOptions, estimate, null, token, token)).Result!;
                        attempts.Add(repair.Record with { Outcome = repair.Failure == FailureClass.None ? "repair" : "repair:" + repair.Failure });
                        billed += repair.CostUsd;
                        usage = usage.Add(repair.Usage);
                        estimated |= repair.CostEstimated;
                        if (repair.Failure == FailureClass.None)
                            (value, parseError) = Parse<T>(repair.Content);
                    }

                    cost += billed;
                    return value is not null
                        ? new ChainOutcome<T>(value, null, model, attempts, usage, cost, estimated, false)
                        : new ChainOutcome<T>(null, $"{model} answered invalid JSON twice ({parseError})", model, attempts, usage, cost, estimated, true);
                }

                lastFailure = $"{model}: {attempt.Failure}{(attempt.Record.Status is { } s ? " " + s.ToString(CultureInfo.InvariantCulture) : string.Empty)}";
                if (attempt.Failure == FailureClass.Cancelled)
                {
                    lastFailure = cancellationToken.IsCancellationRequested ? "cancelled by the caller" : "call deadline exceeded";
                    return new ChainOutcome<T>(null, lastFailure, null, attempts, usage, cost, estimated, false);
                }

                if (attempt.Failure.IsFatal())
                    return new ChainOutcome<T>(null, $"{lastFailure}: {Describe(attempt.Failure)}; not retried, no fallback", null, attempts, usage, cost, estimated, false);

                if (attempt.Failure == FailureClass.ContextLength)
                    RequeueLargerContext(queue, descriptor, critical, tried);

                cost += billed;
            }
            finally
            {
                // Settle even when cancelled: the reservation is replaced by what was really billed (0 releases it).
                await _ledger.SettleAsync(hold, billed, CancellationToken.None);
            }
        }

        void Enqueue(string model)
        {
            if (avoid.Count == 0 || !avoid.Contains(model, StringComparer.OrdinalIgnoreCase))
                queue.Add(model);
        }

        var why = totalAttempts >= _routing.MaxTotalAttempts ? "attempt limit reached" : "no model left to try";
        var scope = critical ? " (CRITICAL: only critical-capable models were tried)" : string.Empty;
        return new ChainOutcome<T>(null, $"all models failed ({why}); last: {lastFailure ?? "none"}{scope}", null, attempts, usage, cost, estimated, false);
    }

    // One request, its record added to attemptLog when given. attemptToken is this attempt's (the resilience pipeline's
    // timeout ends it); callToken the whole call's, so that a cancelled attempt is told apart from a cancelled call. Never
    // throws: a failure is a result, in the Outcome the resilience pipeline consumes as it is.
    private async ValueTask<Outcome<AttemptResult>> AttemptAsync(
        ModelDescriptor model, List<ChatMessage> messages, ChatCompletionOptions options, decimal estimate, List<GatewayAttempt>? attemptLog,
        CancellationToken attemptToken, CancellationToken callToken)
    {
        var started = _time.GetTimestamp();
        AttemptResult result;
        try
        {
            var chat = _chatClients.GetOrAdd(model.GatewayModelId, static (id, client) => client.GetChatClient(id), _client!);
            var response = await chat.CompleteChatAsync(messages, options, attemptToken);
            var completion = response.Value;
            var content = TextOf(completion.Content);
            var (usage, hasUsage) = UsageOf(completion.Usage);
            var cost = hasUsage ? ModelCost.Of(model.Price, usage) : estimate;
            result = new AttemptResult(FailureClass.None, new GatewayAttempt(model.LogicalName, "ok", 200, Ms(started)), content, usage, cost, !hasUsage, null);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            var (failure, status, retryAfter) = FailureClassification.Classify(e, callToken);
            _logger.LogWarning("Model {Model} attempt failed: {Failure} {Status} ({Message})",
                model.LogicalName, failure, status, _settings.Redact(Shorten(e.Message)));
            result = new AttemptResult(failure, new GatewayAttempt(model.LogicalName, failure.ToString(), status, Ms(started)), null, TokenUsage.None, 0m, false, retryAfter);
        }

        attemptLog?.Add(result.Record);
        return Outcome.FromResult(result);
    }

    private void StartShadow<T>(
        ModelCall call, ChatCompletionOptions options, ModelSelection selection, string shadowModel, string primaryCallId, Task<string?> primaryAnswer)
        where T : class
    {
        var task = Task.Run(async () =>
        {
            try
            {
                await RunShadowAsync<T>(call, options, selection, shadowModel, primaryCallId, primaryAnswer);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // A shadow never affects its primary; a failure here (the model chain, the wait, the record) is logged, and
                // a shadow that logged this has no record.
                _logger.LogWarning("Shadow call on {Model} failed, not recorded: {Error}", shadowModel, _settings.Redact(Shorten(e.ToString())));
            }
        });
        _shadows.TryAdd(task, 0);
        _ = task.ContinueWith(t => _shadows.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private async Task RunShadowAsync<T>(
        ModelCall call, ChatCompletionOptions options, ModelSelection selection, string shadowModel, string primaryCallId, Task<string?> primaryAnswer)
        where T : class
    {
        var started = _time.GetTimestamp();
        var startedUtc = _time.GetUtcNow();
        var promptChars = call.SystemPrompt.Length + call.UserPrompt.Length + call.JsonSchema.Length;
        var shadowSelection = selection with
        {
            SelectedModel = shadowModel,
            EstimatedCostUsd = _selector.Estimate(shadowModel, promptChars, call.MaxOutputTokens),
            FallbackModels = [],
            Reason = SelectionReason.Split,
            ShadowModel = null,
        };
        var outcome = await RunChainAsync<T>(call, options, shadowSelection, CancellationToken.None);

        bool? agreed = null;
        string? primary;
        try
        {
            primary = await primaryAnswer.WaitAsync(TimeSpan.FromSeconds(_routing.ShadowTimeoutSeconds), _time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The primary outlived the wait: the shadow is still recorded (its cost was spent), its agreement unknown.
            primary = null;
        }

        if (primary is not null && outcome.Value is not null)
            agreed = primary == JsonSerializer.Serialize(outcome.Value, ParseOptions);

        await _telemetry.RecordAsync(new GatewayCallRecord
        {
            CallId = UniqueIds.Next(),
            StartedUtc = startedUtc,
            Day = BudgetWindow.DayOf(startedUtc, _ledger.TimeZone).Key,
            RunId = call.RunId ?? string.Empty,
            TaskType = selection.TaskType,
            Complexity = ComplexityLabel(selection.Complexity),
            RequestedModel = shadowModel,
            ServedModel = outcome.ServedModel,
            SelectionReason = "Shadow",
            SplitVariant = selection.SplitVariant,
            IsShadow = true,
            ShadowOf = primaryCallId,
            AgreedWithPrimary = agreed,
            Attempts = outcome.Attempts,
            InputTokens = outcome.Usage.InputTokens,
            CachedInputTokens = outcome.Usage.CachedInputTokens,
            OutputTokens = outcome.Usage.OutputTokens,
            ReasoningTokens = outcome.Usage.ReasoningTokens,
            CostUsd = outcome.CostUsd,
            CostEstimated = outcome.CostEstimated,
            LatencyMs = Ms(started),
            Outcome = outcome.Value is not null ? "succeeded" : outcome.InvalidJson ? "invalid_json" : "failed",
            FailureReason = outcome.Failure,
        }, CancellationToken.None);
    }

    private void RequeueLargerContext(List<string> queue, ModelDescriptor current, bool critical, HashSet<string> tried)
    {
        // Models with no larger window cannot take the same prompt; drop them, keep the larger ones (chain order first).
        var larger = queue.Where(m => _selector.Registry.Get(m).ContextWindowTokens > current.ContextWindowTokens).ToList();
        var extra = _selector.Registry.Models
            .Where(m => !m.IsEmbedding && m.ContextWindowTokens > current.ContextWindowTokens && (!critical || m.CriticalCapable)
                        && !tried.Contains(m.LogicalName) && !larger.Contains(m.LogicalName, StringComparer.OrdinalIgnoreCase))
            .OrderBy(m => m.Price.InputPerMillionUsd)
            .Select(m => m.LogicalName);
        queue.Clear();
        queue.AddRange(larger.Concat(extra));
    }

    // The call's request options (cached), or null when its schema is not valid JSON.
    private ChatCompletionOptions? ChatOptions(ModelCall call)
    {
        var key = new OptionsKey(call.SchemaName, call.JsonSchema, call.MaxOutputTokens);
        if (_options.TryGetValue(key, out var options))
            return options;
        if (!IsJson(call.JsonSchema))
            return null;
        options = new ChatCompletionOptions
        {
            MaxOutputTokenCount = call.MaxOutputTokens,
            ResponseFormat = ChatResponseFormat.CreateJsonSchemaFormat(call.SchemaName, BinaryData.FromString(call.JsonSchema)),
        };
        if (_options.Count < MaxCachedOptions)
            _options.TryAdd(key, options);
        return options;
    }

    private static string TextOf(ChatMessageContent parts)
    {
        // The usual answer is one text part: no concatenation needed.
        if (parts.Count == 1)
            return parts[0].Kind == ChatMessageContentPartKind.Text ? parts[0].Text ?? string.Empty : string.Empty;
        var text = new System.Text.StringBuilder();
        foreach (var p in parts)
        {
            if (p.Kind == ChatMessageContentPartKind.Text)
                text.Append(p.Text);
        }

        return text.ToString();
    }

    private static (TokenUsage Usage, bool Present) UsageOf(ChatTokenUsage? usage)
    {
        if (usage is null || (usage.InputTokenCount == 0 && usage.OutputTokenCount == 0))
            return (TokenUsage.None, false);
        return (new TokenUsage(
            usage.InputTokenCount,
            usage.InputTokenDetails?.CachedTokenCount ?? 0,
            usage.OutputTokenCount,
            usage.OutputTokenDetails?.ReasoningTokenCount ?? 0), true);
    }

    /// <summary>Parses a model's answer; tolerates a Markdown code fence around the JSON.</summary>
    internal static (T? Value, string? Error) Parse<T>(string? content)
        where T : class
    {
        if (string.IsNullOrWhiteSpace(content))
            return (null, "empty answer");
        var text = content.Trim();
        if (text.StartsWith("```", StringComparison.Ordinal))
        {
            var firstLine = text.IndexOf('\n', StringComparison.Ordinal);
            var lastFence = text.LastIndexOf("```", StringComparison.Ordinal);
            if (firstLine > 0 && lastFence > firstLine)
                text = text[(firstLine + 1)..lastFence].Trim();
        }

        try
        {
            var value = JsonSerializer.Deserialize<T>(text, ParseOptions);
            return value is null ? (null, "the answer is JSON null") : (value, null);
        }
        catch (JsonException e)
        {
            return (null, Shorten(e.Message));
        }
    }

    private static bool IsJson(string text)
    {
        try
        {
            using var _ = JsonDocument.Parse(text);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string Describe(FailureClass failure) => failure switch
    {
        FailureClass.Unauthorized => "the gateway rejected the API key (401); check LLM_GATEWAY_API_KEY / TETRATE_API_KEY / TARS_API_KEY",
        FailureClass.Forbidden => "the gateway refused access (403)",
        FailureClass.InvalidRequest => "the gateway rejected the request as invalid (400)",
        _ => failure.ToString(),
    };

    private static string ComplexityLabel(TaskComplexity complexity) => complexity switch
    {
        TaskComplexity.Simple => "SIMPLE",
        TaskComplexity.Medium => "MEDIUM",
        TaskComplexity.Complex => "COMPLEX",
        TaskComplexity.Critical => "CRITICAL",
        _ => complexity.ToString().ToUpperInvariant(),
    };

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";

    private double Ms(long started) => _time.GetElapsedTime(started).TotalMilliseconds;

    private StructuredCompletion<T> Fail<T>(string reason, string requested, string? served, decimal cost, bool estimated, long started)
        where T : class =>
        new(false, null, _settings.Redact(reason), requested, served, cost, estimated, _time.GetElapsedTime(started));

    // Hashes a schema by its length, not its (long) text: schemas are few, and equality still compares them in full.
    private readonly record struct OptionsKey(string Name, string Schema, int MaxOutputTokens)
    {
        public bool Equals(OptionsKey other) =>
            MaxOutputTokens == other.MaxOutputTokens && string.Equals(Name, other.Name, StringComparison.Ordinal)
            && string.Equals(Schema, other.Schema, StringComparison.Ordinal);

        public override int GetHashCode() => HashCode.Combine(Name, Schema.Length, MaxOutputTokens);
    }

    private sealed record AttemptResult(
        FailureClass Failure, GatewayAttempt Record, string? Content, TokenUsage Usage, decimal CostUsd, bool CostEstimated, TimeSpan? RetryAfter) : IModelAttempt;

    private sealed record ChainOutcome<T>(
        T? Value, string? Failure, string? ServedModel, List<GatewayAttempt> Attempts, TokenUsage Usage, decimal CostUsd, bool CostEstimated, bool InvalidJson)
        where T : class;
}
