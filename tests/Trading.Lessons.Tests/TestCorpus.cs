using Trading.Lessons.Corpus;

namespace Trading.Lessons.Tests;

/// <summary>Locates the committed corpus, evaluation set and test fixtures from the test's output directory.</summary>
internal static class TestCorpus
{
    public static string RepositoryRoot { get; } = FindRoot();

    public static string LessonsDirectory => Path.Combine(RepositoryRoot, "knowledge", "lessons");

    public static string EvalQueriesPath => Path.Combine(RepositoryRoot, "knowledge", "eval", "queries.json");

    public static string FixturesDirectory =>
        Path.Combine(RepositoryRoot, "tests", "Trading.Lessons.Tests", "Fixtures");

    public static Task<IReadOnlyList<Lesson>> LoadAsync() => LessonCorpus.LoadAsync(LessonsDirectory, CancellationToken.None);

    public static string TempDirectory()
    {
        var dir = Path.Combine(Path.GetTempPath(), "lessons-test-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(dir);
        return dir;
    }

    public static string LessonText(
        string id = "T-001",
        string severity = "HIGH",
        string status = "resolved",
        string strategy = "iron_condor",
        string ticker = "SPY",
        string title = "A test lesson",
        string extraBody = "") =>
        $"""
        ---
        id: {id}
        title: {title}
        date: 2026-01-02
        severity: {severity}
        status: {status}
        tags: [test, fixture]
        strategy: {strategy}
        ticker: {ticker}
        ---

        # {title}

        ## What happened
        Something went wrong with the {strategy} on {ticker}.

        ## Root cause
        The cause was understood.

        ## Fix
        It was fixed.

        ## Prevention
        A test now guards it.
        {extraBody}
        """;

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            // The corpus is also copied into bin/; the repository root is the folder with the solution.
            if (File.Exists(Path.Combine(dir.FullName, "TradingFunctions.sln")))
                return dir.FullName;
        }

        throw new InvalidOperationException("Could not find TradingFunctions.sln above " + AppContext.BaseDirectory);
    }
}
