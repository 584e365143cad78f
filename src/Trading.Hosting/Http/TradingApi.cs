using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Trading.Core.Markets;
using Trading.Core.ModelCalls;
using Trading.Gateway.Budgets;
using Trading.Gateway.Routing;
using Trading.Gateway.Telemetry;
using Trading.Hosting.Scheduling;
using Trading.Pipeline.Activities;
using Trading.Pipeline.Council;
using Trading.Pipeline.Journal;
using Trading.Pipeline.Orchestration;
using Trading.Pipeline.State;

namespace Trading.Hosting.Http;

/// <summary>An HTTP answer independent of the host: status code, JSON body, extra headers.</summary>
public sealed record ApiResponse(int StatusCode, string Json, IReadOnlyDictionary<string, string> Headers)
{
    // Responses are application/json, never HTML: quotes and apostrophes in messages stay readable.
    private static readonly JsonSerializerOptions ResponseJson = new(JsonSerializerDefaults.Web) { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    internal static ApiResponse Of(int status, object body, IReadOnlyDictionary<string, string>? headers = null) =>
        new(status, JsonSerializer.Serialize(body, ResponseJson), headers ?? new Dictionary<string, string>());

    internal static ApiResponse Error(int status, string message) => Of(status, new { error = message });
}

/// <summary>
/// The HTTP API as plain functions of (path parameters, body text) → <see cref="ApiResponse"/>, shared by the Functions app and
/// the local host (<see cref="TradingApiEndpoints.MapTradingApi"/>). Bad input gives 400 with a message naming the problem; no
/// response carries a key, a connection string or an account identifier.
/// </summary>
public sealed class TradingApi
{
    /// <summary>Largest accepted request body, in characters.</summary>
    public const int MaxBodyLength = 4_096;

    private const int MaxReasonLength = 500;
    private const int MaxActiveRunsShown = 20;
    private readonly IRunLauncher _launcher;
    private readonly HaltSwitch _halt;
    private readonly RunJournalStore _journal;
    private readonly PositionBook _positions;
    private readonly IBroker _broker;
    private readonly IMarketData _market;
    private readonly IModelGateway? _gateway;
    private readonly BudgetLedger? _ledger;
    private readonly GatewayTelemetryReader? _calls;
    private readonly TradingCalendar _calendar;
    private readonly PipelineOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>
    /// The API over a host's <see cref="IRunLauncher"/>: the local host registers its engine's; the Functions app creates one per
    /// request over the invocation's DurableTaskClient. The gateway, its budget ledger and its call records are optional (the
    /// status then says what is unavailable).
    /// </summary>
    public TradingApi(
        IRunLauncher launcher,
        HaltSwitch halt,
        RunJournalStore journal,
        PositionBook positions,
        IBroker broker,
        IMarketData market,
        TradingCalendar calendar,
        PipelineOptions options,
        TimeProvider time,
        IModelGateway? gateway = null,
        BudgetLedger? ledger = null,
        GatewayTelemetryReader? calls = null,
        ILogger<TradingApi>? logger = null)
    {
        _launcher = launcher ?? throw new ArgumentNullException(nameof(launcher));
        _halt = halt ?? throw new ArgumentNullException(nameof(halt));
        _journal = journal ?? throw new ArgumentNullException(nameof(journal));
        _positions = positions ?? throw new ArgumentNullException(nameof(positions));
        _broker = broker ?? throw new ArgumentNullException(nameof(broker));
        _market = market ?? throw new ArgumentNullException(nameof(market));
        _calendar = calendar ?? throw new ArgumentNullException(nameof(calendar));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _gateway = gateway;
        _ledger = ledger;
        _calls = calls;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>GET /api/status.</summary>
    public async Task<ApiResponse> GetStatusAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var gateway = _gateway;
        var body = new Dictionary<string, object?>
        {
            ["asOfUtc"] = now,
            ["halted"] = await SectionAsync("halt switch", async ct =>
            {
                var halt = await _halt.GetAsync(ct);
                return new { halt.Halted, reason = halt.Halted ? halt.Reason : null, changedUtc = halt.ChangedUtc == default ? (DateTimeOffset?)null : halt.ChangedUtc };
            }, cancellationToken),
            ["mode"] = new
            {
                marketSimulated = _market.IsSimulated,
                brokerSimulated = _broker.IsSimulated,
                gatewayOnline = gateway?.IsOnline ?? false,
                decisions = gateway?.IsOnline == true ? "models" : OfflineRules.Label,
            },
            ["account"] = await SectionAsync("account", AccountAsync, cancellationToken),
            ["openPositions"] = await SectionAsync("positions", PositionsAsync, cancellationToken),
            ["alerts"] = await SectionAsync("alerts", ct => AlertsAsync(now, ct), cancellationToken),
            ["llm"] = await SectionAsync("llm", ct => LlmAsync(now, ct), cancellationToken),
            ["activeRuns"] = await SectionAsync("active runs", ActiveRunsAsync, cancellationToken),
            ["lastRuns"] = await SectionAsync("runs", RecentRunsAsync, cancellationToken),
            ["nextRuns"] = new
            {
                entry = _calendar.NextSlots(RunKinds.Entry, now, 3).Select(s => new { s.SlotUtc, s.InstanceId }),
                manage = _calendar.NextSlots(RunKinds.Manage, now, 3).Select(s => new { s.SlotUtc, s.InstanceId }),
            },
        };
        return ApiResponse.Of(200, body);
    }

