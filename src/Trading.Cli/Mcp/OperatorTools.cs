using System.ComponentModel;
using System.Text.Json;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using Trading.Hosting.Http;

namespace Trading.Cli.Mcp;

/// <summary>
/// The operator's tools: start a dry run or a run, halt and resume. Each is the HTTP API's handler (<see cref="TradingApi"/>),
/// so the same rules hold: a halt blocks runs, one manual run at a time, and a run places an order only if every stage of
/// the pipeline, the risk manager included, approves it. No tool places an order itself.
/// </summary>
[McpServerToolType]
public sealed class OperatorTools
{
    private readonly TradingApi _api;

    public OperatorTools(TradingApi api) => _api = api;

    [McpServerTool(Name = McpToolNames.StartDryRun, Title = "Start a dry run", Destructive = false, Idempotent = false, OpenWorld = false)]
    [Description("Starts one pipeline run that goes through every stage (market snapshot, strategy, trade memory, lessons, risk manager, council, final decision) but never sends the order. Returns the run id at once; follow it with get_run. Refused while trading is halted or another run is in progress.")]
    public async Task<CallToolResult> StartDryRunAsync(CancellationToken cancellationToken) =>
        Started(await _api.StartRunAsync(JsonSerializer.Serialize(new { dryRun = true }), cancellationToken), dryRun: true);

    [McpServerTool(Name = McpToolNames.StartRun, Title = "Start a run", Destructive = true, Idempotent = false, OpenWorld = true)]
    [Description("Starts one full pipeline run, the same as the schedule's: it places one multi-leg paper order only if the risk manager, the council and the final decision all approve (most runs end without a trade, with the reason journalled). Returns the run id at once; follow it with get_run. Refused while trading is halted or another run is in progress. Prefer start_dry_run to see what a run would decide.")]
    public async Task<CallToolResult> StartRunAsync(CancellationToken cancellationToken) =>
        Started(await _api.StartRunAsync(JsonSerializer.Serialize(new { dryRun = false }), cancellationToken), dryRun: false);

    [McpServerTool(Name = McpToolNames.HaltTrading, Title = "Halt trading", Destructive = true, Idempotent = true, OpenWorld = false)]
    [Description("The kill switch: stops every new entry run (scheduled or manual) until resume_trading. Open positions are still managed (profit target, stop loss, time exit). The reason is recorded and shown in the status.")]
    public async Task<CallToolResult> HaltTradingAsync(
        [Description("Why trading is halted (1-500 characters), e.g. 'FOMC at 14:00, no new condors today'.")] string reason,
        CancellationToken cancellationToken = default) =>
        ToolResults.FromApi(await _api.HaltAsync(JsonSerializer.Serialize(new { reason }), cancellationToken), _ => $"Trading HALTED: {reason.Trim()}");

    [McpServerTool(Name = McpToolNames.ResumeTrading, Title = "Resume trading", Destructive = false, Idempotent = true, OpenWorld = false)]
    [Description("Lifts the halt switch so entry runs may start again (each still subject to the risk manager). The reason is recorded.")]
    public async Task<CallToolResult> ResumeTradingAsync(
        [Description("Why trading may resume (1-500 characters).")] string reason,
        CancellationToken cancellationToken = default) =>
        ToolResults.FromApi(await _api.ResumeAsync(JsonSerializer.Serialize(new { reason }), cancellationToken), _ => $"Trading resumed: {reason.Trim()}");

    private static CallToolResult Started(ApiResponse response, bool dryRun) =>
        ToolResults.FromApi(response, body =>
        {
            var id = body.TryGetProperty("instanceId", out var i) ? i.GetString() : "?";
            return $"{(dryRun ? "Dry run" : "Run")} {id} started; read it with get_run (runId '{id}') or the resource trading://runs/{id}.";
        });
}
