using Trading.Cli.Mcp;
using Trading.Cli.Serve;

namespace Trading.Cli.Tests.Serve;

public sealed class McpProfileKeysTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "mcpkeys-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public void Each_profile_gets_its_own_generated_key_stored_once_owner_only()
    {
        var first = McpProfileKeys.Resolve(new McpOptions(), _root);
        var second = McpProfileKeys.Resolve(new McpOptions(), _root);

        Assert.Equal(McpProfiles.All.Select(p => p.Name), first.Keys.Select(k => k.Profile.Name));
        Assert.All(first.Keys, k => Assert.True(k.Key.WasGenerated));
        Assert.All(second.Keys, k => Assert.False(k.Key.WasGenerated));
        Assert.Equal(first.Keys.Select(k => k.Key.Value), second.Keys.Select(k => k.Key.Value));
        Assert.Equal(3, first.Keys.Select(k => k.Key.Value).Distinct(StringComparer.Ordinal).Count());
        foreach (var (profile, key) in first.Keys)
        {
            var file = Path.Combine(_root, ".trading", "mcp-keys", profile.Name);
            Assert.Equal(key.Value + "\n", File.ReadAllText(file));
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            }

            Assert.Same(profile, first.ProfileOf(key.Value));
            Assert.DoesNotContain(key.Value, key.ToString(), StringComparison.Ordinal);
        }

        Assert.Null(first.ProfileOf(null));
        Assert.Null(first.ProfileOf("not-a-key-of-any-profile"));
    }

    [Fact]
    public void A_configured_key_wins_and_bad_key_settings_are_named()
    {
        var options = new McpOptions { Keys = new(StringComparer.OrdinalIgnoreCase) { ["operator"] = "configured-operator-key-0123" } };
        var keys = McpProfileKeys.Resolve(options, _root);

        Assert.Same(McpProfiles.Operator, keys.ProfileOf("configured-operator-key-0123"));
        Assert.Equal("Mcp:Keys:operator", keys.Keys.Single(k => k.Profile == McpProfiles.Operator).Key.Source);

        var bad = new McpOptions
        {
            Keys = new(StringComparer.OrdinalIgnoreCase) { ["admin"] = "whatever-key-0123456789", ["observer"] = "short", ["researcher"] = "same-key-0123456789", ["operator"] = "same-key-0123456789" },
            BacktestTimeoutSeconds = 0,
        }.Validate();
        Assert.Contains(bad, e => e.Contains("Mcp:Keys:admin is not a profile", StringComparison.Ordinal));
        Assert.Contains(bad, e => e.Contains("Mcp:Keys:observer must be at least 16", StringComparison.Ordinal));
        Assert.Contains(bad, e => e.Contains("must differ", StringComparison.Ordinal));
        Assert.Contains(bad, e => e.Contains("Mcp:BacktestTimeoutSeconds", StringComparison.Ordinal));
        Assert.All(bad, e => Assert.DoesNotContain("0123456789", e, StringComparison.Ordinal));
    }
}