    /// <summary>POST /api/runs with an optional body {"dryRun": true}: 202 with the instance id, 409 while a run is active or trading is halted.</summary>
    public async Task<ApiResponse> StartRunAsync(string? body, CancellationToken cancellationToken)
    {
        if (!TryReadObject(body, ["dryRun"], allowEmpty: true, out var fields, out var error))
        {
            return ApiResponse.Error(400, error);
        }

        var dryRun = false;
        if (fields.TryGetValue("dryRun", out var dry))
        {
            if (dry.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                return ApiResponse.Error(400, "'dryRun' must be true or false.");
            }

            dryRun = dry.GetBoolean();
        }

        var halt = await _halt.GetAsync(cancellationToken);
        if (halt.Halted)
        {
            return ApiResponse.Error(409, $"Trading is halted ({halt.Reason}); POST /api/resume first.");
        }

        var active = await _launcher.ActiveInstancesAsync(RunKinds.Entry, cancellationToken);
        if (active.Count > 0)
        {
            return ApiResponse.Of(409, new { error = "A run is in progress.", instanceId = active[0], statusUrl = StatusUrl(active[0]) });
        }

        var instanceId = RunInstanceIds.ForManual(_time.GetUtcNow());
        var start = await _launcher.StartAsync(RunKinds.Entry, instanceId, new RunRequest { RunId = instanceId, Trigger = RunTriggers.Manual, DryRun = dryRun }, cancellationToken);
        if (start.Outcome != RunStartOutcome.Started)
        {
            return ApiResponse.Of(409, new { error = start.Detail, instanceId, statusUrl = StatusUrl(instanceId) });
        }

        return ApiResponse.Of(202, new { instanceId, dryRun, status = RunStatuses.Pending, statusUrl = StatusUrl(instanceId) },
            new Dictionary<string, string> { ["Location"] = StatusUrl(instanceId) });
    }

    /// <summary>GET /api/runs/{id}: the instance's status and, once recorded, its journal.</summary>
    public async Task<ApiResponse> GetRunAsync(string? instanceId, CancellationToken cancellationToken)
    {
        if (!RunInstanceIds.IsValid(instanceId))
        {
            return ApiResponse.Error(400, "Invalid run id: use 1-100 letters, digits, '-', ':', '_' or '.', starting with a letter or digit.");
        }

        var status = await _launcher.GetStatusAsync(instanceId!, cancellationToken);
        var journal = await _journal.GetAsync(instanceId!, cancellationToken);
        if (status is null && journal is null)
        {
            return ApiResponse.Error(404, $"No run '{instanceId}'.");
        }

        return ApiResponse.Of(200, new { instanceId, status, journal });
    }

    /// <summary>POST /api/halt with {"reason": "..."}: stops new entry runs until resumed.</summary>
    public Task<ApiResponse> HaltAsync(string? body, CancellationToken cancellationToken) => SetHaltAsync(true, body, cancellationToken);

