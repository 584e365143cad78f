using System.Globalization;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.Timeout;

namespace Trading.Markets.Alpaca;

/// <summary>
/// The <see cref="HttpClient"/> the Alpaca client uses, from <see cref="IHttpClientFactory"/> with a resilience handler:
/// 5xx, timeouts and connection failures retried with exponential backoff (<see cref="AlpacaSettings.MaxRetries"/>);
/// 429 waited out until Alpaca's <c>X-Ratelimit-Reset</c> (or Retry-After), at most
/// <see cref="AlpacaSettings.MaxRateLimitWaitSeconds"/> per wait and <see cref="MaxRateLimitWaits"/> times; a timeout per
/// attempt (<see cref="AlpacaSettings.RequestTimeoutSeconds"/>). Order submissions go through it too: they are safe to
/// repeat because every order carries our <c>client_order_id</c>, and the client treats a duplicate-id rejection as
/// already placed. 401, 403 and 422 are answers, never retried.
/// </summary>
public static class AlpacaHttp
{
    /// <summary>The named client's name.</summary>
    public const string ClientName = "alpaca";

    /// <summary>429 responses waited out per request before giving up.</summary>
    public const int MaxRateLimitWaits = 5;

    /// <summary>Registers the named client; resolve it with <see cref="CreateClient"/>. Waits use the registered <see cref="TimeProvider"/>.</summary>
    public static IServiceCollection AddAlpacaHttpClient(this IServiceCollection services, AlpacaSettings settings)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(settings);
        services.AddHttpClient(ClientName, http => http.Timeout = Timeout.InfiniteTimeSpan) // the pipeline times out each attempt
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan) // one long-lived client; the pooled connections rotate instead
            .AddResilienceHandler(ClientName, (pipeline, context) =>
            {
                var logger = context.ServiceProvider.GetService<ILogger<AlpacaClient>>() ?? NullLogger<AlpacaClient>.Instance;
                var time = context.ServiceProvider.GetService<TimeProvider>() ?? TimeProvider.System;
                pipeline.TimeProvider = time; // backoff and rate-limit waits follow the host's clock
                pipeline.AddRetry(RetryOptions(settings, time, logger));
            })
            .Services
            .AddHttpClient(ClientName)
            .AddResilienceHandler(ClientName + "-attempt", pipeline =>
            {
                // Inside the retries: a limit on one network attempt, in wall-clock time whatever clock the host runs on.
                pipeline.TimeProvider = TimeProvider.System;
                pipeline.AddTimeout(TimeSpan.FromSeconds(settings.RequestTimeoutSeconds));
            });
        return services;
    }

    /// <summary>The Alpaca client from <paramref name="services"/>' factory.</summary>
    public static HttpClient CreateClient(IServiceProvider services) =>
        services.GetRequiredService<IHttpClientFactory>().CreateClient(ClientName);

    private static HttpRetryStrategyOptions RetryOptions(AlpacaSettings settings, TimeProvider time, ILogger logger) => new()
    {
        MaxRetryAttempts = Math.Max(settings.MaxRetries, MaxRateLimitWaits),
        ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, args.AttemptNumber, settings)),
        DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(
            args.Outcome.Result?.StatusCode == HttpStatusCode.TooManyRequests
                ? RateLimitWait(args.Outcome.Result, settings, time)
                : TimeSpan.FromMilliseconds(settings.RetryBaseDelayMilliseconds * Math.Pow(2, args.AttemptNumber))),
        OnRetry = args =>
        {
            var request = args.Outcome.Result?.RequestMessage;
            logger.LogWarning("Alpaca {Method} {Path} {What}; retry {Attempt} in {DelayMs} ms",
                request?.Method.Method ?? "request", request?.RequestUri?.AbsolutePath ?? "(unknown)", Describe(args.Outcome, settings),
                args.AttemptNumber + 1, (int)args.RetryDelay.TotalMilliseconds);
            return ValueTask.CompletedTask;
        },
    };

    private static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, int attemptNumber, AlpacaSettings settings)
    {
        if (outcome.Exception is TimeoutRejectedException or HttpRequestException)
            return attemptNumber < settings.MaxRetries;
        if (outcome.Result is not { } response)
            return false;
        var status = (int)response.StatusCode;
        if (status == 429)
            return attemptNumber < MaxRateLimitWaits;
        return status >= 500 && attemptNumber < settings.MaxRetries;
    }

    private static string Describe(Outcome<HttpResponseMessage> outcome, AlpacaSettings settings) => outcome switch
    {
        { Exception: TimeoutRejectedException } => string.Create(CultureInfo.InvariantCulture, $"timed out after {settings.RequestTimeoutSeconds} s"),
        { Exception: not null } => "could not connect",
        { Result.StatusCode: HttpStatusCode.TooManyRequests } => "rate-limited (429), waiting for the reset",
        { Result: { } r } => string.Create(CultureInfo.InvariantCulture, $"HTTP {(int)r.StatusCode}"),
        _ => "failed",
    };

    // Alpaca says when its window resets (X-Ratelimit-Reset, Unix seconds); otherwise Retry-After; otherwise a second.
    private static TimeSpan RateLimitWait(HttpResponseMessage response, AlpacaSettings settings, TimeProvider time)
    {
        var max = TimeSpan.FromSeconds(settings.MaxRateLimitWaitSeconds);
        if (response.Headers.TryGetValues("X-Ratelimit-Reset", out var values)
            && long.TryParse(values.FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var resetUnix))
        {
            var wait = DateTimeOffset.FromUnixTimeSeconds(resetUnix) - time.GetUtcNow();
            return wait <= TimeSpan.Zero ? TimeSpan.FromMilliseconds(100) : wait > max ? max : wait;
        }

        if (response.Headers.RetryAfter?.Delta is { } delta)
            return delta > max ? max : delta;
        return max < TimeSpan.FromSeconds(1) ? max : TimeSpan.FromSeconds(1);
    }
}
