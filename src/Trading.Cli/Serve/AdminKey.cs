using System.Security.Cryptography;
using System.Text;

namespace Trading.Cli.Serve;

/// <summary>
/// The key <c>trading serve</c> requires, like a Functions host key. Compared in constant time; its value never appears in
/// <see cref="ToString"/>, logs or responses (it is printed once, at the start that generated it).
/// </summary>
public sealed class AdminKey
{
    private readonly byte[] _hash;

    private AdminKey(string value, string source, bool generated)
    {
        Value = value;
        Source = source;
        WasGenerated = generated;
        _hash = SHA256.HashData(Encoding.UTF8.GetBytes(value));
    }

    /// <summary>The key itself; only for the first-start notice and for clients of our own (tests).</summary>
    public string Value { get; }

    /// <summary>Where it came from: the setting's name or the file's path.</summary>
    public string Source { get; }

    /// <summary>True when this start generated and stored it (the only time it is printed).</summary>
    public bool WasGenerated { get; }

    /// <summary>The configured key, else the stored one, else a new random key stored with owner-only permissions.</summary>
    public static AdminKey Resolve(ServeOptions options, string contentRoot)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Resolve(options.AdminKey, $"{ServeOptions.SectionName}:AdminKey", options.AdminKeyFile, contentRoot);
    }

    /// <summary>
    /// <paramref name="configured"/> when set (its source is <paramref name="settingName"/>), else the key stored in
    /// <paramref name="keyFile"/> (relative to <paramref name="contentRoot"/> unless absolute), else a new random key stored
    /// there with owner-only permissions.
    /// </summary>
    public static AdminKey Resolve(string? configured, string settingName, string keyFile, string contentRoot)
    {
        if (!string.IsNullOrEmpty(configured))
        {
            return new AdminKey(configured, settingName, generated: false);
        }

        var path = Path.IsPathRooted(keyFile) ? keyFile : Path.Combine(contentRoot, keyFile);
        if (File.Exists(path))
        {
            var stored = File.ReadAllText(path).Trim();
            if (stored.Length >= 16)
            {
                return new AdminKey(stored, path, generated: false);
            }
        }

        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var file = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            // Owner-only from the moment it exists, not after.
            file.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var writer = new StreamWriter(path, new System.Text.UTF8Encoding(false), file))
        {
            writer.Write(key + "\n");
        }

        return new AdminKey(key, path, generated: true);
    }

    /// <summary>A key from a known value (tests and embedding).</summary>
    public static AdminKey FromValue(string value) => new(value, "explicit", generated: false);

    /// <summary>Constant-time check of a presented key (hashes first, so the length does not leak either).</summary>
    public bool Matches(string? presented) =>
        presented is { Length: > 0 }
        && CryptographicOperations.FixedTimeEquals(_hash, SHA256.HashData(Encoding.UTF8.GetBytes(presented)));

    public override string ToString() => $"admin key from {Source}";
}