    /// <summary>POST /api/resume with {"reason": "..."}.</summary>
    public Task<ApiResponse> ResumeAsync(string? body, CancellationToken cancellationToken) => SetHaltAsync(false, body, cancellationToken);

    private async Task<ApiResponse> SetHaltAsync(bool halted, string? body, CancellationToken cancellationToken)
    {
        if (!TryReadObject(body, ["reason"], allowEmpty: false, out var fields, out var error))
        {
            return ApiResponse.Error(400, error);
        }

        if (!fields.TryGetValue("reason", out var reasonElement) || reasonElement.ValueKind != JsonValueKind.String)
        {
            return ApiResponse.Error(400, "'reason' is required and must be a string.");
        }

        var reason = reasonElement.GetString()!.Trim();
        if (reason.Length == 0 || reason.Length > MaxReasonLength || reason.Any(char.IsControl))
        {
            return ApiResponse.Error(400, string.Create(CultureInfo.InvariantCulture, $"'reason' must be 1-{MaxReasonLength} characters without control characters."));
        }

        var state = await _halt.SetAsync(halted, reason, cancellationToken);
        _logger.LogWarning("Trading {Action}: {Reason}", halted ? "HALTED" : "resumed", reason);
        return ApiResponse.Of(200, new { state.Halted, state.Reason, state.ChangedUtc });
    }

