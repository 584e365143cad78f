using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Trading.Core.Condors;
using Trading.Core.Memory;
using Trading.Core.Markets;
using Trading.Core.Options;
using Trading.Core.ModelCalls;
using Trading.Core.Strategy;
using StrategySelection = Trading.Pipeline.Orchestration.StrategySelection;
using Trading.Lessons.Retrieval;
using Trading.Pipeline.Council;
using Trading.Pipeline.Journal;
using Trading.Pipeline.Orchestration;
using Trading.Pipeline.State;

namespace Trading.Pipeline.Activities;

/// <summary>
/// The entry run's activities. Each takes and returns a stage DTO; all I/O (market, broker, gateway, tables) happens here,
/// never in the orchestration.
/// </summary>
public sealed class EntryActivities
{
    private readonly IMarketData _market;
    private readonly IBroker _broker;
    private readonly IModelGateway _gateway;
    private readonly LessonRetriever? _lessons;
    private readonly HaltSwitch _halt;
    private readonly TradeMemoryStore _memory;
    private readonly PositionBook _positions;
    private readonly RunJournalStore _journal;
    private readonly VolatilityHistoryStore _volatility;
    private readonly EntryRiskCheck _risk;
    private readonly ThompsonSampler _sampler;
    private readonly MemorySettings _memorySettings;
    private readonly PipelineTables _tables;
    private readonly PipelineOptions _options;
    private readonly CondorSettings _condor;
    private readonly CouncilOptions _council;
    private readonly ExecutionOptions _execution;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    private const int VolatilityHorizonDays = 30;

