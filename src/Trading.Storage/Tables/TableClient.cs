using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Core;

namespace Trading.Storage.Tables;

/// <summary>
/// Operations on one table, modelled on Azure.Data.Tables' TableClient. Thread-safe. Every method validates its input
/// (keys, entity size and shape) before sending anything. Methods are virtual so an in-memory store can substitute.
/// </summary>
public class TableClient
{
    /// <summary>The service's page size limit for $top.</summary>
    public const int MaxPageSize = 1000;

    private readonly TableTransport? _transport;

    internal TableClient(TableTransport transport, string name)
    {
        _transport = transport;
        Name = name;
    }

    /// <summary>For substitutes that do not talk HTTP (the table name is validated).</summary>
    protected TableClient(string name)
    {
        TableValidation.ValidateTableName(name);
        Name = name;
    }

    public string Name { get; }

    private TableTransport Transport =>
        _transport ?? throw new InvalidOperationException("This TableClient substitute must override every member it uses.");

    public virtual async Task CreateIfNotExistsAsync(CancellationToken ct = default)
    {
        using var message = Transport.CreateMessage(RequestMethod.Post, "Tables");
        message.Request.Headers.SetValue("Prefer", "return-no-content");
        TableTransport.SetJsonContent(message, Encoding.UTF8.GetBytes($"{{\"TableName\":\"{Name}\"}}"));
        var response = await Transport.SendAsync(message, ct).ConfigureAwait(false);
        if (response.Status is not (201 or 204 or 409))
        {
            throw TableTransport.Error(response, $"Create table '{Name}'");
        }
    }

    /// <summary>Inserts a new entity; an existing one gives a 409 (EntityAlreadyExists) <see cref="RequestFailedException"/>.</summary>
    public virtual async Task<ETag> AddEntityAsync<T>(T entity, CancellationToken ct = default)
        where T : class, ITableEntity
    {
        var body = Prepare(entity);
        using var message = Transport.CreateMessage(RequestMethod.Post, Name);
        message.Request.Headers.SetValue("Prefer", "return-no-content");
        TableTransport.SetJsonContent(message, body);
        var response = await Transport.SendAsync(message, ct).ConfigureAwait(false);
        if (response.Status is not (201 or 204))
        {
            throw TableTransport.Error(response, Describe("Add", entity.PartitionKey, entity.RowKey));
        }

        return TableTransport.ETagOf(response);
    }

    /// <summary>Reads one entity; a missing one gives a 404 <see cref="RequestFailedException"/>.</summary>
    public virtual async Task<T> GetEntityAsync<T>(string partitionKey, string rowKey, IEnumerable<string>? select = null, CancellationToken ct = default)
        where T : class, ITableEntity, new() =>
        await GetEntityIfExistsAsync<T>(partitionKey, rowKey, select, ct).ConfigureAwait(false)
        ?? throw new RequestFailedException(404, $"{Describe("Get", partitionKey, rowKey)} failed: 404 ResourceNotFound: The specified resource does not exist.", "ResourceNotFound", null);

    /// <summary>Reads one entity, or null when it does not exist (a missing table still throws).</summary>
    public virtual async Task<T?> GetEntityIfExistsAsync<T>(string partitionKey, string rowKey, IEnumerable<string>? select = null, CancellationToken ct = default)
        where T : class, ITableEntity, new()
    {
        TableValidation.ValidateKey(partitionKey, "PartitionKey");
        TableValidation.ValidateKey(rowKey, "RowKey");
        var query = SelectQuery(select);
        using var message = Transport.CreateMessage(RequestMethod.Get, EntityPath(partitionKey, rowKey), query);
        var response = await Transport.SendAsync(message, ct).ConfigureAwait(false);
        if (response.Status == 404)
        {
            var (code, _) = TableTransport.ParseError(response.Content);
            if (code is null or "ResourceNotFound")
            {
                return null;
            }
        }

        if (response.Status != 200)
        {
            throw TableTransport.Error(response, Describe("Get", partitionKey, rowKey));
        }

        using var document = JsonDocument.Parse(response.Content.ToMemory());
        var decoded = EntityJson.Read(document.RootElement, TableTransport.ETagOf(response));
        return TableValueConverter.Materialize<T>(decoded.PartitionKey, decoded.RowKey, decoded.Timestamp, decoded.ETag, decoded.Properties);
    }

