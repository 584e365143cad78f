using System.Globalization;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Trading.Lessons.Corpus;

namespace Trading.Lessons.Drafts;

/// <summary>A trade that has closed, as the position manager reports it.</summary>
public sealed record ClosedTradeOutcome
{
    /// <summary>Stable id of the trade (e.g. the client_order_id of its opening order).</summary>
    public required string TradeId { get; init; }

    /// <summary>The pipeline run that opened the trade; its journal is linked from the draft.</summary>
    public required string RunId { get; init; }

    public required string Strategy { get; init; }

    public required string Ticker { get; init; }

    /// <summary>Realised P&amp;L in dollars (negative for a loss).</summary>
    public required decimal RealizedPnlDollars { get; init; }

    /// <summary>The trade's maximum loss at entry in dollars ((wing width − credit) × 100 × contracts for a condor).</summary>
    public required decimal MaxRiskDollars { get; init; }

    public required DateTimeOffset ClosedAt { get; init; }

    /// <summary>Why it was closed: "stop_loss", "time_exit", "assignment", ...</summary>
    public string ExitReason { get; init; } = "";

    /// <summary>Facts the closing stage knows (regime, VIX, events), copied into the draft.</summary>
    public string Notes { get; init; } = "";
}

/// <summary>Who wrote a draft.</summary>
public static class DraftSources
{
    /// <summary>Written automatically after a large loss.</summary>
    public const string Loss = "loss";
}

/// <summary>A lesson proposed by an agent or a person, to be saved as a draft for review (<see cref="DraftLessonStore.SubmitAsync"/>).</summary>
public sealed record LessonProposal
{
    public required string Title { get; init; }

    /// <summary>Low, Medium or High; never Critical.</summary>
    public required LessonSeverity Severity { get; init; }

    public required string WhatHappened { get; init; }

    public string? RootCause { get; init; }

    public string? Fix { get; init; }

    public string? Prevention { get; init; }

    public string Strategy { get; init; } = "";

    public string Ticker { get; init; } = "";

    /// <summary>The run the lesson is about, if any; linked from the draft.</summary>
    public string? RunId { get; init; }

    /// <summary>Who proposes it (e.g. "mcp:researcher"); part of the draft id.</summary>
    public required string Source { get; init; }
}

/// <summary>A draft lesson awaiting a human: written automatically after a large loss, never part of the corpus itself.</summary>
public sealed record DraftLesson
{
    public required string DraftId { get; init; }

    public required string Title { get; init; }

    /// <summary>Suggested severity; never CRITICAL, because an open CRITICAL lesson blocks trading and that is a human call.</summary>
    public required LessonSeverity SuggestedSeverity { get; init; }

    public required string TradeId { get; init; }

    public required string RunId { get; init; }

    /// <summary>Where the run's journal can be read (from <see cref="LessonsSettings.JournalLinkTemplate"/>).</summary>
    public required string JournalLink { get; init; }

    public required string Strategy { get; init; }

    public required string Ticker { get; init; }

    public required decimal RealizedPnlDollars { get; init; }

    public required decimal LossPctOfMaxRisk { get; init; }

