using Trading.Hosting.Scheduling;
using Trading.Pipeline.Activities;

namespace Trading.Pipeline.Tests.Activities;

public sealed class ClientOrderIdsTests
{
    [Fact]
    public void Entry_and_exit_ids_derive_from_the_run_and_attempt_and_fit_alpacas_limit()
    {
        var longestRunId = "r" + new string('9', 99);
        RunInstanceIds.Validate(longestRunId);

        var entry = ClientOrderIds.Entry(longestRunId);
        // The position is named after its entry order (PlaceOrder), and each closing attempt gets its own id.
        var firstExit = ClientOrderIds.Exit(entry, 1);
        var laterExit = ClientOrderIds.Exit(entry, 999);

        Assert.Equal("ic-" + longestRunId, entry);
        Assert.Equal(entry, ClientOrderIds.Entry(longestRunId));
        Assert.Equal("x1-" + entry, firstExit);
        Assert.NotEqual(firstExit, laterExit);
        Assert.All([entry, firstExit, laterExit], id => Assert.True(id.Length <= ClientOrderIds.MaxLength, id));
    }

    [Fact]
    public void An_id_beyond_alpacas_limit_is_refused_here_not_by_the_broker()
    {
        var error = Assert.Throws<ArgumentException>(() => ClientOrderIds.Entry(new string('r', 200)));

        Assert.Contains("128", error.Message, StringComparison.Ordinal);
    }
}
