using Azure.Data.Tables;

namespace Trading.Storage.Tables;

/// <summary>
/// Where a storage connection string points the Table service, as Azure.Data.Tables reads it (the SDK parses; this only asks
/// it for the endpoint), for hosts that must know before connecting (the CLI starts Azurite when the endpoint is on this
/// machine and nothing listens there).
/// </summary>
public sealed class TableConnectionString
{
    /// <summary>Azurite's well-known development account (not a secret).</summary>
    public const string DevelopmentAccountName = "devstoreaccount1";

    /// <summary>Azurite's well-known development key (published by Microsoft; not a secret).</summary>
    public const string DevelopmentAccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private TableConnectionString(Uri tableEndpoint) => TableEndpoint = tableEndpoint;

    /// <summary>The Table service endpoint (for development storage, <c>http://127.0.0.1:10002/devstoreaccount1</c>).</summary>
    public Uri TableEndpoint { get; }

    /// <summary>The connection string of an Azurite table service on this machine's <paramref name="port"/>.</summary>
    public static string ForAzurite(int port) => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"DefaultEndpointsProtocol=http;AccountName={DevelopmentAccountName};AccountKey={DevelopmentAccountKey};"
        + $"BlobEndpoint=http://127.0.0.1:{port + 1}/{DevelopmentAccountName};QueueEndpoint=http://127.0.0.1:{port + 2}/{DevelopmentAccountName};"
        + $"TableEndpoint=http://127.0.0.1:{port}/{DevelopmentAccountName};");

    /// <summary>Reads <paramref name="connectionString"/>; <see cref="ArgumentException"/> when the SDK cannot use it (the message never contains the key).</summary>
    public static TableConnectionString Parse(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        try
        {
            return new TableConnectionString(new TableServiceClient(connectionString).Uri);
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException or ArgumentException or UriFormatException)
        {
            // The SDK's own message is not passed on: it may quote the string, key included.
            throw new ArgumentException(
                "Azure.Data.Tables cannot use it (expected UseDevelopmentStorage=true, or AccountName and AccountKey with "
                + "DefaultEndpointsProtocol/EndpointSuffix or TableEndpoint, or a SAS).",
                nameof(connectionString));
        }
    }
}
