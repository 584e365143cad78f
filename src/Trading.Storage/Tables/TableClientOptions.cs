using Azure.Core;

namespace Trading.Storage.Tables;

/// <summary>
/// Pipeline options (retries, transport, diagnostics) for <see cref="TableServiceClient"/>. Retries use
/// <see cref="ClientOptions.Retry"/>: timeouts, 408, 500, 502, 503 and 504 are retried with exponential backoff; other 4xx never.
/// </summary>
public sealed class TableClientOptions : ClientOptions
{
    /// <summary>The x-ms-version sent with every request.</summary>
    public string ServiceVersion { get; set; } = "2019-02-02";
}
