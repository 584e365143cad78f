namespace Trading.Lessons.Corpus;

/// <summary>A lesson file that does not follow the corpus format; the message names the file and the problem.</summary>
public sealed class LessonFormatException : Exception
{
    public LessonFormatException()
    {
    }

    public LessonFormatException(string message)
        : base(message)
    {
    }

    public LessonFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public LessonFormatException(string filePath, string problem)
        : base($"Lesson file '{filePath}': {problem}")
    {
        FilePath = filePath;
        Problem = problem;
    }

    /// <summary>The offending file.</summary>
    public string FilePath { get; } = "";

    /// <summary>What is wrong with it.</summary>
    public string Problem { get; } = "";
}