    /// <summary>Parses an optional JSON object body, rejecting unknown fields; every failure has a message for the caller.</summary>
    internal static bool TryReadObject(
        string? body, IReadOnlyCollection<string> allowed, bool allowEmpty, out Dictionary<string, JsonElement> fields, out string error)
    {
        fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        error = string.Empty;
        if (string.IsNullOrWhiteSpace(body))
        {
            error = allowEmpty ? string.Empty : $"A JSON body is required: {{{string.Join(", ", allowed.Select(a => $"\"{a}\": ..."))}}}.";
            return allowEmpty;
        }

        if (body.Length > MaxBodyLength)
        {
            error = string.Create(CultureInfo.InvariantCulture, $"The body is longer than {MaxBodyLength} characters.");
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                error = $"The body must be a JSON object, not {document.RootElement.ValueKind}.";
                return false;
            }

            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (!allowed.Contains(property.Name))
                {
                    error = $"Unknown field '{Printable(property.Name)}'; allowed: {string.Join(", ", allowed)}.";
                    return false;
                }

                if (!fields.TryAdd(property.Name, property.Value.Clone()))
                {
                    error = $"Field '{property.Name}' appears twice.";
                    return false;
                }
            }

            return true;
        }
        catch (JsonException e)
        {
            error = $"The body is not valid JSON: {e.Message}";
            return false;
        }
    }

    private static string Printable(string text) =>
        new(text.Take(40).Select(c => char.IsControl(c) ? '?' : c).ToArray());

    private static string StatusUrl(string instanceId) => "/api/runs/" + Uri.EscapeDataString(instanceId);

    private async Task<object?> SectionAsync(string name, Func<CancellationToken, Task<object?>> section, CancellationToken cancellationToken)
    {
        try
        {
            return await section(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // One failing source (broker down, storage gone) must not hide the rest of the status, nor be shown as a value:
            // the section says it is unavailable, with one line of why (no stack trace: the log gets the same line).
            var why = FirstLine(e.Message);
            _logger.LogWarning("Status section {Section} unavailable: {Error}: {Message}", name, e.GetType().Name, why);
            return new { unavailable = $"{name} could not be read: {e.GetType().Name}: {why}" };
        }
    }

    private static string FirstLine(string message)
    {
        var line = message.Split('\n', 2)[0].Trim();
        return line.Length <= 200 ? line : line[..200] + "…";
    }

    private async Task<object?> AccountAsync(CancellationToken cancellationToken)
    {
        var account = await _broker.GetAccountAsync(cancellationToken);
        return new
        {
            account.Equity,
            account.LastEquity,
            dayChange = account.Equity - account.LastEquity,
            account.Cash,
            account.BuyingPower,
            account.OptionsBuyingPower,
            account.IsPaper,
            simulated = _broker.IsSimulated,
        };
    }

    private async Task<object?> PositionsAsync(CancellationToken cancellationToken)
    {
        var active = await _positions.ActiveAsync(cancellationToken);
        var held = (await _broker.GetPositionsAsync(cancellationToken)).ToDictionary(p => p.Symbol.ToString(), StringComparer.Ordinal);
        return active.Select(p => new
        {
            p.PositionId,
            p.State,
            p.Symbol,
            p.Variant,
            p.Expiration,
            p.Contracts,
            entryCredit = p.EntryCredit ?? p.LimitCredit,
            legs = p.Legs.Select(l => $"{l.Side} {l.Symbol}"),
            unrealizedPnlDollars = p.State == PositionStates.Opening ? (decimal?)null : p.Legs.Sum(l => held.TryGetValue(l.Symbol, out var h) ? h.UnrealizedPnl : 0m),
            alert = p.Alert,
            p.OpenedUtc,
        }).ToArray();
    }

    /// <summary>What a person should look at: positions with an alert (an inconsistent fill, held past expiration), open or closed this week.</summary>
    private async Task<object?> AlertsAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var positions = await _positions.AllAsync(cancellationToken);
        return positions
            .Where(p => p.Alert is not null && (PositionStates.IsActive(p.State) || p.ClosedUtc is null || p.ClosedUtc > now.AddDays(-7)))
            .OrderByDescending(p => p.ClosedUtc ?? p.OpenedUtc)
            .Select(p => new { p.PositionId, p.State, alert = p.Alert })
            .ToArray();
    }

    private async Task<object?> LlmAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var ledger = _ledger;
        var reader = _calls;
        if (ledger is null)
        {
            return new { unavailable = "no budget ledger registered" };
        }

        var budget = await ledger.GetStatusAsync(cancellationToken);
        var day = DateOnly.ParseExact(BudgetWindow.DayOf(now, ledger.TimeZone).Key, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        var summary = reader is null ? null : await reader.GetDailySummaryAsync(day, cancellationToken);
        return new
        {
            today = new { window = budget.Day.Key, spentUsd = budget.DaySpend.SettledUsd, reservedUsd = budget.DaySpend.ReservedUsd, limitUsd = budget.DaySpend.LimitUsd, remainingUsd = budget.DaySpend.RemainingUsd },
            month = new { window = budget.Month.Key, spentUsd = budget.MonthSpend.SettledUsd, reservedUsd = budget.MonthSpend.ReservedUsd, limitUsd = budget.MonthSpend.LimitUsd, remainingUsd = budget.MonthSpend.RemainingUsd },
            callsToday = summary?.Calls ?? 0,
            callsByModel = summary?.ByModel.Select(g => new { model = g.Key, g.Calls, g.Failures, g.CostUsd }) ?? [],
        };
    }

    /// <summary>Runs pending or running on the engine, each with its progress (the orchestration's custom status).</summary>
    private async Task<object?> ActiveRunsAsync(CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        foreach (var kind in new[] { RunKinds.Entry, RunKinds.Manage })
        {
            ids.AddRange(await _launcher.ActiveInstancesAsync(kind, cancellationToken));
        }

        var runs = new List<object>();
        foreach (var id in ids.Order(StringComparer.Ordinal).Take(MaxActiveRunsShown))
        {
            if (await _launcher.GetStatusAsync(id, cancellationToken) is { } run)
            {
                runs.Add(new { run.InstanceId, run.Kind, run.Status, run.CreatedUtc, run.Progress });
            }
        }

        return runs;
    }

    private async Task<object?> RecentRunsAsync(CancellationToken cancellationToken)
    {
        var runs = await _journal.RecentAsync(_options.StatusRecentRuns, cancellationToken);
        return runs.Select(Summarize).ToArray();
    }

    private static object Summarize(RunJournal j) => new
    {
        j.InstanceId,
        j.Kind,
        j.Trigger,
        j.DryRun,
        j.RecordedUtc,
        j.StartedUtc,
        j.EndedUtc,
        j.EndReason,
        j.EndDetail,
        j.DecisionMode,
        j.LlmCostUsd,
        j.OrderId,
        verdicts = j.Stages.Select(s => $"{s.Stage}: {s.Verdict}"),
        simulated = j.MarketSimulated || j.BrokerSimulated,
    };
}
