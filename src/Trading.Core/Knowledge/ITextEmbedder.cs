namespace Trading.Core.Knowledge;

/// <summary>Turns texts into embedding vectors (implemented by the gateway; absent offline).</summary>
public interface ITextEmbedder
{
    /// <summary>Logical model name; part of the embedding cache key.</summary>
    string ModelName { get; }

    /// <summary>One vector per input, in order.</summary>
    Task<IReadOnlyList<float[]>> EmbedAsync(IReadOnlyList<string> texts, string runId, CancellationToken cancellationToken);
}
