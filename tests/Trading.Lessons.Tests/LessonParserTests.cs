using Trading.Lessons.Corpus;

namespace Trading.Lessons.Tests;

public sealed class LessonParserTests
{
    [Fact]
    public void Parses_front_matter_and_the_four_sections()
    {
        var lesson = LessonParser.Parse(TestCorpus.LessonText(severity: "critical", status: "Open"), "t.md");

        Assert.Equal("T-001", lesson.Id);
        Assert.Equal("A test lesson", lesson.Title);
        Assert.Equal(new DateOnly(2026, 1, 2), lesson.Date);
        Assert.Equal(LessonSeverity.Critical, lesson.Severity);
        Assert.Equal(LessonStatus.Open, lesson.Status);
        Assert.Equal(["test", "fixture"], lesson.Tags);
        Assert.Equal("iron_condor", lesson.Strategy);
        Assert.Equal("SPY", lesson.Ticker);
        Assert.True(lesson.IsBlocking);
        Assert.Equal(
            [LessonSectionKind.WhatHappened, LessonSectionKind.RootCause, LessonSectionKind.Fix, LessonSectionKind.Prevention],
            lesson.Sections.Select(s => s.Kind));
        Assert.Equal("It was fixed.", lesson.Sections[2].Text);
    }

    [Fact]
    public void Missing_front_matter_names_the_file_and_the_problem()
    {
        var ex = Assert.Throws<LessonFormatException>(() => LessonParser.Parse("# Title\n\n## What happened\nx\n", "no-front.md"));
        Assert.Equal("no-front.md", ex.FilePath);
        Assert.Contains("no-front.md", ex.Message, StringComparison.Ordinal);
        Assert.Contains("missing front matter", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_severity_is_named()
    {
        var ex = Assert.Throws<LessonFormatException>(() => LessonParser.Parse(TestCorpus.LessonText(severity: "SEVERE"), "sev.md"));
        Assert.Contains("sev.md", ex.Message, StringComparison.Ordinal);
        Assert.Contains("bad severity 'SEVERE'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_status_is_named()
    {
        var ex = Assert.Throws<LessonFormatException>(() => LessonParser.Parse(TestCorpus.LessonText(status: "closed"), "st.md"));
        Assert.Contains("bad status 'closed'", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("id")]
    [InlineData("title")]
    [InlineData("date")]
    [InlineData("severity")]
    [InlineData("status")]
    [InlineData("tags")]
    public void Missing_required_field_is_named(string field)
    {
        var text = string.Join('\n', TestCorpus.LessonText().Split('\n').Where(l => !l.StartsWith(field + ":", StringComparison.Ordinal)));
        var ex = Assert.Throws<LessonFormatException>(() => LessonParser.Parse(text, "field.md"));
        Assert.Contains($"missing required field '{field}'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("field.md", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_section_is_named()
    {
        var text = TestCorpus.LessonText(extraBody: "\n## Lessons learned\nmore\n");
        var ex = Assert.Throws<LessonFormatException>(() => LessonParser.Parse(text, "sec.md"));
        Assert.Contains("unknown section 'Lessons learned'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_section_is_named()
    {
        var text = TestCorpus.LessonText().Replace("## Root cause\nThe cause was understood.\n", "", StringComparison.Ordinal);
        var ex = Assert.Throws<LessonFormatException>(() => LessonParser.Parse(text, "miss.md"));
        Assert.Contains("missing section '## Root cause'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_front_matter_field_is_named()
    {
        var text = TestCorpus.LessonText().Replace("status: resolved", "status: resolved\nseverty: HIGH", StringComparison.Ordinal);
        var ex = Assert.Throws<LessonFormatException>(() => LessonParser.Parse(text, "typo.md"));
        Assert.Contains("unknown front matter field 'severty'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_date_and_unclosed_front_matter_are_named()
    {
        var badDate = TestCorpus.LessonText().Replace("2026-01-02", "02/01/2026", StringComparison.Ordinal);
        Assert.Contains("is not a yyyy-MM-dd date",
            Assert.Throws<LessonFormatException>(() => LessonParser.Parse(badDate, "d.md")).Message, StringComparison.Ordinal);

        Assert.Contains("not closed",
            Assert.Throws<LessonFormatException>(() => LessonParser.Parse("---\nid: x\n", "u.md")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Corpus_with_a_malformed_file_fails_naming_that_file()
    {
        var dir = TestCorpus.TempDirectory();
        try
        {
            await File.WriteAllTextAsync(Path.Combine(dir, "good.md"), TestCorpus.LessonText(id: "G-1"));
            await File.WriteAllTextAsync(Path.Combine(dir, "broken.md"), TestCorpus.LessonText(id: "B-1", severity: "URGENT"));

            var ex = await Assert.ThrowsAsync<LessonFormatException>(() => LessonCorpus.LoadAsync(dir, CancellationToken.None));
            Assert.EndsWith("broken.md", ex.FilePath, StringComparison.Ordinal);
            Assert.Contains("URGENT", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Duplicate_ids_are_rejected_naming_both_files()
    {
        var dir = TestCorpus.TempDirectory();
        try
        {
            await File.WriteAllTextAsync(Path.Combine(dir, "a.md"), TestCorpus.LessonText(id: "DUP-1"));
            await File.WriteAllTextAsync(Path.Combine(dir, "b.md"), TestCorpus.LessonText(id: "DUP-1"));

            var ex = await Assert.ThrowsAsync<LessonFormatException>(() => LessonCorpus.LoadAsync(dir, CancellationToken.None));
            Assert.Contains("duplicate id 'DUP-1'", ex.Message, StringComparison.Ordinal);
            Assert.Contains("a.md", ex.Message, StringComparison.Ordinal);
            Assert.Contains("b.md", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
