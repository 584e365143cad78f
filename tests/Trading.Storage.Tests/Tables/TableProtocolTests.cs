using Azure;
using Azure.Core;
using Microsoft.AspNetCore.Http;
using Trading.Storage.Tables;
using Trading.TestKit.Storage;

namespace Trading.Storage.Tests.Tables;

/// <summary>Wire behaviour the emulator cannot provoke, against a scripted loopback server.</summary>
public sealed class TableProtocolTests
{
    private const string EntityJson = """{"odata.etag":"W/\"datetime'2025-01-01T00%3A00%3A00.0000000Z'\"","PartitionKey":"p","RowKey":"r","Timestamp":"2025-01-01T00:00:00.0000000Z","Counter":7}""";

    private static TableClientOptions FastRetries(int maxRetries = 3)
    {
        var options = new TableClientOptions();
        options.Retry.MaxRetries = maxRetries;
        options.Retry.Delay = TimeSpan.FromMilliseconds(10);
        options.Retry.MaxDelay = TimeSpan.FromMilliseconds(50);
        return options;
    }

    private static Task Json(HttpContext context, int status, string body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json;odata=minimalmetadata";
        return context.Response.WriteAsync(body);
    }

    private static string Error(string code, string message) =>
        "{\"odata.error\":{\"code\":\"" + code + "\",\"message\":{\"lang\":\"en-US\",\"value\":\"" + message + "\"}}}";

