using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Polly.Timeout;
using Trading.Core.Markets;
using Trading.Core.Options;
using Trading.Markets.Orders;

namespace Trading.Markets.Alpaca;

/// <summary>A listed option contract (Alpaca <c>GET /v2/options/contracts</c>).</summary>
public sealed record OptionContract(string Id, OccSymbol Symbol, bool Tradable, string Status, decimal? OpenInterest, decimal? ClosePrice);

/// <summary>
/// Alpaca Trading and Market Data REST over <see cref="HttpClient"/>: account, clock, calendar, SPY quote and bars,
/// option contracts and chain snapshots, positions, multi-leg (<c>mleg</c>) orders. Thread-safe; methods are virtual so a
/// host can substitute it. Keys travel only in request headers and never appear in logs or exceptions.
/// </summary>
public class AlpacaClient : IMarketData, IBroker
{
    private const int SnapshotPageLimit = 1000;

    private readonly HttpClient _http;
    private readonly AlpacaSettings _settings;
    private readonly AlpacaCredentials _credentials;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly RequestRateLimiter _limiter;
    private long _pausedUntilUtcTicks;

    public AlpacaClient(HttpClient httpClient, AlpacaSettings settings, AlpacaCredentials credentials, TimeProvider timeProvider, ILogger<AlpacaClient> logger)
        : this(httpClient, settings, credentials, timeProvider, logger, Environment.GetEnvironmentVariable)
    {
    }

    /// <summary>A client whose base-URL overrides (<c>ALPACA_TRADING_URL</c> / <c>ALPACA_DATA_URL</c>) are read through <paramref name="environment"/>.</summary>
    public AlpacaClient(HttpClient httpClient, AlpacaSettings settings, AlpacaCredentials credentials, TimeProvider timeProvider, ILogger<AlpacaClient> logger, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        settings.Validate();
        _http = httpClient;
        _settings = settings;
        _credentials = credentials;
        _time = timeProvider;
        _logger = logger;
        _limiter = new RequestRateLimiter(settings.MaxRequestsPerMinute, timeProvider);
        TradingUrl = settings.ResolveTradingUrl(environment);
        DataUrl = settings.ResolveDataUrl(environment);
    }

    public bool IsSimulated => false;

    /// <summary>True unless the settings explicitly chose live trading.</summary>
    public bool IsPaper => !_settings.IsLive;

    public Uri TradingUrl { get; }

    public Uri DataUrl { get; }

    /// <summary>Time spent waiting for the client-side request limiter.</summary>
    public TimeSpan RateLimiterWaited => _limiter.TotalWaited;

    // ---------------------------------------------------------------- account, clock, calendar

    public virtual async Task<BrokerAccount> GetAccountAsync(CancellationToken cancellationToken)
    {
        using var doc = await GetAsync(TradingUrl, "v2/account", cancellationToken).ConfigureAwait(false);
        var a = doc!.RootElement;
        var buyingPower = a.Decimal("buying_power") ?? 0m;
        return new BrokerAccount(
            a.String("id") ?? a.String("account_number") ?? string.Empty,
            a.Decimal("equity") ?? 0m,
            a.Decimal("last_equity") ?? a.Decimal("equity") ?? 0m,
            a.Decimal("cash") ?? 0m,
            buyingPower,
            a.Decimal("options_buying_power") ?? buyingPower,
            a.Int("options_trading_level") ?? a.Int("options_approved_level") ?? 0,
            a.Bool("trading_blocked") || a.Bool("account_blocked"),
            IsPaper);
    }

    public virtual async Task<MarketClock> GetClockAsync(CancellationToken cancellationToken)
    {
        using var doc = await GetAsync(TradingUrl, "v2/clock", cancellationToken).ConfigureAwait(false);
        var c = doc!.RootElement;
        return new MarketClock(
            c.Time("timestamp") ?? _time.GetUtcNow(),
            c.Bool("is_open"),
            c.Time("next_open") ?? throw Malformed("clock", "next_open"),
            c.Time("next_close") ?? throw Malformed("clock", "next_close"));
    }