    /// <summary>Inserts or replaces/merges, without any ETag condition.</summary>
    public virtual Task<ETag> UpsertEntityAsync<T>(T entity, TableUpdateMode mode = TableUpdateMode.Merge, CancellationToken ct = default)
        where T : class, ITableEntity =>
        WriteAsync(entity, mode, ifMatch: null, "Upsert", ct);

    /// <summary>
    /// Updates an existing entity if its ETag still equals <paramref name="ifMatch"/> (<see cref="ETag.All"/> or default = any version).
    /// A mismatch gives <see cref="TableConcurrencyException"/>; a missing entity a 404 <see cref="RequestFailedException"/>.
    /// </summary>
    public virtual Task<ETag> UpdateEntityAsync<T>(T entity, ETag ifMatch, TableUpdateMode mode = TableUpdateMode.Merge, CancellationToken ct = default)
        where T : class, ITableEntity =>
        WriteAsync(entity, mode, ifMatch == default ? ETag.All : ifMatch, "Update", ct);

    /// <summary>
    /// Deletes an entity; default <paramref name="ifMatch"/> means unconditional ('*'). A missing entity is not an error;
    /// a stale ETag gives <see cref="TableConcurrencyException"/>.
    /// </summary>
    public virtual async Task DeleteEntityAsync(string partitionKey, string rowKey, ETag ifMatch = default, CancellationToken ct = default)
    {
        TableValidation.ValidateKey(partitionKey, "PartitionKey");
        TableValidation.ValidateKey(rowKey, "RowKey");
        using var message = Transport.CreateMessage(RequestMethod.Delete, EntityPath(partitionKey, rowKey));
        message.Request.Headers.SetValue("If-Match", ifMatch == default ? "*" : ifMatch.ToString());
        var response = await Transport.SendAsync(message, ct).ConfigureAwait(false);
        if (response.Status == 404 && TableTransport.ParseError(response.Content).Code is null or "ResourceNotFound")
        {
            return; // the entity is already gone; a missing table (TableNotFound) still throws
        }

        if (response.Status != 204)
        {
            throw TableTransport.Error(response, Describe("Delete", partitionKey, rowKey));
        }
    }

    /// <summary>
    /// Entities matching an OData <paramref name="filter"/> (build it with <see cref="TableFilter"/>), following continuation
    /// tokens until the last page. <paramref name="maxPerPage"/> is $top (1-1000).
    /// </summary>
    public virtual async IAsyncEnumerable<T> QueryAsync<T>(
        string? filter = null, int? maxPerPage = null, IEnumerable<string>? select = null, [EnumeratorCancellation] CancellationToken ct = default)
        where T : class, ITableEntity, new()
    {
        ValidatePageSize(maxPerPage);
        var baseQuery = new StringBuilder();
        if (!string.IsNullOrEmpty(filter))
        {
            baseQuery.Append("$filter=").Append(Uri.EscapeDataString(filter));
        }

        if (maxPerPage is { } top)
        {
            baseQuery.Append(baseQuery.Length > 0 ? "&" : string.Empty).Append("$top=").Append(top);
        }

        var selectQuery = SelectQuery(select);
        if (selectQuery is not null)
        {
            baseQuery.Append(baseQuery.Length > 0 ? "&" : string.Empty).Append(selectQuery);
        }

        string? nextPartition = null, nextRow = null;
        do
        {
            var query = baseQuery.ToString();
            if (nextPartition is not null)
            {
                query += (query.Length > 0 ? "&" : string.Empty) + "NextPartitionKey=" + Uri.EscapeDataString(nextPartition);
                if (nextRow is not null)
                {
                    query += "&NextRowKey=" + Uri.EscapeDataString(nextRow);
                }
            }

            List<T> page;
            using (var message = Transport.CreateMessage(RequestMethod.Get, Name + "()", query))
            {
                var response = await Transport.SendAsync(message, ct).ConfigureAwait(false);
                if (response.Status != 200)
                {
                    throw TableTransport.Error(response, $"Query table '{Name}'");
                }

                page = ReadPage<T>(response.Content);

                // A page may be empty and still carry a continuation; Azurite may send only NextPartitionKey.
                nextPartition = response.Headers.TryGetValue("x-ms-continuation-NextPartitionKey", out var np) && !string.IsNullOrEmpty(np) ? np : null;
                nextRow = response.Headers.TryGetValue("x-ms-continuation-NextRowKey", out var nr) && !string.IsNullOrEmpty(nr) ? nr : null;
            }

            foreach (var entity in page)
            {
                yield return entity;
            }
        }
        while (nextPartition is not null);
    }