    public required DateTimeOffset ClosedAt { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public string ExitReason { get; init; } = "";

    public string Notes { get; init; } = "";

    /// <summary>Who drafted it: <see cref="DraftSources.Loss"/> (a losing trade) or an agent's or person's name (e.g. "mcp:researcher").</summary>
    public string Source { get; init; } = DraftSources.Loss;

    /// <summary>The four sections as markdown when the draft was written by hand (<see cref="DraftLessonStore.SubmitAsync"/>); empty for loss drafts.</summary>
    public string Body { get; init; } = "";

    /// <summary>
    /// The draft as a corpus file (status open), ready for a human to complete the root cause, fix and prevention and
    /// commit under knowledge/lessons with a final id.
    /// </summary>
    public string ToMarkdown()
    {
        var pnl = RealizedPnlDollars.ToString("0.00", CultureInfo.InvariantCulture);
        var pct = LossPctOfMaxRisk.ToString("0.#", CultureInfo.InvariantCulture);
        var text = new StringBuilder();
        text.Append("---\n")
            .Append("id: ").Append(DraftId).Append('\n')
            .Append("title: ").Append(Title).Append('\n')
            .Append("date: ").Append(ClosedAt.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Append('\n')
            .Append("severity: ").Append(SuggestedSeverity.ToString().ToUpperInvariant()).Append('\n')
            .Append("status: open\n")
            .Append("tags: [draft, ").Append(Source == DraftSources.Loss ? "loss" : "proposed").Append(ExitReason.Length > 0 ? ", " + ExitReason : "").Append("]\n")
            .Append("strategy: ").Append(Strategy).Append('\n')
            .Append("ticker: ").Append(Ticker).Append('\n')
            .Append("---\n\n");
        if (Body.Length > 0)
        {
            return text.Append(Body.TrimEnd()).Append('\n').ToString();
        }

        text.Append("## What happened\n")
            .Append(CultureInfo.InvariantCulture, $"Trade {TradeId} ({Strategy} on {Ticker}) closed on {ClosedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC ")
            .Append(CultureInfo.InvariantCulture, $"with a loss of ${pnl}, {pct}% of its maximum risk")
            .Append(ExitReason.Length > 0 ? $" (exit: {ExitReason})." : ".")
            .Append(CultureInfo.InvariantCulture, $" Run journal: {JournalLink}.")
            .Append(Notes.Length > 0 ? " " + Notes : "").Append("\n\n")
            .Append("## Root cause\nTo be written by a human after reading the run journal.\n\n")
            .Append("## Fix\nTo be written by a human.\n\n")
            .Append("## Prevention\nTo be written by a human.\n");
        return text.ToString();
    }
}

/// <summary>
/// Writes a draft lesson when a trade closes at a loss of at least <see cref="LessonsSettings.DraftLossThresholdPct"/> of
/// its maximum risk, and lists drafts for <c>trading lessons --drafts</c>. Promotion to the corpus is a human step
/// (knowledge/README.md). <see cref="TableDraftLessonStore"/> keeps drafts in Table Storage, <see cref="InMemoryDraftLessonStore"/>
/// in process memory (backtests).
/// </summary>
public abstract class DraftLessonStore
{
    private readonly LessonsSettings _settings;
    private readonly TimeProvider _time;

    protected DraftLessonStore(LessonsSettings settings, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(time);
        _settings = settings;
        _time = time;
    }

    /// <summary>
    /// Writes (idempotently, keyed by the trade) and returns a draft when the loss reaches the threshold; null otherwise.
    /// </summary>
    public async Task<DraftLesson?> RecordIfLossAsync(ClosedTradeOutcome trade, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(trade);
        ArgumentException.ThrowIfNullOrWhiteSpace(trade.TradeId);
        ArgumentException.ThrowIfNullOrWhiteSpace(trade.RunId);
        if (trade.MaxRiskDollars <= 0)
            throw new ArgumentException($"MaxRiskDollars must be positive (was {trade.MaxRiskDollars}) for trade {trade.TradeId}.", nameof(trade));
        if (trade.RealizedPnlDollars >= 0)
            return null;

        var lossPct = Math.Round(-trade.RealizedPnlDollars / trade.MaxRiskDollars * 100m, 2);
        if (lossPct < _settings.DraftLossThresholdPct)
            return null;

        var draft = new DraftLesson
        {
            DraftId = "DRAFT-" + Sanitize(trade.TradeId),
            Title = string.Create(CultureInfo.InvariantCulture,
                $"{trade.Strategy} on {trade.Ticker} lost {lossPct:0.#}% of max risk ({(trade.ExitReason.Length > 0 ? trade.ExitReason : "closed")})"),
            SuggestedSeverity = lossPct >= 2 * _settings.DraftLossThresholdPct ? LessonSeverity.High : LessonSeverity.Medium,
            TradeId = trade.TradeId,
            RunId = trade.RunId,
            JournalLink = _settings.JournalLinkTemplate.Replace("{runId}", Uri.EscapeDataString(trade.RunId), StringComparison.Ordinal),
            Strategy = trade.Strategy,
            Ticker = trade.Ticker,
            RealizedPnlDollars = trade.RealizedPnlDollars,
            LossPctOfMaxRisk = lossPct,
            ClosedAt = trade.ClosedAt,
            CreatedAt = _time.GetUtcNow(),
            ExitReason = trade.ExitReason,
            Notes = trade.Notes,
        };

        await SaveAsync(draft, cancellationToken);
        return draft;
    }

    /// <summary>
    /// Saves a lesson proposed by an agent or a person into the drafts (never the curated corpus): it waits for review like a
    /// loss draft. Severity CRITICAL is refused, because an open CRITICAL lesson blocks trading and that is a human call.
    /// </summary>
    public async Task<DraftLesson> SubmitAsync(LessonProposal proposal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        ArgumentException.ThrowIfNullOrWhiteSpace(proposal.Title);
        ArgumentException.ThrowIfNullOrWhiteSpace(proposal.WhatHappened);
        if (proposal.Severity == LessonSeverity.Critical)
            throw new ArgumentException("A proposed lesson cannot be CRITICAL: an open CRITICAL lesson blocks trading, and that is a reviewer's call.", nameof(proposal));

        var now = _time.GetUtcNow();
        var body = new StringBuilder()
            .Append("## What happened\n").Append(proposal.WhatHappened.Trim()).Append("\n\n")
            .Append("## Root cause\n").Append(OrPending(proposal.RootCause)).Append("\n\n")
            .Append("## Fix\n").Append(OrPending(proposal.Fix)).Append("\n\n")
            .Append("## Prevention\n").Append(OrPending(proposal.Prevention)).Append('\n');
        var runId = proposal.RunId ?? "";
        var draft = new DraftLesson
        {
            DraftId = "DRAFT-" + Sanitize(proposal.Source) + "-" + now.UtcDateTime.ToString("yyyyMMddHHmmssfff", CultureInfo.InvariantCulture),
            Title = proposal.Title.Trim(),
            SuggestedSeverity = proposal.Severity,
            TradeId = "",
            RunId = runId,
            JournalLink = runId.Length == 0 ? "" : _settings.JournalLinkTemplate.Replace("{runId}", Uri.EscapeDataString(runId), StringComparison.Ordinal),
            Strategy = proposal.Strategy,
            Ticker = proposal.Ticker,
            RealizedPnlDollars = 0m,
            LossPctOfMaxRisk = 0m,
            ClosedAt = now,
            CreatedAt = now,
            Source = proposal.Source,
            Body = body.ToString(),
        };
        await SaveAsync(draft, cancellationToken);
        return draft;

        static string OrPending(string? text) => string.IsNullOrWhiteSpace(text) ? "To be written by a human." : text.Trim();
    }

    /// <summary>All drafts, most recently closed first.</summary>
    public async Task<IReadOnlyList<DraftLesson>> ListDraftsAsync(CancellationToken cancellationToken)
    {
        var drafts = await ReadAllAsync(cancellationToken);
        return drafts.OrderByDescending(d => d.ClosedAt).ThenBy(d => d.DraftId, StringComparer.Ordinal).ToList();
    }

    /// <summary>Inserts or replaces the draft with its <see cref="DraftLesson.DraftId"/>.</summary>
    protected abstract Task SaveAsync(DraftLesson draft, CancellationToken cancellationToken);

    /// <summary>Every stored draft, in any order.</summary>
    protected abstract Task<IReadOnlyList<DraftLesson>> ReadAllAsync(CancellationToken cancellationToken);

    private static string Sanitize(string value)
    {
        var key = new StringBuilder(value.Length);
        foreach (var c in value)
            key.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_');
        return key.Length <= 64 ? key.ToString() : key.ToString(0, 64);
    }
}

/// <summary>Draft lessons in Table Storage: partition "draft", row key = draft id.</summary>
public sealed class TableDraftLessonStore : DraftLessonStore
{
    private const string Partition = "draft";
    private readonly TableClient _table;
    private int _created;

    public TableDraftLessonStore(TableClient table, LessonsSettings settings, TimeProvider time)
        : base(settings, time)
    {
        ArgumentNullException.ThrowIfNull(table);
        _table = table;
    }

    /// <inheritdoc />
    protected override async Task SaveAsync(DraftLesson draft, CancellationToken cancellationToken)
    {
        await EnsureTableAsync(cancellationToken);
        await _table.UpsertEntityAsync(DraftRow.From(draft), TableUpdateMode.Replace, cancellationToken);
    }

    /// <inheritdoc />
    protected override async Task<IReadOnlyList<DraftLesson>> ReadAllAsync(CancellationToken cancellationToken)
    {
        await EnsureTableAsync(cancellationToken);
        var drafts = new List<DraftLesson>();
        await foreach (var row in _table.QueryAsync<DraftRow>(TableClient.CreateQueryFilter($"PartitionKey eq {Partition}"), cancellationToken: cancellationToken))
            drafts.Add(row.ToDraft());
        return drafts;
    }

    private async Task EnsureTableAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _created) == 1)
            return;
        await _table.CreateIfNotExistsAsync(cancellationToken);
        Volatile.Write(ref _created, 1);
    }

    /// <summary>The stored form of a draft.</summary>
    public sealed class DraftRow : ITableEntity
    {
        public string PartitionKey { get; set; } = Partition;

        public string RowKey { get; set; } = "";

        public DateTimeOffset? Timestamp { get; set; }

        public ETag ETag { get; set; }

        public string Title { get; set; } = "";

        /// <summary>The <see cref="LessonSeverity"/> by name.</summary>
        public string SuggestedSeverity { get; set; } = nameof(LessonSeverity.Medium);

        public string TradeId { get; set; } = "";

        public string RunId { get; set; } = "";

        public string JournalLink { get; set; } = "";

        public string Strategy { get; set; } = "";

        public string Ticker { get; set; } = "";

        /// <summary>Decimals are stored as invariant text (the Table service has no decimal type; text is lossless).</summary>
        public string RealizedPnlDollars { get; set; } = "0";

        public string LossPctOfMaxRisk { get; set; } = "0";

        public DateTimeOffset ClosedAt { get; set; }

        public DateTimeOffset CreatedAt { get; set; }

        public string ExitReason { get; set; } = "";

        public string Notes { get; set; } = "";

        /// <summary>Empty in rows written before drafts had a source: those are loss drafts.</summary>
        public string Source { get; set; } = DraftSources.Loss;

        public string Body { get; set; } = "";

        public static DraftRow From(DraftLesson d) => new()
        {
            RowKey = d.DraftId,
            Title = d.Title,
            SuggestedSeverity = d.SuggestedSeverity.ToString(),
            TradeId = d.TradeId,
            RunId = d.RunId,
            JournalLink = d.JournalLink,
            Strategy = d.Strategy,
            Ticker = d.Ticker,
            RealizedPnlDollars = d.RealizedPnlDollars.ToString(CultureInfo.InvariantCulture),
            LossPctOfMaxRisk = d.LossPctOfMaxRisk.ToString(CultureInfo.InvariantCulture),
            ClosedAt = d.ClosedAt,
            CreatedAt = d.CreatedAt,
            ExitReason = d.ExitReason,
            Notes = d.Notes,
            Source = d.Source,
            Body = d.Body,
        };

        public DraftLesson ToDraft() => new()
        {
            DraftId = RowKey,
            Title = Title,
            SuggestedSeverity = Enum.Parse<LessonSeverity>(SuggestedSeverity),
            TradeId = TradeId,
            RunId = RunId,
            JournalLink = JournalLink,
            Strategy = Strategy,
            Ticker = Ticker,
            RealizedPnlDollars = decimal.Parse(RealizedPnlDollars, NumberStyles.Number, CultureInfo.InvariantCulture),
            LossPctOfMaxRisk = decimal.Parse(LossPctOfMaxRisk, NumberStyles.Number, CultureInfo.InvariantCulture),
            ClosedAt = ClosedAt,
            CreatedAt = CreatedAt,
            ExitReason = ExitReason,
            Notes = Notes,
            Source = string.IsNullOrEmpty(Source) ? DraftSources.Loss : Source,
            Body = Body ?? "",
        };
    }
}

/// <summary>Draft lessons in process memory (backtests, throw-away runs).</summary>
public sealed class InMemoryDraftLessonStore : DraftLessonStore
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, DraftLesson> _drafts = new(StringComparer.Ordinal);

    public InMemoryDraftLessonStore(LessonsSettings settings, TimeProvider time)
        : base(settings, time)
    {
    }

    /// <inheritdoc />
    protected override Task SaveAsync(DraftLesson draft, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(draft);
        _drafts[draft.DraftId] = draft;
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    protected override Task<IReadOnlyList<DraftLesson>> ReadAllAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<DraftLesson>>([.. _drafts.Values]);
}
