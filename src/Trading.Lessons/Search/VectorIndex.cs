using System.Numerics.Tensors;

namespace Trading.Lessons.Search;

/// <summary>
/// Cosine similarity over embedding vectors held in one contiguous, L2-normalised array, so a query is one dot product
/// per row (<see cref="TensorPrimitives.Dot(ReadOnlySpan{float}, ReadOnlySpan{float})"/>) with no per-row norm work.
/// </summary>
public sealed class VectorIndex
{
    private readonly float[] _matrix;

    /// <summary>Copies and normalises the vectors; all must have the same length.</summary>
    public VectorIndex(IReadOnlyList<float[]> vectors)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        Count = vectors.Count;
        Dimensions = vectors.Count == 0 ? 0 : vectors[0].Length;
        _matrix = new float[Count * Dimensions];
        for (var row = 0; row < Count; row++)
        {
            var vector = vectors[row];
            if (vector.Length != Dimensions)
                throw new ArgumentException(
                    $"vector {row} has {vector.Length} dimensions; expected {Dimensions} like the first.", nameof(vectors));
            Normalize(vector, _matrix.AsSpan(row * Dimensions, Dimensions));
        }
    }

    /// <summary>Number of rows.</summary>
    public int Count { get; }

    /// <summary>Length of every vector.</summary>
    public int Dimensions { get; }

    /// <summary>Writes the cosine similarity of <paramref name="query"/> with every row into <paramref name="scores"/>.</summary>
    public void Score(ReadOnlySpan<float> query, Span<float> scores)
    {
        if (query.Length != Dimensions)
            throw new ArgumentException($"query has {query.Length} dimensions; the index has {Dimensions}.", nameof(query));
        if (scores.Length != Count)
            throw new ArgumentException($"scores must have one slot per row ({Count}).", nameof(scores));

        Span<float> unit = Dimensions <= 4096 ? stackalloc float[Dimensions] : new float[Dimensions];
        Normalize(query, unit);
        var matrix = _matrix.AsSpan();
        for (var row = 0; row < Count; row++)
            scores[row] = TensorPrimitives.Dot(matrix.Slice(row * Dimensions, Dimensions), unit);
    }

    private static void Normalize(ReadOnlySpan<float> source, Span<float> destination)
    {
        var norm = TensorPrimitives.Norm(source);
        if (norm == 0 || float.IsNaN(norm))
        {
            destination.Clear();
            return;
        }

        TensorPrimitives.Divide(source, norm, destination);
    }
}