    public virtual async Task<IReadOnlyList<TradingSession>> GetCalendarAsync(DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        using var doc = await GetAsync(TradingUrl, $"v2/calendar?start={Iso(from)}&end={Iso(to)}", cancellationToken).ConfigureAwait(false);
        var list = new List<TradingSession>();
        foreach (var s in doc!.RootElement.EnumerateArray())
        {
            list.Add(new TradingSession(
                s.Date("date") ?? throw Malformed("calendar", "date"),
                s.ClockTime("open") ?? throw Malformed("calendar", "open"),
                s.ClockTime("close") ?? throw Malformed("calendar", "close")));
        }

        return list;
    }

    // ---------------------------------------------------------------- stock data

    /// <summary>The latest quote and trade from the stock snapshot; falls back to <c>quotes/latest</c> where snapshots are not served.</summary>
    public virtual async Task<UnderlyingQuote> GetQuoteAsync(string symbol, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(symbol);
        var feed = Uri.EscapeDataString(_settings.StockFeed);
        var escaped = Uri.EscapeDataString(symbol);
        JsonElement? quote;
        JsonElement? trade;
        using (var snapshot = await SendAsync(HttpMethod.Get, DataUrl, $"v2/stocks/{escaped}/snapshot?feed={feed}", null, allowNotFound: true, cancellationToken).ConfigureAwait(false))
        {
            if (snapshot is not null)
            {
                quote = snapshot.RootElement.Property("latestQuote")?.Clone();
                trade = snapshot.RootElement.Property("latestTrade")?.Clone();
            }
            else
            {
                using var latest = await GetAsync(DataUrl, $"v2/stocks/{escaped}/quotes/latest?feed={feed}", cancellationToken).ConfigureAwait(false);
                quote = latest!.RootElement.Property("quote")?.Clone();
                trade = null;
            }
        }

        var bid = quote?.Decimal("bp") ?? 0m;
        var ask = quote?.Decimal("ap") ?? 0m;
        var last = trade?.Decimal("p") ?? (bid > 0 && ask > 0 ? (bid + ask) / 2m : 0m);
        var time = quote?.Time("t") ?? trade?.Time("t") ?? _time.GetUtcNow();
        return new UnderlyingQuote(symbol, bid, ask, last, time);
    }

    public virtual async Task<IReadOnlyList<PriceBar>> GetDailyBarsAsync(string symbol, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(symbol);
        var bars = new List<PriceBar>();
        string? pageToken = null;
        do
        {
            var path = $"v2/stocks/{Uri.EscapeDataString(symbol)}/bars?timeframe=1Day&start={Iso(from)}&end={Iso(to)}&adjustment=raw"
                + $"&feed={Uri.EscapeDataString(_settings.StockFeed)}&limit={Math.Min(_settings.PageSize, 10_000)}" + PageToken(pageToken);
            using var doc = await GetAsync(DataUrl, path, cancellationToken).ConfigureAwait(false);
            var root = doc!.RootElement;
            foreach (var b in root.Array("bars"))
            {
                bars.Add(new PriceBar(
                    b.Time("t") ?? throw Malformed("bars", "t"),
                    b.Decimal("o") ?? 0m,
                    b.Decimal("h") ?? 0m,
                    b.Decimal("l") ?? 0m,
                    b.Decimal("c") ?? 0m,
                    b.Long("v") ?? 0));
            }

            pageToken = root.String("next_page_token");
        }
        while (!string.IsNullOrEmpty(pageToken));

        return bars;
    }

    // ---------------------------------------------------------------- options

