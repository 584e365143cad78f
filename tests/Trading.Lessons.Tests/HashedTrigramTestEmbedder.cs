using System.Text;
using Trading.Core.Knowledge;

namespace Trading.Lessons.Tests;

/// <summary>
/// A deterministic TEST embedder, not a language model: hashes words and character trigrams into a fixed-size signed
/// vector. It lets hybrid retrieval, caching and batching be exercised offline; its quality figures say nothing about
/// real embeddings (those need a gateway key).
/// </summary>
internal sealed class HashedTrigramTestEmbedder : ITextEmbedder
{
    private readonly int _dimensions;
    private int _calls;
    private int _textsEmbedded;

    public HashedTrigramTestEmbedder(int dimensions = 512, string modelName = "test-hashed-trigram-v1")
    {
        _dimensions = dimensions;
        ModelName = modelName;
    }

    public string ModelName { get; }

    /// <summary>When set, every call throws this (simulates a gateway outage).</summary>
    public Exception? FailWith { get; set; }

    public int Calls => _calls;

    public int TextsEmbedded => _textsEmbedded;

    public List<int> BatchSizes { get; } = [];

    public Task<IReadOnlyList<float[]>> EmbedAsync(IReadOnlyList<string> texts, string runId, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        if (FailWith is not null)
            throw FailWith;
        lock (BatchSizes)
            BatchSizes.Add(texts.Count);
        Interlocked.Add(ref _textsEmbedded, texts.Count);
        IReadOnlyList<float[]> vectors = texts.Select(Embed).ToList();
        return Task.FromResult(vectors);
    }

    public float[] Embed(string text)
    {
        var vector = new float[_dimensions];
        var word = new StringBuilder();
        foreach (var c in text.ToLowerInvariant() + " ")
        {
            if (char.IsLetterOrDigit(c))
            {
                word.Append(c);
                continue;
            }

            if (word.Length > 2)
            {
                var w = word.ToString();
                AddFeature(vector, "w:" + w, 1.0f);
                var padded = "#" + w + "#";
                for (var i = 0; i + 3 <= padded.Length; i++)
                    AddFeature(vector, string.Concat("t:", padded.AsSpan(i, 3)), 0.4f);
            }

            word.Clear();
        }

        return vector;
    }

    private void AddFeature(float[] vector, string feature, float weight)
    {
        // FNV-1a: stable across processes, unlike string.GetHashCode.
        var hash = 2166136261u;
        foreach (var c in feature)
        {
            hash ^= c;
            hash *= 16777619u;
        }

        var sign = (hash & 0x80000000u) == 0 ? 1f : -1f;
        vector[(int)(hash % (uint)_dimensions)] += sign * weight;
    }
}
