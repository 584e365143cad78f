using Azure.Data.Tables;
using Trading.Pipeline.State;
using Trading.TestKit.Storage;

namespace Trading.Pipeline.Tests.State;

/// <summary>
/// What every <see cref="StateTable"/> promises (the pipeline's stores rely on it): insert-if-absent, ETag-conditional
/// replace, ordinal row-key order inside a partition and nothing from other partitions, paging past one page, large documents.
/// Run against Table Storage (Azurite, started by scripts/test.sh) and against the in-memory table.
/// </summary>
public abstract class StateTableContractTests
{
    /// <summary>A fresh, empty table.</summary>
    protected abstract StateTable NewTable(bool immutableDocuments = false);

    public sealed record Doc(string Name, decimal Amount, IReadOnlyList<int> Items);

    [Fact]
    public async Task Add_is_insert_if_absent_and_get_returns_the_document_with_a_version()
    {
        var table = NewTable();
        Assert.Null(await table.GetAsync<Doc>("p", "r", CancellationToken.None));

        Assert.True(await table.TryAddAsync("p", "r", new Doc("first", 0.1234567890123456789m, [1, 2]), CancellationToken.None));
        Assert.False(await table.TryAddAsync("p", "r", new Doc("second", 2m, []), CancellationToken.None));

        var entry = await table.GetAsync<Doc>("p", "r", CancellationToken.None);
        Assert.NotNull(entry);
        Assert.Equal("first", entry.Value.Name);
        Assert.Equal(0.1234567890123456789m, entry.Value.Amount);
        Assert.Equal([1, 2], entry.Value.Items);
        Assert.False(string.IsNullOrEmpty(entry.ETag));
        Assert.NotNull(entry.Timestamp);
    }

    [Fact]
    public async Task Replace_succeeds_only_at_the_version_read_and_fails_for_a_missing_row()
    {
        var table = NewTable();
        await table.UpsertAsync("p", "r", new Doc("v1", 1m, []), CancellationToken.None);
        var read = (await table.GetAsync<Doc>("p", "r", CancellationToken.None))!;

        Assert.True(await table.TryReplaceAsync("p", "r", new Doc("v2", 2m, []), read.ETag, CancellationToken.None));
        Assert.False(await table.TryReplaceAsync("p", "r", new Doc("lost race", 3m, []), read.ETag, CancellationToken.None));
        Assert.Equal("v2", (await table.GetAsync<Doc>("p", "r", CancellationToken.None))!.Value.Name);
        Assert.False(await table.TryReplaceAsync("p", "missing", new Doc("x", 0m, []), read.ETag, CancellationToken.None));
    }