    /// <summary>Listed contracts; both expiration bounds are always sent (Alpaca's default upper bound is the next weekend).</summary>
    public virtual async Task<IReadOnlyList<OptionContract>> GetOptionContractsAsync(
        string underlying, DateOnly fromExpiration, DateOnly toExpiration, OptionRight? right, decimal? minStrike, decimal? maxStrike, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(underlying);
        var contracts = new List<OptionContract>();
        string? pageToken = null;
        do
        {
            var query = new StringBuilder("v2/options/contracts?underlying_symbols=" + Uri.EscapeDataString(underlying))
                .Append(CultureInfo.InvariantCulture, $"&expiration_date_gte={Iso(fromExpiration)}&expiration_date_lte={Iso(toExpiration)}");
            if (right is { } r)
            {
                query.Append(r == OptionRight.Call ? "&type=call" : "&type=put");
            }

            if (minStrike is { } lo)
            {
                query.Append(CultureInfo.InvariantCulture, $"&strike_price_gte={lo}");
            }

            if (maxStrike is { } hi)
            {
                query.Append(CultureInfo.InvariantCulture, $"&strike_price_lte={hi}");
            }

            query.Append(CultureInfo.InvariantCulture, $"&limit={Math.Min(_settings.PageSize, 10_000)}").Append(PageToken(pageToken));
            using var doc = await GetAsync(TradingUrl, query.ToString(), cancellationToken).ConfigureAwait(false);
            var root = doc!.RootElement;
            foreach (var c in root.Array("option_contracts"))
            {
                if (!OccSymbol.TryParse(c.String("symbol"), out var symbol))
                {
                    _logger.LogWarning("Skipping an option contract with an unreadable symbol");
                    continue;
                }

                contracts.Add(new OptionContract(c.String("id") ?? string.Empty, symbol, c.Property("tradable") is null || c.Bool("tradable"),
                    c.String("status") ?? "active", c.Decimal("open_interest"), c.Decimal("close_price")));
            }

            pageToken = root.String("next_page_token");
        }
        while (!string.IsNullOrEmpty(pageToken));

        return contracts;
    }

    /// <summary>Chain snapshots (quotes, greeks, implied volatility) merged into one chain; greeks may be null.</summary>
    public virtual async Task<OptionChain> GetOptionChainAsync(string underlying, DateOnly fromExpiration, DateOnly toExpiration, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(underlying);
        var quote = await GetQuoteAsync(underlying, cancellationToken).ConfigureAwait(false);
        var snapshots = new Dictionary<string, OptionSnapshot>(StringComparer.Ordinal);
        string? pageToken = null;
        do
        {
            var path = $"v1beta1/options/snapshots/{Uri.EscapeDataString(underlying)}?feed={Uri.EscapeDataString(_settings.OptionsFeed)}"
                + $"&expiration_date_gte={Iso(fromExpiration)}&expiration_date_lte={Iso(toExpiration)}"
                + $"&limit={Math.Min(_settings.PageSize, SnapshotPageLimit)}" + PageToken(pageToken);
            using var doc = await GetAsync(DataUrl, path, cancellationToken).ConfigureAwait(false);
            var root = doc!.RootElement;
            if (root.Property("snapshots") is { ValueKind: JsonValueKind.Object } map)
            {
                foreach (var entry in map.EnumerateObject())
                {
                    if (ParseSnapshot(entry.Name, entry.Value) is { } snapshot)
                    {
                        snapshots[entry.Name] = snapshot; // a repeated symbol across pages keeps the latest
                    }
                }
            }

            pageToken = root.String("next_page_token");
        }
        while (!string.IsNullOrEmpty(pageToken));

        return new OptionChain(underlying, quote.Mid, quote.Timestamp, snapshots.Values);
    }

    // ---------------------------------------------------------------- positions and orders

    public virtual async Task<IReadOnlyList<BrokerPosition>> GetPositionsAsync(CancellationToken cancellationToken)
    {
        using var doc = await GetAsync(TradingUrl, "v2/positions", cancellationToken).ConfigureAwait(false);
        var list = new List<BrokerPosition>();
        foreach (var p in doc!.RootElement.EnumerateArray())
        {
            if (!OccSymbol.TryParse(p.String("symbol"), out var symbol))
            {
                continue; // stock or crypto positions are not ours to manage
            }

            var quantity = p.Int("qty") ?? 0;
            if (string.Equals(p.String("side"), "short", StringComparison.OrdinalIgnoreCase) && quantity > 0)
            {
                quantity = -quantity;
            }

            list.Add(new BrokerPosition(symbol, quantity, p.Decimal("avg_entry_price") ?? 0m, p.Decimal("market_value") ?? 0m, p.Decimal("unrealized_pl") ?? 0m));
        }

        return list;
    }

