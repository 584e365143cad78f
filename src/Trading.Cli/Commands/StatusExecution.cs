using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Trading.Hosting.Http;

namespace Trading.Cli.Commands;

/// <summary>Runs <c>trading status</c>: the body of GET /api/status (same handler), formatted for a terminal.</summary>
internal static class StatusExecution
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static async Task<int> ExecuteAsync(CliContext context, bool json, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        await using var command = await CommandServices.CreateAsync(context, error, cancellationToken);
        var response = await command.Services.GetRequiredService<TradingApi>().GetStatusAsync(cancellationToken);
        using var document = JsonDocument.Parse(response.Json);
        if (json)
        {
            await output.WriteLineAsync(JsonSerializer.Serialize(document.RootElement, Indented));
        }
        else
        {
            StatusText.Write(document.RootElement, output);
        }

        // A value that could not be read is shown as unavailable, never as a number; the exit code says the status is incomplete.
        var missing = StatusText.UnavailableSections(document.RootElement);
        if (missing.Count > 0)
        {
            await error.WriteLineAsync($"error: the status is incomplete: {string.Join(", ", missing)} could not be read (see above).");
            return TradingCommandLine.Failure;
        }

        return TradingCommandLine.Success;
    }
}

/// <summary>The status document as text. Each section may be <c>{"unavailable": "..."}</c>; that is printed as is.</summary>
internal static class StatusText
{
    /// <summary>The top-level sections that say they could not be read.</summary>
    public static IReadOnlyList<string> UnavailableSections(JsonElement status) =>
        status.ValueKind != JsonValueKind.Object
            ? []
            : status.EnumerateObject()
                .Where(p => p.Value.ValueKind == JsonValueKind.Object && p.Value.TryGetProperty("unavailable", out _))
                .Select(p => p.Name)
                .ToArray();

    public static void Write(JsonElement status, TextWriter output)
    {
        var c = CultureInfo.InvariantCulture;
        output.WriteLine($"Trading status at {Time(status, "asOfUtc")}");
        if (status.TryGetProperty("mode", out var mode))
        {
            output.WriteLine(
                $"Mode:      market {(Bool(mode, "marketSimulated") ? "SIMULATED" : "live")}, broker {(Bool(mode, "brokerSimulated") ? "SIMULATED" : "Alpaca")}, decisions {Text(mode, "decisions")}");
        }

        if (Section(status, "halted", output, "Halted") is { } halt)
        {
            output.WriteLine(Bool(halt, "halted")
                ? $"Halted:    YES since {Time(halt, "changedUtc")}: {Text(halt, "reason")}"
                : "Halted:    no");
        }

        if (Section(status, "account", output, "Account") is { } account)
        {
            output.WriteLine(
                $"Account:   equity {Money(account, "equity")} (today {Money(account, "dayChange")}), cash {Money(account, "cash")}, options buying power {Money(account, "optionsBuyingPower")}");
        }

        if (Section(status, "openPositions", output, "Positions") is { } positions)
        {
            if (positions.ValueKind != JsonValueKind.Array || positions.GetArrayLength() == 0)
            {
                output.WriteLine("Positions: none open");
            }
            else
            {
                output.WriteLine("Positions:");
                foreach (var p in positions.EnumerateArray())
                {
                    output.WriteLine(
                        $"  {Text(p, "positionId")}  {Text(p, "state")}  {Text(p, "variant")}  exp {Text(p, "expiration")}  x{Text(p, "contracts")}  credit {Text(p, "entryCredit")}  P&L {Money(p, "unrealizedPnlDollars")}");
                }
            }
        }

        if (Section(status, "alerts", output, "Alerts") is { ValueKind: JsonValueKind.Array } alerts && alerts.GetArrayLength() > 0)
        {
            output.WriteLine("ALERTS:");
            foreach (var a in alerts.EnumerateArray())
            {
                output.WriteLine($"  {Text(a, "positionId")}  {Text(a, "state")}: {Text(a, "alert")}");
            }
        }

        if (Section(status, "llm", output, "LLM spend") is { } llm)
        {
            var today = llm.GetProperty("today");
            var month = llm.GetProperty("month");
            output.WriteLine(
                $"LLM spend: today {Usd(today, "spentUsd")} of {Usd(today, "limitUsd")} ({Text(today, "window")}), month {Usd(month, "spentUsd")} of {Usd(month, "limitUsd")} ({Text(month, "window")}); {Text(llm, "callsToday")} call(s) today");
            if (llm.TryGetProperty("callsByModel", out var byModel) && byModel.ValueKind == JsonValueKind.Array)
            {
                foreach (var m in byModel.EnumerateArray())
                {
                    output.WriteLine($"  {Text(m, "model")}: {Text(m, "calls")} call(s), {Text(m, "failures")} failed, {Usd(m, "costUsd")}");
                }
            }
        }

        if (Section(status, "activeRuns", output, "Running") is { ValueKind: JsonValueKind.Array } active)
        {
            output.WriteLine(active.GetArrayLength() > 0 ? "Running:" : "Running:   none");
            foreach (var r in active.EnumerateArray())
            {
                output.WriteLine($"  {Text(r, "instanceId"),-44} {Text(r, "kind"),-6} {Text(r, "status"),-8} {Progress(r)}");
            }
        }

        if (Section(status, "lastRuns", output, "Last runs") is { } runs)
        {
            output.WriteLine(runs.ValueKind == JsonValueKind.Array && runs.GetArrayLength() > 0 ? "Last runs:" : "Last runs: none yet");
            if (runs.ValueKind == JsonValueKind.Array)
            {
                foreach (var r in runs.EnumerateArray())
                {
                    var order = Text(r, "orderId");
                    output.WriteLine(
                        $"  {Time(r, "recordedUtc"),-20} {Text(r, "instanceId"),-44} {Text(r, "kind"),-6} {Text(r, "trigger"),-8} {Text(r, "endReason"),-20} {Usd(r, "llmCostUsd")}{(order == "-" ? string.Empty : "  order " + order)}{MarketTime(r)}");
                }
            }
        }

        if (status.TryGetProperty("nextRuns", out var next))
        {
            foreach (var kind in new[] { "entry", "manage" })
            {
                if (next.TryGetProperty(kind, out var slots) && slots.ValueKind == JsonValueKind.Array)
                {
                    output.WriteLine($"Next {kind}: " + string.Join(", ", slots.EnumerateArray().Select(s => Time(s, "slotUtc"))));
                }
            }
        }

        string Money(JsonElement e, string name) =>
            e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number
                ? (v.GetDecimal() < 0 ? "-$" : "$") + Math.Abs(v.GetDecimal()).ToString("#,0.00", c)
                : "-";
        string Usd(JsonElement e, string name) =>
            e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? "$" + v.GetDecimal().ToString("0.0000", c) : "-";
    }

