namespace Trading.Gateway;

/// <summary>
/// Ids for calls and budget reservations: 128 random bits as 32 hex digits (the shape of <c>Guid.ToString("N")</c>).
/// They only need to be unique, not unguessable, so they come from <see cref="Random.Shared"/> (seeded from the OS once per
/// thread) instead of a system call per id as <see cref="Guid.NewGuid"/> makes on Linux.
/// </summary>
internal static class UniqueIds
{
    public static string Next()
    {
        Span<byte> bits = stackalloc byte[16];
        Random.Shared.NextBytes(bits);
        return Convert.ToHexStringLower(bits);
    }
}