    public EntryActivities(
        IMarketData market,
        IBroker broker,
        IModelGateway gateway,
        LessonRetriever? lessons,
        PipelineTables tables,
        HaltSwitch halt,
        EntryRiskCheck risk,
        SamplerSettings sampler,
        MemorySettings memory,
        PipelineOptions options,
        CondorSettings condor,
        CouncilOptions council,
        ExecutionOptions execution,
        TimeProvider time,
        ILogger<EntryActivities>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(tables);
        _market = market ?? throw new ArgumentNullException(nameof(market));
        _broker = broker ?? throw new ArgumentNullException(nameof(broker));
        _gateway = gateway ?? throw new ArgumentNullException(nameof(gateway));
        _lessons = lessons;
        _halt = halt ?? throw new ArgumentNullException(nameof(halt));
        _tables = tables;
        _memory = new TradeMemoryStore(tables, sampler ?? throw new ArgumentNullException(nameof(sampler)));
        _sampler = new ThompsonSampler(sampler);
        _memorySettings = memory ?? throw new ArgumentNullException(nameof(memory));
        _positions = new PositionBook(tables);
        _journal = new RunJournalStore(tables);
        _volatility = new VolatilityHistoryStore(tables);
        _risk = risk ?? throw new ArgumentNullException(nameof(risk));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _condor = condor ?? throw new ArgumentNullException(nameof(condor));
        _council = council ?? throw new ArgumentNullException(nameof(council));
        _execution = execution ?? throw new ArgumentNullException(nameof(execution));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>MarketSnapshot: quote, realized volatility and regime, account equity, market clock and the halt switch.</summary>
    public async Task<MarketSnapshot> MarketSnapshotAsync(RunRequest run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        var now = _time.GetUtcNow();
        var halt = await _halt.GetAsync(cancellationToken);
        var clock = await _market.GetClockAsync(cancellationToken);
        var quote = await _market.GetQuoteAsync(_options.Symbol, cancellationToken);
        var today = Trading.Markets.Calendar.EasternTime.DateOf(now);
        var bars = await _market.GetDailyBarsAsync(_options.Symbol, today.AddDays(-400), today, cancellationToken);
        var closes = bars.OrderBy(b => b.Time).Select(b => b.Close).ToArray();
        var account = await _broker.GetAccountAsync(cancellationToken);
        await UpdatePeakEquityAsync(account.Equity, now, cancellationToken);
        var realized = Math.Round(MarketMeasures.RealizedVolPct(closes), 2);
        var ret20 = Math.Round(MarketMeasures.ReturnPct(closes), 2);
        var regime = MarketMeasures.Classify(realized, ret20);
        string? block = halt.Halted ? $"halted: {halt.Reason}"
            : !clock.IsOpen && _options.RequireMarketOpen ? string.Create(CultureInfo.InvariantCulture, $"market closed (next open {clock.NextOpen:u})")
            : account.TradingBlocked ? "the broker account is blocked from trading"
            : null;
        var simulated = _market.IsSimulated || _broker.IsSimulated ? " [SIMULATED]" : string.Empty;
        return new MarketSnapshot
        {
            RunId = run.RunId,
            Symbol = _options.Symbol,
            AsOf = now,
            UnderlyingPrice = quote.Mid,
            Regime = regime.ToString(),
            RealizedVol20Pct = realized,
            RealizedVolRankPct = MarketMeasures.RealizedVolRankPct(closes),
            Return20Pct = ret20,
            MarketOpen = clock.IsOpen,
            Equity = account.Equity,
            Halted = halt.Halted,
            HaltReason = halt.Halted ? halt.Reason : null,
            EntryAllowed = block is null,
            BlockReason = block,
            MarketSimulated = _market.IsSimulated,
            BrokerSimulated = _broker.IsSimulated,
            Summary = string.Create(CultureInfo.InvariantCulture,
                $"{_options.Symbol} {quote.Mid:0.00}, regime {regime}, realized vol {realized:0.0}%, 20-session {ret20:+0.0;-0.0}%, equity ${account.Equity:0}, market {(clock.IsOpen ? "open" : "closed")}{(block is null ? string.Empty : "; " + block)}{simulated}"),
        };
    }

    /// <summary>AnalyzeMarket: a MEDIUM "technical_analysis" call, or the offline rules.</summary>
    public async Task<MarketAnalysis> AnalyzeMarketAsync(SnapshotInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var offline = OfflineRules.Analyze(input.Snapshot);
        if (!_gateway.IsOnline)
        {
            return offline;
        }

        var call = new ModelCall("technical_analysis", input.Run.RunId, ModelPrompts.AnalysisSystem, ModelPrompts.SnapshotFacts(input.Snapshot),
            ModelPrompts.AnalysisSchemaName, ModelPrompts.AnalysisSchema, input.Run.RunId + ":technical_analysis", 400);
        var answer = await _gateway.CompleteJsonAsync<JsonObject>(call, cancellationToken);
        var usage = Usage("technical_analysis", answer);
        var outlook = answer.Value?["outlook"] is JsonValue o && o.GetValueKind() == JsonValueKind.String ? o.GetValue<string>() : null;
        var summary = answer.Value?["summary"] is JsonValue s && s.GetValueKind() == JsonValueKind.String ? s.GetValue<string>() : null;
        if (!answer.Succeeded || outlook is not ("neutral" or "bullish" or "bearish") || summary is null)
        {
            // Advisory only: an unusable analysis falls back to the rules' read, labelled as such.
            return offline with { Usage = [usage], Summary = $"model analysis unusable ({answer.FailureReason ?? "bad shape"}); {offline.Summary}" };
        }

        var model = answer.ServedModel ?? answer.RequestedModel;
        return new MarketAnalysis
        {
            Outlook = outlook,
            DecidedBy = model,
            Summary = $"{model}: {outlook}; {Truncate(summary, 300)}",
            Usage = [usage],
        };
    }

    /// <summary>SelectStrategy: the Thompson draw (seeded by the run id) and the condor built for the chosen variant.</summary>
    public async Task<StrategySelection> SelectStrategyAsync(SnapshotInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var regime = Enum.Parse<MarketRegime>(input.Snapshot.Regime);
        var now = _time.GetUtcNow();
        var variants = _options.VariantList;
        var posteriors = new List<BetaPosterior>();
        foreach (var variant in variants)
        {
            posteriors.Add((await _memory.GetArmAsync(_options.Strategy, variant.Id, cancellationToken)).ToPosterior());
        }

        // Seeded by the run id: a replayed or resumed run draws the same numbers (reproducibility, not secrecy, is the point).
        var random = new Random(StrategySampler.SeedOf(input.Run.RunId));
        var draw = _sampler.Select(posteriors, regime, random, now).Best;
        var chosen = variants.First(v => v.Id == draw.VariantId);
        var scaled = Math.Round(draw.Score, 4);
        var label = draw.Label.ToString().ToUpperInvariant();
        var entryReason = input.Snapshot.Regime.ToLowerInvariant() + "_regime";
        var today = Trading.Markets.Calendar.EasternTime.DateOf(now);
        // From a little before 30 days: the 30-day volatility is interpolated between the expirations either side of it.
        var firstExpiry = today.AddDays(Math.Max(1, Math.Min(_condor.MinDte, VolatilityHorizonDays) - 10));
        var chain = await _market.GetOptionChainAsync(_options.Symbol, firstExpiry, today.AddDays(Math.Max(_condor.MaxDte, VolatilityHorizonDays + 1)), cancellationToken);
        var build = new IronCondorBuilder(_condor).Build(chain, now, chosen);
        var atm = AtTheMoneyVolatility.Compute(chain, _condor.RiskFreeRatePct / 100, _condor.DividendYieldPct / 100, VolatilityHorizonDays);
        if (atm.Succeeded)
        {
            await _volatility.RecordAsync(_options.Symbol, new DailyImpliedVolatility(today, Math.Round(atm.VolatilityPct, 2)), cancellationToken);
        }

        var selection = new StrategySelection
        {
            Strategy = _options.Strategy,
            Variant = chosen.Id,
            Draw = Math.Round(draw.Draw, 4),
            RegimeScaledScore = scaled,
            Label = label,
            ClosedTradesForVariant = draw.ClosedTrades,
            EntryReason = entryReason,
            AtmVolatilityPct = atm.Succeeded ? Math.Round(atm.VolatilityPct, 2) : null,
        };
        if (!build.Succeeded || build.Condor is null)
        {
            return selection with { Summary = $"variant {chosen.Id} ({label}, score {scaled:0.00}): no condor — {build.Refusal}" };
        }

        var proposal = ProposalMapping.ToProposal(build.Condor);
        return selection with
        {
            Proposal = proposal,
            Summary = string.Create(CultureInfo.InvariantCulture,
                $"variant {chosen.Id} ({label}, draw {draw.Draw:0.00} × regime {draw.RegimeMultiplier} = {scaled:0.00}): {proposal.Describe()}"),
        };
    }

    /// <summary>RecallTradeMemory: the verdict of past trades with a similar setup.</summary>
    public async Task<MemoryRecall> RecallTradeMemoryAsync(ProposalInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var outcomes = await _memory.OutcomesAsync(input.Strategy.Strategy, cancellationToken);
        var assessment = TradeMemory.Assess(outcomes, new TradeMemoryQuery(input.Strategy.Variant, input.Snapshot.Symbol, input.Strategy.EntryReason), _memorySettings);
        var verdict = VerdictName(assessment.Verdict);
        return new MemoryRecall
        {
            Verdict = verdict,
            MatchLevel = assessment.Match.ToString(),
            MatchedTrades = assessment.Trades,
            WinRate = Math.Round(assessment.WinRate, 4),
            MeanPnlDollars = decimal.Round(assessment.MeanPnl, 2),
            Summary = $"{verdict}: {assessment.Message}",
        };
    }

    /// <summary>The reference system's verdict names (STRONG_AVOID…).</summary>
    public static string VerdictName(TradeMemoryVerdict verdict) => verdict switch
    {
        TradeMemoryVerdict.NoHistory => "NO_HISTORY",
        TradeMemoryVerdict.InsufficientData => "INSUFFICIENT_DATA",
        TradeMemoryVerdict.StrongProceed => "STRONG_PROCEED",
        TradeMemoryVerdict.Proceed => "PROCEED",
        TradeMemoryVerdict.Neutral => "NEUTRAL",
        TradeMemoryVerdict.Avoid => "AVOID",
        _ => "STRONG_AVOID",
    };

    /// <summary>RetrieveLessons: top lessons for the setup and the blocking rule.</summary>
    public async Task<LessonsRecall> RetrieveLessonsAsync(ProposalInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (_lessons is null)
        {
            return new LessonsRecall { Summary = "no lessons library configured" };
        }

        var query = new LessonQuery
        {
            Text = $"{input.Strategy.Strategy.Replace('_', ' ')} {input.Snapshot.Symbol} {input.Snapshot.Regime} regime {input.Strategy.Variant} entry",
            Strategy = input.Strategy.Strategy,
            Ticker = input.Snapshot.Symbol,
            RunId = input.Run.RunId,
        };
        var results = await _lessons.RetrieveAsync(query, cancellationToken);
        var lessons = results.Hits.Select(h => new LessonReference
        {
            Id = h.LessonId,
            Title = h.Title,
            Severity = h.Severity.ToString().ToUpperInvariant(),
            Status = h.Status.ToString().ToUpperInvariant(),
            Score = Math.Round(h.Score, 4),
            Prevention = h.Snippet,
        }).ToArray();
        var blocked = results.Block is not null;
        return new LessonsRecall
        {
            Lessons = lessons,
            Blocked = blocked,
            BlockingLesson = results.Block?.Reason,
            Summary = blocked
                ? $"BLOCKED by {results.Block!.LessonId}: {results.Block.Title}"
                : $"{lessons.Length} lesson(s) ({results.Mode}): {string.Join("; ", lessons.Select(l => l.Title))}",
        };
    }

    /// <summary>AssessRisk: the hard limits. No model can override a rejection.</summary>
    public async Task<RiskAssessment> AssessRiskAsync(ProposalInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Strategy.Proposal is null)
        {
            return new RiskAssessment { Approved = false, Violations = ["no proposal"], Summary = "rejected: no proposal" };
        }

        var account = await _broker.GetAccountAsync(cancellationToken);
        var positions = await _positions.AllAsync(cancellationToken);
        var halt = await _halt.GetAsync(cancellationToken);
        var clock = await _market.GetClockAsync(cancellationToken);
        var marks = (await _tables.Control.GetAsync<EquityMarks>("control", "equity-marks", cancellationToken))?.Value;
        var now = _time.GetUtcNow();
        var history = await VolatilityHistoryAsync(input.Snapshot.Symbol, Trading.Markets.Calendar.EasternTime.DateOf(now), cancellationToken);
        var assessment = _risk.Assess(input, account, positions, halt, marks?.PeakEquity ?? account.Equity, clock.IsOpen, now, history);
        if (assessment.HaltedUntilResumed && !halt.Halted)
        {
            // The drawdown limit does not clear by itself: it sets the kill switch, which only a person resumes.
            await _halt.SetAsync(true, $"drawdown limit reached in run {input.Run.RunId}", cancellationToken);
        }

        return assessment;
    }

