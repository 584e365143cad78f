using System.Globalization;
using System.Text;
using Azure;

namespace Trading.Storage.Tables;

/// <summary>Entity group transactions ($batch): validation, the multipart/mixed request body, and the response parse.</summary>
internal static class TableBatch
{
    public const int MaxOperations = 100;
    public const int MaxBodyBytes = 4 * 1024 * 1024;

    /// <summary>Checks everything the service would reject, before sending: count, one partition, distinct rows, each entity.</summary>
    public static List<TableTransactionAction> Validate(IEnumerable<TableTransactionAction> actions)
    {
        ArgumentNullException.ThrowIfNull(actions);
        var list = actions.ToList();
        if (list.Count == 0)
        {
            throw new ArgumentException("A transaction needs at least one operation.", nameof(actions));
        }

        if (list.Count > MaxOperations)
        {
            throw new ArgumentException($"A transaction has {list.Count} operations; the limit is {MaxOperations}.", nameof(actions));
        }

        var rows = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < list.Count; i++)
        {
            var action = list[i] ?? throw new ArgumentException($"Transaction operation {i} is null.", nameof(actions));
            var entity = action.Entity ?? throw new ArgumentException($"Transaction operation {i} has no entity.", nameof(actions));
            try
            {
                if (action.ActionType == TableTransactionActionType.Delete)
                {
                    TableValidation.ValidateKey(entity.PartitionKey, "PartitionKey");
                    TableValidation.ValidateKey(entity.RowKey, "RowKey");
                }
                else
                {
                    TableValidation.ValidateEntity(entity, TableValueConverter.CustomProperties(entity));
                }
            }
            catch (ArgumentException ex)
            {
                throw new ArgumentException($"Transaction operation {i}: {ex.Message}", nameof(actions), ex);
            }

            if (!string.Equals(entity.PartitionKey, list[0].Entity.PartitionKey, StringComparison.Ordinal))
            {
                throw new ArgumentException(
                    $"Transaction operation {i} is for partition '{entity.PartitionKey}' but operation 0 is for '{list[0].Entity.PartitionKey}'; a transaction covers one partition.",
                    nameof(actions));
            }

            if (!rows.Add(entity.RowKey))
            {
                throw new ArgumentException($"Transaction operation {i} repeats RowKey '{entity.RowKey}'; each entity may appear once per transaction.", nameof(actions));
            }
        }

