using System.Globalization;
using System.Text.Json;

namespace Trading.Cli.Tests.Support;

/// <summary>
/// A moment at which a run on the simulated market (seed 42, variant d15-w5, offline council) gets through every stage
/// to the order. Found once by dry runs over January 2025 weekdays rather than hard-coded, so calibration changes in the
/// market, condor or risk code move the moment instead of breaking the tests.
/// </summary>
public sealed class TradingMoment : IAsyncLifetime
{
    public string At { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        for (var day = new DateOnly(2025, 1, 6); day <= new DateOnly(2025, 2, 28); day = day.AddDays(1))
        {
            if (day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
            {
                continue;
            }

            var at = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "T10:00";
            var result = await new CliRunner().InvokeAsync(["run", "--at", at, "--dry-run", "--json"]);
            if (result.ExitCode == 0)
            {
                using var journal = JsonDocument.Parse(result.Output);
                if (journal.RootElement.GetProperty("endReason").GetString() == "dry-run")
                {
                    At = at;
                    return;
                }
            }
        }

        throw new InvalidOperationException("No weekday in January-February 2025 gets a simulated run through to the order; the pipeline never trades.");
    }

    public Task DisposeAsync() => Task.CompletedTask;
}
