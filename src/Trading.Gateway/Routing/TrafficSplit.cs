using System.Text;

namespace Trading.Gateway.Routing;

/// <summary>One weighted variant of a traffic split.</summary>
/// <param name="Model">Logical model name.</param>
/// <param name="Weight">Relative weight (positive).</param>
public sealed record SplitVariant(string Model, int Weight);

/// <summary>
/// Weighted variants for one task type, chosen deterministically from a request key: the same key always picks the same
/// variant, so a replayed run routes identically. An optional shadow model is called alongside and never affects results.
/// </summary>
public sealed class TrafficSplit
{
    /// <summary>Creates a split; throws naming the problem when the variants are empty or a weight is not positive.</summary>
    public TrafficSplit(string taskType, IReadOnlyList<SplitVariant> variants, string? shadowModel = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(taskType);
        ArgumentNullException.ThrowIfNull(variants);
        if (variants.Count == 0)
            throw new ArgumentException($"Traffic split for '{taskType}' has no variants.", nameof(variants));
        foreach (var v in variants)
        {
            if (v.Weight <= 0)
                throw new ArgumentException($"Traffic split for '{taskType}': variant '{v.Model}' has weight {v.Weight}; weights must be positive.", nameof(variants));
            if (string.IsNullOrWhiteSpace(v.Model))
                throw new ArgumentException($"Traffic split for '{taskType}': a variant has no model.", nameof(variants));
        }

        TaskType = TaskCatalog.Normalize(taskType);
        Variants = variants;
        ShadowModel = string.IsNullOrWhiteSpace(shadowModel) ? null : shadowModel;
        TotalWeight = variants.Sum(v => (long)v.Weight);
    }

    /// <summary>Normalized task type.</summary>
    public string TaskType { get; }

    /// <summary>The variants in configured order.</summary>
    public IReadOnlyList<SplitVariant> Variants { get; }

    /// <summary>Model called alongside for comparison, or null.</summary>
    public string? ShadowModel { get; }

    /// <summary>Sum of the weights.</summary>
    public long TotalWeight { get; }

    /// <summary>The variant for <paramref name="requestKey"/> (stable across processes and runs).</summary>
    public SplitVariant Choose(string requestKey)
    {
        ArgumentNullException.ThrowIfNull(requestKey);
        var bucket = (long)(StableHash(TaskType + "\n" + requestKey) % (ulong)TotalWeight);
        foreach (var v in Variants)
        {
            if (bucket < v.Weight)
                return v;
            bucket -= v.Weight;
        }

        return Variants[^1];
    }

    /// <summary>FNV-1a 64 over UTF-8 with a final avalanche; string.GetHashCode is randomized per process, so unusable here.</summary>
    public static ulong StableHash(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var hash = 14695981039346656037UL;
        Span<byte> buffer = stackalloc byte[256];
        var bytes = Encoding.UTF8.GetByteCount(text) <= buffer.Length ? buffer[..Encoding.UTF8.GetBytes(text, buffer)] : Encoding.UTF8.GetBytes(text);
        foreach (var b in bytes)
        {
            hash ^= b;
            hash *= 1099511628211UL;
        }

        // Mix the high bits down so a modulo by small weights is well spread.
        hash ^= hash >> 33;
        hash *= 0xff51afd7ed558ccdUL;
        hash ^= hash >> 33;
        return hash;
    }
}
