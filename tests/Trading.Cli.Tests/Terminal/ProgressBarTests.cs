using Trading.Cli.Terminal;

namespace Trading.Cli.Tests.Terminal;

public sealed class ProgressBarTests
{
    [Fact]
    public void A_bar_on_redirected_output_writes_nothing()
    {
        using var output = new StringWriter();
        var bar = new ProgressBar(output, interactive: false);
        bar.Report(5, 10, "2025-01-08");
        bar.Complete();
        Assert.False(bar.IsVisible);
        Assert.Equal(string.Empty, output.ToString());
        Assert.False(ProgressBar.IsInteractive(output));
    }

    [Fact]
    public void An_interactive_bar_redraws_in_place_and_clears_its_line()
    {
        using var output = new StringWriter();
        var bar = new ProgressBar(output, interactive: true);
        bar.Report(15, 30, "2025-02-01");
        var drawn = output.ToString();
        Assert.StartsWith("\r[", drawn, StringComparison.Ordinal);
        Assert.Contains(new string('#', 15) + new string('.', 15), drawn, StringComparison.Ordinal);
        Assert.Contains("15/30 2025-02-01", drawn, StringComparison.Ordinal);
        bar.Complete();
        Assert.EndsWith("\r", output.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain('\n', output.ToString());
    }
}
