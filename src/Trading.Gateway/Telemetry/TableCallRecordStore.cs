using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;

namespace Trading.Gateway.Telemetry;

/// <summary>Call records in Table Storage: PartitionKey = budget-zone day, RowKey = start time (sortable) + call id.</summary>
public sealed class TableCallRecordStore : CallRecordStore
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly TableClient _table;
    private readonly Lazy<Task> _created;

    /// <summary>Creates the store over table <paramref name="tableName"/> (created on first use).</summary>
    public TableCallRecordStore(TableServiceClient service, string tableName)
    {
        ArgumentNullException.ThrowIfNull(service);
        _table = service.GetTableClient(tableName);
        _created = new Lazy<Task>(() => _table.CreateIfNotExistsAsync(CancellationToken.None));
    }

    /// <inheritdoc />
    public override async Task AppendAsync(GatewayCallRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        await _created.Value.WaitAsync(cancellationToken);
        await _table.UpsertEntityAsync(CallRecordEntity.From(record), TableUpdateMode.Replace, cancellationToken);
    }

    /// <inheritdoc />
    public override async Task<IReadOnlyList<GatewayCallRecord>> ReadDayAsync(string day, CancellationToken cancellationToken)
    {
        await _created.Value.WaitAsync(cancellationToken);
        var list = new List<GatewayCallRecord>();
        await foreach (var e in _table.QueryAsync<CallRecordEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {day}"), cancellationToken: cancellationToken))
            list.Add(e.ToRecord());
        return list;
    }

    /// <summary>Stored shape of one call record.</summary>
    public sealed class CallRecordEntity : ITableEntity
    {
        /// <inheritdoc />
        public string PartitionKey { get; set; } = string.Empty;

        /// <inheritdoc />
        public string RowKey { get; set; } = string.Empty;

        /// <inheritdoc />
        public DateTimeOffset? Timestamp { get; set; }

        /// <inheritdoc />
        public ETag ETag { get; set; }

        /// <summary>See <see cref="GatewayCallRecord"/>.</summary>
        public string CallId { get; set; } = string.Empty;

        /// <summary>See <see cref="GatewayCallRecord"/>.</summary>
        public DateTimeOffset StartedUtc { get; set; }

        /// <summary>See <see cref="GatewayCallRecord"/>.</summary>
        public string RunId { get; set; } = string.Empty;

        /// <summary>See <see cref="GatewayCallRecord"/>.</summary>
        public string Kind { get; set; } = string.Empty;

        /// <summary>See <see cref="GatewayCallRecord"/>.</summary>
        public string TaskType { get; set; } = string.Empty;

        /// <summary>See <see cref="GatewayCallRecord"/>.</summary>
        public string Complexity { get; set; } = string.Empty;

        /// <summary>See <see cref="GatewayCallRecord"/>.</summary>
        public string RequestedModel { get; set; } = string.Empty;

        /// <summary>See <see cref="GatewayCallRecord"/>.</summary>
        public string? ServedModel { get; set; }

        /// <summary>See <see cref="GatewayCallRecord"/>.</summary>
        public string SelectionReason { get; set; } = string.Empty;

        /// <summary>See <see cref="GatewayCallRecord"/>.</summary>
        public string? SplitVariant { get; set; }

        /// <summary>See <see cref="GatewayCallRecord"/>.</summary>
        public bool IsShadow { get; set; }

        /// <summary>See <see cref="GatewayCallRecord"/>.</summary>
        public string? ShadowOf { get; set; }

        /// <summary>See <see cref="GatewayCallRecord"/>.</summary>
        public bool? AgreedWithPrimary { get; set; }

        /// <summary>Attempts, JSON.</summary>
        public string AttemptsJson { get; set; } = "[]";

        /// <summary>See <see cref="GatewayCallRecord"/>.</summary>
        public int InputTokens { get; set; }

        /// <summary>See <see cref="GatewayCallRecord"/>.</summary>
        public int CachedInputTokens { get; set; }

        /// <summary>See <see cref="GatewayCallRecord"/>.</summary>
        public int OutputTokens { get; set; }

        /// <summary>See <see cref="GatewayCallRecord"/>.</summary>
        public int ReasoningTokens { get; set; }

        /// <summary>See <see cref="GatewayCallRecord"/>: a decimal as invariant text (the Table service has no decimal type).</summary>
        public string CostUsd { get; set; } = "0";

        /// <summary>See <see cref="GatewayCallRecord"/>.</summary>
        public bool CostEstimated { get; set; }

        /// <summary>See <see cref="GatewayCallRecord"/>.</summary>
        public double LatencyMs { get; set; }

        /// <summary>See <see cref="GatewayCallRecord"/>.</summary>
        public string Outcome { get; set; } = string.Empty;

        /// <summary>See <see cref="GatewayCallRecord"/>.</summary>
        public string? FailureReason { get; set; }

        /// <summary>Maps a record to its row.</summary>
        public static CallRecordEntity From(GatewayCallRecord r)
        {
            ArgumentNullException.ThrowIfNull(r);
            return new CallRecordEntity
            {
                PartitionKey = r.Day,
                RowKey = r.StartedUtc.UtcDateTime.ToString("HHmmssfffffff", CultureInfo.InvariantCulture) + "-" + r.CallId,
                CallId = r.CallId, StartedUtc = r.StartedUtc, RunId = r.RunId, Kind = r.Kind, TaskType = r.TaskType, Complexity = r.Complexity,
                RequestedModel = r.RequestedModel, ServedModel = r.ServedModel, SelectionReason = r.SelectionReason, SplitVariant = r.SplitVariant,
                IsShadow = r.IsShadow, ShadowOf = r.ShadowOf, AgreedWithPrimary = r.AgreedWithPrimary,
                AttemptsJson = JsonSerializer.Serialize(r.Attempts, Json),
                InputTokens = r.InputTokens, CachedInputTokens = r.CachedInputTokens, OutputTokens = r.OutputTokens, ReasoningTokens = r.ReasoningTokens,
                CostUsd = r.CostUsd.ToString(CultureInfo.InvariantCulture), CostEstimated = r.CostEstimated, LatencyMs = r.LatencyMs, Outcome = r.Outcome,
                FailureReason = r.FailureReason is { Length: > 2000 } f ? f[..2000] : r.FailureReason,
            };
        }

        /// <summary>Maps the row back.</summary>
        public GatewayCallRecord ToRecord() => new()
        {
            CallId = CallId, StartedUtc = StartedUtc, Day = PartitionKey, RunId = RunId, Kind = Kind, TaskType = TaskType, Complexity = Complexity,
            RequestedModel = RequestedModel, ServedModel = ServedModel, SelectionReason = SelectionReason, SplitVariant = SplitVariant,
            IsShadow = IsShadow, ShadowOf = ShadowOf, AgreedWithPrimary = AgreedWithPrimary,
            Attempts = JsonSerializer.Deserialize<List<GatewayAttempt>>(AttemptsJson, Json) ?? [],
            InputTokens = InputTokens, CachedInputTokens = CachedInputTokens, OutputTokens = OutputTokens, ReasoningTokens = ReasoningTokens,
            CostUsd = decimal.Parse(CostUsd, NumberStyles.Number, CultureInfo.InvariantCulture), CostEstimated = CostEstimated, LatencyMs = LatencyMs, Outcome = Outcome, FailureReason = FailureReason,
        };
    }
}
