using Trading.Cli.Serve;

namespace Trading.Cli.Tests.Serve;

public sealed class AdminKeyTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "adminkey-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public void A_generated_key_is_stored_once_and_reused_without_being_generated_again()
    {
        var first = AdminKey.Resolve(new ServeOptions(), _root);
        var second = AdminKey.Resolve(new ServeOptions(), _root);

        Assert.True(first.WasGenerated);
        Assert.False(second.WasGenerated);
        Assert.Equal(first.Value, second.Value);
        Assert.True(first.Value.Length >= 40);
        var file = Path.Combine(_root, ".trading", "serve-admin-key");
        // Exactly the key and a newline, no byte-order mark: KEY=$(cat .trading/serve-admin-key) works in a header.
        Assert.Equal(System.Text.Encoding.ASCII.GetBytes(first.Value + "\n"), File.ReadAllBytes(file));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }
    }

    [Fact]
    public void A_configured_key_wins_and_nothing_is_written()
    {
        var key = AdminKey.Resolve(new ServeOptions { AdminKey = "configured-key-0123456789" }, _root);
        Assert.False(key.WasGenerated);
        Assert.Equal("Serve:AdminKey", key.Source);
        Assert.False(Directory.Exists(Path.Combine(_root, ".trading")));
    }

    [Fact]
    public void Matches_accepts_only_the_exact_key_and_ToString_never_shows_it()
    {
        var key = AdminKey.FromValue("secret-value-0123456789");
        Assert.True(key.Matches("secret-value-0123456789"));
        Assert.False(key.Matches("secret-value-012345678"));
        Assert.False(key.Matches("SECRET-VALUE-0123456789"));
        Assert.False(key.Matches(string.Empty));
        Assert.False(key.Matches(null));
        Assert.DoesNotContain("secret", key.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Validation_names_each_bad_setting()
    {
        var errors = new ServeOptions { AdminKey = "short", AdminKeyFile = " ", Urls = "ftp://x;not a url" }.Validate();
        Assert.Equal(4, errors.Count);
        Assert.Contains(errors, e => e.StartsWith("Serve:AdminKey", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Serve:AdminKeyFile", StringComparison.Ordinal));
        Assert.Equal(2, errors.Count(e => e.StartsWith("Serve:Urls", StringComparison.Ordinal)));
    }
}
