using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Trading.TestKit.Alpaca;

/// <summary>How the fake broker treats a new order.</summary>
public enum FakeFillMode
{
    /// <summary>Filled at its limit price as soon as it is placed.</summary>
    FillImmediately,

    /// <summary>Rests as <c>new</c> forever (until canceled).</summary>
    NeverFill,

    /// <summary>Fills one contract, then rests as <c>partially_filled</c>.</summary>
    PartialFill,
}

/// <summary>A request the fake server received (headers other than the key id are not kept, so no secret is stored).</summary>
public sealed record RecordedRequest(string Method, string Path, string Query, string Body);

/// <summary>
/// A loopback Alpaca (Kestrel on 127.0.0.1, a free port) that serves both the Trading and the Market Data API from one base
/// URL and replays the documented JSON shapes: money as strings on the trading API, numbers on the data API, pagination by
/// <c>next_page_token</c>, snapshots whose greeks can be null, error bodies <c>{code, message}</c>, 429 with
/// <c>X-Ratelimit-*</c> headers, duplicate <c>client_order_id</c> rejection, and orders that never fill.
/// </summary>
public sealed class FakeAlpacaServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<(string? Method, string PathPrefix, int Status, string Body, Dictionary<string, string> Headers)> _faults = new();
    private readonly ConcurrentQueue<(string PathPrefix, TimeSpan Delay)> _delays = new();
    private readonly List<JsonObject> _orders = [];
    private readonly Lock _gate = new();
    private int _orderNumber;

    private FakeAlpacaServer(WebApplication app, string keyId, string secretKey)
    {
        _app = app;
        KeyId = keyId;
        SecretKey = secretKey;
    }

    public string KeyId { get; }

    public string SecretKey { get; }

    /// <summary>Base URL for both ALPACA_TRADING_URL and ALPACA_DATA_URL.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    public FakeFillMode FillMode { get; set; } = FakeFillMode.FillImmediately;

    /// <summary>The next N lookups by client order id answer 404 even when the order exists (a POST whose response was lost).</summary>
    public int HideClientOrderLookups { get; set; }

    public string AccountJson { get; set; } = """
        {"id":"904837e3-3b76-47ec-b432-046db621571b","account_number":"PA3ABCDEFGH","status":"ACTIVE","currency":"USD",
         "cash":"100000.12","portfolio_value":"100250.5","equity":"100250.5","last_equity":"99875.25","buying_power":"200501",
         "regt_buying_power":"200501","daytrading_buying_power":"0","non_marginable_buying_power":"100000.12",
         "options_buying_power":"100000.12","options_approved_level":3,"options_trading_level":3,"pattern_day_trader":false,
         "trading_blocked":false,"transfers_blocked":false,"account_blocked":false,"created_at":"2024-01-02T15:04:05.123456Z",
         "shorting_enabled":true,"multiplier":"2","long_market_value":"0","short_market_value":"0","initial_margin":"0",
         "maintenance_margin":"0","sma":"0","daytrade_count":0,"crypto_status":"ACTIVE"}
        """;

    public string ClockJson { get; set; } = """
        {"timestamp":"2026-03-02T10:15:00.123456789-05:00","is_open":true,"next_open":"2026-03-03T09:30:00-05:00","next_close":"2026-03-02T16:00:00-05:00"}
        """;

    public string CalendarJson { get; set; } = """
        [{"date":"2026-11-25","open":"09:30","close":"16:00","session_open":"0400","session_close":"2000","settlement_date":"2026-11-27"},
         {"date":"2026-11-27","open":"09:30","close":"13:00","session_open":"0400","session_close":"1700","settlement_date":"2026-11-30"}]
        """;

    public string StockSnapshotJson { get; set; } = """
        {"symbol":"SPY","latestTrade":{"t":"2026-03-02T15:14:59.5Z","x":"V","p":601.23,"s":100,"c":["@"],"i":52983525029461,"z":"B"},
         "latestQuote":{"t":"2026-03-02T15:15:00.1Z","ax":"V","ap":601.25,"as":3,"bx":"V","bp":601.21,"bs":2,"c":["R"],"z":"B"},
         "minuteBar":{"t":"2026-03-02T15:14:00Z","o":601.1,"h":601.3,"l":601.0,"c":601.23,"v":12345,"n":120,"vw":601.2},
         "dailyBar":{"t":"2026-03-02T05:00:00Z","o":599.5,"h":602.0,"l":599.1,"c":601.23,"v":30123456,"n":300000,"vw":600.7},
         "prevDailyBar":{"t":"2026-02-27T05:00:00Z","o":598.0,"h":600.0,"l":597.2,"c":599.4,"v":40123456,"n":400000,"vw":598.9}}
        """;

    /// <summary>Daily bars served in pages of two.</summary>
    public List<string> Bars { get; } =
    [
        """{"t":"2026-02-25T05:00:00Z","o":597.1,"h":599.2,"l":596.5,"c":598.8,"v":41000000,"n":350000,"vw":598.1}""",
        """{"t":"2026-02-26T05:00:00Z","o":598.8,"h":600.5,"l":598.0,"c":600.1,"v":39000000,"n":340000,"vw":599.5}""",
        """{"t":"2026-02-27T05:00:00Z","o":598.0,"h":600.0,"l":597.2,"c":599.4,"v":40123456,"n":400000,"vw":598.9}""",
    ];

    /// <summary>Option contracts (raw JSON objects) in the order served.</summary>
    public List<string> OptionContracts { get; } = [];

    /// <summary>Option snapshots by OCC symbol (raw JSON objects).</summary>
    public List<KeyValuePair<string, string>> OptionSnapshots { get; } = [];

    /// <summary>Positions (raw JSON objects).</summary>
    public List<string> Positions { get; } = [];

    /// <summary>Starts the server on a free loopback port.</summary>
    public static async Task<FakeAlpacaServer> StartAsync(string keyId = "PKTEST00000000000001", string secretKey = "fake-secret-never-logged-0123456789")
    {
        var app = LoopbackApp.Create();
        var server = new FakeAlpacaServer(app, keyId, secretKey);
        app.Run(server.HandleAsync);
        server.BaseUrl = await LoopbackApp.StartAsync(app).ConfigureAwait(false);
        return server;
    }

    /// <summary>
    /// The next request whose path starts with <paramref name="pathPrefix"/> (and, when given, whose method is
    /// <paramref name="method"/>) gets this response instead. Faults are served in order.
    /// </summary>
    public void EnqueueFault(string pathPrefix, int status, string body, Dictionary<string, string>? headers = null, string? method = null) =>
        _faults.Enqueue((method, pathPrefix, status, body, headers ?? []));

    /// <summary>The next request whose path starts with <paramref name="pathPrefix"/> is answered only after <paramref name="delay"/> (a hung upstream).</summary>
    public void DelayNext(string pathPrefix, TimeSpan delay) => _delays.Enqueue((pathPrefix, delay));

    /// <summary>Adds a contract and its snapshot for each strike and right of one expiration; greeks null where asked.</summary>
    public void AddChain(DateOnly expiration, IEnumerable<decimal> strikes, decimal spot, Func<decimal, char, bool>? nullGreeks = null)
    {
        foreach (var strike in strikes)
        {
            foreach (var right in new[] { 'C', 'P' })
            {
                var symbol = string.Create(CultureInfo.InvariantCulture, $"SPY{expiration:yyMMdd}{right}{(long)(strike * 1000):D8}");
                var moneyness = right == 'C' ? spot - strike : strike - spot;
                var mid = Math.Max(0.05m, Math.Round(2m + (moneyness * 0.5m), 2));
                var delta = right == 'C' ? 0.5 + (double)((spot - strike) / 100m) : -0.5 + (double)((spot - strike) / 100m);
                OptionContracts.Add(string.Create(CultureInfo.InvariantCulture,
                    $$"""{"id":"{{Guid.NewGuid()}}","symbol":"{{symbol}}","name":"SPY {{expiration:MMM dd yyyy}} {{strike}} {{(right == 'C' ? "Call" : "Put")}}","status":"active","tradable":true,"expiration_date":"{{expiration:yyyy-MM-dd}}","root_symbol":"SPY","underlying_symbol":"SPY","underlying_asset_id":"b28f4066-5c6d-479b-a2af-85dc1a8f16fb","type":"{{(right == 'C' ? "call" : "put")}}","style":"american","strike_price":"{{strike}}","multiplier":"100","size":"100","open_interest":"1234","open_interest_date":"2026-02-27","close_price":"{{mid}}","close_price_date":"2026-02-27"}"""));
                var greeks = nullGreeks?.Invoke(strike, right) == true
                    ? "null"
                    : string.Create(CultureInfo.InvariantCulture, $$"""{"delta":{{delta}},"gamma":0.0123,"rho":0.0456,"theta":-0.2345,"vega":0.3456}""");
                var iv = nullGreeks?.Invoke(strike, right) == true ? string.Empty : ""","impliedVolatility":0.1834""";
                OptionSnapshots.Add(new(symbol, string.Create(CultureInfo.InvariantCulture,
                    $$"""{"latestQuote":{"ap":{{mid + 0.02m}},"as":12,"ax":"C","bp":{{mid - 0.02m}},"bs":7,"bx":"X","c":"A","t":"2026-03-02T15:14:58.1Z"},"latestTrade":{"c":"I","p":{{mid}},"s":1,"t":"2026-03-02T15:10:00Z","x":"C"},"greeks":{{greeks}}{{iv}}}""")));
            }
        }
    }

    /// <summary>The orders the fake holds, as JSON text.</summary>
    public IReadOnlyList<string> OrderJsons()
    {
        lock (_gate)
        {
            return _orders.Select(o => o.ToJsonString()).ToList();
        }
    }

    /// <summary>Sets an order's status (and fills) as the exchange would.</summary>
    public void SetOrderStatus(string orderId, string status, int filledQuantity, string? filledAveragePrice)
    {
        lock (_gate)
        {
            var o = _orders.First(x => (string?)x["id"] == orderId);
            o["status"] = status;
            o["filled_qty"] = filledQuantity.ToString(CultureInfo.InvariantCulture);
            o["filled_avg_price"] = filledAveragePrice;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private async Task HandleAsync(HttpContext ctx)
    {
        var request = ctx.Request;
        string body;
        using (var reader = new StreamReader(request.Body, Encoding.UTF8))
        {
            body = await reader.ReadToEndAsync().ConfigureAwait(false);
        }

        var path = request.Path.Value ?? string.Empty;
        Requests.Enqueue(new RecordedRequest(request.Method, path, request.QueryString.Value ?? string.Empty, body));

        if (request.Headers["APCA-API-KEY-ID"] != KeyId || request.Headers["APCA-API-SECRET-KEY"] != SecretKey)
        {
            await Error(ctx, 401, 40110000, "request is not authorized").ConfigureAwait(false);
            return;
        }

        if (_delays.TryPeek(out var delay) && path.StartsWith(delay.PathPrefix, StringComparison.Ordinal) && _delays.TryDequeue(out delay))
        {
            try
            {
                await Task.Delay(delay.Delay, ctx.RequestAborted).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return; // the client gave up, as intended
            }
        }

        if (_faults.TryPeek(out var fault) && path.StartsWith(fault.PathPrefix, StringComparison.Ordinal)
            && (fault.Method is null || fault.Method == request.Method) && _faults.TryDequeue(out fault))
        {
            ctx.Response.StatusCode = fault.Status;
            foreach (var (name, value) in fault.Headers)
            {
                ctx.Response.Headers[name] = value;
            }

            ctx.Response.ContentType = "application/json";
            await ctx.Response.WriteAsync(fault.Body).ConfigureAwait(false);
            return;
        }

        var q = request.Query;
        switch (request.Method, path)
        {
            case ("GET", "/v2/account"):
                await Json(ctx, AccountJson).ConfigureAwait(false);
                return;
            case ("GET", "/v2/clock"):
                await Json(ctx, ClockJson).ConfigureAwait(false);
                return;
            case ("GET", "/v2/calendar"):
                await Json(ctx, CalendarJson).ConfigureAwait(false);
                return;
            case ("GET", "/v2/positions"):
                await Json(ctx, "[" + string.Join(',', Positions) + "]").ConfigureAwait(false);
                return;
            case ("GET", "/v2/stocks/SPY/snapshot"):
                await Json(ctx, StockSnapshotJson).ConfigureAwait(false);
                return;
            case ("GET", "/v2/stocks/SPY/quotes/latest"):
                await Json(ctx, """{"symbol":"SPY","quote":{"t":"2026-03-02T15:15:00.1Z","ax":"V","ap":601.25,"as":3,"bx":"V","bp":601.21,"bs":2,"c":["R"],"z":"B"}}""").ConfigureAwait(false);
                return;
            case ("GET", "/v2/stocks/SPY/bars"):
                {
                    var (page, next) = Page(Bars, q["page_token"], 2);
                    await Json(ctx, $$"""{"bars":[{{string.Join(',', page)}}],"symbol":"SPY","next_page_token":{{next}}}""").ConfigureAwait(false);
                    return;
                }

            case ("GET", "/v2/options/contracts"):
                {
                    if (string.IsNullOrEmpty(q["expiration_date_gte"]) || string.IsNullOrEmpty(q["expiration_date_lte"]))
                    {
                        await Error(ctx, 422, 42210000, "test server: both expiration bounds are required").ConfigureAwait(false);
                        return;
                    }

                    var (page, next) = Page(OptionContracts, q["page_token"], Limit(q["limit"], 100));
                    await Json(ctx, $$"""{"option_contracts":[{{string.Join(',', page)}}],"next_page_token":{{next}}}""").ConfigureAwait(false);
                    return;
                }

            case ("GET", "/v1beta1/options/snapshots/SPY"):
                {
                    var (page, next) = Page(OptionSnapshots, q["page_token"], Limit(q["limit"], 100));
                    var entries = string.Join(',', page.Select(kv => $"\"{kv.Key}\":{kv.Value}"));
                    await Json(ctx, $$"""{"snapshots":{{{entries}}},"next_page_token":{{next}}}""").ConfigureAwait(false);
                    return;
                }

            case ("POST", "/v2/orders"):
                await PlaceOrderAsync(ctx, body).ConfigureAwait(false);
                return;
            case ("GET", "/v2/orders"):
                lock (_gate)
                {
                    body = "[" + string.Join(',', _orders.AsEnumerable().Reverse().Select(o => o.ToJsonString())) + "]";
                }

                await Json(ctx, body).ConfigureAwait(false);
                return;
            case ("GET", "/v2/orders:by_client_order_id"):
                {
                    JsonObject? found;
                    lock (_gate)
                    {
                        found = _orders.Find(o => (string?)o["client_order_id"] == q["client_order_id"]);
                        if (found is not null && HideClientOrderLookups > 0)
                        {
                            HideClientOrderLookups--;
                            found = null;
                        }
                    }

                    await (found is null ? Error(ctx, 404, 40410000, "order not found") : Json(ctx, found.ToJsonString())).ConfigureAwait(false);
                    return;
                }
        }

        if (path.StartsWith("/v2/orders/", StringComparison.Ordinal))
        {
            var id = path["/v2/orders/".Length..];
            JsonObject? order;
            lock (_gate)
            {
                order = _orders.Find(o => (string?)o["id"] == id);
            }

            if (order is null)
            {
                await Error(ctx, 404, 40410000, "order not found").ConfigureAwait(false);
                return;
            }

            if (request.Method == "DELETE")
            {
                lock (_gate)
                {
                    var status = (string?)order["status"];
                    if (status is "filled" or "canceled" or "expired")
                    {
                        order = null;
                    }
                    else
                    {
                        order["status"] = "canceled";
                        order["canceled_at"] = "2026-03-02T15:30:00Z";
                    }
                }

                if (order is null)
                {
                    await Error(ctx, 422, 42210000, "order is not cancelable").ConfigureAwait(false);
                    return;
                }

                ctx.Response.StatusCode = 204;
                return;
            }

            await Json(ctx, order.ToJsonString()).ConfigureAwait(false);
            return;
        }

        await Error(ctx, 404, 40410000, $"test server: no route for {request.Method} {path}").ConfigureAwait(false);
    }

    private async Task PlaceOrderAsync(HttpContext ctx, string body)
    {
        JsonObject request;
        try
        {
            request = JsonNode.Parse(body)!.AsObject();
        }
        catch (JsonException)
        {
            await Error(ctx, 422, 40010000, "request body format is invalid").ConfigureAwait(false);
            return;
        }

        var legs = request["legs"]?.AsArray();
        if ((string?)request["order_class"] != "mleg" || legs is null || legs.Count is < 2 or > 4)
        {
            await Error(ctx, 422, 42210000, "mleg orders need order_class mleg and 2 to 4 legs").ConfigureAwait(false);
            return;
        }

        if (request.ContainsKey("symbol") || request.ContainsKey("side"))
        {
            await Error(ctx, 422, 42210000, "symbol and side must not be set on an mleg order").ConfigureAwait(false);
            return;
        }

        var clientOrderId = (string?)request["client_order_id"] ?? Guid.NewGuid().ToString();
        var qty = (string?)request["qty"] ?? "1";
        var limit = (string?)request["limit_price"];
        JsonObject order;
        lock (_gate)
        {
            if (_orders.Exists(o => (string?)o["client_order_id"] == clientOrderId))
            {
                order = null!;
            }
            else
            {
                var number = ++_orderNumber;
                var (status, filled, avg) = FillMode switch
                {
                    FakeFillMode.FillImmediately => ("filled", qty, limit),
                    FakeFillMode.PartialFill => ("partially_filled", "1", limit),
                    _ => ("new", "0", null),
                };
                var legArray = new JsonArray();
                foreach (var leg in legs)
                {
                    legArray.Add(new JsonObject
                    {
                        ["id"] = $"leg-{number}-{legArray.Count}",
                        ["symbol"] = (string?)leg!["symbol"],
                        ["asset_class"] = "us_option",
                        ["side"] = (string?)leg["side"],
                        ["ratio_qty"] = (string?)leg["ratio_qty"],
                        ["position_intent"] = (string?)leg["position_intent"],
                        ["status"] = status,
                        ["qty"] = qty,
                        ["filled_qty"] = filled,
                        ["order_class"] = "mleg",
                        ["type"] = "limit",
                    });
                }

                order = new JsonObject
                {
                    ["id"] = string.Create(CultureInfo.InvariantCulture, $"61e69015-8549-4bfd-b9c3-{number:D12}"),
                    ["client_order_id"] = clientOrderId,
                    ["created_at"] = "2026-03-02T15:15:01.123Z",
                    ["updated_at"] = "2026-03-02T15:15:01.123Z",
                    ["submitted_at"] = "2026-03-02T15:15:01.1Z",
                    ["filled_at"] = status == "filled" ? "2026-03-02T15:15:02Z" : null,
                    ["expired_at"] = null,
                    ["canceled_at"] = null,
                    ["asset_id"] = string.Empty,
                    ["symbol"] = string.Empty,
                    ["asset_class"] = string.Empty,
                    ["notional"] = null,
                    ["qty"] = qty,
                    ["filled_qty"] = filled,
                    ["filled_avg_price"] = avg,
                    ["order_class"] = "mleg",
                    ["order_type"] = "limit",
                    ["type"] = "limit",
                    ["side"] = string.Empty,
                    ["time_in_force"] = (string?)request["time_in_force"],
                    ["limit_price"] = limit,
                    ["stop_price"] = null,
                    ["status"] = status,
                    ["extended_hours"] = false,
                    ["legs"] = legArray,
                };
                _orders.Add(order);
            }
        }

        if (order is null)
        {
            await Error(ctx, 422, 40010001, "client_order_id must be unique").ConfigureAwait(false);
            return;
        }

        await Json(ctx, order.ToJsonString()).ConfigureAwait(false);
    }

    private static int Limit(string? text, int fallback) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : fallback;

    // Opaque page tokens like Alpaca's: here a base64 offset.
    private static (List<T> Page, string NextJson) Page<T>(List<T> items, string? token, int size)
    {
        var start = string.IsNullOrEmpty(token) ? 0 : int.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(token)), CultureInfo.InvariantCulture);
        var page = items.Skip(start).Take(size).ToList();
        var next = start + size < items.Count
            ? "\"" + Convert.ToBase64String(Encoding.UTF8.GetBytes((start + size).ToString(CultureInfo.InvariantCulture))) + "\""
            : "null";
        return (page, next);
    }

    private static Task Json(HttpContext ctx, string json)
    {
        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = "application/json";
        return ctx.Response.WriteAsync(json);
    }

    private static Task Error(HttpContext ctx, int status, long code, string message)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "application/json";
        return ctx.Response.WriteAsync(JsonSerializer.Serialize(new Dictionary<string, object> { ["code"] = code, ["message"] = message }));
    }
}