    /// <summary>
    /// The stored implied-volatility history before <paramref name="today"/>; a market that knows its past (the simulator) fills
    /// a short history first, a live one builds it a snapshot a day.
    /// </summary>
    private async Task<IReadOnlyList<DailyImpliedVolatility>> VolatilityHistoryAsync(string symbol, DateOnly today, CancellationToken cancellationToken)
    {
        var history = await _volatility.BeforeAsync(symbol, today, ImpliedVolatilityRank.LookbackDays, cancellationToken);
        if (history.Count >= ImpliedVolatilityRank.LookbackDays || _market is not IImpliedVolatilityHistory source)
        {
            return history;
        }

        var known = history.Select(h => h.Date).ToHashSet();
        var backfill = source.AtmIv30History(today.AddDays(-380), today.AddDays(-1)).Where(d => !known.Contains(d.Date)).ToArray();
        if (backfill.Length == 0)
        {
            return history;
        }

        foreach (var day in backfill)
        {
            await _volatility.RecordAsync(symbol, day, cancellationToken);
        }

        return await _volatility.BeforeAsync(symbol, today, ImpliedVolatilityRank.LookbackDays, cancellationToken);
    }

    /// <summary>ConveneCouncil: every member votes (models, or the offline rules); invalid votes abstain.</summary>
    public async Task<CouncilVerdict> ConveneCouncilAsync(DeliberationInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var members = _council.MemberList;
        if (!_gateway.IsOnline)
        {
            var rulesVotes = members.Select(m => OfflineRules.Vote(m, input)).ToArray();
            return CouncilAggregation.Aggregate(rulesVotes, _council, OfflineRules.Label, []);
        }

        var facts = ModelPrompts.Facts(input, includeCouncil: false);
        // No model holds two seats: each member's call avoids the models planned for the others, fallbacks included.
        var seats = members.ToDictionary(m => m, _gateway.PlannedModel, StringComparer.Ordinal);
        var answers = await Task.WhenAll(members.Select(async member =>
        {
            var others = seats.Where(s => s.Key != member && s.Value.Length > 0 && s.Value != seats[member]).Select(s => s.Value).ToArray();
            var call = new ModelCall(member, input.Run.RunId, ModelPrompts.VoteSystem(member), facts,
                ModelPrompts.VoteSchemaName, ModelPrompts.VoteSchema, input.Run.RunId + ":" + member, 600, others);
            try
            {
                var answer = await _gateway.CompleteJsonAsync<JsonObject>(call, cancellationToken);
                var model = answer.ServedModel ?? answer.RequestedModel;
                var vote = answer.Succeeded
                    ? ModelAnswers.ReadVote(member, model, answer.Value)
                    : new CouncilVote { Member = member, DecidedBy = model, Valid = false, AbstainReason = answer.FailureReason ?? "call failed" };
                return (Vote: vote, Usage: Usage(member, answer));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A member that cannot be asked abstains; it never turns into an approval.
                _logger.LogWarning("Council member {Member} failed: {Error}", member, e.Message);
                return (Vote: new CouncilVote { Member = member, DecidedBy = "-", Valid = false, AbstainReason = $"call failed: {e.GetType().Name}" },
                    Usage: new ModelUsage { TaskType = member, Succeeded = false, FailureReason = e.GetType().Name });
            }
        }));
        return CouncilAggregation.Aggregate(answers.Select(a => a.Vote).ToArray(), _council, "models", answers.Select(a => a.Usage).ToArray());
    }

