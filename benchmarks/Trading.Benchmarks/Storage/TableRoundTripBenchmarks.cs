using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Azure;
using BenchmarkDotNet.Attributes;
using Trading.Storage.Local;
using Trading.Storage.Tables;

namespace Trading.Benchmarks.Storage;

/// <summary>
/// Point read and upsert round trips against a local Azurite: our TableClient (pipeline, validation, typed mapping) beside a
/// bare HttpClient sending the same SharedKeyLite-signed request (same Table headers; our pipeline also adds User-Agent and
/// x-ms-client-request-id) over one pooled connection, with a pre-serialized body. The bare point read reads the whole
/// body into a byte array but does not parse it; ours parses and maps it to a typed entity.
/// Run: dotnet run -c Release --project benchmarks/Trading.Benchmarks -- --filter '*TableRoundTrip*'
/// Interleaved A/B in one process: ... -- paired table-read (or table-upsert).
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 2, warmupCount: 10, iterationCount: 20)]
[GroupBenchmarksBy(BenchmarkDotNet.Configs.BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class TableRoundTripBenchmarks
{
    private const string Account = TableConnectionString.DevelopmentAccountName;
    private static readonly byte[] Key = Convert.FromBase64String(TableConnectionString.DevelopmentAccountKey);

    private AzuriteProcess _azurite = null!;
    private TableClient _table = null!;
    private HttpClient _http = null!;
    private Uri _entityUri = null!;
    private byte[] _upsertBody = null!;
    private QuoteRow _row = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _azurite = await AzuriteProcess.StartAsync();
        try
        {
            await PrepareAsync();
        }
        catch
        {
            await _azurite.DisposeAsync(); // a failed setup ends the process without GlobalCleanup: leave no Azurite behind
            throw;
        }
    }

    private async Task PrepareAsync()
    {
        var service = new TableServiceClient(_azurite.ConnectionString);
        _table = service.GetTableClient("bench");
        await _table.CreateIfNotExistsAsync();
        _row = new QuoteRow
        {
            PartitionKey = "SPY",
            RowKey = "SPY250117C00600000",
            Bid = 12.34m,
            Ask = 12.41m,
            Delta = 0.4123,
            OpenInterest = 15_234,
            QuotedAt = new DateTimeOffset(2025, 1, 2, 15, 30, 0, TimeSpan.Zero),
        };
        await _table.UpsertEntityAsync(_row);

        _http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(10) });
        _entityUri = new Uri($"http://127.0.0.1:{_azurite.Port}/{Account}/bench(PartitionKey='SPY',RowKey='SPY250117C00600000')");
        _upsertBody = Encoding.UTF8.GetBytes(
            """{"PartitionKey":"SPY","RowKey":"SPY250117C00600000","Bid":"12.34","Ask":"12.41","Delta@odata.type":"Edm.Double","Delta":0.4123,"OpenInterest":15234,"QuotedAt@odata.type":"Edm.DateTime","QuotedAt":"2025-01-02T15:30:00.0000000Z"}""");

        // A fresh Azurite (Node.js) keeps getting faster for many seconds; every benchmark process starts its own, so both
        // clients drive it until then and the iterations compare steady states, not the server's warm-up.
        var until = DateTime.UtcNow + SteadyStateWarmUp;
        while (DateTime.UtcNow < until)
        {
            for (var i = 0; i < 100; i++)
            {
                await PointRead_BareHttpClient();
                await PointRead_OurClient();
                await Upsert_BareHttpClient();
                await Upsert_OurClient();
            }
        }
    }

    private static readonly TimeSpan SteadyStateWarmUp = TimeSpan.FromSeconds(15);

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        _http.Dispose();
        await _azurite.DisposeAsync();
    }

    [Benchmark]
    [BenchmarkCategory("PointRead")]
    public Task<QuoteRow> PointRead_OurClient() => _table.GetEntityAsync<QuoteRow>("SPY", "SPY250117C00600000");

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("PointRead")]
    public async Task<byte[]> PointRead_BareHttpClient()
    {
        using var request = Signed(HttpMethod.Get);
        using var response = await _http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsByteArrayAsync();
    }

    [Benchmark]
    [BenchmarkCategory("Upsert")]
    public Task<ETag> Upsert_OurClient() => _table.UpsertEntityAsync(_row, TableUpdateMode.Replace);

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Upsert")]
    public async Task<string?> Upsert_BareHttpClient()
    {
        using var request = Signed(HttpMethod.Put);
        request.Content = new ByteArrayContent(_upsertBody);
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json;odata=minimalmetadata");
        using var response = await _http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return response.Headers.ETag?.Tag;
    }

    private HttpRequestMessage Signed(HttpMethod method)
    {
        var request = new HttpRequestMessage(method, _entityUri);
        var date = TimeProvider.System.GetUtcNow().ToString("R", CultureInfo.InvariantCulture);
        var mac = HMACSHA256.HashData(Key, Encoding.UTF8.GetBytes(date + "\n/" + Account + _entityUri.AbsolutePath));
        request.Headers.TryAddWithoutValidation("x-ms-date", date);
        request.Headers.TryAddWithoutValidation("x-ms-version", "2019-02-02");
        request.Headers.TryAddWithoutValidation("DataServiceVersion", "3.0");
        request.Headers.TryAddWithoutValidation("MaxDataServiceVersion", "3.0;NetFx"); // as our client sends
        request.Headers.TryAddWithoutValidation("Accept", "application/json;odata=minimalmetadata");
        request.Headers.TryAddWithoutValidation("Authorization", $"SharedKeyLite {Account}:{Convert.ToBase64String(mac)}");
        return request;
    }

    public sealed class QuoteRow : ITableEntity
    {
        public string PartitionKey { get; set; } = string.Empty;
        public string RowKey { get; set; } = string.Empty;
        public DateTimeOffset? Timestamp { get; set; }
        public ETag ETag { get; set; }
        public decimal Bid { get; set; }
        public decimal Ask { get; set; }
        public double Delta { get; set; }
        public int OpenInterest { get; set; }
        public DateTimeOffset QuotedAt { get; set; }
    }
}
