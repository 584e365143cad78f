using System.Globalization;

namespace Trading.Pipeline.Activities;

/// <summary>
/// Client order ids (Alpaca <c>client_order_id</c>): derived from the run (entry) or the position and attempt (exit), so a
/// retried activity finds its order by id instead of placing a second one.
/// </summary>
public static class ClientOrderIds
{
    /// <summary>Alpaca's limit on a client order id.</summary>
    public const int MaxLength = 128;

    /// <summary>"ic-{runId}": the one entry order a run may place.</summary>
    public static string Entry(string runId) => Bounded("ic-" + runId);

    /// <summary>"x{attempt}-{positionId}": a position's closing order, a new id per attempt after a cancelled one.</summary>
    public static string Exit(string positionId, int attempt) =>
        Bounded(string.Create(CultureInfo.InvariantCulture, $"x{attempt}-{positionId}"));

    // The hosts' run ids are about 40 characters; a longer one is a bug to name here, not an order for the broker to refuse.
    private static string Bounded(string id) =>
        id.Length <= MaxLength ? id : throw new ArgumentException($"The client order id '{id[..40]}…' is longer than Alpaca's {MaxLength} characters.");
}
