using Trading.Cli.Backtest;
using Trading.Cli.Terminal;

namespace Trading.Cli.Commands;

/// <summary>Runs <c>trading backtest</c>: the engine, the progress bar, the report, the chart.</summary>
internal static class BacktestExecution
{
    public static async Task<int> ExecuteAsync(CliContext context, BacktestArguments arguments, TextWriter output, CancellationToken cancellationToken)
    {
        var configuration = context.BuildConfiguration();
        var bar = new ProgressBar(output, context.Interactive ?? ProgressBar.IsInteractive(output));
        var report = await new BacktestEngine(configuration).RunAsync(
            arguments,
            (done, total, date) => bar.Report(done, total, date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)),
            cancellationToken);
        bar.Complete();

        if (arguments.ChartPath is { } chart)
        {
            await BacktestChart.WriteFileAsync(report, chart, cancellationToken);
        }

        if (arguments.Json)
        {
            await output.WriteLineAsync(BacktestReportWriter.ToJson(report));
        }
        else
        {
            BacktestReportWriter.WriteText(report, output);
            if (arguments.ChartPath is { } written)
            {
                await output.WriteLineAsync($"Chart: {written}");
            }
        }

        return TradingCommandLine.Success;
    }
}
