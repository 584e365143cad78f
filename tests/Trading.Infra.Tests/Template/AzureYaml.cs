namespace Trading.Infra.Tests.Template;

/// <summary>
/// Reads azure.yaml, which this repository keeps to plain block mappings (<c>key: value</c>, two-space indentation,
/// comments). Anything beyond that subset (lists, flow style, anchors, block scalars, tabs) is refused with a message,
/// so the test never silently misreads the file; keep azure.yaml simple or give the test a real YAML parser.
/// </summary>
internal static class AzureYaml
{
    /// <summary>The mapping: each value is a string or a nested mapping.</summary>
    public static Dictionary<string, object> Read(string path)
    {
        var root = new Dictionary<string, object>(StringComparer.Ordinal);
        var stack = new List<(int Indent, Dictionary<string, object> Map)> { (-1, root) };
        var lineNumber = 0;
        foreach (var raw in File.ReadAllLines(path))
        {
            lineNumber++;
            var line = raw.TrimEnd();
            if (line.TrimStart().Length == 0 || line.TrimStart().StartsWith('#'))
            {
                continue;
            }

            var where = $"{path}:{lineNumber}";
            if (line.Contains('\t', StringComparison.Ordinal))
            {
                throw new InvalidDataException($"{where}: tab in indentation");
            }

            var indent = line.Length - line.TrimStart().Length;
            var content = line.Trim();
            var colon = content.IndexOf(':', StringComparison.Ordinal);
            if (indent % 2 != 0 || colon <= 0 || content.StartsWith('-') || "{[&*|>!".Contains(content[0], StringComparison.Ordinal))
            {
                throw new InvalidDataException($"{where}: outside the block-mapping subset this test reads: '{content}'");
            }

            var key = content[..colon].Trim();
            var value = StripComment(content[(colon + 1)..]).Trim();
            if (value.Length > 0 && "{[&*|>".Contains(value[0], StringComparison.Ordinal))
            {
                throw new InvalidDataException($"{where}: outside the block-mapping subset this test reads: '{content}'");
            }

            while (stack[^1].Indent >= indent)
            {
                stack.RemoveAt(stack.Count - 1);
            }

            var parent = stack[^1].Map;
            if (parent.ContainsKey(key))
            {
                throw new InvalidDataException($"{where}: '{key}' appears twice");
            }

            if (value.Length == 0)
            {
                var child = new Dictionary<string, object>(StringComparer.Ordinal);
                parent[key] = child;
                stack.Add((indent, child));
            }
            else
            {
                parent[key] = Unquote(value);
            }
        }

        return root;
    }

    private static string StripComment(string value)
    {
        var at = value.IndexOf(" #", StringComparison.Ordinal);
        return at >= 0 && !value.TrimStart().StartsWith('\'') && !value.TrimStart().StartsWith('"') ? value[..at] : value;
    }

    private static string Unquote(string value) =>
        value.Length >= 2 && (value[0] == '"' || value[0] == '\'') && value[^1] == value[0] ? value[1..^1] : value;
}
