using System.ClientModel;
using System.Globalization;
using System.Net.Sockets;

namespace Trading.Gateway.Calls;

/// <summary>What went wrong with one attempt; decides retry, fallback or stop.</summary>
public enum FailureClass
{
    /// <summary>No failure.</summary>
    None,

    /// <summary>429: retry with backoff (Retry-After honoured), then the next model.</summary>
    RateLimited,

    /// <summary>5xx: retry, then the next model.</summary>
    ServerError,

    /// <summary>The attempt timed out: retry, then the next model.</summary>
    Timeout,

    /// <summary>Connection refused or reset: retry, then the next model.</summary>
    Connection,

    /// <summary>The prompt does not fit: the next model with a larger context window.</summary>
    ContextLength,

    /// <summary>The model is unknown to the gateway (404): the next model, no retry.</summary>
    ModelUnavailable,

    /// <summary>400: our request is wrong; stop.</summary>
    InvalidRequest,

    /// <summary>401: the key is wrong; stop.</summary>
    Unauthorized,

    /// <summary>403: not allowed; stop.</summary>
    Forbidden,

    /// <summary>A 2xx whose body is not a chat completion: retry, then the next model.</summary>
    MalformedResponse,

    /// <summary>The model answered but not with valid JSON for the schema (after one repair).</summary>
    InvalidJson,

    /// <summary>The model's circuit is open: skipped.</summary>
    CircuitOpen,

    /// <summary>The budget did not admit this model: skipped.</summary>
    BudgetRefused,

    /// <summary>The call's deadline or the caller's cancellation ended it.</summary>
    Cancelled,
}

/// <summary>How the gateway reacts to a failure class.</summary>
public static class FailureClassification
{
    /// <summary>Retry the same model (after backoff).</summary>
    public static bool IsRetryable(this FailureClass c) =>
        c is FailureClass.RateLimited or FailureClass.ServerError or FailureClass.Timeout or FailureClass.Connection or FailureClass.MalformedResponse;

    /// <summary>Stop at once: no retry, no fallback.</summary>
    public static bool IsFatal(this FailureClass c) =>
        c is FailureClass.InvalidRequest or FailureClass.Unauthorized or FailureClass.Forbidden or FailureClass.Cancelled;

    /// <summary>Counts against a model's circuit breaker (the model, not our request, misbehaved).</summary>
    public static bool CountsAgainstModel(this FailureClass c) =>
        c is FailureClass.RateLimited or FailureClass.ServerError or FailureClass.Timeout or FailureClass.Connection or FailureClass.MalformedResponse;

    /// <summary>
    /// Classifies an exception thrown by the SDK for one attempt made with <paramref name="token"/>. A cancellation that
    /// <paramref name="token"/> did not ask for is the client's network timeout: a <see cref="FailureClass.Timeout"/>.
    /// </summary>
    public static (FailureClass Class, int? Status, TimeSpan? RetryAfter) Classify(Exception exception, CancellationToken token)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var (failure, status, retryAfter) = Classify(exception);
        return failure == FailureClass.Cancelled && !token.IsCancellationRequested ? (FailureClass.Timeout, null, null) : (failure, status, retryAfter);
    }

    private static (FailureClass Class, int? Status, TimeSpan? RetryAfter) Classify(Exception exception)
    {
        switch (exception)
        {
            case ClientResultException cre when cre.Status != 0:
                return ClassifyStatus(cre);
            case ClientResultException cre when cre.InnerException is not null:
                return Classify(cre.InnerException);
            case OperationCanceledException:
                return (FailureClass.Cancelled, null, null);
            case HttpRequestException or IOException or SocketException:
                return (FailureClass.Connection, null, null);
            case ClientResultException:
                return (FailureClass.Connection, null, null);
            case System.Text.Json.JsonException or FormatException or InvalidOperationException or KeyNotFoundException or ArgumentException:
                // The SDK throws these when a 2xx body cannot be read as a completion.
                return (FailureClass.MalformedResponse, null, null);
            default:
                return (FailureClass.ServerError, null, null);
        }
    }

    private static (FailureClass, int?, TimeSpan?) ClassifyStatus(ClientResultException e)
    {
        var status = e.Status;
        var body = SafeBody(e);
        if (status == 429)
            return (FailureClass.RateLimited, status, RetryAfter(e));
        if (status >= 500)
            return (FailureClass.ServerError, status, RetryAfter(e));
        if (status == 413 || (status == 400 && LooksLikeContextLength(body)))
            return (FailureClass.ContextLength, status, null);
        return status switch
        {
            401 => (FailureClass.Unauthorized, status, null),
            403 => (FailureClass.Forbidden, status, null),
            404 => (FailureClass.ModelUnavailable, status, null),
            408 => (FailureClass.Timeout, status, null),
            _ => (FailureClass.InvalidRequest, status, null),
        };
    }

    /// <summary>Providers word it differently; OpenAI uses the code context_length_exceeded.</summary>
    public static bool LooksLikeContextLength(string? body) =>
        body is not null
        && (body.Contains("context_length_exceeded", StringComparison.OrdinalIgnoreCase)
            || body.Contains("maximum context length", StringComparison.OrdinalIgnoreCase)
            || body.Contains("context window", StringComparison.OrdinalIgnoreCase)
            || body.Contains("too many tokens", StringComparison.OrdinalIgnoreCase));

    private static string? SafeBody(ClientResultException e)
    {
        try
        {
            return e.GetRawResponse()?.Content?.ToString() ?? e.Message;
        }
        catch (InvalidOperationException)
        {
            return e.Message;
        }
    }

    private static TimeSpan? RetryAfter(ClientResultException e)
    {
        var response = e.GetRawResponse();
        if (response is null)
            return null;
        if (response.Headers.TryGetValue("retry-after-ms", out var ms)
            && double.TryParse(ms, NumberStyles.Float, CultureInfo.InvariantCulture, out var millis) && millis >= 0)
            return TimeSpan.FromMilliseconds(millis);
        if (response.Headers.TryGetValue("Retry-After", out var value) && value is not null)
        {
            if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
                return TimeSpan.FromSeconds(seconds);
            if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            {
                // An HTTP-date: relative to the server's Date header when present, so our clock is not consulted.
                if (response.Headers.TryGetValue("Date", out var dateText)
                    && DateTimeOffset.TryParse(dateText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
                    return at > date ? at - date : TimeSpan.Zero;
            }
        }

        return null;
    }
}
