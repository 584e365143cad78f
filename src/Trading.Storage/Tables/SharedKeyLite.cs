using System.Buffers;
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
        return Sign(accountName, accountKey, msDate, "/" + accountName, requestUri.AbsolutePath, CompPart(requestUri.Query));
    }

    internal static string Sign(string accountName, ReadOnlySpan<byte> accountKey, string msDate, string canonicalizedResource) =>
        Sign(accountName, accountKey, msDate, canonicalizedResource, ReadOnlySpan<char>.Empty, ReadOnlySpan<char>.Empty);

    /// <summary>
    /// Signs x-ms-date + "\n" + the canonicalized resource given in parts (prefix, path, "?comp=..." or empty), encoding them
    /// into one stack or pooled buffer: signing every request then allocates only the header string.
    /// </summary>
    internal static string Sign(
        string accountName, ReadOnlySpan<byte> accountKey, string msDate, ReadOnlySpan<char> resourcePrefix, ReadOnlySpan<char> path, ReadOnlySpan<char> comp)
    {
        var maxBytes = Encoding.UTF8.GetMaxByteCount(msDate.Length + 2 + resourcePrefix.Length + path.Length + comp.Length);
        byte[]? rented = null;
        Span<byte> buffer = maxBytes <= 1024 ? stackalloc byte[1024] : (rented = ArrayPool<byte>.Shared.Rent(maxBytes));
        try
        {
            var length = Encoding.UTF8.GetBytes(msDate, buffer);
            buffer[length++] = (byte)'\n';
            length += Encoding.UTF8.GetBytes(resourcePrefix, buffer[length..]);
            length += Encoding.UTF8.GetBytes(path, buffer[length..]);
            if (!comp.IsEmpty)
            {
                buffer[length++] = (byte)'?';
                length += Encoding.UTF8.GetBytes(comp, buffer[length..]);
            }

            Span<byte> mac = stackalloc byte[32];
            HMACSHA256.HashData(accountKey, buffer[..length], mac);
            Span<char> base64 = stackalloc char[44];
            Convert.TryToBase64Chars(mac, base64, out var written);
            return string.Concat("SharedKeyLite ", accountName, ":", base64[..written]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>The "comp=..." pair of the query, which the canonicalized resource keeps (empty when there is none).</summary>
    internal static ReadOnlySpan<char> CompPart(string? query)
    {
        if (query is not { Length: > 1 })
        {
            return ReadOnlySpan<char>.Empty;
        }

        foreach (var range in query.AsSpan(1).Split('&'))
        {
            var pair = query.AsSpan(1)[range];
            if (pair.StartsWith("comp=", StringComparison.Ordinal))
            {
                return pair;
            }
        }

        return ReadOnlySpan<char>.Empty;
    }

    /// <summary>The x-ms-date format (RFC 1123).</summary>
    public static string FormatDate(DateTimeOffset time) => time.UtcDateTime.ToString("R", CultureInfo.InvariantCulture);
}

/// <summary>Signs each try (so retries get a fresh x-ms-date).</summary>
internal sealed class SharedKeyLitePolicy(string accountName, byte[] accountKey, TimeProvider time) : HttpPipelineSynchronousPolicy
{
    private readonly string _resourcePrefix = "/" + accountName;

    public override void OnSendingRequest(HttpMessage message)
    {
        var date = SharedKeyLite.FormatDate(time.GetUtcNow());
        var uri = message.Request.Uri;
        message.Request.Headers.SetValue("x-ms-date", date);
        message.Request.Headers.SetValue(
            "Authorization", SharedKeyLite.Sign(accountName, accountKey, date, _resourcePrefix, uri.Path, SharedKeyLite.CompPart(uri.Query)));
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
