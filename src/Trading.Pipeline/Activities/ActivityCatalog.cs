namespace Trading.Pipeline.Activities;

/// <summary>
/// The pipeline's activities by name, the one way every host calls them: the Functions app with typed payloads, the local
/// engine and the backtest with JSON exactly as Durable Task passes it (so every host exercises the Functions app's
/// serialization). Each call is traced (<see cref="PipelineTelemetry"/>).
/// </summary>
public sealed class ActivityCatalog
{
    private readonly Dictionary<string, PipelineActivity> _activities = new(StringComparer.Ordinal);

    public ActivityCatalog(IEnumerable<PipelineActivity> activities)
    {
        ArgumentNullException.ThrowIfNull(activities);
        foreach (var activity in activities)
        {
            if (!_activities.TryAdd(activity.Name, activity))
            {
                throw new InvalidOperationException($"Two activities are named '{activity.Name}'.");
            }
        }
    }

    /// <summary>The registered names.</summary>
    public IReadOnlyCollection<string> Names => _activities.Keys;

    /// <summary>Runs an activity on a JSON input and returns its JSON output.</summary>
    public Task<string> InvokeAsync(string name, string inputJson, CancellationToken cancellationToken) =>
        Find(name).InvokeJsonAsync(inputJson, cancellationToken);

    /// <summary>Runs an activity on a typed input.</summary>
    public Task<TOutput> RunAsync<TInput, TOutput>(string name, TInput input, CancellationToken cancellationToken)
        where TInput : class =>
        Find(name) is PipelineActivity<TInput, TOutput> activity
            ? activity.InvokeAsync(input, cancellationToken)
            : throw new InvalidOperationException($"Activity '{name}' does not take {typeof(TInput).Name} to {typeof(TOutput).Name}.");

    private PipelineActivity Find(string name) =>
        _activities.TryGetValue(name, out var activity) ? activity : throw new InvalidOperationException($"Unknown activity '{name}'.");
}