        return list;
    }

    public sealed record Request(string Boundary, byte[] Body);

    public static Request Build(string baseUrl, string table, IReadOnlyList<TableTransactionAction> actions)
    {
        var batch = "batch_" + Guid.NewGuid().ToString("N");
        var changeset = "changeset_" + Guid.NewGuid().ToString("N");
        var body = new StringBuilder();
        body.Append("--").Append(batch).Append("\r\n")
            .Append("Content-Type: multipart/mixed; boundary=").Append(changeset).Append("\r\n\r\n");
        foreach (var action in actions)
        {
            var entity = action.Entity;
            var entityUrl = baseUrl + "/" + TableClient.EntityPath(table, entity.PartitionKey, entity.RowKey);
            var (method, url, ifMatch) = action.ActionType switch
            {
                TableTransactionActionType.Add => ("POST", baseUrl + "/" + table, (string?)null),
                TableTransactionActionType.UpsertMerge => ("MERGE", entityUrl, null),
                TableTransactionActionType.UpsertReplace => ("PUT", entityUrl, null),
                TableTransactionActionType.UpdateMerge => ("MERGE", entityUrl, IfMatch(action.ETag)),
                TableTransactionActionType.UpdateReplace => ("PUT", entityUrl, IfMatch(action.ETag)),
                TableTransactionActionType.Delete => ("DELETE", entityUrl, IfMatch(action.ETag)),
                _ => throw new ArgumentException($"Unknown transaction action type {action.ActionType}.", nameof(actions)),
            };
            body.Append("--").Append(changeset).Append("\r\n")
                .Append("Content-Type: application/http\r\n")
                .Append("Content-Transfer-Encoding: binary\r\n\r\n")
                .Append(method).Append(' ').Append(url).Append(" HTTP/1.1\r\n")
                .Append("Accept: application/json;odata=minimalmetadata\r\n")
                .Append("DataServiceVersion: 3.0\r\n");
            if (ifMatch is not null)
            {
                body.Append("If-Match: ").Append(ifMatch).Append("\r\n");
            }

            if (action.ActionType == TableTransactionActionType.Delete)
            {
                body.Append("\r\n");
            }
            else
            {
                var properties = TableValueConverter.CustomProperties(entity);
                var json = Encoding.UTF8.GetString(EntityJson.Serialize(entity.PartitionKey, entity.RowKey, properties));
                body.Append("Content-Type: application/json\r\n")
                    .Append("Prefer: return-no-content\r\n\r\n")
                    .Append(json).Append("\r\n");
            }
        }

        body.Append("--").Append(changeset).Append("--\r\n")
            .Append("--").Append(batch).Append("--\r\n");
        var bytes = Encoding.UTF8.GetBytes(body.ToString());
        if (bytes.Length > MaxBodyBytes)
        {
            throw new ArgumentException($"The transaction's request is {bytes.Length} bytes; the limit is {MaxBodyBytes} (4 MiB).", nameof(actions));
        }

        return new Request(batch, bytes);
    }

    private static string IfMatch(ETag etag) => etag == default ? "*" : etag.ToString();

    private sealed record Part(int Status, string? ETag, string Body);

    /// <summary>Per-operation ETags, or throws <see cref="TableTransactionFailedException"/> naming the failing index.</summary>
    public static IReadOnlyList<ETag> ParseResponse(string? contentType, BinaryData content, IReadOnlyList<TableTransactionAction> actions, string table)
    {
        var parts = ParseParts(content.ToString());
        var failedAt = parts.FindIndex(p => p.Status >= 400);
        if (failedAt >= 0)
        {
            var failed = parts[failedAt];
            var (code, text) = TableTransport.ParseError(BinaryData.FromString(failed.Body));
            int? index = null;
            var colon = text?.IndexOf(':', StringComparison.Ordinal) ?? -1;
            if (colon > 0 && int.TryParse(text![..colon], NumberStyles.None, CultureInfo.InvariantCulture, out var reported))
            {
                index = reported; // the service prefixes the message with "<index>:"
            }
            else if (parts.Count == actions.Count)
            {
                index = failedAt;
            }

            var message = $"Transaction on table '{table}' failed at operation {(index?.ToString(CultureInfo.InvariantCulture) ?? "(not reported)")}: " +
                $"{failed.Status} {code}: {text}; nothing was written.";
            throw failed.Status == 412
                ? new TableTransactionFailedException(412, message, code ?? "UpdateConditionNotSatisfied", index, new TableConcurrencyException(message))
                : new TableTransactionFailedException(failed.Status, message, code, index);
        }

        if (parts.Count != actions.Count)
        {
            throw new TableTransactionFailedException(0, $"Transaction on table '{table}': expected {actions.Count} responses, got {parts.Count} (content type {contentType}).", null, null);
        }

        return parts.Select(p => p.ETag is null ? default : new ETag(p.ETag)).ToArray();
    }

    private static List<Part> ParseParts(string text)
    {
        var lines = text.Split('\n');
        var parts = new List<Part>();
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (!line.StartsWith("HTTP/1.1 ", StringComparison.Ordinal))
            {
                continue;
            }

            var status = int.Parse(line.AsSpan(9, 3), NumberStyles.None, CultureInfo.InvariantCulture);
            string? etag = null;
            for (i++; i < lines.Length && lines[i].TrimEnd('\r').Length > 0; i++)
            {
                var header = lines[i].TrimEnd('\r');
                if (header.StartsWith("ETag:", StringComparison.OrdinalIgnoreCase))
                {
                    etag = header[5..].Trim();
                }
            }

            var body = new StringBuilder();
            for (i++; i < lines.Length && !lines[i].StartsWith("--", StringComparison.Ordinal); i++)
            {
                body.Append(lines[i].TrimEnd('\r'));
            }

            i--;
            parts.Add(new Part(status, etag, body.ToString()));
        }

        return parts;
    }
}