    /// <summary>
    /// Places a multi-leg limit order idempotently: an existing order with the same client order id is returned instead,
    /// and a duplicate-id rejection (a retry racing a request that did get through) is treated as already placed.
    /// </summary>
    public virtual async Task<BrokerOrder> PlaceOrderAsync(MultiLegOrder order, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(order);
        ValidateOrder(order);
        var existing = await GetOrderByClientIdAsync(order.ClientOrderId, cancellationToken).ConfigureAwait(false);
        if (existing is not null)
        {
            _logger.LogInformation("Order {ClientOrderId} already placed as {OrderId}; not placing it again", order.ClientOrderId, existing.OrderId);
            return existing;
        }

        try
        {
            using var doc = await SendAsync(HttpMethod.Post, TradingUrl, "v2/orders", OrderBody(order), allowNotFound: false, cancellationToken).ConfigureAwait(false);
            var placed = ParseOrder(doc!.RootElement);
            _logger.LogInformation("Placed mleg order {OrderId} ({ClientOrderId}) qty {Quantity} limit {LimitPrice}", placed.OrderId, placed.ClientOrderId, order.Quantity, order.LimitPrice);
            return placed;
        }
        catch (OrderRejectedException ex) when (ex.HttpStatus == 422 && IsDuplicateClientOrderId(ex.Message))
        {
            var placed = await GetOrderByClientIdAsync(order.ClientOrderId, cancellationToken).ConfigureAwait(false);
            if (placed is null)
            {
                throw;
            }

            _logger.LogInformation("Order {ClientOrderId} was already placed as {OrderId} (duplicate id reported)", order.ClientOrderId, placed.OrderId);
            return placed;
        }
    }

    public virtual async Task<BrokerOrder?> GetOrderAsync(string orderId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(orderId);
        using var doc = await SendAsync(HttpMethod.Get, TradingUrl, $"v2/orders/{Uri.EscapeDataString(orderId)}?nested=true", null, allowNotFound: true, cancellationToken).ConfigureAwait(false);
        return doc is null ? null : ParseOrder(doc.RootElement);
    }

    public virtual async Task<BrokerOrder?> GetOrderByClientIdAsync(string clientOrderId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(clientOrderId);
        using var doc = await SendAsync(HttpMethod.Get, TradingUrl, $"v2/orders:by_client_order_id?client_order_id={Uri.EscapeDataString(clientOrderId)}&nested=true", null, allowNotFound: true, cancellationToken).ConfigureAwait(false);
        return doc is null ? null : ParseOrder(doc.RootElement);
    }

    /// <summary>Orders, newest first, with legs nested. <paramref name="status"/>: open, closed or all.</summary>
    public virtual async Task<IReadOnlyList<BrokerOrder>> ListOrdersAsync(string status, int limit, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(status);
        using var doc = await GetAsync(TradingUrl, $"v2/orders?status={Uri.EscapeDataString(status)}&limit={Math.Clamp(limit, 1, 500)}&direction=desc&nested=true", cancellationToken).ConfigureAwait(false);
        return doc!.RootElement.EnumerateArray().Select(ParseOrder).ToList();
    }

    public virtual async Task CancelOrderAsync(string orderId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(orderId);
        using var doc = await SendAsync(HttpMethod.Delete, TradingUrl, $"v2/orders/{Uri.EscapeDataString(orderId)}", null, allowNotFound: false, cancellationToken).ConfigureAwait(false);
    }

    // ---------------------------------------------------------------- wire format

