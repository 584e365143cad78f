namespace Trading.Lessons.Corpus;

/// <summary>Loads every <c>*.md</c> lesson of a directory (README.md excepted), checking ids are unique.</summary>
public static class LessonCorpus
{
    /// <summary>Reads and parses the corpus; a malformed file or a duplicate id throws <see cref="LessonFormatException"/>.</summary>
    public static async Task<IReadOnlyList<Lesson>> LoadAsync(string directory, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(directory))
            throw new DirectoryNotFoundException($"Lesson corpus directory '{directory}' does not exist (setting Lessons:CorpusPath).");

        var lessons = new List<Lesson>();
        var owners = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var files = Directory.GetFiles(directory, "*.md", SearchOption.TopDirectoryOnly)
            .Where(f => !string.Equals(Path.GetFileName(f), "README.md", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var text = await File.ReadAllTextAsync(file, cancellationToken);
            var lesson = LessonParser.Parse(text, file);
            if (!owners.TryAdd(lesson.Id, file))
                throw new LessonFormatException(file, $"duplicate id '{lesson.Id}' (also used by '{owners[lesson.Id]}')");
            lessons.Add(lesson);
        }

        return lessons;
    }
}
