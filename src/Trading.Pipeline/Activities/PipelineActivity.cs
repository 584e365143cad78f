using System.Text.Json;
using Trading.Pipeline.State;

namespace Trading.Pipeline.Activities;

/// <summary>
/// One stage's work as the orchestrations call it, by <see cref="Name"/>. All I/O (market, broker, gateway, tables) happens in
/// activities, never in an orchestration. Hosts reach them through <see cref="ActivityCatalog"/>, which traces each call.
/// </summary>
public abstract class PipelineActivity
{
    protected PipelineActivity(string name) => Name = name;

    /// <summary>The name the orchestrations call it by (<see cref="Orchestration.ActivityNames"/>).</summary>
    public string Name { get; }

    /// <summary>Runs on a JSON input, traced, and returns the JSON output: Durable Task's payloads, with the app's options.</summary>
    internal abstract Task<string> InvokeJsonAsync(string inputJson, CancellationToken cancellationToken);
}

/// <summary>An activity from <typeparamref name="TInput"/> to <typeparamref name="TOutput"/> (stage DTOs).</summary>
public abstract class PipelineActivity<TInput, TOutput> : PipelineActivity
    where TInput : class
{
    protected PipelineActivity(string name)
        : base(name)
    {
    }

    /// <summary>The activity's work.</summary>
    public abstract Task<TOutput> RunAsync(TInput input, CancellationToken cancellationToken);

    /// <summary>Runs inside the activity's span (<see cref="PipelineTelemetry"/>).</summary>
    internal async Task<TOutput> InvokeAsync(TInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        using var span = PipelineTelemetry.StartActivity(Name, input);
        try
        {
            var output = await RunAsync(input, cancellationToken);
            PipelineTelemetry.Completed(span, Name, started, failure: null);
            return output;
        }
        catch (Exception e)
        {
            PipelineTelemetry.Completed(span, Name, started, e);
            throw;
        }
    }

    internal override async Task<string> InvokeJsonAsync(string inputJson, CancellationToken cancellationToken)
    {
        var input = JsonSerializer.Deserialize<TInput>(inputJson, StateJson.Options)
            ?? throw new InvalidOperationException($"Activity {Name} received no input.");
        var output = await InvokeAsync(input, cancellationToken);
        return JsonSerializer.Serialize(output, StateJson.Options);
    }
}
