using System.CommandLine;

namespace Trading.Cli.Commands;

/// <summary><c>trading backtest</c>: the pipeline over simulated trading days, state in memory, with a report and chart.</summary>
public static class BacktestCommand
{
    public static Command Create(CliContext context)
    {
        var from = new Option<DateOnly>("--from") { Description = "First day (yyyy-MM-dd).", Required = true, CustomParser = TradingCommandLine.ParseDate };
        var to = new Option<DateOnly>("--to") { Description = "Last day (yyyy-MM-dd), inclusive.", Required = true, CustomParser = TradingCommandLine.ParseDate };
        var seed = new Option<int>("--seed") { Description = "Seed of the simulated market (same seed, same result).", DefaultValueFactory = _ => 42 };
        var variants = new Option<string[]>("--variants")
        {
            Description = "Strategy variants the sampler chooses among (comma-separated or repeated). Default: the configured ones.",
            AllowMultipleArgumentsPerToken = true,
        };
        var fills = new Option<string>("--fills")
        {
            Description = "Fill model of the simulated broker: realistic (seeded chance between mid and natural, partial fills) or pessimistic (only at or beyond the natural, at the limit).",
            DefaultValueFactory = _ => Trading.Markets.Simulation.FillModels.Realistic,
        };
        fills.AcceptOnlyFromAmong(Trading.Markets.Simulation.FillModels.Realistic, Trading.Markets.Simulation.FillModels.Pessimistic);
        var json = new Option<bool>("--json") { Description = "Print a machine-readable summary instead of the report." };
        var chart = new Option<FileInfo?>("--chart") { Description = "Write the equity curve and daily LLM spend against the budget to this SVG file." };
        var command = new Command("backtest", "Run the pipeline over simulated trading days at the schedule's cadence, with position management.")
        {
            from, to, seed, variants, fills, json, chart,
        };
        command.Validators.Add(result =>
        {
            DateOnly first, last;
            try
            {
                first = result.GetValue(from);
                last = result.GetValue(to);
            }
            catch (InvalidOperationException)
            {
                // A malformed date already carries its own error; there is nothing to compare.
                return;
            }

            if (first != default && last != default && last < first)
            {
                result.AddError($"--to ({last:yyyy-MM-dd}) is before --from ({first:yyyy-MM-dd}).");
            }
            else if (first != default && last != default && last.DayNumber - first.DayNumber > 366 * 5)
            {
                result.AddError("The range is longer than five years; split it into several backtests.");
            }

            if (result.GetValue(chart) is { } file && !string.Equals(file.Extension, ".svg", StringComparison.OrdinalIgnoreCase))
            {
                result.AddError($"--chart writes an SVG image; name the file .svg, not '{file.Name}'.");
            }
        });
        command.SetAction((parse, ct) => BacktestExecution.ExecuteAsync(
            context,
            new BacktestArguments(
                parse.GetValue(from),
                parse.GetValue(to),
                parse.GetValue(seed),
                (parse.GetValue(variants) ?? []).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Distinct(StringComparer.Ordinal).ToArray(),
                parse.GetValue(json),
                parse.GetValue(chart)?.FullName,
                parse.GetValue(fills) ?? Trading.Markets.Simulation.FillModels.Realistic),
            parse.InvocationConfiguration.Output,
            ct));
        return command;
    }
}

/// <summary>The options of <c>trading backtest</c>.</summary>
public sealed record BacktestArguments(
    DateOnly From, DateOnly To, int Seed, IReadOnlyList<string> Variants, bool Json, string? ChartPath, string Fills = Trading.Markets.Simulation.FillModels.Realistic);
