using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Trading.TestKit.OpenAi;

/// <summary>
/// Replies of models that approve the pipeline's trade, for <see cref="OpenAiLoopbackServer.DefaultReply"/>: a valid market
/// analysis, approving council votes, and a final decision at the proposal's mid credit − $0.05. Embeddings get the server's
/// deterministic vectors.
/// </summary>
public static class ApprovingModels
{
    /// <summary>The JSON schema name of the pipeline's council votes.</summary>
    public const string VoteSchema = "council_vote";

    /// <summary>The approving reply to <paramref name="request"/>.</summary>
    public static ScriptedReply Reply(LoopbackRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Path.Contains("embeddings", StringComparison.Ordinal))
        {
            return ScriptedReply.Json("{}");
        }

        return SchemaName(request) switch
        {
            "market_analysis" => ScriptedReply.Json("""{"outlook":"neutral","summary":"range-bound, realized vol steady"}"""),
            "final_decision" => ScriptedReply.Json(string.Create(CultureInfo.InvariantCulture,
                $$"""{"execute":true,"limitPrice":{{decimal.Round(MidCredit(request) - 0.05m, 2)}},"reason":"council approved, credit acceptable"}""")),
            _ => ScriptedReply.Json("""{"approve":true,"confidence":0.8,"reasons":["credit fits the width"],"risks":["gap risk"]}"""),
        };
    }

    /// <summary>The JSON schema name the request asked for (response_format.json_schema.name), or "".</summary>
    public static string SchemaName(LoopbackRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = JsonNode.Parse(request.Body);
        return body?["response_format"]?["json_schema"]?["name"]?.GetValue<string>() ?? string.Empty;
    }

    /// <summary>The proposal's mid credit from the facts the pipeline sent in the user message.</summary>
    public static decimal MidCredit(LoopbackRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = JsonNode.Parse(request.Body)!;
        foreach (var message in body["messages"]!.AsArray())
        {
            if (message?["role"]?.GetValue<string>() == "user")
            {
                var content = message["content"]!;
                var text = content.GetValueKind() == JsonValueKind.String ? content.GetValue<string>() : content[0]!["text"]!.GetValue<string>();
                return JsonNode.Parse(text)!["proposal"]!["midCredit"]!.GetValue<decimal>();
            }
        }

        throw new InvalidOperationException("No user message.");
    }
}