    private static JsonElement? Section(JsonElement status, string name, TextWriter output, string label)
    {
        if (!status.TryGetProperty(name, out var section) || section.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (section.ValueKind == JsonValueKind.Object && section.TryGetProperty("unavailable", out var why))
        {
            output.WriteLine($"{label}: unavailable ({why.GetString()})");
            return null;
        }

        return section;
    }

    /// <summary>An ISO timestamp as "yyyy-MM-dd HH:mm:ss UTC" (no ticks, no offset noise); "-" when absent.</summary>
    private static string Time(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
            && DateTimeOffset.TryParse(v.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
            ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC"
            : "-";

    /// <summary>" (market time …)" when a run ran on a clock other than the wall clock (a local simulated run is days ahead).</summary>
    private static string MarketTime(JsonElement run)
    {
        if (!run.TryGetProperty("recordedUtc", out var recorded) || !run.TryGetProperty("startedUtc", out var started)
            || !DateTimeOffset.TryParse(recorded.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var r)
            || !DateTimeOffset.TryParse(started.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var m))
        {
            return string.Empty;
        }

        return Math.Abs((r - m).TotalMinutes) > 30 ? $"  (market time {Time(run, "startedUtc")})" : string.Empty;
    }

    /// <summary>"at ConveneCouncil (2 of 3 votes), 6 stage(s) done" from a run's progress; "not started" before its first step.</summary>
    private static string Progress(JsonElement run)
    {
        if (!run.TryGetProperty("progress", out var p) || p.ValueKind != JsonValueKind.Object)
        {
            return "not started";
        }

        var done = p.TryGetProperty("stagesDone", out var stages) && stages.ValueKind == JsonValueKind.Array ? stages.GetArrayLength() : 0;
        var stage = Text(p, "currentStage");
        var seats = p.TryGetProperty("councilSeats", out var s) && s.ValueKind == JsonValueKind.Number ? s.GetInt32() : 0;
        var votes = seats > 0 && stage == Trading.Pipeline.Orchestration.ActivityNames.ConveneCouncil ? $" ({Text(p, "councilVotesCast")} of {seats} votes)" : string.Empty;
        return (stage == "-" ? "between stages" : "at " + stage + votes) + $", {done} stage(s) done";
    }

    private static bool Bool(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;

    private static string Text(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v)
            ? v.ValueKind switch
            {
                JsonValueKind.String => v.GetString() ?? "-",
                JsonValueKind.Null => "-",
                _ => v.GetRawText(),
            }
            : "-";
}
