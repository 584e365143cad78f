using Azure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Trading.Core.Knowledge;
using Trading.Lessons.Corpus;

namespace Trading.Lessons.Search;

/// <summary>What an index build did: how many sections were embedded and how many came from the cache.</summary>
/// <param name="Index">The built index.</param>
/// <param name="SectionsEmbedded">Sections sent to the embedder in this build.</param>
/// <param name="SectionsFromCache">Sections whose vectors were found in the cache.</param>
/// <param name="FallbackReason">Why the index is lexical-only despite an embedder, or null.</param>
public sealed record LessonIndexBuild(LessonIndex Index, int SectionsEmbedded, int SectionsFromCache, string? FallbackReason);

/// <summary>
/// Builds a <see cref="LessonIndex"/>: embeds sections in batches through <see cref="ITextEmbedder"/>, reusing cached
/// vectors (keyed by model and content hash) so only new or changed sections cost an embedding call.
/// </summary>
public sealed class LessonIndexBuilder
{
    private readonly ITextEmbedder? _embedder;
    private readonly EmbeddingCache? _cache;
    private readonly LessonsSettings _settings;
    private readonly ILogger _logger;

    public LessonIndexBuilder(ITextEmbedder? embedder, LessonsSettings settings, EmbeddingCache? cache = null, ILogger<LessonIndexBuilder>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _embedder = embedder;
        _cache = cache;
        _settings = settings;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>Indexes the lessons; without an embedder, or when embedding fails, the index is lexical only.</summary>
    public async Task<LessonIndexBuild> BuildAsync(IReadOnlyList<Lesson> lessons, string runId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lessons);
        if (_embedder is null)
            return new LessonIndexBuild(new LessonIndex(lessons), 0, 0, null);

        var texts = lessons.SelectMany(l => l.Sections.Select(s => LessonIndex.EmbeddingText(l, s))).ToList();
        var vectors = new float[]?[texts.Count];
        var model = _embedder.ModelName;
        var fromCache = 0;
        var embedded = 0;
        try
        {
            var cached = await ReadCacheAsync(model, texts, cancellationToken);
            for (var i = 0; i < texts.Count; i++)
            {
                if (cached?[i] is { Length: > 0 } vector)
                {
                    vectors[i] = vector;
                    fromCache++;
                }
            }

            var missing = Enumerable.Range(0, texts.Count).Where(i => vectors[i] is null).ToList();
            foreach (var batch in missing.Chunk(_settings.EmbeddingBatchSize))
            {
                var batchTexts = batch.Select(i => texts[i]).ToList();
                var result = await _embedder.EmbedAsync(batchTexts, runId, cancellationToken);
                if (result.Count != batch.Length)
                    throw new InvalidOperationException($"the embedder returned {result.Count} vectors for {batch.Length} texts");
                for (var j = 0; j < batch.Length; j++)
                    vectors[batch[j]] = result[j];
                embedded += batch.Length;
                await WriteCacheAsync(model, batchTexts, result, cancellationToken);
            }

            var index = new LessonIndex(lessons, vectors.Select(v => v!).ToList(), model);
            _logger.LogInformation(
                "Lesson index: {Sections} sections, {Embedded} embedded, {Cached} from cache (model {Model}).",
                texts.Count, embedded, fromCache, model);
            return new LessonIndexBuild(index, embedded, fromCache, null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Retrieval must keep working when the gateway is down: degrade to BM25 and say so in every result.
            var reason = $"embedding the corpus failed ({ex.GetType().Name}: {ex.Message}); lexical search only";
            _logger.LogWarning(ex, "Lesson index falls back to lexical search: {Reason}", reason);
            return new LessonIndexBuild(new LessonIndex(lessons), embedded, fromCache, reason);
        }
    }

    // The cache saves cost; a storage outage must not stop indexing, so its failures are logged and skipped.
    private async Task<IReadOnlyList<float[]?>?> ReadCacheAsync(string model, List<string> texts, CancellationToken cancellationToken)
    {
        if (_cache is null)
            return null;
        try
        {
            return await _cache.GetManyAsync(model, texts, cancellationToken);
        }
        catch (Exception ex) when (ex is RequestFailedException or HttpRequestException or InvalidOperationException)
        {
            _logger.LogWarning(ex, "Embedding cache read failed; every section will be embedded.");
            return null;
        }
    }

    private async Task WriteCacheAsync(string model, List<string> texts, IReadOnlyList<float[]> vectors, CancellationToken cancellationToken)
    {
        if (_cache is null)
            return;
        try
        {
            await _cache.PutManyAsync(model, texts, vectors, cancellationToken);
        }
        catch (Exception ex) when (ex is RequestFailedException or HttpRequestException or InvalidOperationException)
        {
            _logger.LogWarning(ex, "Embedding cache write failed; these sections will be embedded again next time.");
        }
    }
}