    /// <summary>
    /// An entity group transaction: up to 100 operations on one partition, all applied or none. Returns the new ETag of each
    /// operation (default for deletes). A rejection gives <see cref="TableTransactionFailedException"/> with the failing index.
    /// </summary>
    public virtual async Task<IReadOnlyList<ETag>> SubmitTransactionAsync(IEnumerable<TableTransactionAction> actions, CancellationToken ct = default)
    {
        var list = TableBatch.Validate(actions);
        var batch = TableBatch.Build(Transport.BaseUrl, Name, list);
        using var message = Transport.CreateMessage(RequestMethod.Post, "$batch");
        message.Request.Headers.SetValue("Content-Type", "multipart/mixed; boundary=" + batch.Boundary);
        message.Request.Content = RequestContent.Create(batch.Body);
        var response = await Transport.SendAsync(message, ct).ConfigureAwait(false);
        if (response.Status != 202)
        {
            var error = TableTransport.Error(response, $"Transaction on table '{Name}'");
            throw new TableTransactionFailedException(error.Status, error.Message, error.ErrorCode, null, error);
        }

        response.Headers.TryGetValue("Content-Type", out var contentType);
        return TableBatch.ParseResponse(contentType, response.Content, list, Name);
    }

    internal static void ValidatePageSize(int? maxPerPage)
    {
        if (maxPerPage is < 1 or > MaxPageSize)
        {
            throw new ArgumentOutOfRangeException(nameof(maxPerPage), maxPerPage, $"maxPerPage must be 1-{MaxPageSize} (the service's page limit).");
        }
    }

    /// <summary>Validates and serializes an entity.</summary>
    internal static byte[] Prepare(ITableEntity entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        var properties = TableValueConverter.CustomProperties(entity);
        TableValidation.ValidateEntity(entity, properties);
        return EntityJson.Serialize(entity.PartitionKey, entity.RowKey, properties);
    }

    internal static string EntityPath(string table, string partitionKey, string rowKey) =>
        $"{table}(PartitionKey='{EscapeKey(partitionKey)}',RowKey='{EscapeKey(rowKey)}')";

    internal static string Describe(string operation, string partitionKey, string rowKey) =>
        $"{operation} entity (PartitionKey '{partitionKey}', RowKey '{rowKey}')";

    private string EntityPath(string partitionKey, string rowKey) => EntityPath(Name, partitionKey, rowKey);

    private static string EscapeKey(string key) => Uri.EscapeDataString(key.Replace("'", "''", StringComparison.Ordinal));

    private static string? SelectQuery(IEnumerable<string>? select)
    {
        if (select is null)
        {
            return null;
        }

        var names = select.ToList();
        if (names.Count == 0)
        {
            return null;
        }

        foreach (var name in names)
        {
            if (string.IsNullOrEmpty(name) || !name.All(c => char.IsLetterOrDigit(c) || c == '_'))
            {
                throw new ArgumentException($"'{name}' is not a property name that can be selected.", nameof(select));
            }
        }

        return "$select=" + Uri.EscapeDataString(string.Join(',', names));
    }

    private async Task<ETag> WriteAsync<T>(T entity, TableUpdateMode mode, ETag? ifMatch, string operation, CancellationToken ct)
        where T : class, ITableEntity
    {
        var body = Prepare(entity);
        using var message = Transport.CreateMessage(
            mode == TableUpdateMode.Replace ? RequestMethod.Put : new RequestMethod("MERGE"), EntityPath(entity.PartitionKey, entity.RowKey));
        if (ifMatch is { } etag)
        {
            message.Request.Headers.SetValue("If-Match", etag.ToString());
        }

        TableTransport.SetJsonContent(message, body);
        var response = await Transport.SendAsync(message, ct).ConfigureAwait(false);
        if (response.Status != 204)
        {
            throw TableTransport.Error(response, Describe(operation, entity.PartitionKey, entity.RowKey));
        }

        return TableTransport.ETagOf(response);
    }

    private static List<T> ReadPage<T>(BinaryData content)
        where T : class, ITableEntity, new()
    {
        using var document = JsonDocument.Parse(content.ToMemory());
        var result = new List<T>();
        if (document.RootElement.TryGetProperty("value", out var values))
        {
            foreach (var element in values.EnumerateArray())
            {
                var decoded = EntityJson.Read(element);
                result.Add(TableValueConverter.Materialize<T>(decoded.PartitionKey, decoded.RowKey, decoded.Timestamp, decoded.ETag, decoded.Properties));
            }
        }

        return result;
    }
}
