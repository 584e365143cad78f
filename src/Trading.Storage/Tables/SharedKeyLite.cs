using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Trading.Storage.Tables;

/// <summary>
/// SharedKeyLite for the Table service: signature = Base64(HMAC-SHA256(key, x-ms-date + "\n" + CanonicalizedResource)),
/// where CanonicalizedResource = "/" + account + the request path as sent (+ "?comp=..." when present). With Azurite's
/// path-style URLs the account therefore appears twice.
/// </summary>
public static class SharedKeyLite
{
    public static string CanonicalizedResource(string accountName, Uri requestUri)
    {
        ArgumentNullException.ThrowIfNull(requestUri);
        return CanonicalizedResource(accountName, requestUri.AbsolutePath, requestUri.Query);
    }

    /// <summary>From the escaped path and query exactly as they will be sent.</summary>
    public static string CanonicalizedResource(string accountName, string escapedPath, string? query)
    {
        var resource = "/" + accountName + escapedPath;
        if (query is { Length: > 1 })
        {
            foreach (var pair in query[1..].Split('&'))
            {
                if (pair.StartsWith("comp=", StringComparison.Ordinal))
                {
                    return resource + "?" + pair;
                }
            }
        }

        return resource;
    }

    /// <summary>The Authorization header value for a request with the given x-ms-date.</summary>
    public static string AuthorizationHeader(string accountName, ReadOnlySpan<byte> accountKey, string msDate, Uri requestUri)
    {
        ArgumentNullException.ThrowIfNull(requestUri);
        return Sign(accountName, accountKey, msDate, CanonicalizedResource(accountName, requestUri));
    }

    internal static string Sign(string accountName, ReadOnlySpan<byte> accountKey, string msDate, string canonicalizedResource)
    {
        var stringToSign = msDate + "\n" + canonicalizedResource;
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(accountKey, Encoding.UTF8.GetBytes(stringToSign), mac);
        return "SharedKeyLite " + accountName + ":" + Convert.ToBase64String(mac);
    }

    /// <summary>The x-ms-date format (RFC 1123).</summary>
    public static string FormatDate(DateTimeOffset time) => time.UtcDateTime.ToString("R", CultureInfo.InvariantCulture);
}

/// <summary>Signs each try (so retries get a fresh x-ms-date).</summary>
internal sealed class SharedKeyLitePolicy(string accountName, byte[] accountKey, TimeProvider time) : HttpPipelineSynchronousPolicy
{
    public override void OnSendingRequest(HttpMessage message)
    {
        var date = SharedKeyLite.FormatDate(time.GetUtcNow());
        message.Request.Headers.SetValue("x-ms-date", date);
        message.Request.Headers.SetValue(
            "Authorization",
            SharedKeyLite.Sign(accountName, accountKey, date, SharedKeyLite.CanonicalizedResource(accountName, message.Request.Uri.Path, message.Request.Uri.Query)));
    }
}

/// <summary>x-ms-date for requests not signed with the shared key (SAS, bearer).</summary>
internal sealed class DateHeaderPolicy(TimeProvider time) : HttpPipelineSynchronousPolicy
{
    public override void OnSendingRequest(HttpMessage message) =>
        message.Request.Headers.SetValue("x-ms-date", SharedKeyLite.FormatDate(time.GetUtcNow()));
}

/// <summary>Retries timeouts and 408/500/502/503/504; never other 4xx (a 409 or 412 is an answer, not a glitch).</summary>
internal sealed class TableResponseClassifier : ResponseClassifier
{
    public override bool IsRetriableResponse(HttpMessage message) =>
        message.Response.Status is 408 or 500 or 502 or 503 or 504;
}
