namespace Trading.Gateway.Routing;

/// <summary>Token counts from a response's final usage block.</summary>
/// <param name="InputTokens">All prompt tokens, cached ones included (OpenAI <c>prompt_tokens</c>).</param>
/// <param name="CachedInputTokens">The part of <paramref name="InputTokens"/> served from cache.</param>
/// <param name="OutputTokens">All completion tokens, reasoning ones included (OpenAI <c>completion_tokens</c>).</param>
/// <param name="ReasoningTokens">The part of <paramref name="OutputTokens"/> spent on hidden reasoning.</param>
public readonly record struct TokenUsage(int InputTokens, int CachedInputTokens, int OutputTokens, int ReasoningTokens)
{
    /// <summary>No tokens.</summary>
    public static TokenUsage None => default;

    /// <summary>Sum of two usages (several attempts of one call).</summary>
    public TokenUsage Add(TokenUsage other) => new(
        InputTokens + other.InputTokens,
        CachedInputTokens + other.CachedInputTokens,
        OutputTokens + other.OutputTokens,
        ReasoningTokens + other.ReasoningTokens);
}

/// <summary>Exact decimal cost arithmetic for model calls.</summary>
public static class ModelCost
{
    private const decimal TokensPerMillion = 1_000_000m;

    /// <summary>Prompt characters per token used for estimates; 3 overestimates typical English (≈4) on purpose.</summary>
    public const int CharactersPerTokenEstimate = 3;

    /// <summary>
    /// The cost of <paramref name="usage"/> at <paramref name="price"/>: uncached input at the input price, cached input at
    /// the cached price, output (reasoning included, as the wire reports it) at the output price. Exact, no rounding.
    /// </summary>
    public static decimal Of(ModelPrice price, TokenUsage usage)
    {
        ArgumentNullException.ThrowIfNull(price);
        if (usage.InputTokens < 0 || usage.CachedInputTokens < 0 || usage.OutputTokens < 0 || usage.ReasoningTokens < 0)
            throw new ArgumentOutOfRangeException(nameof(usage), usage, "Token counts must not be negative.");

        // Some providers report cached or reasoning counts outside the totals; never bill less than what was reported.
        var cached = usage.CachedInputTokens;
        var uncached = Math.Max(0, usage.InputTokens - cached);
        var output = Math.Max(usage.OutputTokens, usage.ReasoningTokens);
        return (uncached * price.InputPerMillionUsd
                + cached * price.CachedInputPerMillionUsd
                + output * price.OutputPerMillionUsd) / TokensPerMillion;
    }

    /// <summary>Estimated input tokens of a prompt of <paramref name="promptCharacters"/> characters (rounded up, conservative).</summary>
    public static int EstimateInputTokens(int promptCharacters) =>
        promptCharacters <= 0 ? 0 : (promptCharacters + CharactersPerTokenEstimate - 1) / CharactersPerTokenEstimate;

    /// <summary>An upper-leaning estimate for budget reservations: all input uncached, the full output cap used.</summary>
    public static decimal Estimate(ModelPrice price, int promptCharacters, int maxOutputTokens) =>
        Of(price, new TokenUsage(EstimateInputTokens(promptCharacters), 0, Math.Max(0, maxOutputTokens), 0));
}