    /// <summary>DecideExecution: the CRITICAL "trade_execution" call (or the offline rules), with its limit price validated.</summary>
    public async Task<ExecutionDecision> DecideExecutionAsync(DeliberationInput input, CancellationToken cancellationToken)
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
        return SizedAtLimit(decision, input) with { Usage = [Usage("trade_execution", answer)] };
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

    /// <summary>
    /// PlaceOrder: one multi-leg limit order for a credit. Idempotent: the client order id is derived from the run id, so a
    /// retry after the broker accepted returns the existing order, and the position is recorded once.
    /// </summary>
    public async Task<OrderPlacement> PlaceOrderAsync(OrderRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var proposal = request.Strategy.Proposal ?? throw new InvalidOperationException("PlaceOrder needs a proposal.");
        var clientOrderId = ClientOrderIds.Entry(request.Run.RunId);
        var legs = ProposalMapping.OpeningLegs(proposal);
        var maxLossAtLimit = request.Contracts * (proposal.WingWidthDollars - request.LimitCredit) * 100m;
        if (request.Contracts < 1 || maxLossAtLimit > request.Risk.MaxLossBudgetDollars)
        {
            // The last hard limit before money moves: whatever produced this request, its worst case must fit the risk budget.
            return new OrderPlacement
            {
                Placed = false,
                ClientOrderId = clientOrderId,
                Status = "refused",
                RejectReason = string.Create(CultureInfo.InvariantCulture,
                    $"risk: {request.Contracts} contract(s) at a {request.LimitCredit:0.00} credit can lose ${maxLossAtLimit:0}, more than the approved ${request.Risk.MaxLossBudgetDollars:0}"),
                Summary = "refused before sending: the order's worst case exceeds the risk budget",
            };
        }

        BrokerOrder order;
        try
        {
            order = await _broker.GetOrderByClientIdAsync(clientOrderId, cancellationToken)
                ?? await _broker.PlaceOrderAsync(MultiLegOrder.OpenForCredit(clientOrderId, request.Contracts, request.LimitCredit, legs), cancellationToken);
        }
        catch (OrderRejectedException e)
        {
            return new OrderPlacement
            {
                Placed = false,
                ClientOrderId = clientOrderId,
                Status = "rejected",
                RejectReason = $"{e.Reason}: {e.Message}",
                Summary = $"broker rejected the order ({e.Reason})",
            };
        }

        var filled = order.Status == OrderStatus.Filled;
        var fill = filled ? MultiLegFill.Credit(order, request.LimitCredit, proposal.WingWidthDollars) : null;
        decimal? fillCredit = fill?.Booked;
        if (fill?.Problem is { } problem)
        {
            _logger.LogWarning("Order {ClientOrderId}: inconsistent fill: {Problem}", clientOrderId, problem);
        }

        var now = _time.GetUtcNow();
        await _positions.TryAddAsync(new PositionRecord
        {
            PositionId = clientOrderId,
            RunId = request.Run.RunId,
            State = filled ? PositionStates.Open : PositionStates.Opening,
            Symbol = proposal.Symbol,
            Strategy = request.Strategy.Strategy,
            Variant = request.Strategy.Variant,
            EntryReason = request.Strategy.EntryReason,
            EntryRegime = request.Snapshot.Regime,
            MemoryVerdictAtEntry = request.Memory.Verdict,
            EntryVolatilityBand = request.Risk.VolatilityBand ?? string.Empty,
            EntryDte = proposal.DaysToExpiration,
            ShortDelta = proposal.TargetShortDelta,
            Expiration = proposal.Expiration,
            Legs = proposal.Legs,
            Contracts = request.Contracts,
            WingWidthDollars = proposal.WingWidthDollars,
            LimitCredit = request.LimitCredit,
            EntryOrderId = order.OrderId,
            EntryCredit = filled ? fillCredit : null,
            OpenedUtc = now,
            EntryFilledUtc = filled ? order.FilledAt ?? now : null,
            SimulatedBroker = _broker.IsSimulated,
            Alert = fill?.Problem is { } p ? "entry fill: " + p : null,
        }, cancellationToken);
        return new OrderPlacement
        {
            Placed = true,
            ClientOrderId = clientOrderId,
            OrderId = order.OrderId,
            Status = order.Status.ToString(),
            FilledQuantity = order.FilledQuantity,
            FilledCredit = fillCredit,
            PositionId = clientOrderId,
            Summary = string.Create(CultureInfo.InvariantCulture,
                $"order {order.OrderId} ({clientOrderId}): {request.Contracts} × condor at {request.LimitCredit:0.00} credit, {order.Status}{(fillCredit is { } f ? $" at {f:0.00}" : string.Empty)}{(fill?.Problem is { } alert ? $"; ALERT: {alert}" : string.Empty)}{(_broker.IsSimulated ? " [SIMULATED broker]" : string.Empty)}"),
        };
    }

