using System.Text.Json;
using DurableTask.Core;
using Microsoft.Extensions.Logging;
using Trading.Pipeline.Journal;
using Trading.Pipeline.Orchestration;
using Trading.Pipeline.State;

namespace Trading.Hosting.Engine;

/// <summary>
/// The entry or position-management orchestration as a DurableTask.Core <see cref="TaskOrchestration"/>: a thin shell that
/// runs the shared orchestration code through <see cref="TaskHubOrchestrationContext"/>. Its custom status is the run's
/// <see cref="RunProgress"/> as JSON, as the Functions app publishes it.
/// </summary>
public sealed class PipelineTaskOrchestration : TaskOrchestration
{
    private readonly string _name;
    private readonly ILogger _logger;
    private readonly double _retryIntervalScale;
    private TaskHubOrchestrationContext? _adapter;

    public PipelineTaskOrchestration(string name, ILogger logger, double retryIntervalScale)
    {
        _name = name;
        _logger = logger;
        _retryIntervalScale = retryIntervalScale;
    }

    public override async Task<string> Execute(OrchestrationContext context, string input)
    {
        var request = PayloadDataConverter.Instance.Deserialize<RunRequest>(input) ?? new RunRequest();
        _adapter = new TaskHubOrchestrationContext(context, request, _logger, _retryIntervalScale);
        RunJournal journal = _name == ActivityNames.ManagePositionsOrchestration
            ? await ManagePositionsOrchestration.RunAsync(_adapter, request)
            : await EntryOrchestration.RunAsync(_adapter, request);
        return PayloadDataConverter.Instance.Serialize(journal);
    }

    public override string GetStatus() =>
        _adapter?.Progress is { } progress ? JsonSerializer.Serialize(progress, StateJson.Options) : null!;

    public override void RaiseEvent(OrchestrationContext context, string name, string input)
    {
        // The pipeline's orchestrations wait for no external events.
    }

    /// <summary>Creates a fresh orchestration object per execution (the framework may run several instances at once).</summary>
    internal sealed class Creator : ObjectCreator<TaskOrchestration>
    {
        private readonly ILogger _logger;
        private readonly double _retryIntervalScale;

        public Creator(string name, ILogger logger, double retryIntervalScale)
        {
            Name = name;
            Version = string.Empty;
            _logger = logger;
            _retryIntervalScale = retryIntervalScale;
        }

        public override TaskOrchestration Create() => new PipelineTaskOrchestration(Name, _logger, _retryIntervalScale);
    }
}
