using System.Text.Json;
using System.Text.Json.Nodes;
using Trading.Core.ModelCalls;
using Trading.Pipeline.Council;
using Trading.Pipeline.Orchestration;

namespace Trading.Pipeline.Activities.Entry;

/// <summary>AnalyzeMarket: a MEDIUM "technical_analysis" call, or the offline rules. Advisory only.</summary>
public sealed class AnalyzeMarketActivity : PipelineActivity<SnapshotInput, MarketAnalysis>
{
    private readonly IModelGateway _gateway;

    public AnalyzeMarketActivity(IModelGateway gateway)
        : base(ActivityNames.AnalyzeMarket)
    {
        _gateway = gateway ?? throw new ArgumentNullException(nameof(gateway));
    }

    public override async Task<MarketAnalysis> RunAsync(SnapshotInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var offline = OfflineRules.Analyze(input.Snapshot);
        if (!_gateway.IsOnline)
        {
            return offline;
        }

        var call = new ModelCall("technical_analysis", input.Run.RunId, ModelPrompts.AnalysisSystem, ModelPrompts.SnapshotFacts(input.Snapshot),
            ModelPrompts.AnalysisSchemaName, ModelPrompts.AnalysisSchema, input.Run.RunId + ":technical_analysis", 400);
        var answer = await _gateway.CompleteJsonAsync<JsonObject>(call, cancellationToken);
        var usage = ModelAnswers.UsageOf("technical_analysis", answer);
        var outlook = answer.Value?["outlook"] is JsonValue o && o.GetValueKind() == JsonValueKind.String ? o.GetValue<string>() : null;
        var summary = answer.Value?["summary"] is JsonValue s && s.GetValueKind() == JsonValueKind.String ? s.GetValue<string>() : null;
        if (!answer.Succeeded || outlook is not ("neutral" or "bullish" or "bearish") || summary is null)
        {
            // Advisory only: an unusable analysis falls back to the rules' read, labelled as such.
            return offline with { Usage = [usage], Summary = $"model analysis unusable ({answer.FailureReason ?? "bad shape"}); {offline.Summary}" };
        }

        var model = answer.ServedModel ?? answer.RequestedModel;
        return new MarketAnalysis
        {
            Outlook = outlook,
            DecidedBy = model,
            Summary = $"{model}: {outlook}; {Truncate(summary, 300)}",
            Usage = [usage],
        };
    }

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length] + "…";
}
