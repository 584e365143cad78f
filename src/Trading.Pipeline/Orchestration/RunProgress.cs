namespace Trading.Pipeline.Orchestration;

/// <summary>
/// How far a run has got, as its orchestration publishes it in the custom status on both hosts (Durable Functions and the
/// local Durable Task worker): GET /api/runs/{id}, GET /api/status and <c>trading status</c> show it.
/// </summary>
public sealed record RunProgress
{
    /// <summary>The stage being worked on; null before the first and once the run has ended.</summary>
    public string? CurrentStage { get; init; }

    /// <summary>Stages completed, in order (the council counts once, when its votes are joined; RecordRun last).</summary>
    public IReadOnlyList<string> StagesDone { get; init; } = [];

    /// <summary>Council seats; 0 until the council is seated.</summary>
    public int CouncilSeats { get; init; }

    /// <summary>Council votes in so far (an abstention after a failed call counts: the seat has answered).</summary>
    public int CouncilVotesCast { get; init; }
}

/// <summary>
/// Keeps a run's <see cref="RunProgress"/> and publishes every change through <see cref="IOrchestrationContext.SetProgress"/>.
/// Replay-safe: it changes only as the orchestration's code advances, which a replay repeats exactly.
/// </summary>
public sealed class RunProgressTracker
{
    private readonly IOrchestrationContext _context;
    private RunProgress _progress = new();

    public RunProgressTracker(IOrchestrationContext context) => _context = context ?? throw new ArgumentNullException(nameof(context));

    /// <summary>Work on <paramref name="stage"/> begins.</summary>
    public void Begin(string stage) => Publish(_progress with { CurrentStage = stage });

    /// <summary><paramref name="stage"/> is done; no stage is current until the next begins.</summary>
    public void Done(string stage) => Publish(_progress with { CurrentStage = null, StagesDone = [.. _progress.StagesDone, stage] });

    /// <summary>
    /// Calls <paramref name="activity"/> as the stage <paramref name="stage"/> (default: the activity's name): begun before the
    /// call, done after it returns; a failure leaves it current (the orchestration records it).
    /// </summary>
    public async Task<T> StageAsync<T>(string activity, object input, ActivityRetry retry, string? stage = null)
    {
        stage ??= activity;
        Begin(stage);
        var result = await _context.CallActivityAsync<T>(activity, input, retry);
        Done(stage);
        return result;
    }

    /// <summary>The council sits with <paramref name="seats"/> seats, none voted yet.</summary>
    public void Seated(int seats) => Publish(_progress with { CouncilSeats = seats, CouncilVotesCast = 0 });

    /// <summary>One more seat has answered.</summary>
    public void VoteCast() => Publish(_progress with { CouncilVotesCast = _progress.CouncilVotesCast + 1 });

    private void Publish(RunProgress progress)
    {
        _progress = progress;
        _context.SetProgress(progress);
    }
}
