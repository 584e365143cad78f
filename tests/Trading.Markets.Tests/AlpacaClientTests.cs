using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Trading.Core.Markets;
using Trading.Core.Options;
using Trading.Markets.Alpaca;
using Trading.TestKit.Alpaca;
using Trading.TestKit.Markets;

namespace Trading.Markets.Tests;

public sealed class AlpacaClientTests : IAsyncLifetime
{
    private static readonly DateOnly Expiry = new(2026, 4, 17);
    private readonly InstantTimeProvider _time = new(new DateTimeOffset(2026, 3, 2, 15, 15, 0, TimeSpan.Zero));
    private readonly FakeLogger<AlpacaClient> _logger = new();
    private readonly List<ServiceProvider> _containers = [];
    private FakeAlpacaServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeAlpacaServer.StartAsync();

    public async Task DisposeAsync()
    {
        foreach (var container in _containers)
        {
            await container.DisposeAsync();
        }

        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Account_numbers_arrive_as_strings_and_parse_as_invariant_decimals()
    {
        var account = await Client().GetAccountAsync(default);

        Assert.Equal(100250.5m, account.Equity);
        Assert.Equal(99875.25m, account.LastEquity);
        Assert.Equal(100000.12m, account.Cash);
        Assert.Equal(200501m, account.BuyingPower);
        Assert.Equal(100000.12m, account.OptionsBuyingPower);
        Assert.Equal(3, account.OptionsTradingLevel);
        Assert.False(account.TradingBlocked);
        Assert.True(account.IsPaper);
        Assert.Equal("904837e3-3b76-47ec-b432-046db621571b", account.AccountId);
    }

    [Fact]
    public async Task Clock_and_calendar_parse_including_an_early_close()
    {
        var client = Client();
        var clock = await client.GetClockAsync(default);
        var calendar = await client.GetCalendarAsync(new DateOnly(2026, 11, 25), new DateOnly(2026, 11, 27), default);

        Assert.True(clock.IsOpen);
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 15, 15, 0, TimeSpan.Zero), clock.Timestamp.UtcDateTime.AddTicks(-(clock.Timestamp.UtcDateTime.Ticks % TimeSpan.TicksPerSecond)));
        Assert.Equal(TimeSpan.FromHours(-5), clock.Timestamp.Offset);
        Assert.Equal(new DateTimeOffset(2026, 3, 3, 9, 30, 0, TimeSpan.FromHours(-5)), clock.NextOpen);
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 16, 0, 0, TimeSpan.FromHours(-5)), clock.NextClose);
        Assert.Equal(2, calendar.Count);
        Assert.Equal(new TimeOnly(13, 0), calendar[1].Close);
        Assert.Contains(_server.Requests, r => r.Path == "/v2/calendar" && r.Query.Contains("start=2026-11-25", StringComparison.Ordinal) && r.Query.Contains("end=2026-11-27", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Quote_and_paginated_daily_bars()
    {
        var client = Client();
        var quote = await client.GetQuoteAsync("SPY", default);
        var bars = await client.GetDailyBarsAsync("SPY", new DateOnly(2026, 2, 25), new DateOnly(2026, 2, 27), default);

        Assert.Equal(601.21m, quote.Bid);
        Assert.Equal(601.25m, quote.Ask);
        Assert.Equal(601.23m, quote.Last);
        Assert.Equal(3, bars.Count);
        Assert.Equal(599.4m, bars[2].Close);
        Assert.Equal(2, _server.Requests.Count(r => r.Path == "/v2/stocks/SPY/bars"));
        Assert.Contains(_server.Requests, r => r.Path == "/v2/stocks/SPY/bars" && r.Query.Contains("page_token=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Quote_falls_back_to_latest_quote_when_snapshots_are_not_served()
    {
        _server.EnqueueFault("/v2/stocks/SPY/snapshot", 404, """{"code":40410000,"message":"not found"}""");

        var quote = await Client().GetQuoteAsync("SPY", default);

        Assert.Equal(601.21m, quote.Bid);
        Assert.Equal(601.23m, quote.Mid);
        Assert.Contains(_server.Requests, r => r.Path == "/v2/stocks/SPY/quotes/latest" && r.Query.Contains("feed=iex", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Option_contracts_follow_pages_and_always_send_both_date_bounds()
    {
        _server.AddChain(Expiry, Enumerable.Range(0, 30).Select(i => 580m + i), 600m);
        var client = Client(new AlpacaSettings { PageSize = 25 });

        var contracts = await client.GetOptionContractsAsync("SPY", new DateOnly(2026, 4, 1), new DateOnly(2026, 4, 30), null, null, null, default);

        Assert.Equal(60, contracts.Count);
        Assert.Equal(60, contracts.Select(c => c.Symbol).Distinct().Count());
        var requests = _server.Requests.Where(r => r.Path == "/v2/options/contracts").ToList();
        Assert.Equal(3, requests.Count);
        Assert.All(requests, r =>
        {
            Assert.Contains("expiration_date_gte=2026-04-01", r.Query, StringComparison.Ordinal);
            Assert.Contains("expiration_date_lte=2026-04-30", r.Query, StringComparison.Ordinal);
        });
        Assert.Equal(1234m, contracts[0].OpenInterest);
    }

    [Fact]
    public async Task Chain_snapshots_merge_pages_and_keep_null_greeks_as_null()
    {
        _server.AddChain(Expiry, Enumerable.Range(0, 20).Select(i => 590m + i), 600m, nullGreeks: (strike, right) => strike >= 605m && right == 'C');
        var client = Client(new AlpacaSettings { PageSize = 15 });

        var chain = await client.GetOptionChainAsync("SPY", new DateOnly(2026, 4, 1), new DateOnly(2026, 4, 30), default);

        Assert.Equal(40, chain.Count);
        Assert.Equal(601.23m, chain.UnderlyingPrice);
        var missing = chain.All.Where(o => o.Greeks is null).ToList();
        Assert.Equal(5, missing.Count);
        Assert.All(missing, o => Assert.Null(o.ImpliedVolatility));
        var atm = chain.ForExpiration(Expiry, OptionRight.Call).Single(o => o.Strike == 600m);
        Assert.Equal(0.5, atm.Greeks!.Value.Delta, 6);
        Assert.Equal(0.1834, atm.ImpliedVolatility!.Value, 6);
        Assert.Equal(1.98m, atm.Quote.Bid);
        Assert.Equal(2.02m, atm.Quote.Ask);
        var requests = _server.Requests.Where(r => r.Path == "/v1beta1/options/snapshots/SPY").ToList();
        Assert.Equal(3, requests.Count);
        Assert.All(requests, r => Assert.Contains("feed=indicative", r.Query, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Opening_for_a_credit_sends_a_negative_limit_price_and_closing_a_positive_one()
    {
        var client = Client();
        var open = MultiLegOrder.OpenForCredit("run-1-open", 2, 1.25m, CondorLegs(opening: true));
        var close = MultiLegOrder.CloseForDebit("run-1-close", 2, 0.4m, CondorLegs(opening: false));

        await client.PlaceOrderAsync(open, default);
        await client.PlaceOrderAsync(close, default);

        var posts = _server.Requests.Where(r => r.Method == "POST").Select(r => JsonDocument.Parse(r.Body).RootElement).ToList();
        Assert.Equal(2, posts.Count);
        Assert.Equal("-1.25", posts[0].GetProperty("limit_price").GetString());
        Assert.Equal("0.40", posts[1].GetProperty("limit_price").GetString());
        var body = posts[0];
        Assert.Equal("mleg", body.GetProperty("order_class").GetString());
        Assert.Equal("limit", body.GetProperty("type").GetString());
        Assert.Equal("day", body.GetProperty("time_in_force").GetString());
        Assert.Equal("2", body.GetProperty("qty").GetString());
        Assert.False(body.TryGetProperty("symbol", out _));
        Assert.False(body.TryGetProperty("side", out _));
        var legs = body.GetProperty("legs").EnumerateArray().ToList();
        Assert.Equal(4, legs.Count);
        Assert.All(legs, l => Assert.Equal("1", l.GetProperty("ratio_qty").GetString()));
        Assert.Equal("sell_to_open", legs[1].GetProperty("position_intent").GetString());
        Assert.Equal("sell", legs[1].GetProperty("side").GetString());
        Assert.Equal("buy_to_close", JsonDocument.Parse(_server.Requests.Last(r => r.Method == "POST").Body).RootElement.GetProperty("legs")[1].GetProperty("position_intent").GetString());
    }

    [Fact]
    public async Task Placing_the_same_order_twice_posts_once_and_returns_the_existing_order()
    {
        var client = Client();
        var order = MultiLegOrder.OpenForCredit("ic-run-42", 1, 1.1m, CondorLegs(true));

        var first = await client.PlaceOrderAsync(order, default);
        var second = await client.PlaceOrderAsync(order, default);

        Assert.Equal(first.OrderId, second.OrderId);
        Assert.Single(_server.Requests, r => r.Method == "POST");
        Assert.Single(_server.OrderJsons());
        Assert.Equal(OrderStatus.Filled, first.Status);
        Assert.Equal(-1.1m, first.FilledAveragePrice);
        Assert.Equal(4, first.Legs.Count);
    }

    [Fact]
    public async Task A_duplicate_client_order_id_rejection_is_treated_as_already_placed()
    {
        var client = Client();
        var order = MultiLegOrder.OpenForCredit("run-7-dup", 1, 1.1m, CondorLegs(true));
        var first = await client.PlaceOrderAsync(order, default);

        // The retried activity's lookup misses (the first response was lost), so it posts again and gets 422 duplicate.
        _server.HideClientOrderLookups = 1;
        var again = await client.PlaceOrderAsync(order, default);

        Assert.Equal(first.OrderId, again.OrderId);
        Assert.Equal(2, _server.Requests.Count(r => r.Method == "POST"));
        Assert.Single(_server.OrderJsons());
    }

    [Fact]
    public async Task Unauthorized_is_a_configuration_error_naming_the_variables_never_the_values()
    {
        var client = Client(secret: "wrong-secret-value-xyz");

        var ex = await Assert.ThrowsAsync<AlpacaConfigurationException>(() => client.GetAccountAsync(default));

        Assert.Contains("ALPACA_API_KEY_ID", ex.Message, StringComparison.Ordinal);
        Assert.Contains("ALPACA_API_SECRET_KEY", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-secret-value-xyz", ex.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(_server.KeyId, ex.ToString(), StringComparison.Ordinal);
        Assert.Single(_server.Requests);
        Assert.DoesNotContain(LogLines, l => l.Contains("wrong-secret-value-xyz", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Forbidden_is_a_typed_rejection_with_alpacas_message_and_is_not_retried()
    {
        _server.EnqueueFault("/v2/orders", 403, """{"code":40310000,"message":"insufficient options buying power for order"}""", method: "POST");
        var client = Client();

        var ex = await Assert.ThrowsAsync<OrderRejectedException>(() =>
            client.PlaceOrderAsync(MultiLegOrder.OpenForCredit("run-403", 1, 1m, CondorLegs(true)), default));

        Assert.Equal(403, ex.HttpStatus);
        Assert.Equal("buying_power", ex.Reason);
        Assert.Contains("insufficient options buying power", ex.Message, StringComparison.Ordinal);
        Assert.Single(_server.Requests, r => r.Method == "POST");
    }

    [Fact]
    public async Task Forbidden_on_a_read_is_an_api_error_not_an_order_rejection()
    {
        _server.EnqueueFault("/v1beta1/options/snapshots/SPY", 403, """{"code":40310000,"message":"subscription does not permit querying opra data"}""");
        var client = Client(new AlpacaSettings { OptionsFeed = "opra" });

        var ex = await Assert.ThrowsAsync<AlpacaApiException>(() => client.GetOptionChainAsync("SPY", new DateOnly(2026, 4, 1), new DateOnly(2026, 4, 30), default));

        Assert.Equal(403, ex.Status);
        Assert.Equal(40310000, ex.Code);
        Assert.Contains("subscription does not permit", ex.Message, StringComparison.Ordinal);
        Assert.Contains(_server.Requests, r => r.Query.Contains("feed=opra", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Unprocessable_is_a_validation_rejection()
    {
        _server.EnqueueFault("/v2/orders", 422, """{"code":42210000,"message":"limit_price must be a multiple of 0.01"}""", method: "POST");
        var client = Client();

        var ex = await Assert.ThrowsAsync<OrderRejectedException>(() =>
            client.PlaceOrderAsync(MultiLegOrder.OpenForCredit("run-422", 1, 1m, CondorLegs(true)), default));

        Assert.Equal("validation", ex.Reason);
        Assert.Equal(422, ex.HttpStatus);
        Assert.Contains("multiple of 0.01", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rate_limited_requests_wait_until_the_reset_header_then_succeed()
    {
        var reset = _time.GetUtcNow().AddSeconds(7).ToUnixTimeSeconds();
        _server.EnqueueFault("/v2/account", 429, """{"code":42910000,"message":"rate limit exceeded"}""", new()
        {
            ["X-Ratelimit-Limit"] = "200",
            ["X-Ratelimit-Remaining"] = "0",
            ["X-Ratelimit-Reset"] = reset.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });

        var account = await Client().GetAccountAsync(default);

        Assert.Equal(100250.5m, account.Equity);
        Assert.Equal(2, _server.Requests.Count(r => r.Path == "/v2/account"));
        Assert.Contains(_time.Waits, w => w >= TimeSpan.FromSeconds(6) && w <= TimeSpan.FromSeconds(7));
    }

    [Fact]
    public async Task An_exhausted_window_holds_the_next_request_until_the_reset_without_a_429()
    {
        var reset = _time.GetUtcNow().AddSeconds(9).ToUnixTimeSeconds();
        _server.EnqueueFault("/v2/clock", 200, _server.ClockJson, new()
        {
            ["X-Ratelimit-Limit"] = "200",
            ["X-Ratelimit-Remaining"] = "0",
            ["X-Ratelimit-Reset"] = reset.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        var client = Client();

        await client.GetClockAsync(default);
        Assert.Empty(_time.Waits);
        await client.GetAccountAsync(default);

        Assert.Single(_time.Waits);
        Assert.InRange(_time.Waits[0], TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(9));
    }

    [Fact]
    public async Task Rate_limit_waits_are_bounded_by_the_setting()
    {
        var reset = _time.GetUtcNow().AddHours(1).ToUnixTimeSeconds();
        _server.EnqueueFault("/v2/clock", 429, """{"code":42910000,"message":"rate limit exceeded"}""", new() { ["X-Ratelimit-Reset"] = reset.ToString(System.Globalization.CultureInfo.InvariantCulture) });

        await Client(new AlpacaSettings { MaxRateLimitWaitSeconds = 20 }).GetClockAsync(default);

        Assert.Contains(TimeSpan.FromSeconds(20), _time.Waits);
        Assert.DoesNotContain(_time.Waits, w => w > TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task Server_errors_are_retried_with_backoff_then_give_up()
    {
        _server.EnqueueFault("/v2/positions", 503, """{"code":50300000,"message":"service unavailable"}""");
        _server.EnqueueFault("/v2/positions", 500, "upstream error");
        var client = Client(new AlpacaSettings { MaxRetries = 2, RetryBaseDelayMilliseconds = 100 });

        var positions = await client.GetPositionsAsync(default);
        Assert.Empty(positions);
        Assert.Equal([TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(200)], _time.Waits);

        for (var i = 0; i < 3; i++)
        {
            _server.EnqueueFault("/v2/positions", 502, """{"code":50200000,"message":"bad gateway"}""");
        }

        var ex = await Assert.ThrowsAsync<AlpacaApiException>(() => client.GetPositionsAsync(default));
        Assert.Equal(502, ex.Status);
        Assert.Equal(6, _server.Requests.Count(r => r.Path == "/v2/positions"));
    }

    [Fact]
    public async Task A_request_that_times_out_is_retried()
    {
        _server.DelayNext("/v2/clock", TimeSpan.FromSeconds(10));
        var client = Client(new AlpacaSettings { RequestTimeoutSeconds = 1, MaxRetries = 1 });

        var clock = await client.GetClockAsync(default);

        Assert.True(clock.IsOpen);
        Assert.Equal(2, _server.Requests.Count(r => r.Path == "/v2/clock"));
        Assert.Single(_time.Waits);
        Assert.Contains(LogLines, l => l.Contains("timed out", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_client_side_limiter_spaces_requests_beyond_the_per_minute_budget()
    {
        var client = Client(new AlpacaSettings { MaxRequestsPerMinute = 3 });

        for (var i = 0; i < 5; i++)
        {
            await client.GetClockAsync(default);
        }

        Assert.Equal(5, _server.Requests.Count);
        Assert.True(client.RateLimiterWaited >= TimeSpan.FromSeconds(59), $"waited {client.RateLimiterWaited}");
        Assert.True(_time.GetUtcNow() - new DateTimeOffset(2026, 3, 2, 15, 15, 0, TimeSpan.Zero) >= TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task Positions_parse_shorts_as_negative_and_skip_stock()
    {
        _server.Positions.Add("""{"asset_id":"a1","symbol":"SPY260417P00570000","exchange":"","asset_class":"us_option","avg_entry_price":"2.15","qty":"-2","side":"short","market_value":"-380","cost_basis":"-430","unrealized_pl":"50","unrealized_plpc":"0.116","current_price":"1.9","qty_available":"-2"}""");
        _server.Positions.Add("""{"asset_id":"a2","symbol":"SPY260417P00565000","exchange":"","asset_class":"us_option","avg_entry_price":"1.5","qty":"2","side":"long","market_value":"260","cost_basis":"300","unrealized_pl":"-40","current_price":"1.3","qty_available":"2"}""");
        _server.Positions.Add("""{"asset_id":"a3","symbol":"SPY","exchange":"ARCA","asset_class":"us_equity","avg_entry_price":"500","qty":"10","side":"long","market_value":"6000","cost_basis":"5000","unrealized_pl":"1000"}""");

        var positions = await Client().GetPositionsAsync(default);

        Assert.Equal(2, positions.Count);
        Assert.Equal(-2, positions[0].Quantity);
        Assert.Equal(2.15m, positions[0].AverageEntryPrice);
        Assert.Equal(50m, positions[0].UnrealizedPnl);
        Assert.Equal(OccSymbol.Parse("SPY260417P00565000"), positions[1].Symbol);
    }

    [Fact]
    public async Task A_working_order_is_canceled_with_one_delete_and_reads_back_canceled_unfilled()
    {
        _server.FillMode = FakeFillMode.NeverFill;
        var client = Client();
        var placed = await client.PlaceOrderAsync(MultiLegOrder.OpenForCredit("run-never", 1, 3m, CondorLegs(true)), default);
        var working = await client.GetOrderAsync(placed.OrderId, default);

        await client.CancelOrderAsync(placed.OrderId, default);
        var canceled = await client.GetOrderAsync(placed.OrderId, default);

        Assert.False(working!.IsTerminal);
        Assert.Equal(OrderStatus.Canceled, canceled!.Status);
        Assert.Equal(0, canceled.FilledQuantity);
        Assert.Single(_server.Requests, r => r.Method == "DELETE");
    }

    [Fact]
    public async Task A_partial_fill_reads_back_as_working_with_what_filled()
    {
        _server.FillMode = FakeFillMode.PartialFill;
        var client = Client();
        var placed = await client.PlaceOrderAsync(MultiLegOrder.OpenForCredit("run-partial", 3, 1.5m, CondorLegs(true)), default);

        var order = await client.GetOrderAsync(placed.OrderId, default);

        Assert.Equal(OrderStatus.PartiallyFilled, order!.Status);
        Assert.False(order.IsTerminal);
        Assert.Equal(3, order.Quantity);
        Assert.Equal(1, order.FilledQuantity);
    }

    [Fact]
    public async Task Orders_list_and_lookups_ask_for_nested_legs()
    {
        var client = Client();
        var placed = await client.PlaceOrderAsync(MultiLegOrder.OpenForCredit("run-list", 1, 1.5m, CondorLegs(true)), default);

        var list = await client.ListOrdersAsync("all", 50, default);
        var byId = await client.GetOrderAsync(placed.OrderId, default);
        var missing = await client.GetOrderAsync("does-not-exist", default);

        Assert.Single(list);
        Assert.Equal(4, list[0].Legs.Count);
        Assert.Equal(placed.OrderId, byId!.OrderId);
        Assert.Null(missing);
        Assert.All(_server.Requests.Where(r => r.Method == "GET" && r.Path.StartsWith("/v2/orders", StringComparison.Ordinal)),
            r => Assert.Contains("nested=true", r.Query, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Closing_a_condor_is_one_mleg_order_for_a_debit()
    {
        var positions = CondorLegs(true).Select(l => new BrokerPosition(l.Symbol, l.Side == OrderSide.Sell ? -1 : 1, 1m, 0m, 0m)).ToList();

        await Client().PlaceOrderAsync(ClosingOrders.For("x1-run-close", positions, 1, 0.35m), default);

        var body = JsonDocument.Parse(_server.Requests.Single(r => r.Method == "POST").Body).RootElement;
        Assert.Equal("0.35", body.GetProperty("limit_price").GetString());
        var intents = body.GetProperty("legs").EnumerateArray().Select(l => l.GetProperty("position_intent").GetString()).ToList();
        Assert.Equal(["sell_to_close", "buy_to_close", "buy_to_close", "sell_to_close"], intents);
    }

    private static List<OrderLeg> CondorLegs(bool opening) =>
    [
        new(OccSymbol.Parse("SPY260417P00565000"), opening ? OrderSide.Buy : OrderSide.Sell, opening ? PositionIntent.BuyToOpen : PositionIntent.SellToClose),
        new(OccSymbol.Parse("SPY260417P00570000"), opening ? OrderSide.Sell : OrderSide.Buy, opening ? PositionIntent.SellToOpen : PositionIntent.BuyToClose),
        new(OccSymbol.Parse("SPY260417C00630000"), opening ? OrderSide.Sell : OrderSide.Buy, opening ? PositionIntent.SellToOpen : PositionIntent.BuyToClose),
        new(OccSymbol.Parse("SPY260417C00635000"), opening ? OrderSide.Buy : OrderSide.Sell, opening ? PositionIntent.BuyToOpen : PositionIntent.SellToClose),
    ];

    private IEnumerable<string> LogLines => _logger.Collector.GetSnapshot().Select(r => $"{r.Message} {r.Exception}");

    private AlpacaClient Client(AlpacaSettings? settings = null, string? secret = null)
    {
        var environment = new Dictionary<string, string>
        {
            [AlpacaSettings.TradingUrlVariable] = _server.BaseUrl.ToString(),
            [AlpacaSettings.DataUrlVariable] = _server.BaseUrl.ToString(),
        };
        settings ??= new AlpacaSettings();
        if (settings.RetryBaseDelayMilliseconds == 500)
        {
            settings.RetryBaseDelayMilliseconds = 100;
        }

        // The HttpClient as the hosts get it: from IHttpClientFactory, with the resilience handler, waiting on the test clock.
        var container = new ServiceCollection()
            .AddSingleton<TimeProvider>(_time)
            .AddSingleton<ILogger<AlpacaClient>>(_logger)
            .AddAlpacaHttpClient(settings)
            .BuildServiceProvider();
        _containers.Add(container);
        return new AlpacaClient(AlpacaHttp.CreateClient(container), settings, new AlpacaCredentials(_server.KeyId, secret ?? _server.SecretKey), _time, _logger, n => environment.GetValueOrDefault(n));
    }
}
