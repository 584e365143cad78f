using System.Text.RegularExpressions;

namespace Trading.Infra.Tests.Bicep;

/// <summary>The text reader the infra tests rely on: strings, comments, braces and entries.</summary>
public sealed class BicepTextTests
{
    [Fact]
    public void Comment_markers_inside_strings_are_kept_and_real_comments_are_blanked()
    {
        const string source = "param url string = 'https://example.test/v1' // trailing\n/* block\n X: 'y' */var a = 'it\\'s // not a comment'\n";

        var stripped = BicepText.StripComments(source);

        Assert.Contains("'https://example.test/v1'", stripped, StringComparison.Ordinal);
        Assert.Contains("'it\\'s // not a comment'", stripped, StringComparison.Ordinal);
        Assert.DoesNotContain("trailing", stripped, StringComparison.Ordinal);
        Assert.DoesNotContain("X: 'y'", stripped, StringComparison.Ordinal);
        Assert.Equal(source.Length, stripped.Length);
        Assert.Equal(source.Count(c => c == '\n'), stripped.Count(c => c == '\n'));
    }

    [Fact]
    public void Interpolations_may_hold_strings_and_braces()
    {
        const string body = "\n  A: '${take('x}y', 1)}-${{ k: 'v' }.k}'\n  'B.c': { nested: 1\n other: [ 1, 2 ] }\n  C: union(x, { d: 'e' })\n";

        var entries = BicepText.ObjectEntries(body);

        Assert.Equal(["A", "B.c", "C"], entries.Select(e => e.Key));
        Assert.Equal("'${take('x}y', 1)}-${{ k: 'v' }.k}'", entries[0].Value);
        Assert.StartsWith("{ nested: 1", entries[1].Value, StringComparison.Ordinal);
    }

    [Fact]
    public void Multi_line_strings_are_skipped_whole()
    {
        const string source = "var s = '''\nnot: { a comment // here\n'''\nvar t = 1 // gone\n";

        var stripped = BicepText.StripComments(source);

        Assert.Contains("not: { a comment // here", stripped, StringComparison.Ordinal);
        Assert.DoesNotContain("gone", stripped, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_object_entries_and_unbalanced_braces_fail_loudly()
    {
        Assert.Throws<FormatException>(() => BicepText.ObjectEntries("\n  A: 1\n  ...spread\n"));
        Assert.Throws<FormatException>(() => BicepText.SkipBalanced("{ a: { b: 1 }", 0));
    }

    [Fact]
    public void Objects_after_a_pattern_are_found_only_when_a_brace_follows()
    {
        const string text = "var xSettings = {\n  A: 'a'\n}\nvar ySettings = union(a, b)\nvar zSettings =\n{\n  B: 'b'\n}\n";

        var found = BicepText.ObjectsAfter(text, new Regex(@"var (\w+Settings) = ?"));

        Assert.Equal(["xSettings", "zSettings"], found.Select(f => f.Match.Groups[1].Value));
    }

    [Fact]
    public void Parameters_carry_their_decorators_and_defaults()
    {
        const string text = "@description('A (with parens) and \\'quotes\\'')\n@secure()\nparam key string = ''\n\n@allowed([\n  'paper'\n  'live'\n])\nparam mode string = 'paper'\nparam count int\n";

        var parameters = BicepText.Parameters(text);

        Assert.Equal(["key", "mode", "count"], parameters.Select(p => p.Name));
        Assert.True(parameters[0].IsSecure);
        Assert.Equal("''", parameters[0].Default);
        Assert.False(parameters[1].IsSecure);
        Assert.Contains("'live'", parameters[1].Decorators, StringComparison.Ordinal);
        Assert.Null(parameters[2].Default);
        Assert.Equal("", parameters[2].Decorators);
    }

    [Theory]
    [InlineData("'paper'", "paper")]
    [InlineData("''", "")]
    [InlineData("'a${b}'", null)]
    [InlineData("string(x)", null)]
    public void String_literals_are_recognised_only_when_plain(string expression, string? expected) =>
        Assert.Equal(expected, BicepText.StringLiteral(expression));
}
