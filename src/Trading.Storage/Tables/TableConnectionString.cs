namespace Trading.Storage.Tables;

/// <summary>
/// A parsed storage connection string. Accepted forms: <c>UseDevelopmentStorage=true</c> (Azurite on
/// http://127.0.0.1:10002/devstoreaccount1 with the well-known development key); <c>AccountName</c> + <c>AccountKey</c> +
/// (<c>TableEndpoint</c> or <c>EndpointSuffix</c>/<c>DefaultEndpointsProtocol</c>); <c>TableEndpoint</c> +
/// <c>SharedAccessSignature</c>. Error messages name the setting at fault and never repeat the string or the key.
/// </summary>
public sealed class TableConnectionString
{
    /// <summary>Azurite's published development account key (not a secret).</summary>
    public const string DevelopmentAccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    public const string DevelopmentAccountName = "devstoreaccount1";

    private TableConnectionString(Uri tableEndpoint, string? accountName, byte[]? accountKey, string? sharedAccessSignature)
    {
        TableEndpoint = tableEndpoint;
        AccountName = accountName;
        AccountKey = accountKey;
        SharedAccessSignature = sharedAccessSignature;
    }

    /// <summary>The table service endpoint, e.g. https://acct.table.core.windows.net or http://127.0.0.1:10002/devstoreaccount1.</summary>
    public Uri TableEndpoint { get; }

    public string? AccountName { get; }

    /// <summary>The decoded account key; kept internal so it never reaches logs through this object.</summary>
    internal byte[]? AccountKey { get; }

    /// <summary>The SAS query (without a leading '?'); a secret too, so internal.</summary>
    internal string? SharedAccessSignature { get; }

    public bool HasAccountKey => AccountKey is not null;

    public override string ToString() => $"TableEndpoint={TableEndpoint}; AccountName={AccountName ?? "(none)"}; Credential={(AccountKey is not null ? "AccountKey" : "SharedAccessSignature")}";

    public static TableConnectionString Parse(string connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new ArgumentException("The storage connection string is empty.", nameof(connectionString));
        }

        var settings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var segments = connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        for (var i = 0; i < segments.Length; i++)
        {
            var eq = segments[i].IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new ArgumentException(
                    $"The storage connection string's segment {i + 1} is not of the form Name=Value (segments are separated by ';').", nameof(connectionString));
            }

            var name = segments[i][..eq].Trim();
            if (!settings.TryAdd(name, segments[i][(eq + 1)..].Trim()))
            {
                throw new ArgumentException($"The storage connection string sets '{name}' twice.", nameof(connectionString));
            }
        }

        if (settings.TryGetValue("UseDevelopmentStorage", out var dev))
        {
            if (!string.Equals(dev, "true", StringComparison.OrdinalIgnoreCase))
            {
                throw new ArgumentException("UseDevelopmentStorage must be 'true' when present.", nameof(connectionString));
            }

            return new TableConnectionString(
                new Uri("http://127.0.0.1:10002/" + DevelopmentAccountName), DevelopmentAccountName, Convert.FromBase64String(DevelopmentAccountKey), null);
        }

        settings.TryGetValue("AccountName", out var accountName);
        settings.TryGetValue("AccountKey", out var accountKeyText);
        settings.TryGetValue("SharedAccessSignature", out var sas);
        Uri endpoint;
        if (settings.TryGetValue("TableEndpoint", out var endpointText))
        {
            if (!Uri.TryCreate(endpointText, UriKind.Absolute, out endpoint!) || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps))
            {
                throw new ArgumentException("TableEndpoint in the storage connection string is not an absolute http(s) URL.", nameof(connectionString));
            }
        }
        else
        {
            if (string.IsNullOrEmpty(accountName))
            {
                throw new ArgumentException(
                    "The storage connection string needs TableEndpoint, or AccountName (with AccountKey) to build the endpoint from EndpointSuffix.", nameof(connectionString));
            }

            var protocol = settings.GetValueOrDefault("DefaultEndpointsProtocol", "https");
            if (protocol is not ("http" or "https"))
            {
                throw new ArgumentException("DefaultEndpointsProtocol must be 'http' or 'https'.", nameof(connectionString));
            }

            var suffix = settings.GetValueOrDefault("EndpointSuffix", "core.windows.net");
            if (!Uri.TryCreate($"{protocol}://{accountName}.table.{suffix}", UriKind.Absolute, out endpoint!))
            {
                throw new ArgumentException("AccountName and EndpointSuffix do not form a valid host name.", nameof(connectionString));
            }
        }

        if (!string.IsNullOrEmpty(accountKeyText))
        {
            if (string.IsNullOrEmpty(accountName))
            {
                throw new ArgumentException("The storage connection string has AccountKey but no AccountName; SharedKey signing needs both.", nameof(connectionString));
            }

            byte[] key;
            try
            {
                key = Convert.FromBase64String(accountKeyText);
            }
            catch (FormatException)
            {
                // Deliberately no inner exception or value: the key must not appear anywhere.
                throw new ArgumentException("AccountKey in the storage connection string is not valid base64.", nameof(connectionString));
            }

            return new TableConnectionString(endpoint, accountName, key, null);
        }

        if (!string.IsNullOrEmpty(sas))
        {
            if (!settings.ContainsKey("TableEndpoint"))
            {
                throw new ArgumentException("A SharedAccessSignature connection string needs TableEndpoint.", nameof(connectionString));
            }

            return new TableConnectionString(endpoint, accountName, null, sas.TrimStart('?'));
        }

        throw new ArgumentException(
            "The storage connection string has no credential: add AccountKey (with AccountName) or SharedAccessSignature, " +
            "or use UseDevelopmentStorage=true, or construct the client with an endpoint and a TokenCredential.", nameof(connectionString));
    }
}