    /// <summary>RecordRun: stores the journal (an upsert, so a retry is harmless).</summary>
    public async Task<RunJournal> RecordRunAsync(RunJournal journal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(journal);
        return await _journal.SaveAsync(journal, cancellationToken);
    }

    private async Task UpdatePeakEquityAsync(decimal equity, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var marks = await _tables.Control.GetAsync<EquityMarks>("control", "equity-marks", cancellationToken);
        if (marks is null)
        {
            await _tables.Control.TryAddAsync("control", "equity-marks", new EquityMarks { PeakEquity = equity, UpdatedUtc = now }, cancellationToken);
        }
        else if (equity > marks.Value.PeakEquity)
        {
            // A lost race only delays the new peak to the next run.
            await _tables.Control.TryReplaceAsync("control", "equity-marks", new EquityMarks { PeakEquity = equity, UpdatedUtc = now }, marks.ETag, cancellationToken);
        }
    }

    internal static ModelUsage Usage<T>(string taskType, StructuredCompletion<T> answer)
        where T : class => new()
        {
            TaskType = taskType,
            RequestedModel = answer.RequestedModel,
            ServedModel = answer.ServedModel,
            CostUsd = answer.CostUsd,
            Succeeded = answer.Succeeded,
            FailureReason = answer.FailureReason,
        };

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length] + "…";
}

/// <summary>Client order ids: derived from the run (entry) or the position and attempt (exit), at most 128 characters.</summary>
public static class ClientOrderIds
{
    public static string Entry(string runId) => "ic-" + runId;

    public static string Exit(string positionId, int attempt) => string.Create(CultureInfo.InvariantCulture, $"x{attempt}-{positionId}");
}
