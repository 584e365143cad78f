using System.Diagnostics;
using System.Text.Json;
using Trading.TestKit.Storage;

namespace Trading.Cli.Tests.Commands;

/// <summary>The built <c>trading</c> program as a real process: what a user runs.</summary>
public sealed class ProcessTests
{
    private static string TradingDll() => Support.TradingProgram.Dll();

    private static async Task<(int Exit, string Output, string Error)> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(TradingDll());
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await output, await error);
    }

    private static Dictionary<string, string> Environment()
    {
        var prefix = TestStorage.UniqueTableName("proc");
        return new()
        {
            ["Storage__ConnectionString"] = TestStorage.ConnectionString,
            ["PipelineTables__TablePrefix"] = prefix,
            ["TASKHUB_NAME"] = "hub" + prefix, // a task hub of its own: other tests' runs are not its business
            ["Pipeline__Variants"] = "d15-w5",
        };
    }

    [Fact]
    public async Task The_built_program_runs_the_pipeline_and_exits_zero()
    {
        var (exit, output, error) = await RunAsync(Environment(), "run", "--at", "2025-01-06T10:00", "--json");

        Assert.True(exit == 0, $"exit {exit}\n{output}\n{error}");
        using var journal = JsonDocument.Parse(output);
        Assert.Equal("manual", journal.RootElement.GetProperty("trigger").GetString());
        Assert.Equal("MarketSnapshot", journal.RootElement.GetProperty("stages")[0].GetProperty("stage").GetString());
        Assert.False(string.IsNullOrEmpty(journal.RootElement.GetProperty("endReason").GetString()));
        Assert.Contains("SIMULATED", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_built_program_exits_nonzero_with_a_message_for_bad_settings()
    {
        var environment = Environment();
        environment["Exit__TakeProfitPct"] = "150";
        var (exit, output, error) = await RunAsync(environment, "run");

        Assert.Equal(TradingCommandLine.UsageError, exit);
        Assert.Equal(string.Empty, output);
        Assert.Contains("Exit:TakeProfitPct", error, StringComparison.Ordinal);
    }
}
