using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;

namespace Trading.Lessons.Search;

/// <summary>
/// Section embeddings cached in Table Storage: partition = embedding model, row = SHA-256 of the embedded text. A changed
/// section has a new hash and is re-embedded; unchanged sections are read back, so re-indexing costs only the changes.
/// </summary>
public sealed class EmbeddingCache
{
    private readonly TableClient _table;
    private int _created;

    public EmbeddingCache(TableClient table)
    {
        ArgumentNullException.ThrowIfNull(table);
        _table = table;
    }

    /// <summary>The content hash used as row key: lowercase hex SHA-256 of the UTF-8 text.</summary>
    public static string ContentHash(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    /// <summary>The cached vector of each text (null where absent), reading the model's partition in one query.</summary>
    public async Task<IReadOnlyList<float[]?>> GetManyAsync(string model, IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(texts);
        await EnsureTableAsync(cancellationToken);
        var partition = PartitionKeyOf(model);
        var stored = new Dictionary<string, float[]>(StringComparer.Ordinal);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition}");
        await foreach (var row in _table.QueryAsync<EmbeddingRow>(filter, cancellationToken: cancellationToken))
        {
            if (row.Vector is { Length: > 0 } bytes && bytes.Length == row.Dimensions * sizeof(float))
                stored[row.RowKey] = Decode(bytes);
        }

        return texts.Select(t => stored.GetValueOrDefault(ContentHash(t))).ToList();
    }

    /// <summary>Stores one vector per text (upsert, 100 per transaction, duplicates written once).</summary>
    public async Task PutManyAsync(string model, IReadOnlyList<string> texts, IReadOnlyList<float[]> vectors, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(vectors);
        if (texts.Count != vectors.Count)
            throw new ArgumentException($"{texts.Count} texts but {vectors.Count} vectors.", nameof(vectors));
        await EnsureTableAsync(cancellationToken);
        var partition = PartitionKeyOf(model);
        var rows = new Dictionary<string, EmbeddingRow>(StringComparer.Ordinal);
        for (var i = 0; i < texts.Count; i++)
        {
            var hash = ContentHash(texts[i]);
            rows[hash] = new EmbeddingRow
            {
                PartitionKey = partition,
                RowKey = hash,
                Model = model,
                Dimensions = vectors[i].Length,
                Vector = Encode(vectors[i]),
            };
        }

        // A transaction is one partition and at most 100 operations; all rows here share the model's partition.
        foreach (var chunk in rows.Values.Chunk(100))
        {
            await _table.SubmitTransactionAsync(
                chunk.Select(r => new TableTransactionAction(TableTransactionActionType.UpsertReplace, r)), cancellationToken);
        }
    }

    private async Task EnsureTableAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _created) == 1)
            return;
        await _table.CreateIfNotExistsAsync(cancellationToken);
        Volatile.Write(ref _created, 1);
    }

    /// <summary>Model names may contain '/' (gateway ids); keys may not, so those characters are replaced.</summary>
    private static string PartitionKeyOf(string model)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        var key = new StringBuilder(model.Length);
        foreach (var c in model)
            key.Append(c is '/' or '\\' or '#' or '?' || char.IsControl(c) ? '_' : c);
        return key.ToString();
    }

    private static byte[] Encode(float[] vector)
    {
        var bytes = new byte[vector.Length * sizeof(float)];
        for (var i = 0; i < vector.Length; i++)
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), vector[i]);
        return bytes;
    }

    private static float[] Decode(byte[] bytes)
    {
        var vector = new float[bytes.Length / sizeof(float)];
        for (var i = 0; i < vector.Length; i++)
            vector[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * sizeof(float)));
        return vector;
    }

    /// <summary>One cached embedding.</summary>
    public sealed class EmbeddingRow : ITableEntity
    {
        public string PartitionKey { get; set; } = "";

        public string RowKey { get; set; } = "";

        public DateTimeOffset? Timestamp { get; set; }

        public ETag ETag { get; set; }

        public string Model { get; set; } = "";

        public int Dimensions { get; set; }

        public byte[]? Vector { get; set; }
    }
}
