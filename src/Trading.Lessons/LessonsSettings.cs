namespace Trading.Lessons;

/// <summary>Settings of the lessons knowledge base, bound from configuration section <c>Lessons</c>.</summary>
public sealed class LessonsSettings
{
    public const string SectionName = "Lessons";

    /// <summary>Directory of the markdown lessons; a relative path is looked up from the working directory, then from
    /// the application's directory and its ancestors.</summary>
    public string CorpusPath { get; set; } = "knowledge/lessons";

    /// <summary>How many lessons a retrieval returns by default.</summary>
    public int TopK { get; set; } = 3;

    /// <summary>Sections sent to the embedder per request when indexing.</summary>
    public int EmbeddingBatchSize { get; set; } = 64;

    /// <summary>After embedding the corpus failed, minutes before the next attempt (retrieval is lexical meanwhile).</summary>
    public int EmbeddingRetryMinutes { get; set; } = 10;

    /// <summary>A closed trade that lost at least this percent of its maximum risk gets a draft lesson (2 means 2%).</summary>
    public decimal DraftLossThresholdPct { get; set; } = 25m;

    /// <summary>Table caching section embeddings, keyed by model and content hash.</summary>
    public string EmbeddingCacheTableName { get; set; } = "lessonembeddings";

    /// <summary>Table of draft lessons awaiting a human.</summary>
    public string DraftTableName { get; set; } = "lessondrafts";

    /// <summary>Link to a run's journal written into draft lessons; <c>{runId}</c> is replaced by the run id.</summary>
    public string JournalLinkTemplate { get; set; } = "/api/runs/{runId}";

    /// <summary>Longest section snippet returned with a hit, in characters.</summary>
    public int SnippetMaxChars { get; set; } = 280;

    /// <summary>Every broken setting with the rule it broke; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(CorpusPath))
            errors.Add($"{SectionName}:{nameof(CorpusPath)} must not be empty.");
        if (TopK is < 1 or > 50)
            errors.Add($"{SectionName}:{nameof(TopK)} must be between 1 and 50 (was {TopK}).");
        if (EmbeddingBatchSize is < 1 or > 2048)
            errors.Add($"{SectionName}:{nameof(EmbeddingBatchSize)} must be between 1 and 2048 (was {EmbeddingBatchSize}).");
        if (EmbeddingRetryMinutes is < 1 or > 1440)
            errors.Add($"{SectionName}:{nameof(EmbeddingRetryMinutes)} must be between 1 and 1440 (was {EmbeddingRetryMinutes}).");
        if (DraftLossThresholdPct is <= 0 or > 100)
            errors.Add($"{SectionName}:{nameof(DraftLossThresholdPct)} must be above 0 and at most 100 (was {DraftLossThresholdPct}).");
        if (!IsTableName(EmbeddingCacheTableName))
            errors.Add($"{SectionName}:{nameof(EmbeddingCacheTableName)} must be 3-63 letters or digits starting with a letter (was '{EmbeddingCacheTableName}').");
        if (!IsTableName(DraftTableName))
            errors.Add($"{SectionName}:{nameof(DraftTableName)} must be 3-63 letters or digits starting with a letter (was '{DraftTableName}').");
        if (string.IsNullOrWhiteSpace(JournalLinkTemplate) || !JournalLinkTemplate.Contains("{runId}", StringComparison.Ordinal))
            errors.Add($"{SectionName}:{nameof(JournalLinkTemplate)} must contain '{{runId}}' (was '{JournalLinkTemplate}').");
        if (SnippetMaxChars is < 40 or > 4000)
            errors.Add($"{SectionName}:{nameof(SnippetMaxChars)} must be between 40 and 4000 (was {SnippetMaxChars}).");
        return errors;
    }

    /// <summary>Throws one <see cref="InvalidOperationException"/> listing every broken setting.</summary>
    public void ValidateOrThrow()
    {
        var errors = Validate();
        if (errors.Count > 0)
            throw new InvalidOperationException("Invalid lessons settings: " + string.Join(" ", errors));
    }

    /// <summary>The corpus directory as an absolute path (see <see cref="CorpusPath"/> for the lookup order).</summary>
    public string ResolveCorpusDirectory()
    {
        if (Path.IsPathRooted(CorpusPath) || Directory.Exists(CorpusPath))
            return Path.GetFullPath(CorpusPath);
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, CorpusPath);
            if (Directory.Exists(candidate))
                return candidate;
        }

        return Path.GetFullPath(CorpusPath);
    }

    private static bool IsTableName(string name) =>
        name is { Length: >= 3 and <= 63 } && char.IsAsciiLetter(name[0]) && name.All(char.IsAsciiLetterOrDigit);
}
