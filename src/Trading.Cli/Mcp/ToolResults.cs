using System.Text.Encodings.Web;
using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using Trading.Hosting.Http;

namespace Trading.Cli.Mcp;

/// <summary>
/// How tools answer: structured content (camelCase JSON, decimals as numbers) plus a one-line text summary for the model; a
/// refusal by the trading rules (halted, a run in progress, no such run) is a tool error the model can read; bad arguments
/// are an MCP protocol error (invalid params).
/// </summary>
internal static class ToolResults
{
    /// <summary>The JSON the tools write: web defaults, characters such as ' and + as themselves.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static CallToolResult Ok(string summary, object structured) => new()
    {
        Content = [new TextContentBlock { Text = summary }],
        StructuredContent = JsonSerializer.SerializeToElement(structured, Json),
    };

    public static CallToolResult Refused(string message, object? structured = null) => new()
    {
        IsError = true,
        Content = [new TextContentBlock { Text = message }],
        StructuredContent = JsonSerializer.SerializeToElement(structured ?? new { error = message }, Json),
    };

    /// <summary>An MCP error (invalid params) with a message naming the argument and what it must be.</summary>
    public static McpProtocolException BadArgument(string message) => new(message, McpErrorCode.InvalidParams);

    /// <summary>
    /// An answer of the HTTP API as a tool result: 2xx → success with <paramref name="summary"/>, 400 → invalid params,
    /// anything else (409 halted or busy, 404 no such run) → a tool error carrying the API's message.
    /// </summary>
    public static CallToolResult FromApi(ApiResponse response, Func<JsonElement, string> summary)
    {
        ArgumentNullException.ThrowIfNull(response);
        using var document = JsonDocument.Parse(response.Json);
        var body = document.RootElement.Clone();
        var error = body.ValueKind == JsonValueKind.Object && body.TryGetProperty("error", out var e) ? e.GetString() : null;
        if (response.StatusCode == 400)
        {
            throw BadArgument(error ?? "Invalid arguments.");
        }

        if (response.StatusCode is < 200 or > 299)
        {
            return new CallToolResult
            {
                IsError = true,
                Content = [new TextContentBlock { Text = error ?? $"Refused ({response.StatusCode})." }],
                StructuredContent = body,
            };
        }

        return new CallToolResult { Content = [new TextContentBlock { Text = summary(body) }], StructuredContent = body };
    }
}
