using Trading.Storage.Tables;
using Trading.TestKit.Storage;

namespace Trading.Storage.Tests.Tables;

/// <summary>One table for the whole class in the Azurite started by the test command.</summary>
public sealed class AzuriteTableFixture : IAsyncLifetime
{
    public TableServiceClient Service { get; } = TestStorage.CreateServiceClient();

    public TableClient Table { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Table = Service.GetTableClient(TestStorage.UniqueTableName("contract"));
        await Table.CreateIfNotExistsAsync();
    }

    public Task DisposeAsync() => Service.DeleteTableAsync(Table.Name);
}

public sealed class AzuriteTableContractTests(AzuriteTableFixture fixture)
    : TableContractTests(fixture.Service, fixture.Table), IClassFixture<AzuriteTableFixture>;
