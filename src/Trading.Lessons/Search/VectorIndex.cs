using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Trading.Lessons.Search;

/// <summary>
/// Cosine similarity over embedding vectors held in one contiguous, L2-normalised array, so a score is one
/// <see cref="TensorPrimitives.Dot(ReadOnlySpan{float}, ReadOnlySpan{float})"/> per row with no per-row norm work.
/// Large indexes (at least <see cref="TwoStageMinRows"/> rows) first scan an int8-quantised copy (a quarter of the
/// memory traffic; a float scan of 10,000 × 1536 reads 61 MB per query) and then re-score the best
/// <see cref="RescoreCandidates"/> rows exactly in float; the other rows keep their quantised estimate.
/// </summary>
public sealed class VectorIndex
{
    /// <summary>Default size from which the quantised pre-scan is used.</summary>
    public const int DefaultTwoStageMinRows = 4096;

    /// <summary>Rows re-scored exactly after the quantised scan.</summary>
    public const int RescoreCandidates = 256;

    private readonly float[] _matrix;
    private readonly sbyte[]? _quantized;
    private readonly float[]? _rowScale;

    /// <summary>Copies and normalises the vectors; all must have the same length.</summary>
    public VectorIndex(IReadOnlyList<float[]> vectors, int twoStageMinRows = DefaultTwoStageMinRows)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        Count = vectors.Count;
        Dimensions = vectors.Count == 0 ? 0 : vectors[0].Length;
        TwoStageMinRows = twoStageMinRows;
        _matrix = new float[Count * Dimensions];
        for (var row = 0; row < Count; row++)
        {
            var vector = vectors[row];
            if (vector.Length != Dimensions)
                throw new ArgumentException(
                    $"vector {row} has {vector.Length} dimensions; expected {Dimensions} like the first.", nameof(vectors));
            Normalize(vector, _matrix.AsSpan(row * Dimensions, Dimensions));
        }

        if (Count >= twoStageMinRows && Count > RescoreCandidates)
        {
            _quantized = new sbyte[_matrix.Length];
            _rowScale = new float[Count];
            for (var row = 0; row < Count; row++)
                _rowScale[row] = Quantize(_matrix.AsSpan(row * Dimensions, Dimensions), _quantized.AsSpan(row * Dimensions, Dimensions));
        }
    }

    /// <summary>Number of rows.</summary>
    public int Count { get; }

    /// <summary>Length of every vector.</summary>
    public int Dimensions { get; }

    /// <summary>Row count from which scoring is two-stage (quantised scan, exact re-score).</summary>
    public int TwoStageMinRows { get; }

    /// <summary>True when this index scores in two stages.</summary>
    public bool IsTwoStage => _quantized is not null;

    /// <summary>
    /// Writes the cosine similarity of <paramref name="query"/> with every row into <paramref name="scores"/>: exact for
    /// every row of a small index; for a two-stage index exact for the best candidates and a quantised estimate
    /// (error around 1e-3) for the rest.
    /// </summary>
    public void Score(ReadOnlySpan<float> query, Span<float> scores)
    {
        if (query.Length != Dimensions)
            throw new ArgumentException($"query has {query.Length} dimensions; the index has {Dimensions}.", nameof(query));
        if (scores.Length != Count)
            throw new ArgumentException($"scores must have one slot per row ({Count}).", nameof(scores));

        var unit = new float[Dimensions];
        Normalize(query, unit);
        var matrix = _matrix.AsSpan();
        if (_quantized is null || _rowScale is null)
        {
            for (var row = 0; row < Count; row++)
                scores[row] = TensorPrimitives.Dot(matrix.Slice(row * Dimensions, Dimensions), unit);
            return;
        }

        var quantizedQuery = new sbyte[Dimensions];
        var queryScale = Quantize(unit, quantizedQuery);
        var candidates = new PriorityQueue<int, float>(RescoreCandidates + 1);
        var quantized = _quantized.AsSpan();
        for (var row = 0; row < Count; row++)
        {
            var estimate = DotInt8(quantized.Slice(row * Dimensions, Dimensions), quantizedQuery) * _rowScale[row] * queryScale;
            scores[row] = estimate;
            if (candidates.Count < RescoreCandidates)
            {
                candidates.Enqueue(row, estimate);
            }
            else if (candidates.TryPeek(out _, out var lowest) && estimate > lowest)
            {
                candidates.EnqueueDequeue(row, estimate);
            }
        }

        while (candidates.TryDequeue(out var row, out _))
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

    /// <summary>Symmetric int8 quantisation with a per-vector scale; returns the factor that maps back to floats.</summary>
    private static float Quantize(ReadOnlySpan<float> source, Span<sbyte> destination)
    {
        var maxAbs = TensorPrimitives.MaxMagnitude(source);
        maxAbs = MathF.Abs(maxAbs);
        if (maxAbs == 0 || float.IsNaN(maxAbs))
        {
            destination.Clear();
            return 0;
        }

        var factor = 127f / maxAbs;
        for (var i = 0; i < source.Length; i++)
            destination[i] = (sbyte)MathF.Round(source[i] * factor);
        return maxAbs / 127f;
    }

    /// <summary>Integer dot product with the best instructions this CPU has.</summary>
    private static int DotInt8(ReadOnlySpan<sbyte> a, ReadOnlySpan<sbyte> b) =>
        DotInt8(a, b, AvxVnni.IsSupported ? Int8Kernel.AvxVnni : Avx2.IsSupported ? Int8Kernel.Avx2 : Int8Kernel.Scalar);

    /// <summary>The int8 dot-product implementations (all exact; tests compare them).</summary>
    internal enum Int8Kernel
    {
        Scalar,
        Avx2,
        AvxVnni,
    }

    /// <summary>
    /// Integer dot product, 32 components per step: |a| as unsigned bytes times b with a's sign applied, summed in int32
    /// (VNNI in one instruction; AVX2 via pairwise short sums, which cannot saturate because values are in [-127, 127]).
    /// </summary>
    internal static int DotInt8(ReadOnlySpan<sbyte> a, ReadOnlySpan<sbyte> b, Int8Kernel kernel)
    {
        var i = 0;
        var sum = 0;
        if (kernel != Int8Kernel.Scalar && a.Length >= Vector256<sbyte>.Count)
        {
            ref var ra = ref MemoryMarshal.GetReference(a);
            ref var rb = ref MemoryMarshal.GetReference(b);
            var ones = Vector256.Create((short)1);
            var accumulator = Vector256<int>.Zero;
            for (; i <= a.Length - Vector256<sbyte>.Count; i += Vector256<sbyte>.Count)
            {
                var va = Vector256.LoadUnsafe(ref ra, (nuint)i);
                var vb = Vector256.LoadUnsafe(ref rb, (nuint)i);
                var magnitude = Avx2.Abs(va);
                var signed = Avx2.Sign(vb, va);
                accumulator = kernel == Int8Kernel.AvxVnni
                    ? AvxVnni.MultiplyWideningAndAdd(accumulator, magnitude, signed)
                    : Avx2.Add(accumulator, Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(magnitude, signed), ones));
            }

            sum = Vector256.Sum(accumulator);
        }

        for (; i < a.Length; i++)
            sum += a[i] * b[i];
        return sum;
    }
}
