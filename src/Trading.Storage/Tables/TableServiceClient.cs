using System.Text;
using Azure.Core;

namespace Trading.Storage.Tables;

/// <summary>
/// Entry point to a storage account's Table service, modelled on Azure.Data.Tables. Thread-safe; methods are virtual so an
/// in-memory store (InMemoryTables) can stand in for it.
/// </summary>
public class TableServiceClient
{
    private readonly TableTransport? _transport;

    /// <summary>From a connection string (see <see cref="TableConnectionString"/> for the accepted forms).</summary>
    public TableServiceClient(string connectionString, TableClientOptions? options = null)
    {
        _transport = TableTransport.FromConnectionString(connectionString, options);
    }

    /// <summary>Entra ID (managed identity) access: bearer tokens for https://storage.azure.com/.default, https only.</summary>
    public TableServiceClient(Uri endpoint, TokenCredential credential, TableClientOptions? options = null)
    {
        _transport = TableTransport.FromTokenCredential(endpoint, credential, options);
    }

    /// <summary>For substitutes that do not talk HTTP.</summary>
    protected TableServiceClient()
    {
    }

    /// <summary>A client for one table (the table is not created; see <see cref="CreateTableIfNotExistsAsync"/>).</summary>
    public virtual TableClient GetTableClient(string tableName)
    {
        TableValidation.ValidateTableName(tableName);
        return new TableClient(Transport, tableName);
    }

    public virtual async Task CreateTableIfNotExistsAsync(string tableName, CancellationToken ct = default)
    {
        TableValidation.ValidateTableName(tableName);
        using var message = Transport.CreateMessage(RequestMethod.Post, "Tables");
        message.Request.Headers.SetValue("Prefer", "return-no-content");
        TableTransport.SetJsonContent(message, Encoding.UTF8.GetBytes($"{{\"TableName\":\"{tableName}\"}}"));
        var response = await Transport.SendAsync(message, ct).ConfigureAwait(false);
        if (response.Status is not (201 or 204 or 409))
        {
            throw TableTransport.Error(response, $"Create table '{tableName}'");
        }
    }

    /// <summary>Deletes the table; a table that does not exist is not an error.</summary>
    public virtual async Task DeleteTableAsync(string tableName, CancellationToken ct = default)
    {
        TableValidation.ValidateTableName(tableName);
        using var message = Transport.CreateMessage(RequestMethod.Delete, $"Tables('{tableName}')");
        var response = await Transport.SendAsync(message, ct).ConfigureAwait(false);
        if (response.Status is not (204 or 404))
        {
            throw TableTransport.Error(response, $"Delete table '{tableName}'");
        }
    }

    private TableTransport Transport =>
        _transport ?? throw new InvalidOperationException("This TableServiceClient substitute must override every member it uses.");
}
