using System.Globalization;
using Trading.Pipeline.Journal;

namespace Trading.Cli.Terminal;

/// <summary>
/// Prints a run journal as a table: each stage, its verdict and its one-line reason; then the models, the LLM cost, the
/// order and how the run ended.
/// </summary>
public static class StageTable
{
    private static readonly string[] Headers = ["Stage", "Verdict", "Reason"];

    /// <param name="journal">The run's journal.</param>
    /// <param name="estimatedOnlineCostUsd">Offline runs: what the same calls would cost with models (null when online or unknown).</param>
    /// <param name="exchangeZone">Zone the run's time is shown in, next to UTC.</param>
    /// <param name="output">Where to write.</param>
    public static void Write(RunJournal journal, decimal? estimatedOnlineCostUsd, TimeZoneInfo exchangeZone, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(journal);
        ArgumentNullException.ThrowIfNull(exchangeZone);
        ArgumentNullException.ThrowIfNull(output);
        var c = CultureInfo.InvariantCulture;
        var started = new DateTimeOffset(DateTime.SpecifyKind(journal.StartedUtc, DateTimeKind.Utc));
        var local = TimeZoneInfo.ConvertTime(started, exchangeZone);
        output.WriteLine(FormattableString.Invariant($"Run {journal.InstanceId} ({journal.Kind}, {journal.Trigger}{(journal.DryRun ? ", dry run: stops before placing an order" : string.Empty)})"));
        output.WriteLine(FormattableString.Invariant($"At     {local:yyyy-MM-dd HH:mm} {exchangeZone.Id} ({started:yyyy-MM-dd HH:mm} UTC)"));
        output.WriteLine(FormattableString.Invariant(
            $"Market {(journal.MarketSimulated ? "SIMULATED" : "live data")}, broker {(journal.BrokerSimulated ? "SIMULATED" : "Alpaca")}, decisions {(string.IsNullOrEmpty(journal.DecisionMode) ? "not reached (the run ended before the council)" : journal.DecisionMode)}"));
        output.WriteLine();

        var rows = journal.Stages.Select(s => new[] { s.Stage, s.Verdict, OneLine(s.Summary) }).ToList();
        var widths = Enumerable.Range(0, Headers.Length - 1)
            .Select(i => Math.Max(Headers[i].Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length)))
            .ToArray();
        WriteRow(output, Headers, widths);
        WriteRow(output, [new string('-', widths[0]), new string('-', widths[1]), new string('-', 6)], widths);
        foreach (var row in rows)
        {
            WriteRow(output, row, widths);
        }

        output.WriteLine();
        output.WriteLine("Models: " + (journal.ModelsUsed.Count == 0 ? "none called" : string.Join(", ", journal.ModelsUsed)));
        var cost = journal.LlmCostUsd.ToString("0.0000", c);
        output.WriteLine(estimatedOnlineCostUsd is { } estimate
            ? $"LLM cost: ${cost} (offline: no model was called; with models these calls would cost about ${estimate.ToString("0.0000", c)}, ESTIMATED)"
            : $"LLM cost: ${cost}");
        if (journal.OrderId is not null)
        {
            var fill = journal.FilledCredit is { } credit
                ? FormattableString.Invariant($", {journal.FilledQuantity} filled at {credit:0.00} credit")
                : string.Empty;
            output.WriteLine($"Order: {journal.OrderId} ({journal.OrderStatus}), client order id {journal.ClientOrderId}{fill}");
        }
        else
        {
            output.WriteLine("Order: none");
        }

        output.WriteLine($"Ended: {journal.EndReason}{(string.IsNullOrWhiteSpace(journal.EndDetail) ? string.Empty : " - " + OneLine(journal.EndDetail))}");
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
