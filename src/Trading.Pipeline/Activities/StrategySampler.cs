using System.Security.Cryptography;
using System.Text;

namespace Trading.Pipeline.Activities;

/// <summary>The sampler's seed: derived from the run id, so a replayed or resumed run draws the same numbers.</summary>
public static class StrategySampler
{
    /// <summary>A stable 31-bit seed from the run id (SHA-256, not string.GetHashCode, which varies per process).</summary>
    public static int SeedOf(string runId)
    {
        ArgumentNullException.ThrowIfNull(runId);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(runId));
        return BitConverter.ToInt32(hash, 0) & int.MaxValue;
    }
}