    internal static string OrderBody(MultiLegOrder order)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteString("order_class", "mleg");
            w.WriteString("qty", order.Quantity.ToString(CultureInfo.InvariantCulture));
            w.WriteString("type", "limit");
            // Negative = net credit received, positive = net debit paid; a wrong sign is not rejected, it fills against us.
            w.WriteString("limit_price", Math.Round(order.LimitPrice, 2, MidpointRounding.AwayFromZero).ToString("0.00", CultureInfo.InvariantCulture));
            w.WriteString("time_in_force", "day");
            w.WriteString("client_order_id", order.ClientOrderId);
            w.WriteStartArray("legs");
            foreach (var leg in order.Legs)
            {
                w.WriteStartObject();
                w.WriteString("symbol", leg.Symbol.ToString());
                w.WriteString("ratio_qty", leg.RatioQuantity.ToString(CultureInfo.InvariantCulture));
                w.WriteString("side", AlpacaNames.Side(leg.Side));
                w.WriteString("position_intent", AlpacaNames.Intent(leg.Intent));
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    internal static BrokerOrder ParseOrder(JsonElement o)
    {
        var legs = new List<OrderLeg>();
        foreach (var l in o.Array("legs"))
        {
            if (!OccSymbol.TryParse(l.String("symbol"), out var symbol))
            {
                continue;
            }

            var side = AlpacaNames.ParseSide(l.String("side"));
            legs.Add(new OrderLeg(symbol, side, AlpacaNames.ParseIntent(l.String("position_intent"), side), l.Int("ratio_qty") ?? 1, l.Decimal("filled_avg_price")));
        }

        return new BrokerOrder(
            o.String("id") ?? throw Malformed("order", "id"),
            o.String("client_order_id") ?? string.Empty,
            AlpacaNames.ParseStatus(o.String("status")),
            o.Int("qty") ?? 0,
            o.Int("filled_qty") ?? 0,
            o.Decimal("limit_price"),
            o.Decimal("filled_avg_price"),
            o.Time("submitted_at") ?? o.Time("created_at") ?? DateTimeOffset.MinValue,
            o.Time("filled_at"),
            legs);
    }

    internal static OptionSnapshot? ParseSnapshot(string symbolText, JsonElement s)
    {
        if (!OccSymbol.TryParse(symbolText, out var symbol))
        {
            return null;
        }

        var q = s.Property("latestQuote");
        var quote = new OptionQuote(q?.Decimal("bp") ?? 0m, q?.Decimal("ap") ?? 0m);
        Greeks? greeks = null;
        if (s.Property("greeks") is { ValueKind: JsonValueKind.Object } g && g.Double("delta") is { } delta)
        {
            greeks = new Greeks(delta, g.Double("gamma") ?? 0, g.Double("theta") ?? 0, g.Double("vega") ?? 0, g.Double("rho") ?? 0);
        }

        return new OptionSnapshot(symbol, quote, greeks, s.Double("impliedVolatility"));
    }

    private static void ValidateOrder(MultiLegOrder order)
    {
        if (order.Legs.Count is < 2 or > 4)
        {
            throw new OrderRejectedException("validation", null, $"A multi-leg order needs 2 to 4 legs, not {order.Legs.Count}.");
        }

        if (order.Quantity <= 0)
        {
            throw new OrderRejectedException("validation", null, $"Order quantity must be positive, not {order.Quantity}.");
        }

        if (order.ClientOrderId.Length is 0 or > 128)
        {
            throw new OrderRejectedException("validation", null, "client_order_id must be 1 to 128 characters.");
        }
    }

    private static bool IsDuplicateClientOrderId(string message) =>
        message.Contains("client_order_id", StringComparison.OrdinalIgnoreCase)
        && (message.Contains("unique", StringComparison.OrdinalIgnoreCase) || message.Contains("duplicate", StringComparison.OrdinalIgnoreCase));

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string PageToken(string? token) => string.IsNullOrEmpty(token) ? string.Empty : "&page_token=" + Uri.EscapeDataString(token);

    private static AlpacaApiException Malformed(string what, string field) => new(200, null, $"Alpaca {what} response is missing '{field}'.");

    // ---------------------------------------------------------------- transport

    private Task<JsonDocument?> GetAsync(Uri baseUrl, string path, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, baseUrl, path, null, allowNotFound: false, cancellationToken);

    /// <summary>
    /// One call with Alpaca's error policy: 401 → configuration error; 403 → rejection (not retried); 422 → validation
    /// rejection; 429, 5xx, timeouts and connection failures were already retried by the client's resilience handler
    /// (<see cref="AlpacaHttp"/>), so what reaches here is final.
    /// </summary>
    private async Task<JsonDocument?> SendAsync(HttpMethod method, Uri baseUrl, string path, string? body, bool allowNotFound, CancellationToken cancellationToken)
    {
        var uri = new Uri(baseUrl, path);
        await WaitForServerWindowAsync(cancellationToken).ConfigureAwait(false);
        await _limiter.AcquireAsync(cancellationToken).ConfigureAwait(false);
        using var request = new HttpRequestMessage(method, uri);
        request.Headers.TryAddWithoutValidation("APCA-API-KEY-ID", _credentials.KeyId);
        request.Headers.TryAddWithoutValidation("APCA-API-SECRET-KEY", _credentials.SecretKey);
        request.Headers.Accept.ParseAdd("application/json");
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is TimeoutRejectedException or OperationCanceledException or HttpRequestException)
        {
            var what = ex is HttpRequestException ? "could not connect" : $"timed out after {_settings.RequestTimeoutSeconds} s";
            throw new AlpacaApiException($"Alpaca {method} {uri.AbsolutePath} {what} (retried {_settings.MaxRetries} times).", ex);
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            NoteServerWindow(response);
            if (response.IsSuccessStatusCode)
            {
                return string.IsNullOrWhiteSpace(text) ? null : JsonDocument.Parse(text);
            }

            if (status == 404 && allowNotFound)
            {
                return null;
            }

            var (code, message) = ReadError(text, response.ReasonPhrase);
            throw status switch
            {
                (int)HttpStatusCode.Unauthorized => new AlpacaConfigurationException(
                    $"Alpaca rejected the API keys (HTTP 401 on {uri.AbsolutePath}). Check {AlpacaCredentials.VariableNames} and that " +
                    $"{AlpacaSettings.SectionName}:Environment ({(IsPaper ? "paper" : "live")}) matches the keys: paper keys do not work live and vice versa."),
                // Only order submissions and cancels are "rejections"; a 403/422 on a read (e.g. a data subscription that
                // does not cover the feed) is an API error for the caller to report.
                (int)HttpStatusCode.Forbidden or 422 when method == HttpMethod.Get =>
                    new AlpacaApiException(status, code, $"Alpaca {method} {uri.AbsolutePath} failed with {status}{CodeText(code)}: {message}"),
                (int)HttpStatusCode.Forbidden => new OrderRejectedException(RejectionReason(message), status, $"Alpaca refused the request (403{CodeText(code)}): {message}"),
                422 => new OrderRejectedException("validation", status, $"Alpaca rejected the request as invalid (422{CodeText(code)}): {message}"),
                429 => new AlpacaApiException(status, code, $"Alpaca kept rate-limiting {uri.AbsolutePath} after {AlpacaHttp.MaxRateLimitWaits} waits: {message}"),
                >= 500 => new AlpacaApiException(status, code, $"Alpaca {method} {uri.AbsolutePath} failed with {status} after {_settings.MaxRetries} retries: {message}"),
                _ => new AlpacaApiException(status, code, $"Alpaca {method} {uri.AbsolutePath} failed with {status}{CodeText(code)}: {message}"),
            };
        }
    }

