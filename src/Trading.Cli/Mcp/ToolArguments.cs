using System.Text.Json;

namespace Trading.Cli.Mcp;

/// <summary>
/// Checks a call's arguments against the tool's input schema (generated from the C# parameters) before the tool runs, so a
/// wrong type, a missing argument or an unknown name is an MCP error naming the argument instead of a failed invocation.
/// Covers what our schemas use: object properties, required, and the JSON types (with "null" for optional ones).
/// </summary>
internal static class ToolArguments
{
    /// <summary>The first problem with <paramref name="arguments"/>, or null when they fit <paramref name="inputSchema"/>.</summary>
    public static string? Check(string tool, JsonElement inputSchema, IDictionary<string, JsonElement>? arguments)
    {
        arguments ??= new Dictionary<string, JsonElement>();
        var properties = inputSchema.TryGetProperty("properties", out var p) && p.ValueKind == JsonValueKind.Object ? p : default;
        var names = properties.ValueKind == JsonValueKind.Object ? properties.EnumerateObject().Select(x => x.Name).ToArray() : [];
        foreach (var (name, value) in arguments)
        {
            if (!names.Contains(name, StringComparer.Ordinal))
            {
                return names.Length == 0
                    ? $"Tool '{tool}' takes no arguments; got '{ObserverTools.Printable(name)}'."
                    : $"Unknown argument '{ObserverTools.Printable(name)}' for tool '{tool}'; its arguments: {string.Join(", ", names)}.";
            }

            if (properties.GetProperty(name) is { ValueKind: JsonValueKind.Object } schema && Mismatch(schema, value) is { } expected)
            {
                return $"Argument '{name}' of tool '{tool}' must be {expected}, not {Describe(value)}.";
            }
        }

        if (inputSchema.TryGetProperty("required", out var required) && required.ValueKind == JsonValueKind.Array)
        {
            foreach (var name in required.EnumerateArray().Select(r => r.GetString()).OfType<string>())
            {
                if (!arguments.ContainsKey(name))
                {
                    return $"Missing argument '{name}' of tool '{tool}'.";
                }
            }
        }

        return null;
    }

    /// <summary>What the schema expects when <paramref name="value"/> does not fit it; null when it fits.</summary>
    private static string? Mismatch(JsonElement schema, JsonElement value)
    {
        if (!schema.TryGetProperty("type", out var type))
        {
            return null;
        }

        var types = type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Select(t => t.GetString()).OfType<string>().ToArray()
            : type.GetString() is { } single ? [single] : [];
        if (types.Length == 0 || types.Any(t => Fits(t, schema, value)))
        {
            return null;
        }

        return string.Join(" or ", types.Select(t => t switch
        {
            "integer" => "a whole number",
            "number" => "a number",
            "boolean" => "true or false",
            "string" => "a string",
            "array" => schema.TryGetProperty("items", out var items) && items.TryGetProperty("type", out var it) && it.ValueKind == JsonValueKind.String ? $"an array of {it.GetString()}s" : "an array",
            "object" => "an object",
            "null" => "null",
            _ => t,
        }));
    }

    private static bool Fits(string type, JsonElement schema, JsonElement value) => type switch
    {
        "string" => value.ValueKind == JsonValueKind.String,
        "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out _),
        "number" => value.ValueKind == JsonValueKind.Number,
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "null" => value.ValueKind == JsonValueKind.Null,
        "object" => value.ValueKind == JsonValueKind.Object,
        "array" => value.ValueKind == JsonValueKind.Array
            && (!schema.TryGetProperty("items", out var items) || items.ValueKind != JsonValueKind.Object
                || value.EnumerateArray().All(v => Mismatch(items, v) is null)),
        _ => true,
    };

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "the number " + ObserverTools.Printable(value.GetRawText()),
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Array => "an array with an element of the wrong type",
        JsonValueKind.Object => "an object",
        JsonValueKind.Null => "null",
        _ => value.ValueKind.ToString(),
    };
}
