namespace Trading.Cli.Backtest;

/// <summary>Dollars per million tokens for one model.</summary>
public sealed record ModelTokenPrice(string Model, decimal InputPerMillionUsd, decimal OutputPerMillionUsd)
{
    public decimal CostUsd(long inputTokens, long outputTokens) =>
        ((inputTokens * InputPerMillionUsd) + (outputTokens * OutputPerMillionUsd)) / 1_000_000m;
}

/// <summary>
/// The offline token estimate for a model call whose prompt was rendered but never sent: the rule is stated in
/// <see cref="Rule"/> and printed with every estimated figure, so nobody mistakes it for measured usage.
/// </summary>
public static class LlmCostEstimate
{
    /// <summary>Characters per token in the estimate (the usual rule of thumb for English prose and JSON).</summary>
    public const int CharsPerToken = 4;

    /// <summary>The rule, as printed in reports.</summary>
    public const string Rule =
        "offline estimate: input tokens = characters of the rendered system + user prompt / 4 (rounded up); "
        + "output tokens = characters of the answer / 4 when one was rendered, else half the call's output-token cap";

    /// <summary>Estimated input tokens for a rendered prompt.</summary>
    public static long InputTokens(string systemPrompt, string userPrompt) =>
        CeilDiv((systemPrompt?.Length ?? 0) + (userPrompt?.Length ?? 0), CharsPerToken);

    /// <summary>Estimated output tokens: from the rendered answer when there is one, else half the cap.</summary>
    public static long OutputTokens(string? renderedAnswer, int maxOutputTokens) =>
        renderedAnswer is { Length: > 0 } ? CeilDiv(renderedAnswer.Length, CharsPerToken) : Math.Max(0, maxOutputTokens) / 2;

    private static long CeilDiv(long value, long divisor) => (value + divisor - 1) / divisor;
}
