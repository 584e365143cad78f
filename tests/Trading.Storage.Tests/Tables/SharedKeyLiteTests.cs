using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Trading.Storage.Tables;
using Trading.TestKit.Storage;

namespace Trading.Storage.Tests.Tables;

public sealed class SharedKeyLiteTests
{
    // The documented string-to-sign for SharedKeyLite (Table service): x-ms-date + "\n" + CanonicalizedResource,
    // computed here independently of the signer under test.
    private static string Expected(string date, string canonicalizedResource)
    {
        var key = Convert.FromBase64String(TableConnectionString.DevelopmentAccountKey);
        using var hmac = new HMACSHA256(key);
        return "SharedKeyLite devstoreaccount1:" + Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes(date + "\n" + canonicalizedResource)));
    }

    [Fact]
    public void Fixed_request_on_an_Azurite_path_style_url_signs_the_account_twice()
    {
        const string date = "Sat, 21 Nov 2026 12:00:00 GMT";
        var header = SharedKeyLite.AuthorizationHeader(
            "devstoreaccount1", Convert.FromBase64String(TableConnectionString.DevelopmentAccountKey), date,
            new Uri("http://127.0.0.1:10002/devstoreaccount1/Tables"));

        Assert.Equal(Expected(date, "/devstoreaccount1/devstoreaccount1/Tables"), header);

        // Also a fixed vector, computed outside .NET with: printf '<date>\n<resource>' | openssl dgst -sha256 -mac HMAC -macopt hexkey:<key> -binary | base64
        Assert.Equal("SharedKeyLite devstoreaccount1:+uMLlPaZ2AR5kAkJtsKMxDVmWaNPJ/QNb+SCSdnML/w=", header);
    }

    [Fact]
    public void Query_string_is_not_signed_except_comp()
    {
        var uri = new Uri("https://acct.table.core.windows.net/orders()?$filter=PartitionKey%20eq%20'a'&$top=5");
        Assert.Equal("/acct/orders()", SharedKeyLite.CanonicalizedResource("acct", uri));
        Assert.Equal("/acct/?comp=properties", SharedKeyLite.CanonicalizedResource("acct", new Uri("https://acct.table.core.windows.net/?restype=service&comp=properties")));
    }

    [Fact]
    public async Task Requests_carry_version_date_and_a_signature_over_the_path_as_sent()
    {
        await using var server = await LoopbackTableServer.StartAsync((context, _) =>
        {
            context.Response.StatusCode = 404;
            context.Response.ContentType = "application/json";
            return context.Response.WriteAsync("""{"odata.error":{"code":"ResourceNotFound","message":{"lang":"en-US","value":"The specified resource does not exist."}}}""");
        });
        var table = new TableServiceClient(server.ConnectionString).GetTableClient("orders");

        Assert.Null(await table.GetEntityIfExistsAsync<TableEntity>("O'Brien é", "r 1"));

        var request = Assert.Single(server.Requests);
        Assert.Equal("/devstoreaccount1/orders(PartitionKey='O%27%27Brien%20%C3%A9',RowKey='r%201')", request.PathAndQuery);
        Assert.Equal("2019-02-02", request.Headers["x-ms-version"]);
        Assert.Equal("3.0", request.Headers["DataServiceVersion"]);
        Assert.StartsWith("application/json;odata=minimalmetadata", request.Headers["Accept"], StringComparison.Ordinal);
        Assert.Equal(Expected(request.Headers["x-ms-date"], "/devstoreaccount1" + request.PathAndQuery), request.Headers["Authorization"]);
    }
}