    // When Alpaca says the window is used up (X-Ratelimit-Remaining: 0), hold every request until its reset instead of
    // collecting a 429 first.
    private void NoteServerWindow(HttpResponseMessage response)
    {
        if (response.Headers.TryGetValues("X-Ratelimit-Remaining", out var remaining)
            && remaining.FirstOrDefault() == "0"
            && response.Headers.TryGetValues("X-Ratelimit-Reset", out var reset)
            && long.TryParse(reset.FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var resetUnix))
        {
            var max = _time.GetUtcNow().AddSeconds(_settings.MaxRateLimitWaitSeconds);
            var until = DateTimeOffset.FromUnixTimeSeconds(resetUnix);
            Interlocked.Exchange(ref _pausedUntilUtcTicks, (until > max ? max : until).UtcTicks);
        }
    }

    private Task WaitForServerWindowAsync(CancellationToken cancellationToken)
    {
        var wait = new DateTimeOffset(Interlocked.Read(ref _pausedUntilUtcTicks), TimeSpan.Zero) - _time.GetUtcNow();
        return wait > TimeSpan.Zero ? Task.Delay(wait, _time, cancellationToken) : Task.CompletedTask;
    }

    private static (long? Code, string Message) ReadError(string text, string? reason)
    {
        try
        {
            using var doc = JsonDocument.Parse(text);
            var root = doc.RootElement;
            return (root.Long("code"), root.String("message") ?? reason ?? "no message");
        }
        catch (JsonException)
        {
            var trimmed = text.Length > 300 ? text[..300] : text;
            return (null, string.IsNullOrWhiteSpace(trimmed) ? reason ?? "no message" : trimmed);
        }
    }

    private static string RejectionReason(string message) =>
        message.Contains("buying power", StringComparison.OrdinalIgnoreCase) || message.Contains("buying_power", StringComparison.OrdinalIgnoreCase)
            ? "buying_power"
            : message.Contains("market", StringComparison.OrdinalIgnoreCase) && message.Contains("closed", StringComparison.OrdinalIgnoreCase)
                ? "market_closed"
                : "permission";

    private static string CodeText(long? code) => code is { } c ? string.Create(CultureInfo.InvariantCulture, $", code {c}") : string.Empty;
}
