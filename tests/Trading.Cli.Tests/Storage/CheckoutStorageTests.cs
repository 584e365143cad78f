using Trading.Cli.Storage;

namespace Trading.Cli.Tests.Storage;

/// <summary>Each checkout's local state is its own: a port chosen once per checkout and remembered there.</summary>
public sealed class CheckoutStorageTests : IDisposable
{
    private readonly string _first = Directory.CreateTempSubdirectory("checkout-a").FullName;
    private readonly string _second = Directory.CreateTempSubdirectory("checkout-b").FullName;

    [Fact]
    public void Two_checkouts_get_different_ports_and_each_keeps_its_own()
    {
        var a = LocalStorage.CheckoutStorage(_first);
        var b = LocalStorage.CheckoutStorage(_second);

        Assert.NotEqual(Port(a), Port(b));
        Assert.Equal(a, LocalStorage.CheckoutStorage(_first)); // remembered: the next command of this checkout finds the same storage
        Assert.Equal(Port(a).ToString(System.Globalization.CultureInfo.InvariantCulture), File.ReadAllText(Path.Combine(_first, ".trading", LocalStorage.PortFileName)).Trim());
        Assert.DoesNotContain(":10002", a, StringComparison.Ordinal);
    }

    [Fact]
    public void A_damaged_port_file_is_a_clear_error_naming_the_file()
    {
        Directory.CreateDirectory(Path.Combine(_first, ".trading"));
        File.WriteAllText(Path.Combine(_first, ".trading", LocalStorage.PortFileName), "ten thousand");

        var error = Assert.Throws<Trading.Cli.Configuration.CliUsageException>(() => LocalStorage.CheckoutStorage(_first));

        Assert.Contains("azurite-port", error.Message, StringComparison.Ordinal);
        Assert.Contains("'ten thousand'", error.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        Directory.Delete(_first, recursive: true);
        Directory.Delete(_second, recursive: true);
    }

    private static int Port(string connectionString) =>
        new Uri(connectionString.Split(';').Single(p => p.StartsWith("TableEndpoint=", StringComparison.Ordinal))["TableEndpoint=".Length..]).Port;
}
