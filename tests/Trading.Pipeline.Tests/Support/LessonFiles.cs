namespace Trading.Pipeline.Tests.Support;

/// <summary>A throw-away lessons corpus in a temp directory.</summary>
public sealed class LessonFiles : IDisposable
{
    public LessonFiles(bool withBlockingLesson)
    {
        Directory = Path.Combine(Path.GetTempPath(), "pipeline-lessons-" + Guid.NewGuid().ToString("N")[..10]);
        System.IO.Directory.CreateDirectory(Directory);
        Write("L-900-wide-spreads.md", "L-900", "Skip condors whose legs have wide spreads", "HIGH", "resolved");
        if (withBlockingLesson)
        {
            Write("L-901-condor-blocker.md", "L-901", "Iron condor credit sign inverted on SPY orders", "CRITICAL", "open");
        }
    }

    public string Directory { get; }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp directory is harmless.
        }
    }

    private void Write(string file, string id, string title, string severity, string status) =>
        File.WriteAllText(Path.Combine(Directory, file), $"""
            ---
            id: {id}
            title: {title}
            date: 2026-02-01
            severity: {severity}
            status: {status}
            tags: [iron-condor, spy]
            strategy: iron_condor
            ticker: SPY
            ---

            # {title}

            ## What happened
            An iron condor on SPY was affected by this problem during a calm regime entry.

            ## Root cause
            The order path did not check the condition.

            ## Fix
            Check the condition before placing the order.

            ## Prevention
            Keep a test that fails when the condition is not checked.
            """);
}
