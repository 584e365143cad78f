namespace Trading.Cli.Tests.Support;

/// <summary>The built <c>trading</c> program (the CLI project's own output, with its runtimeconfig), built with the tests.</summary>
public static class TradingProgram
{
    public static string Dll()
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name; // …/bin/<Configuration>/net10.0/
        var root = Trading.Cli.Configuration.CliSettings.FindContentRoot(AppContext.BaseDirectory);
        var dll = Path.Combine(root, "src", "Trading.Cli", "bin", configuration, "net10.0", "trading.dll");
        Assert.True(File.Exists(dll), "not built: " + dll);
        return dll;
    }
}
