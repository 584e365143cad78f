using System.Globalization;

namespace Trading.Cli.Terminal;

/// <summary>
/// A one-line progress bar redrawn in place with a carriage return. Only drawn on an interactive terminal: when output
/// is redirected (a file, a pipe, a test) it writes nothing, so captured output stays clean.
/// </summary>
public sealed class ProgressBar
{
    private const int BarWidth = 30;
    private readonly TextWriter? _output;
    private int _lastFilled = -1;
    private string _lastLabel = string.Empty;

    /// <summary>A bar on <paramref name="output"/> when <paramref name="interactive"/>, otherwise a bar that draws nothing.</summary>
    public ProgressBar(TextWriter output, bool interactive)
    {
        _output = interactive ? output : null;
    }

    /// <summary>True when the bar draws.</summary>
    public bool IsVisible => _output is not null;

    /// <summary>True when <paramref name="output"/> is the process's standard output and that is a terminal.</summary>
    public static bool IsInteractive(TextWriter output) =>
        ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;

    /// <summary>Redraws the bar at <paramref name="done"/> of <paramref name="total"/>.</summary>
    public void Report(int done, int total, string label)
    {
        if (_output is null || total <= 0)
        {
            return;
        }

        var filled = (int)Math.Round(BarWidth * Math.Clamp(done / (double)total, 0d, 1d));
        if (filled == _lastFilled && label == _lastLabel)
        {
            return;
        }

        _lastFilled = filled;
        _lastLabel = label;
        _output.Write(string.Create(
            CultureInfo.InvariantCulture,
            $"\r[{new string('#', filled)}{new string('.', BarWidth - filled)}] {done,4}/{total} {label}   "));
        _output.Flush();
    }

    /// <summary>Clears the bar's line so the report that follows starts clean.</summary>
    public void Complete()
    {
        if (_output is null)
        {
            return;
        }

        _output.Write('\r');
        _output.Write(new string(' ', BarWidth + 40));
        _output.Write('\r');
        _output.Flush();
    }
}
