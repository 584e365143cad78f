using System.Globalization;

namespace Trading.Pipeline.Activities;

/// <summary>Client order ids: derived from the run (entry) or the position and attempt (exit), at most 128 characters.</summary>
public static class ClientOrderIds
{
    public static string Entry(string runId) => "ic-" + runId;

    public static string Exit(string positionId, int attempt) => string.Create(CultureInfo.InvariantCulture, $"x{attempt}-{positionId}");
}