    [Theory]
    [InlineData(500)]
    [InlineData(503)]
    [InlineData(408)]
    [InlineData(502)]
    [InlineData(504)]
    public async Task Transient_statuses_are_retried_until_success(int status)
    {
        await using var server = await LoopbackTableServer.StartAsync((context, n) =>
            n < 2 ? Json(context, status, Error("ServerBusy", "busy")) : Json(context, 200, EntityJson));
        var table = new TableServiceClient(server.ConnectionString, FastRetries()).GetTableClient("orders");

        var entity = await table.GetEntityAsync<CounterEntity>("p", "r");

        Assert.Equal(7, entity.Counter);
        Assert.Equal(3, server.Requests.Count);
        var dates = server.Requests.Select(r => r.Headers["Authorization"]).ToList();
        Assert.All(dates, a => Assert.StartsWith("SharedKeyLite devstoreaccount1:", a, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(400, "InvalidInput")]
    [InlineData(403, "AuthenticationFailed")]
    [InlineData(409, "EntityAlreadyExists")]
    [InlineData(429, "TooManyRequests")]
    public async Task Client_errors_are_never_retried_and_carry_status_and_error_code(int status, string code)
    {
        await using var server = await LoopbackTableServer.StartAsync((context, _) => Json(context, status, Error(code, "nope: " + code)));
        var table = new TableServiceClient(server.ConnectionString, FastRetries()).GetTableClient("orders");

        var ex = await Assert.ThrowsAsync<RequestFailedException>(() => table.AddEntityAsync(new CounterEntity { PartitionKey = "p", RowKey = "r" }));

        Assert.Equal(status, ex.Status);
        Assert.Equal(code, ex.ErrorCode);
        Assert.Contains("nope: " + code, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(TableConnectionString.DevelopmentAccountKey, ex.ToString(), StringComparison.Ordinal);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task Precondition_failure_is_a_typed_concurrency_conflict()
    {
        await using var server = await LoopbackTableServer.StartAsync((context, _) =>
            Json(context, 412, Error("UpdateConditionNotSatisfied", "The update condition specified in the request was not satisfied.")));
        var table = new TableServiceClient(server.ConnectionString, FastRetries()).GetTableClient("orders");

        var ex = await Assert.ThrowsAsync<TableConcurrencyException>(
            () => table.UpdateEntityAsync(new CounterEntity { PartitionKey = "p", RowKey = "r" }, new ETag("W/\"old\"")));

        Assert.Equal(412, ex.Status);
        var request = Assert.Single(server.Requests);
        Assert.Equal("MERGE", request.Method);
        Assert.Equal("W/\"old\"", request.Headers["If-Match"]);
    }

    [Fact]
    public async Task A_timed_out_try_is_retried()
    {
        await using var server = await LoopbackTableServer.StartAsync(async (context, n) =>
        {
            if (n == 0)
            {
                await Task.Delay(TimeSpan.FromSeconds(5), context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                return;
            }

            await Json(context, 200, EntityJson);
        });
        var options = FastRetries();
        options.Retry.NetworkTimeout = TimeSpan.FromMilliseconds(300);
        var table = new TableServiceClient(server.ConnectionString, options).GetTableClient("orders");

        var entity = await table.GetEntityAsync<CounterEntity>("p", "r");

        Assert.Equal(7, entity.Counter);
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task Queries_follow_continuations_through_empty_pages_and_partition_only_tokens()
    {
        await using var server = await LoopbackTableServer.StartAsync((context, n) =>
        {
            switch (n)
            {
                case 0:
                    context.Response.Headers["x-ms-continuation-NextPartitionKey"] = "1!8!cDI-";
                    return Json(context, 200, """{"value":[]}""");
                case 1:
                    context.Response.Headers["x-ms-continuation-NextPartitionKey"] = "1!8!cDM-";
                    context.Response.Headers["x-ms-continuation-NextRowKey"] = "1!4!cg--";
                    return Json(context, 200, $$"""{"value":[{{EntityJson}}]}""");
                default:
                    return Json(context, 200, $$"""{"value":[{{EntityJson.Replace("\"Counter\":7", "\"Counter\":8", StringComparison.Ordinal)}}]}""");
            }
        });
        var table = new TableServiceClient(server.ConnectionString).GetTableClient("orders");

        var rows = await table.QueryAsync<CounterEntity>(TableFilter.Equal("Kind", "a b"), maxPerPage: 5, select: ["Counter"]).ToListAsync();

        Assert.Equal([7, 8], rows.Select(r => r.Counter));
        var requests = server.Requests.ToList();
        Assert.Equal(3, requests.Count);
        Assert.Equal("/devstoreaccount1/orders()?$filter=Kind%20eq%20%27a%20b%27&$top=5&$select=Counter", requests[0].PathAndQuery);
        Assert.EndsWith("&NextPartitionKey=1%218%21cDI-", requests[1].PathAndQuery, StringComparison.Ordinal);
        Assert.DoesNotContain("NextRowKey", requests[1].PathAndQuery, StringComparison.Ordinal);
        Assert.EndsWith("&NextPartitionKey=1%218%21cDM-&NextRowKey=1%214%21cg--", requests[2].PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Shared_access_signature_goes_in_the_query_and_nothing_is_signed()
    {
        await using var server = await LoopbackTableServer.StartAsync((context, _) => Json(context, 200, EntityJson));
        var service = new TableServiceClient($"TableEndpoint={server.Endpoint};SharedAccessSignature=?sv=2019-02-02&sig=abc%3D");

        await service.GetTableClient("orders").GetEntityAsync<CounterEntity>("p", "r", ["Counter"]);

        var request = Assert.Single(server.Requests);
        Assert.Equal("/devstoreaccount1/orders(PartitionKey='p',RowKey='r')?$select=Counter&sv=2019-02-02&sig=abc%3D", request.PathAndQuery);
        Assert.False(request.Headers.ContainsKey("Authorization"));
        Assert.True(request.Headers.ContainsKey("x-ms-date"));
    }

    [Fact]
    public async Task Token_credentials_are_asked_for_the_storage_scope()
    {
        var credential = new RecordingCredential();
        var service = new TableServiceClient(new Uri("https://127.0.0.1:1/acct"), credential, FastRetries(maxRetries: 0));

        await Assert.ThrowsAnyAsync<Exception>(() => service.GetTableClient("orders").GetEntityAsync<CounterEntity>("p", "r"));

        Assert.Equal(["https://storage.azure.com/.default"], credential.Scopes.Distinct());
    }

    private sealed class RecordingCredential : TokenCredential
    {
        public List<string> Scopes { get; } = [];

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            Scopes.AddRange(requestContext.Scopes);
            return new AccessToken("token", DateTimeOffset.MaxValue);
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }
}
