using System.Globalization;
using Trading.Cli.Running;

namespace Trading.Cli.Terminal;

/// <summary>Prints a run as a table: each stage, its verdict, the models it used and its one-line reason; then cost and order.</summary>
public static class StageTable
{
    private static readonly string[] Headers = ["Stage", "Verdict", "Models", "LLM $", "Reason"];

    public static void Write(RunView run, TimeZoneInfo exchangeZone, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(exchangeZone);
        ArgumentNullException.ThrowIfNull(output);
        var c = CultureInfo.InvariantCulture;
        var local = TimeZoneInfo.ConvertTime(run.At, exchangeZone);
        output.WriteLine(FormattableString.Invariant($"Run {run.RunId}{(run.Resumed ? " (resumed)" : string.Empty)}{(run.DryRun ? " (dry run: stops before placing an order)" : string.Empty)}"));
        output.WriteLine(FormattableString.Invariant($"At  {local:yyyy-MM-dd HH:mm} {exchangeZone.Id} ({run.At.UtcDateTime:yyyy-MM-dd HH:mm} UTC), trigger {run.Trigger}"));
        output.WriteLine(FormattableString.Invariant($"Market {run.MarketLabel}; council {run.CouncilLabel}"));
        output.WriteLine();

        var rows = run.Stages
            .Select(s => new[]
            {
                s.Stage,
                s.Verdict,
                s.Models.Count == 0 ? "-" : string.Join(", ", s.Models),
                s.LlmCostUsd == 0m ? "-" : s.LlmCostUsd.ToString("0.0000", c),
                OneLine(s.Reason),
            })
            .ToList();
        var widths = Enumerable.Range(0, Headers.Length - 1)
            .Select(i => Math.Max(Headers[i].Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length)))
            .ToArray();
        WriteRow(output, Headers, widths);
        WriteRow(output, widths.Select(w => new string('-', w)).Append(new string('-', 6)).ToArray(), widths);
        foreach (var row in rows)
        {
            WriteRow(output, row, widths);
        }

        output.WriteLine();
        output.WriteLine(FormattableString.Invariant($"LLM cost: ${run.LlmCostUsd:0.0000}{(run.LlmCostEstimated ? " (estimated: offline, no model was called)" : string.Empty)}"));
        if (run.Order is { } order)
        {
            var fill = order.FilledPrice is { } f ? $", filled at {Math.Abs(f).ToString("0.00", c)} {(f < 0 ? "credit" : "debit")}" : string.Empty;
            output.WriteLine(FormattableString.Invariant($"Order: {order.OrderId} {order.Status}, {order.Quantity} x iron condor, limit {Math.Abs(order.LimitPrice).ToString("0.00", c)} {(order.LimitPrice < 0 ? "credit" : "debit")}{fill}"));
            foreach (var leg in order.Legs)
            {
                output.WriteLine(FormattableString.Invariant($"  {leg}"));
            }
        }
        else
        {
            output.WriteLine("Order: none");
        }

        output.WriteLine(FormattableString.Invariant($"Outcome: {run.Outcome}{(string.IsNullOrWhiteSpace(run.EndReason) ? string.Empty : " - " + OneLine(run.EndReason))}"));
    }

    private static void WriteRow(TextWriter output, string[] cells, int[] widths)
    {
        for (var i = 0; i < cells.Length - 1; i++)
        {
            output.Write(cells[i].PadRight(widths[i]));
            output.Write("  ");
        }

        output.WriteLine(cells[^1]);
    }

    private static string OneLine(string text) =>
        string.Join(' ', (text ?? string.Empty).Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
