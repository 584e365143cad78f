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

/// <summary>The in-memory store must behave like the service.</summary>
public sealed class InMemoryTableFixture : IAsyncLifetime
{
    public TableServiceClient Service { get; } = InMemoryTables.CreateServiceClient();

    public TableClient Table { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Table = Service.GetTableClient(TestStorage.UniqueTableName("contract"));
        await Table.CreateIfNotExistsAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;
}

public sealed class InMemoryTableContractTests(InMemoryTableFixture fixture)
    : TableContractTests(fixture.Service, fixture.Table), IClassFixture<InMemoryTableFixture>;
