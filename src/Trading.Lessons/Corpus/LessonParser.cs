using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Trading.Lessons.Corpus;

/// <summary>
/// Parses one lesson file: YAML-like front matter between <c>---</c> lines (one <c>key: value</c> per line), an optional
/// <c># Title</c> line, then the four <c>## </c> sections. Anything else is a <see cref="LessonFormatException"/>.
/// </summary>
public static partial class LessonParser
{
    private static readonly string[] RequiredFields = ["id", "title", "date", "severity", "status", "tags"];
    private static readonly HashSet<string> KnownFields =
        new(["id", "title", "date", "severity", "status", "tags", "strategy", "ticker"], StringComparer.Ordinal);

    /// <summary>Parses the text of a lesson file; <paramref name="filePath"/> is used in error messages.</summary>
    public static Lesson Parse(string text, string filePath)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(filePath);
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');

        var first = 0;
        while (first < lines.Length && string.IsNullOrWhiteSpace(lines[first]))
            first++;
        if (first >= lines.Length || lines[first].Trim() != "---")
            throw new LessonFormatException(filePath, "missing front matter (the file must start with a '---' line)");

        var close = Array.FindIndex(lines, first + 1, l => l.Trim() == "---");
        if (close < 0)
            throw new LessonFormatException(filePath, "front matter is not closed by a '---' line");

        var fields = ParseFrontMatter(lines.AsSpan(first + 1, close - first - 1), filePath);
        foreach (var required in RequiredFields)
        {
            if (!fields.TryGetValue(required, out var value) || (required != "tags" && value.Length == 0))
                throw new LessonFormatException(filePath, $"missing required field '{required}'");
        }

        var id = fields["id"];
        if (!IdPattern().IsMatch(id))
            throw new LessonFormatException(filePath, $"id '{id}' must be letters, digits, '-' or '_' (at most 64)");

        if (!DateOnly.TryParseExact(fields["date"], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            throw new LessonFormatException(filePath, $"date '{fields["date"]}' is not a yyyy-MM-dd date");

        var severity = fields["severity"].ToUpperInvariant() switch
        {
            "CRITICAL" => LessonSeverity.Critical,
            "HIGH" => LessonSeverity.High,
            "MEDIUM" => LessonSeverity.Medium,
            "LOW" => LessonSeverity.Low,
            _ => throw new LessonFormatException(
                filePath, $"bad severity '{fields["severity"]}' (expected CRITICAL, HIGH, MEDIUM or LOW)"),
        };

        var status = fields["status"].ToUpperInvariant() switch
        {
            "OPEN" => LessonStatus.Open,
            "RESOLVED" => LessonStatus.Resolved,
            _ => throw new LessonFormatException(filePath, $"bad status '{fields["status"]}' (expected open or resolved)"),
        };

        var sections = ParseSections(lines.AsSpan(close + 1), id, filePath);

        return new Lesson
        {
            Id = id,
            Title = fields["title"],
            Date = date,
            Severity = severity,
            Status = status,
            Tags = ParseList(fields["tags"]),
            Strategy = fields.GetValueOrDefault("strategy", ""),
            Ticker = fields.GetValueOrDefault("ticker", ""),
            SourcePath = filePath,
            Sections = sections,
        };
    }

    private static Dictionary<string, string> ParseFrontMatter(ReadOnlySpan<string> lines, string filePath)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
                continue;
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
                throw new LessonFormatException(filePath, $"front matter line '{line}' is not 'key: value'");
            var key = line[..colon].Trim().ToLowerInvariant();
            if (!KnownFields.Contains(key))
                throw new LessonFormatException(
                    filePath, $"unknown front matter field '{key}' (known: {string.Join(", ", KnownFields)})");
            if (!fields.TryAdd(key, Unquote(line[(colon + 1)..].Trim())))
                throw new LessonFormatException(filePath, $"front matter field '{key}' appears twice");
        }

        return fields;
    }

    private static List<LessonSection> ParseSections(ReadOnlySpan<string> lines, string lessonId, string filePath)
    {
        var bodies = new Dictionary<LessonSectionKind, StringBuilder>();
        StringBuilder? current = null;
        var sawTitle = false;
        foreach (var raw in lines)
        {
            var line = raw.TrimEnd();
            if (line.StartsWith("## ", StringComparison.Ordinal))
            {
                var heading = line[3..];
                if (!LessonSections.TryParse(heading, out var kind))
                    throw new LessonFormatException(
                        filePath, $"unknown section '{heading.Trim()}' (expected What happened, Root cause, Fix, Prevention)");
                if (bodies.ContainsKey(kind))
                    throw new LessonFormatException(filePath, $"section '{LessonSections.HeadingOf(kind)}' appears twice");
                current = new StringBuilder();
                bodies[kind] = current;
            }
            else if (current is not null)
            {
                current.AppendLine(line);
            }
            else if (line.StartsWith("# ", StringComparison.Ordinal) && !sawTitle)
            {
                sawTitle = true;
            }
            else if (line.Trim().Length > 0)
            {
                throw new LessonFormatException(filePath, $"text outside any section: '{Truncate(line.Trim())}'");
            }
        }

        var sections = new List<LessonSection>(4);
        foreach (var kind in Enum.GetValues<LessonSectionKind>())
        {
            if (!bodies.TryGetValue(kind, out var body))
                throw new LessonFormatException(filePath, $"missing section '## {LessonSections.HeadingOf(kind)}'");
            var text = body.ToString().Trim();
            if (text.Length == 0)
                throw new LessonFormatException(filePath, $"section '{LessonSections.HeadingOf(kind)}' is empty");
            sections.Add(new LessonSection(lessonId, kind, text));
        }

        return sections;
    }

    private static string[] ParseList(string value)
    {
        var inner = value.Trim();
        if (inner.StartsWith('[') && inner.EndsWith(']'))
            inner = inner[1..^1];
        return inner.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(Unquote)
            .Where(t => t.Length > 0)
            .ToArray();
    }

    private static string Unquote(string value) =>
        value.Length >= 2 && ((value[0] == '"' && value[^1] == '"') || (value[0] == '\'' && value[^1] == '\''))
            ? value[1..^1]
            : value;

    private static string Truncate(string text) => text.Length <= 60 ? text : text[..60] + "...";

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex IdPattern();
}
