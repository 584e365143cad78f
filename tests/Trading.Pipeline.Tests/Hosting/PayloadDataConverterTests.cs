using System.Text.Json;
using Trading.Hosting.Engine;
using Trading.Pipeline.Journal;
using Trading.Pipeline.Orchestration;
using Trading.Pipeline.State;

namespace Trading.Pipeline.Tests.Hosting;

/// <summary>The local engine's payloads are the Functions app's: System.Text.Json with the app's options, one payload per activity.</summary>
public sealed class PayloadDataConverterTests
{
    [Fact]
    public void Real_payloads_round_trip_and_read_the_same_json_the_functions_app_writes()
    {
        var request = new RunRequest { RunId = "entry-2026-11-23T15:00Z", Trigger = RunTriggers.Timer, DryRun = true, MarketTimeUtc = new DateTimeOffset(2026, 11, 23, 15, 0, 0, TimeSpan.Zero) };
        var order = new OrderPlacement { Placed = true, ClientOrderId = "ic-x", OrderId = "sim-1", Status = "Filled", FilledQuantity = 2, FilledCredit = 1.4800m, Summary = "ok" };
        var journal = new RunJournal { InstanceId = "entry-x", EndReason = RunEndReasons.Traded, LlmCostUsd = 0.0169m, Stages = [new StageRecord { Stage = "AssessRisk", Verdict = "approve", Summary = "2 contracts" }] };

        foreach (var payload in new object[] { request, order, journal })
        {
            // An activity's parameters arrive as an array; the payload on the wire is the DTO itself, as the app's serializer writes it.
            var wire = PayloadDataConverter.Instance.Serialize(new[] { payload });
            Assert.Equal(JsonSerializer.Serialize(payload, payload.GetType(), StateJson.Options), wire);
            var back = PayloadDataConverter.Instance.Deserialize(wire, payload.GetType());
            Assert.Equal(JsonSerializer.Serialize(payload, payload.GetType(), StateJson.Options), JsonSerializer.Serialize(back, payload.GetType(), StateJson.Options));
        }

        Assert.Contains("\"filledCredit\":1.4800", PayloadDataConverter.Instance.Serialize(order), StringComparison.Ordinal); // decimals stay decimals, camelCase names
        Assert.Equal(1.48m, PayloadDataConverter.Instance.Deserialize<OrderPlacement>("""{"FILLEDCREDIT":1.48}""").FilledCredit); // the app's case-insensitive reading
    }
}
