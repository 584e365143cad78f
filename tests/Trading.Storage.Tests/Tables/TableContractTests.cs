using System.Collections.Concurrent;
using Azure;
using Trading.Storage.Tables;

namespace Trading.Storage.Tests.Tables;

/// <summary>
/// The behaviour every TableClient must have, run against Azurite and against the in-memory store. Each test uses its own
/// partition inside the class's table, so tests do not see each other's rows.
/// </summary>
public abstract class TableContractTests
{
    protected TableContractTests(TableServiceClient service, TableClient table)
    {
        Service = service;
        Table = table;
    }

    protected TableServiceClient Service { get; }

    protected TableClient Table { get; }

    private static string NewPartition() => "p" + Guid.NewGuid().ToString("N");

    private static AllTypesEntity Sample(string pk, string rk) => new()
    {
        PartitionKey = pk,
        RowKey = rk,
        Text = "Ünïcødé ✓ 𝄞 'quoted' \"double\" & <tag> 中文",
        Flag = true,
        Count = int.MinValue,
        Big = long.MaxValue,
        Ratio = 0.1 + 0.2,
        WholeDouble = 3.0,
        Money = 1234567890.123456789012345678m,
        At = new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.Zero).AddTicks(1234567),
        AtUtc = new DateTime(2023, 12, 31, 23, 59, 59, DateTimeKind.Utc).AddTicks(9999999 - 10_000_000 + 1),
        Id = Guid.Parse("7c9e6679-7425-40de-944b-e07fc1f90ae7"),
        Blob = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray(),
        Side = Side.Call,
        MaybeCount = null,
        MaybeMoney = -0.0000000000000000000000000001m,
        MaybeBig = long.MinValue,
    };

    [Fact]
    public async Task Every_property_type_round_trips_exactly()
    {
        var pk = NewPartition();
        var sent = Sample(pk, "r1");
        var etag = await Table.AddEntityAsync(sent);

        var got = await Table.GetEntityAsync<AllTypesEntity>(pk, "r1");

        Assert.NotEqual(default, etag);
        Assert.Equal(etag, got.ETag);
        Assert.NotNull(got.Timestamp);
        Assert.Equal(sent.Text, got.Text);
        Assert.True(got.Flag);
        Assert.Equal(int.MinValue, got.Count);
        Assert.Equal(long.MaxValue, got.Big);
        Assert.Equal(0.1 + 0.2, got.Ratio);
        Assert.Equal(3.0, got.WholeDouble);
        Assert.Equal(1234567890.123456789012345678m, got.Money);
        Assert.Equal(sent.Money.Scale, got.Money.Scale);
        Assert.Equal(sent.At.UtcTicks, got.At.UtcTicks);
        Assert.Equal(TimeSpan.Zero, got.At.Offset);
        Assert.Equal(sent.AtUtc.Ticks, got.AtUtc.Ticks);
        Assert.Equal(DateTimeKind.Utc, got.AtUtc.Kind);
        Assert.Equal(sent.Id, got.Id);
        Assert.Equal(sent.Blob, got.Blob);
        Assert.Equal(Side.Call, got.Side);
        Assert.Null(got.MaybeCount);
        Assert.Equal(-0.0000000000000000000000000001m, got.MaybeMoney);
        Assert.Equal(long.MinValue, got.MaybeBig);
    }

    [Fact]
    public async Task Dictionary_entity_reads_stored_types_and_typed_getters_convert()
    {
        var pk = NewPartition();
        await Table.AddEntityAsync(Sample(pk, "r1"));

        var got = await Table.GetEntityAsync<TableEntity>(pk, "r1");

        Assert.Equal(pk, got.PartitionKey);
        Assert.Equal("r1", got.RowKey);
        Assert.Equal(long.MaxValue, got.GetInt64("Big"));
        Assert.IsType<long>(got["Big"]);
        Assert.Equal(3.0, got.GetDouble("WholeDouble"));
        Assert.Equal(1234567890.123456789012345678m, got.GetDecimal("Money"));
        Assert.IsType<string>(got["Money"]); // the documented decimal encoding
        Assert.Equal("Call", got.GetString("Side"));
        Assert.Equal(Guid.Parse("7c9e6679-7425-40de-944b-e07fc1f90ae7"), got.GetGuid("Id"));
        Assert.Equal(256, got.GetBinary("Blob")!.Length);
        Assert.Equal(true, got.GetBoolean("Flag"));
        Assert.Equal(int.MinValue, got.GetInt32("Count"));
        Assert.Equal(new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.Zero).AddTicks(1234567), got.GetDateTimeOffset("At"));
        Assert.Null(got.GetInt32("MaybeCount"));
        Assert.False(got.ContainsKey("MaybeCount"));
    }

    [Fact]
    public async Task Edge_doubles_decimals_and_longs_round_trip()
    {
        var pk = NewPartition();
        double[] doubles = [double.NaN, double.PositiveInfinity, double.NegativeInfinity, double.MaxValue, double.Epsilon, -0.5, 1e21, 123456789.0];
        decimal[] decimals = [decimal.MaxValue, decimal.MinValue, 0.0000000000000000000000000001m, 1.10m, -0m, 7.9228162514264337593543950335m];
        long[] longs = [long.MinValue, -1L, 0L, int.MaxValue + 1L];
        var entity = new TableEntity(pk, "edges");
        for (var i = 0; i < doubles.Length; i++)
        {
            entity[$"D{i}"] = doubles[i];
        }

        for (var i = 0; i < decimals.Length; i++)
        {
            entity[$"M{i}"] = decimals[i];
        }

        for (var i = 0; i < longs.Length; i++)
        {
            entity[$"L{i}"] = longs[i];
        }

        await Table.AddEntityAsync(entity);
        var got = await Table.GetEntityAsync<TableEntity>(pk, "edges");

        for (var i = 0; i < doubles.Length; i++)
        {
            Assert.Equal(doubles[i], got.GetDouble($"D{i}"));
        }

        for (var i = 0; i < decimals.Length; i++)
        {
            Assert.Equal(decimals[i], got.GetDecimal($"M{i}"));
            Assert.Equal(decimals[i].ToString(System.Globalization.CultureInfo.InvariantCulture), got.GetString($"M{i}"));
        }

        for (var i = 0; i < longs.Length; i++)
        {
            Assert.Equal(longs[i], got.GetInt64($"L{i}"));
        }
    }

    [Fact]
    public async Task Seeded_random_entities_round_trip()
    {
        var pk = NewPartition();
        var random = new Random(20251121);
        var sent = new List<AllTypesEntity>();
        for (var i = 0; i < 40; i++)
        {
            var bytes = new byte[random.Next(0, 64)];
            random.NextBytes(bytes);
            sent.Add(new AllTypesEntity
            {
                PartitionKey = pk,
                RowKey = $"r{i:D3}",
                Text = new string(Enumerable.Range(0, random.Next(0, 40)).Select(_ => (char)random.Next(0x20, 0xD7FF)).ToArray()),
                Flag = random.Next(2) == 1,
                Count = random.Next(int.MinValue, int.MaxValue),
                Big = random.NextInt64(long.MinValue, long.MaxValue),
                Ratio = (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-20, 20)),
                WholeDouble = random.Next(-1000, 1000),
                Money = new decimal(random.Next(), random.Next(), random.Next(), random.Next(2) == 1, (byte)random.Next(0, 29)),
                At = new DateTimeOffset(random.NextInt64(new DateTime(1601, 1, 1).Ticks, DateTime.MaxValue.Ticks), TimeSpan.Zero),
                AtUtc = new DateTime(random.NextInt64(new DateTime(1601, 1, 1).Ticks, DateTime.MaxValue.Ticks), DateTimeKind.Utc),
                Id = new Guid(bytes.Length >= 16 ? bytes[..16] : new byte[16]),
                Blob = bytes,
                Side = random.Next(2) == 1 ? Side.Put : Side.Call,
                MaybeCount = random.Next(2) == 1 ? random.Next() : null,
            });
        }

        foreach (var chunk in sent.Chunk(100))
        {
            await Table.SubmitTransactionAsync(chunk.Select(e => new TableTransactionAction(TableTransactionActionType.Add, e)));
        }

        var got = await Table.QueryAsync<AllTypesEntity>(TableFilter.Partition(pk)).ToListAsync();
        Assert.Equal(sent.Count, got.Count);
        foreach (var (a, b) in sent.Zip(got))
        {
            Assert.Equal(
                (a.Text, a.Flag, a.Count, a.Big, a.Ratio, a.WholeDouble, a.Money, a.At.UtcTicks, a.AtUtc.Ticks, a.Id, a.Side, a.MaybeCount),
                (b.Text, b.Flag, b.Count, b.Big, b.Ratio, b.WholeDouble, b.Money, b.At.UtcTicks, b.AtUtc.Ticks, b.Id, b.Side, b.MaybeCount));
            Assert.Equal(a.Money.Scale, b.Money.Scale);
            Assert.Equal(a.Blob, b.Blob);
        }
    }

    [Fact]
    public async Task Dictionary_entity_writes_and_reads_back()
    {
        var pk = NewPartition();
        var entity = new TableEntity(pk, "d1")
        {
            ["Name"] = "iron condor",
            ["Legs"] = 4,
            ["Credit"] = 1.35m,
            ["Contracts"] = 12L,
            ["Opened"] = new DateTimeOffset(2025, 1, 2, 14, 30, 0, TimeSpan.FromHours(-5)),
        };
        await Table.AddEntityAsync(entity);

        var got = await Table.GetEntityAsync<TableEntity>(pk, "d1");

        Assert.Equal("iron condor", got.GetString("Name"));
        Assert.Equal(4, got.GetInt32("Legs"));
        Assert.Equal(1.35m, got.GetDecimal("Credit"));
        Assert.Equal("1.35", got["Credit"]);
        Assert.Equal(12L, got.GetInt64("Contracts"));
        Assert.Equal(new DateTimeOffset(2025, 1, 2, 19, 30, 0, TimeSpan.Zero), got.GetDateTimeOffset("Opened"));
    }

    [Fact]
    public async Task Adding_an_existing_entity_fails_with_409_EntityAlreadyExists()
    {
        var pk = NewPartition();
        await Table.AddEntityAsync(new CounterEntity { PartitionKey = pk, RowKey = "r" });

        var ex = await Assert.ThrowsAsync<RequestFailedException>(() => Table.AddEntityAsync(new CounterEntity { PartitionKey = pk, RowKey = "r" }));

        Assert.Equal(409, ex.Status);
        Assert.Equal("EntityAlreadyExists", ex.ErrorCode);
    }

    [Fact]
    public async Task Missing_entity_gives_404_from_Get_and_null_from_GetIfExists()
    {
        var pk = NewPartition();

        var ex = await Assert.ThrowsAsync<RequestFailedException>(() => Table.GetEntityAsync<CounterEntity>(pk, "nope"));
        Assert.Equal(404, ex.Status);
        Assert.Equal("ResourceNotFound", ex.ErrorCode);
        Assert.Null(await Table.GetEntityIfExistsAsync<CounterEntity>(pk, "nope"));
    }

    [Fact]
    public async Task Upsert_merge_keeps_other_properties_and_replace_drops_them()
    {
        var pk = NewPartition();
        await Table.UpsertEntityAsync(new TableEntity(pk, "r") { ["A"] = "a", ["B"] = 1 });

        await Table.UpsertEntityAsync(new TableEntity(pk, "r") { ["B"] = 2 }, TableUpdateMode.Merge);
        var merged = await Table.GetEntityAsync<TableEntity>(pk, "r");
        Assert.Equal("a", merged.GetString("A"));
        Assert.Equal(2, merged.GetInt32("B"));

        await Table.UpsertEntityAsync(new TableEntity(pk, "r") { ["C"] = true }, TableUpdateMode.Replace);
        var replaced = await Table.GetEntityAsync<TableEntity>(pk, "r");
        Assert.False(replaced.ContainsKey("A"));
        Assert.False(replaced.ContainsKey("B"));
        Assert.Equal(true, replaced.GetBoolean("C"));
    }

    [Fact]
    public async Task Conditional_update_succeeds_with_current_ETag_and_conflicts_with_a_stale_one()
    {
        var pk = NewPartition();
        var first = await Table.AddEntityAsync(new CounterEntity { PartitionKey = pk, RowKey = "r", Counter = 1 });

        var second = await Table.UpdateEntityAsync(new CounterEntity { PartitionKey = pk, RowKey = "r", Counter = 2 }, first, TableUpdateMode.Replace);
        Assert.NotEqual(first, second);

        var ex = await Assert.ThrowsAsync<TableConcurrencyException>(
            () => Table.UpdateEntityAsync(new CounterEntity { PartitionKey = pk, RowKey = "r", Counter = 3 }, first));
        Assert.Equal(412, ex.Status);
        Assert.Equal("UpdateConditionNotSatisfied", ex.ErrorCode);
        Assert.Equal(2, (await Table.GetEntityAsync<CounterEntity>(pk, "r")).Counter);

        await Table.UpdateEntityAsync(new CounterEntity { PartitionKey = pk, RowKey = "r", Counter = 4 }, ETag.All);
        Assert.Equal(4, (await Table.GetEntityAsync<CounterEntity>(pk, "r")).Counter);
    }

    [Fact]
    public async Task Update_of_a_missing_entity_fails_with_404()
    {
        var ex = await Assert.ThrowsAsync<RequestFailedException>(
            () => Table.UpdateEntityAsync(new CounterEntity { PartitionKey = NewPartition(), RowKey = "r" }, ETag.All));
        Assert.Equal(404, ex.Status);
        Assert.Equal("ResourceNotFound", ex.ErrorCode);
    }

    [Fact]
    public async Task Delete_is_conditional_with_an_ETag_and_missing_entities_are_not_an_error()
    {
        var pk = NewPartition();
        var first = await Table.AddEntityAsync(new CounterEntity { PartitionKey = pk, RowKey = "r" });
        var second = await Table.UpsertEntityAsync(new CounterEntity { PartitionKey = pk, RowKey = "r", Counter = 1 });

        await Assert.ThrowsAsync<TableConcurrencyException>(() => Table.DeleteEntityAsync(pk, "r", first));
        Assert.NotNull(await Table.GetEntityIfExistsAsync<CounterEntity>(pk, "r"));

        await Table.DeleteEntityAsync(pk, "r", second);
        Assert.Null(await Table.GetEntityIfExistsAsync<CounterEntity>(pk, "r"));

        await Table.DeleteEntityAsync(pk, "r");
        await Table.AddEntityAsync(new CounterEntity { PartitionKey = pk, RowKey = "r2" });
        await Table.DeleteEntityAsync(pk, "r2");
        Assert.Null(await Table.GetEntityIfExistsAsync<CounterEntity>(pk, "r2"));
    }

    [Fact]
    public async Task Keys_with_quotes_spaces_unicode_and_url_characters_work_everywhere()
    {
        var pk = NewPartition() + " O'Brien & Co +%é✓";
        const string rk = "row 'one' = 50% & more; 中文 😀";
        await Table.AddEntityAsync(new CounterEntity { PartitionKey = pk, RowKey = rk, Counter = 7 });

        Assert.Equal(7, (await Table.GetEntityAsync<CounterEntity>(pk, rk)).Counter);
        var found = await Table.QueryAsync<CounterEntity>(TableFilter.And(TableFilter.Partition(pk), TableFilter.Equal("RowKey", rk))).ToListAsync();
        Assert.Equal(rk, Assert.Single(found).RowKey);
        await Table.UpsertEntityAsync(new CounterEntity { PartitionKey = pk, RowKey = rk, Counter = 8 });
        await Table.DeleteEntityAsync(pk, rk);
        Assert.Null(await Table.GetEntityIfExistsAsync<CounterEntity>(pk, rk));
    }

    [Fact]
    public async Task Keys_at_the_1KiB_limit_are_accepted()
    {
        var pk = NewPartition();
        var rk = new string('k', TableValidation.MaxKeyLength);
        await Table.AddEntityAsync(new CounterEntity { PartitionKey = pk, RowKey = rk });
        Assert.Equal(rk, (await Table.GetEntityAsync<CounterEntity>(pk, rk)).RowKey);
    }

    [Fact]
    public async Task Query_filters_with_typed_literals_selects_and_limits_pages()
    {
        var pk = NewPartition();
        var start = new DateTimeOffset(2025, 3, 1, 0, 0, 0, TimeSpan.Zero);
        var actions = Enumerable.Range(0, 20).Select(i => new TableTransactionAction(
            TableTransactionActionType.Add,
            new AllTypesEntity
            {
                PartitionKey = pk,
                RowKey = i.ToString("D3", System.Globalization.CultureInfo.InvariantCulture),
                Count = i,
                Big = 10_000_000_000L + i,
                Ratio = i / 4.0,
                Flag = i % 2 == 0,
                At = start.AddDays(i),
                AtUtc = start.UtcDateTime,
                Text = i == 5 ? "it's five" : "other",
                Id = i == 7 ? Guid.Parse("11111111-2222-3333-4444-555555555555") : Guid.Empty,
            })).ToList();
        await Table.SubmitTransactionAsync(actions);

        async Task<List<string>> Rows(string filter, int? top = null) =>
            (await Table.QueryAsync<AllTypesEntity>(TableFilter.And(TableFilter.Partition(pk), filter), top).ToListAsync()).Select(e => e.RowKey).ToList();

        Assert.Equal(["015", "016", "017", "018", "019"], await Rows(TableFilter.GreaterThanOrEqual("Count", 15)));
        Assert.Equal(["018", "019"], await Rows(TableFilter.GreaterThan("Big", 10_000_000_017L)));
        Assert.Equal(["000", "001"], await Rows(TableFilter.LessThan("Ratio", 0.5)));
        Assert.Equal(["003"], await Rows(TableFilter.Equal("At", start.AddDays(3))));
        Assert.Equal(["005"], await Rows(TableFilter.Equal("Text", "it's five")));
        Assert.Equal(["007"], await Rows(TableFilter.Equal("Id", Guid.Parse("11111111-2222-3333-4444-555555555555"))));
        Assert.Equal(10, (await Rows(TableFilter.Equal("Flag", true), top: 3)).Count);
        Assert.Equal(["000", "019"], await Rows(TableFilter.Or(TableFilter.Equal("RowKey", "000"), TableFilter.Equal("RowKey", "019"))));
        Assert.Equal(19, (await Rows(TableFilter.Not(TableFilter.Equal("Count", 4)))).Count);
        Assert.Equal(["002", "003"], await Rows(TableFilter.Create($"Count ge {2} and Count lt {4} and At ge {start}")));

        var selected = await Table.QueryAsync<TableEntity>(TableFilter.Partition(pk), maxPerPage: 7, select: ["Count", "Text"]).ToListAsync();
        Assert.Equal(20, selected.Count);
        Assert.All(selected, e => Assert.Equal(["Count", "Text"], e.Keys.Order(StringComparer.Ordinal)));
        Assert.Equal(Enumerable.Range(0, 20), selected.Select(e => e.GetInt32("Count")!.Value));
    }

    [Fact]
    public async Task Point_read_with_select_returns_only_the_selected_properties()
    {
        var pk = NewPartition();
        await Table.AddEntityAsync(Sample(pk, "r"));
        var got = await Table.GetEntityAsync<TableEntity>(pk, "r", ["Count", "Money", "Absent"]);
        Assert.Equal(["Count", "Money"], got.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(int.MinValue, got.GetInt32("Count"));
    }

    [Fact]
    public async Task Query_follows_continuation_over_more_than_1000_entities()
    {
        var pk = NewPartition();
        const int total = 1_234;
        var chunks = Enumerable.Range(0, total).Chunk(100);
        await Parallel.ForEachAsync(chunks, async (chunk, ct) =>
            await Table.SubmitTransactionAsync(
                chunk.Select(i => new TableTransactionAction(TableTransactionActionType.Add, new CounterEntity { PartitionKey = pk, RowKey = $"r{i:D5}", Counter = i })),
                ct));

        var all = await Table.QueryAsync<CounterEntity>(TableFilter.Partition(pk)).ToListAsync();
        Assert.Equal(total, all.Count);
        Assert.Equal(Enumerable.Range(0, total), all.Select(e => e.Counter));

        var paged = await Table.QueryAsync<CounterEntity>(TableFilter.Partition(pk), maxPerPage: 1000).ToListAsync();
        Assert.Equal(total, paged.Count);
        Assert.Equal(total, paged.Select(e => e.RowKey).Distinct().Count());
    }

    [Fact]
    public async Task Twenty_concurrent_conditional_updates_never_lose_an_update()
    {
        var pk = NewPartition();
        await Table.AddEntityAsync(new CounterEntity { PartitionKey = pk, RowKey = "counter", Counter = 0 });
        var attempts = new ConcurrentBag<(ETag Used, bool Won, Exception? Error)>();
        using var start = new SemaphoreSlim(0);

        var workers = Enumerable.Range(0, 20).Select(_ => Task.Run(async () =>
        {
            await start.WaitAsync();
            while (true)
            {
                var current = await Table.GetEntityAsync<CounterEntity>(pk, "counter");
                current.Counter++;
                try
                {
                    await Table.UpdateEntityAsync(current, current.ETag, TableUpdateMode.Replace);
                    attempts.Add((current.ETag, true, null));
                    return;
                }
                catch (RequestFailedException ex)
                {
                    attempts.Add((current.ETag, false, ex));
                }
            }
        })).ToList();
        start.Release(20);
        await Task.WhenAll(workers);

        var wins = attempts.Where(a => a.Won).ToList();
        Assert.Equal(20, wins.Count);
        Assert.All(attempts.Where(a => !a.Won), a => Assert.IsType<TableConcurrencyException>(a.Error));
        foreach (var generation in attempts.GroupBy(a => a.Used))
        {
            Assert.Equal(1, generation.Count(a => a.Won));
        }

        Assert.Equal(wins.Count, (await Table.GetEntityAsync<CounterEntity>(pk, "counter")).Counter);
    }

    [Fact]
    public async Task A_transaction_applies_all_operations_and_returns_their_ETags()
    {
        var pk = NewPartition();
        var existingETag = await Table.AddEntityAsync(new CounterEntity { PartitionKey = pk, RowKey = "update", Counter = 1 });
        await Table.AddEntityAsync(new CounterEntity { PartitionKey = pk, RowKey = "delete" });
        await Table.AddEntityAsync(new TableEntity(pk, "merge") { ["Keep"] = "yes" });

        var etags = await Table.SubmitTransactionAsync(
        [
            new(TableTransactionActionType.Add, new CounterEntity { PartitionKey = pk, RowKey = "add", Counter = 5 }),
            new(TableTransactionActionType.UpsertReplace, new CounterEntity { PartitionKey = pk, RowKey = "upsert", Counter = 6 }),
            new(TableTransactionActionType.UpdateReplace, new CounterEntity { PartitionKey = pk, RowKey = "update", Counter = 2 }, existingETag),
            new(TableTransactionActionType.UpsertMerge, new TableEntity(pk, "merge") { ["Added"] = 1 }),
            new(TableTransactionActionType.Delete, new TableEntity(pk, "delete")),
        ]);

        Assert.Equal(5, etags.Count);
        Assert.All(etags.Take(4), e => Assert.NotEqual(default, e));
        var add = await Table.GetEntityAsync<CounterEntity>(pk, "add");
        Assert.Equal(5, add.Counter);
        Assert.Equal(etags[0], add.ETag);
        Assert.Equal(6, (await Table.GetEntityAsync<CounterEntity>(pk, "upsert")).Counter);
        Assert.Equal(2, (await Table.GetEntityAsync<CounterEntity>(pk, "update")).Counter);
        var merged = await Table.GetEntityAsync<TableEntity>(pk, "merge");
        Assert.Equal("yes", merged.GetString("Keep"));
        Assert.Equal(1, merged.GetInt32("Added"));
        Assert.Null(await Table.GetEntityIfExistsAsync<CounterEntity>(pk, "delete"));
    }

    [Fact]
    public async Task A_failing_transaction_writes_nothing_and_names_the_failing_operation()
    {
        var pk = NewPartition();
        await Table.AddEntityAsync(new CounterEntity { PartitionKey = pk, RowKey = "exists", Counter = 1 });

        var ex = await Assert.ThrowsAsync<TableTransactionFailedException>(() => Table.SubmitTransactionAsync(
        [
            new(TableTransactionActionType.Add, new CounterEntity { PartitionKey = pk, RowKey = "a" }),
            new(TableTransactionActionType.UpsertMerge, new CounterEntity { PartitionKey = pk, RowKey = "b" }),
            new(TableTransactionActionType.UpsertReplace, new CounterEntity { PartitionKey = pk, RowKey = "d", Counter = 99 }),
            new(TableTransactionActionType.Add, new CounterEntity { PartitionKey = pk, RowKey = "c" }),
            new(TableTransactionActionType.Add, new CounterEntity { PartitionKey = pk, RowKey = "exists" }),
        ]));

        Assert.Equal(4, ex.FailedOperationIndex);
        Assert.Equal(409, ex.Status);
        Assert.Equal("EntityAlreadyExists", ex.ErrorCode);
        var rows = await Table.QueryAsync<CounterEntity>(TableFilter.Partition(pk)).ToListAsync();
        Assert.Equal("exists", Assert.Single(rows).RowKey);
        Assert.Equal(1, rows[0].Counter);
    }

    [Fact]
    public async Task A_transaction_with_a_stale_ETag_fails_with_the_index_and_writes_nothing()
    {
        var pk = NewPartition();
        var stale = await Table.AddEntityAsync(new CounterEntity { PartitionKey = pk, RowKey = "x", Counter = 1 });
        await Table.UpsertEntityAsync(new CounterEntity { PartitionKey = pk, RowKey = "x", Counter = 2 });

        var ex = await Assert.ThrowsAsync<TableTransactionFailedException>(() => Table.SubmitTransactionAsync(
        [
            new(TableTransactionActionType.Add, new CounterEntity { PartitionKey = pk, RowKey = "new" }),
            new(TableTransactionActionType.UpdateMerge, new CounterEntity { PartitionKey = pk, RowKey = "x", Counter = 3 }, stale),
        ]));

        Assert.Equal(1, ex.FailedOperationIndex);
        Assert.Equal(412, ex.Status);
        Assert.Null(await Table.GetEntityIfExistsAsync<CounterEntity>(pk, "new"));
        Assert.Equal(2, (await Table.GetEntityAsync<CounterEntity>(pk, "x")).Counter);
    }

    [Fact]
    public async Task A_transaction_deleting_a_missing_row_fails_and_writes_nothing()
    {
        var pk = NewPartition();
        var ex = await Assert.ThrowsAsync<TableTransactionFailedException>(() => Table.SubmitTransactionAsync(
        [
            new(TableTransactionActionType.UpsertReplace, new CounterEntity { PartitionKey = pk, RowKey = "a" }),
            new(TableTransactionActionType.Delete, new CounterEntity { PartitionKey = pk, RowKey = "missing" }),
        ]));

        Assert.Equal(404, ex.Status);
        Assert.Equal(1, ex.FailedOperationIndex);
        Assert.Null(await Table.GetEntityIfExistsAsync<CounterEntity>(pk, "a"));
    }

    [Fact]
    public async Task Operations_on_a_missing_table_fail_with_404()
    {
        var missing = Service.GetTableClient("missing" + Guid.NewGuid().ToString("N")[..10]);
        Assert.Equal(404, (await Assert.ThrowsAsync<RequestFailedException>(() => missing.GetEntityIfExistsAsync<TableEntity>("p", "r"))).Status);
        Assert.Equal(404, (await Assert.ThrowsAsync<RequestFailedException>(async () => await missing.QueryAsync<TableEntity>().ToListAsync())).Status);
        Assert.Equal(404, (await Assert.ThrowsAsync<RequestFailedException>(() => missing.UpsertEntityAsync(new TableEntity("p", "r")))).Status);
        var delete = await Assert.ThrowsAsync<RequestFailedException>(() => missing.DeleteEntityAsync("p", "r"));
        Assert.Equal((404, "TableNotFound"), (delete.Status, delete.ErrorCode));
    }

    [Fact]
    public async Task Dates_before_1601_are_rejected_before_any_request()
    {
        var ex = await Assert.ThrowsAsync<ArgumentException>(
            () => Table.AddEntityAsync(new AllTypesEntity { PartitionKey = NewPartition(), RowKey = "r", At = DateTimeOffset.MinValue, AtUtc = new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc) }));
        Assert.Contains("'At'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Transactions_are_checked_before_sending()
    {
        var pk = NewPartition();
        var tooMany = Enumerable.Range(0, 101).Select(i => new TableTransactionAction(TableTransactionActionType.Add, new CounterEntity { PartitionKey = pk, RowKey = $"r{i}" }));
        Assert.Contains("limit is 100", (await Assert.ThrowsAsync<ArgumentException>(() => Table.SubmitTransactionAsync(tooMany))).Message, StringComparison.Ordinal);

        var twoPartitions = new[]
        {
            new TableTransactionAction(TableTransactionActionType.Add, new CounterEntity { PartitionKey = pk, RowKey = "a" }),
            new TableTransactionAction(TableTransactionActionType.Add, new CounterEntity { PartitionKey = pk + "x", RowKey = "b" }),
        };
        Assert.Contains("one partition", (await Assert.ThrowsAsync<ArgumentException>(() => Table.SubmitTransactionAsync(twoPartitions))).Message, StringComparison.Ordinal);

        var duplicate = new[]
        {
            new TableTransactionAction(TableTransactionActionType.Add, new CounterEntity { PartitionKey = pk, RowKey = "a" }),
            new TableTransactionAction(TableTransactionActionType.Delete, new CounterEntity { PartitionKey = pk, RowKey = "a" }),
        };
        Assert.Contains("repeats RowKey", (await Assert.ThrowsAsync<ArgumentException>(() => Table.SubmitTransactionAsync(duplicate))).Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentException>(() => Table.SubmitTransactionAsync([]));
        Assert.Empty(await Table.QueryAsync<CounterEntity>(TableFilter.Partition(pk)).ToListAsync());
    }

    [Theory]
    [InlineData("a/b", "'/'")]
    [InlineData("a\\b", "'\\'")]
    [InlineData("a#b", "'#'")]
    [InlineData("a?b", "'?'")]
    [InlineData("a\tb", "U+0009")]
    [InlineData("a\u007fb", "U+007F")]
    public async Task Bad_keys_are_rejected_before_any_request(string key, string named)
    {
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => Table.AddEntityAsync(new CounterEntity { PartitionKey = key, RowKey = "r" }));
        Assert.Contains("PartitionKey", ex.Message, StringComparison.Ordinal);
        Assert.Contains(named, ex.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentException>(() => Table.GetEntityAsync<CounterEntity>("p", key));
        await Assert.ThrowsAsync<ArgumentException>(() => Table.DeleteEntityAsync("p", key));
        await Assert.ThrowsAsync<ArgumentException>(() => Table.UpsertEntityAsync(new CounterEntity { PartitionKey = "p", RowKey = key }));
    }

    [Fact]
    public async Task Oversized_keys_entities_and_property_counts_are_rejected_before_any_request()
    {
        var pk = NewPartition();
        var longKey = await Assert.ThrowsAsync<ArgumentException>(
            () => Table.AddEntityAsync(new CounterEntity { PartitionKey = pk, RowKey = new string('k', 513) }));
        Assert.Contains("RowKey is 513 characters", longKey.Message, StringComparison.Ordinal);

        var wide = new TableEntity(pk, "wide");
        for (var i = 0; i < 253; i++)
        {
            wide[$"P{i}"] = i;
        }

        Assert.Contains("253 properties", (await Assert.ThrowsAsync<ArgumentException>(() => Table.AddEntityAsync(wide))).Message, StringComparison.Ordinal);

        var big = new TableEntity(pk, "big");
        for (var i = 0; i < 20; i++)
        {
            big[$"S{i}"] = new string('x', 30_000);
        }

        Assert.Contains("1 MiB", (await Assert.ThrowsAsync<ArgumentException>(() => Table.AddEntityAsync(big))).Message, StringComparison.Ordinal);
        Assert.Empty(await Table.QueryAsync<TableEntity>(TableFilter.Partition(pk)).ToListAsync());
    }

    [Fact]
    public async Task Max_per_page_outside_1_to_1000_is_rejected()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await Table.QueryAsync<TableEntity>(maxPerPage: 1001).ToListAsync());
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await Table.QueryAsync<TableEntity>(maxPerPage: 0).ToListAsync());
    }

    [Fact]
    public async Task Tables_can_be_created_twice_deleted_and_deleted_again()
    {
        var name = "tmp" + Guid.NewGuid().ToString("N")[..10];
        await Service.CreateTableIfNotExistsAsync(name);
        await Service.CreateTableIfNotExistsAsync(name);
        var table = Service.GetTableClient(name);
        await table.AddEntityAsync(new CounterEntity { PartitionKey = "p", RowKey = "r" });
        await Service.DeleteTableAsync(name);
        await Service.DeleteTableAsync(name);

        var ex = await Assert.ThrowsAsync<RequestFailedException>(() => table.AddEntityAsync(new CounterEntity { PartitionKey = "p", RowKey = "r2" }));
        Assert.Equal(404, ex.Status);
    }

    [Theory]
    [InlineData("ab")]
    [InlineData("1abc")]
    [InlineData("has-dash")]
    [InlineData("tables")]
    [InlineData("")]
    public void Invalid_table_names_are_rejected(string name)
    {
        var ex = Assert.Throws<ArgumentException>(() => Service.GetTableClient(name));
        Assert.Contains("able name", ex.Message, StringComparison.Ordinal);
    }
}