    [Fact]
    public async Task Concurrent_conditional_replaces_lose_no_update()
    {
        var table = NewTable();
        await table.UpsertAsync("p", "counter", new Doc("c", 0m, []), CancellationToken.None);

        async Task IncrementAsync()
        {
            while (true)
            {
                var current = (await table.GetAsync<Doc>("p", "counter", CancellationToken.None))!;
                if (await table.TryReplaceAsync("p", "counter", current.Value with { Amount = current.Value.Amount + 1 }, current.ETag, CancellationToken.None))
                {
                    return;
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(IncrementAsync)));

        Assert.Equal(20m, (await table.GetAsync<Doc>("p", "counter", CancellationToken.None))!.Value.Amount);
    }

    [Fact]
    public async Task A_partition_query_is_in_ordinal_row_order_limited_and_sees_no_other_partition()
    {
        var table = NewTable();
        foreach (var row in new[] { "b", "a", "B", "c-2", "c-10" })
        {
            await table.UpsertAsync("mine", row, new Doc(row, 0m, []), CancellationToken.None);
        }

        await table.UpsertAsync("other", "a", new Doc("other", 0m, []), CancellationToken.None);
        await table.UpsertAsync("min", "a", new Doc("prefix", 0m, []), CancellationToken.None);

        var all = await table.QueryPartitionAsync<Doc>("mine", null, CancellationToken.None);
        var two = await table.QueryPartitionAsync<Doc>("mine", 2, CancellationToken.None);

        Assert.Equal(["B", "a", "b", "c-10", "c-2"], all.Select(e => e.RowKey));
        Assert.Equal(["B", "a"], two.Select(e => e.Value.Name));
        Assert.Empty(await table.QueryPartitionAsync<Doc>("none", null, CancellationToken.None));
    }

    [Fact]
    public async Task A_partition_larger_than_one_page_is_read_whole()
    {
        var table = NewTable();
        const int rows = 1_050; // the service returns at most 1,000 rows a page
        for (var i = 0; i < rows; i++)
        {
            await table.UpsertAsync("big", i.ToString("D5", System.Globalization.CultureInfo.InvariantCulture), new Doc("d", i, []), CancellationToken.None);
        }

        var all = await table.QueryPartitionAsync<Doc>("big", null, CancellationToken.None);

        Assert.Equal(rows, all.Count);
        Assert.Equal(Enumerable.Range(0, rows).Select(i => (decimal)i), all.Select(e => e.Value.Amount));
    }

    [Fact]
    public async Task A_document_over_one_string_property_round_trips_and_delete_removes_it()
    {
        var table = NewTable();
        var large = new Doc(new string('x', 100_000), 1m, Enumerable.Range(0, 1000).ToArray());

        await table.UpsertAsync("p", "large", large, CancellationToken.None);
        var read = (await table.GetAsync<Doc>("p", "large", CancellationToken.None))!.Value;
        await table.DeleteAsync("p", "large", CancellationToken.None);
        await table.DeleteAsync("p", "large", CancellationToken.None); // missing is fine

        Assert.Equal(large.Name, read.Name);
        Assert.Equal(large.Items, read.Items);
        Assert.Null(await table.GetAsync<Doc>("p", "large", CancellationToken.None));
    }

    [Fact]
    public async Task Immutable_documents_are_read_again_at_an_unchanged_version_and_fresh_after_a_change()
    {
        var table = NewTable(immutableDocuments: true);
        await table.UpsertAsync("p", "r", new Doc("v1", 1m, []), CancellationToken.None);

        var first = (await table.GetAsync<Doc>("p", "r", CancellationToken.None))!;
        var again = (await table.QueryPartitionAsync<Doc>("p", null, CancellationToken.None)).Single();
        Assert.Equal(first.ETag, again.ETag);
        Assert.Equal(first.Value, again.Value);

        Assert.True(await table.TryReplaceAsync("p", "r", new Doc("v2", 2m, []), first.ETag, CancellationToken.None));
        var changed = (await table.GetAsync<Doc>("p", "r", CancellationToken.None))!;
        Assert.Equal("v2", changed.Value.Name);
        Assert.NotEqual(first.ETag, changed.ETag);
    }
}

public sealed class AzuriteStateTableTests : StateTableContractTests
{
    protected override StateTable NewTable(bool immutableDocuments = false) =>
        new TableStateTable(TestStorage.CreateServiceClient(), TestStorage.UniqueTableName("state"), immutableDocuments);
}

public sealed class InMemoryStateTableTests : StateTableContractTests
{
    protected override StateTable NewTable(bool immutableDocuments = false) =>
        new InMemoryStateTable("state", TimeProvider.System, immutableDocuments);

    [Fact]
    public void The_in_memory_tables_need_no_table_service()
    {
        var tables = PipelineTables.InMemory(new PipelineTablesOptions { TablePrefix = "t" }, TimeProvider.System);
        Assert.IsType<InMemoryStateTable>(tables.Positions);
        Assert.Equal("tpositions", tables.Positions.Name);
        Assert.Same(tables.Positions, tables.Positions);
    }
}

/// <summary>A row in the layout the earlier client wrote (DocumentType, Parts as Int32, Json0..Json7) reads as a document.</summary>
public sealed class StoredStateCompatibilityTests
{
    [Fact]
    public async Task A_row_in_the_stored_layout_reads_as_a_document()
    {
        var service = TestStorage.CreateServiceClient();
        var name = TestStorage.UniqueTableName("compat");
        var client = service.GetTableClient(name);
        await client.CreateIfNotExistsAsync();
        // The layout StateEntity has always had: DocumentType, Parts (Int32), Json0..Json7.
        await client.AddEntityAsync(new TableEntity("open", "pos-1")
        {
            ["DocumentType"] = "Doc",
            ["Parts"] = 2,
            ["Json0"] = """{"name":"split","amou""",
            ["Json1"] = """nt":12.50,"items":[3]}""",
        });

        var read = await new TableStateTable(service, name).GetAsync<StateTableContractTests.Doc>("open", "pos-1", CancellationToken.None);

        Assert.Equal(new StateTableContractTests.Doc("split", 12.50m, [3]).Name, read!.Value.Name);
        Assert.Equal(12.50m, read.Value.Amount);
        Assert.Equal([3], read.Value.Items);
        await service.DeleteTableAsync(name);
    }
}
