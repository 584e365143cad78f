using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Trading.Lessons.Corpus;
using Trading.Lessons.Search;

namespace Trading.Lessons.Retrieval;

/// <summary>
/// Loads the corpus and builds the index once, on first use, then serves it; <see cref="ReloadAsync"/> rebuilds it
/// (only changed sections are re-embedded thanks to the cache). When embedding failed, the lexical-only index is used
/// and the build is retried after <see cref="LessonsSettings.EmbeddingRetryMinutes"/>, so a gateway outage at start does
/// not leave the process lexical until restart. Thread-safe.
/// </summary>
public sealed class LessonLibrary : IDisposable
{
    private readonly LessonsSettings _settings;
    private readonly LessonIndexBuilder _builder;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile LessonIndexBuild? _current;
    private DateTimeOffset _builtAt;

    public LessonLibrary(LessonsSettings settings, LessonIndexBuilder builder, ILogger<LessonLibrary>? logger = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(builder);
        _settings = settings;
        _builder = builder;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The current index build, loading the corpus on first call.</summary>
    public async Task<LessonIndexBuild> GetIndexAsync(CancellationToken cancellationToken)
    {
        if (_current is { } current && !RetryDue(current))
            return current;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_current is null || RetryDue(_current))
            {
                if (_current is not null)
                    _logger.LogInformation("Retrying the lesson index build with embeddings after: {Reason}", _current.FallbackReason);
                _current = await LoadAsync(cancellationToken);
            }

            return _current;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Re-reads the corpus and rebuilds the index.</summary>
    public async Task<LessonIndexBuild> ReloadAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            _current = await LoadAsync(cancellationToken);
            return _current;
        }
        finally
        {
            _gate.Release();
        }
    }

    private bool RetryDue(LessonIndexBuild build) =>
        build.FallbackReason is not null &&
        _time.GetUtcNow() - _builtAt >= TimeSpan.FromMinutes(_settings.EmbeddingRetryMinutes);

    private async Task<LessonIndexBuild> LoadAsync(CancellationToken cancellationToken)
    {
        _builtAt = _time.GetUtcNow();
        var directory = _settings.ResolveCorpusDirectory();
        var lessons = await LessonCorpus.LoadAsync(directory, cancellationToken);
        _logger.LogInformation("Loaded {Count} lessons from {Directory}.", lessons.Count, directory);
        return await _builder.BuildAsync(lessons, "lessons-index", cancellationToken);
    }

    public void Dispose() => _gate.Dispose();
}
