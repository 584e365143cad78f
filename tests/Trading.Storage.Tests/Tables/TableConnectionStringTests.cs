using Trading.Storage.Tables;

namespace Trading.Storage.Tests.Tables;

public sealed class TableConnectionStringTests
{
    private const string Key = "c2VjcmV0LWtleS1ieXRlcy1mb3ItdGVzdHMtb25seQ==";

    [Fact]
    public void Development_storage_points_at_local_Azurite_with_the_well_known_account()
    {
        var parsed = TableConnectionString.Parse("UseDevelopmentStorage=true");
        Assert.Equal(new Uri("http://127.0.0.1:10002/devstoreaccount1"), parsed.TableEndpoint);
        Assert.Equal("devstoreaccount1", parsed.AccountName);
        Assert.True(parsed.HasAccountKey);
    }

    [Theory]
    [InlineData("DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=" + Key + ";EndpointSuffix=core.windows.net", "https://acct.table.core.windows.net/")]
    [InlineData("AccountName=acct;AccountKey=" + Key, "https://acct.table.core.windows.net/")]
    [InlineData("DefaultEndpointsProtocol=http;AccountName=acct;AccountKey=" + Key + ";EndpointSuffix=core.chinacloudapi.cn", "http://acct.table.core.chinacloudapi.cn/")]
    [InlineData(" accountname = acct ; accountkey=" + Key + "; TableEndpoint=http://127.0.0.1:10002/acct ;", "http://127.0.0.1:10002/acct")]
    public void Account_key_forms_build_the_endpoint(string connectionString, string endpoint)
    {
        var parsed = TableConnectionString.Parse(connectionString);
        Assert.Equal(new Uri(endpoint), parsed.TableEndpoint);
        Assert.Equal("acct", parsed.AccountName);
        Assert.True(parsed.HasAccountKey);
        Assert.DoesNotContain(Key, parsed.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Shared_access_signature_form_needs_the_table_endpoint()
    {
        var parsed = TableConnectionString.Parse("TableEndpoint=https://acct.table.core.windows.net;SharedAccessSignature=?sv=2019-02-02&sig=abc%3D");
        Assert.False(parsed.HasAccountKey);
        Assert.Equal(new Uri("https://acct.table.core.windows.net"), parsed.TableEndpoint);
        Assert.DoesNotContain("sig=", parsed.ToString(), StringComparison.Ordinal);

        var ex = Assert.Throws<ArgumentException>(() => TableConnectionString.Parse("AccountName=acct;SharedAccessSignature=sv=1&sig=x"));
        Assert.Contains("TableEndpoint", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("   ", "empty")]
    [InlineData("AccountName=acct", "no credential")]
    [InlineData("AccountName=acct;AccountKey=not*base64!" + Key, "not valid base64")]
    [InlineData("AccountKey=" + Key + ";TableEndpoint=http://127.0.0.1:1/x", "no AccountName")]
    [InlineData("AccountKey=" + Key, "needs TableEndpoint, or AccountName")]
    [InlineData("AccountName=acct;AccountKey;TableEndpoint=http://127.0.0.1:1/x", "segment 2 is not of the form Name=Value")]
    [InlineData("UseDevelopmentStorage=false", "must be 'true'")]
    [InlineData("AccountName=acct;AccountKey=" + Key + ";TableEndpoint=ftp://x", "not an absolute http(s) URL")]
    [InlineData("AccountName=acct;AccountName=b;AccountKey=" + Key, "sets 'AccountName' twice")]
    [InlineData("DefaultEndpointsProtocol=gopher;AccountName=acct;AccountKey=" + Key, "DefaultEndpointsProtocol")]
    public void Bad_strings_give_a_clear_error_that_never_echoes_the_key(string connectionString, string expected)
    {
        var ex = Assert.Throws<ArgumentException>(() => TableConnectionString.Parse(connectionString));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("base64!", ex.Message, StringComparison.Ordinal);
        Assert.Null(ex.InnerException);
    }

    [Fact]
    public void Client_constructor_reports_the_same_errors()
    {
        var ex = Assert.Throws<ArgumentException>(() => new TableServiceClient("AccountName=acct;AccountKey=%%%" + Key));
        Assert.DoesNotContain(Key, ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Token_credential_needs_https()
    {
        var ex = Assert.Throws<ArgumentException>(() => new TableServiceClient(new Uri("http://acct.table.core.windows.net"), new Azure.Identity.DefaultAzureCredential()));
        Assert.Contains("https", ex.Message, StringComparison.Ordinal);
    }
}
