using System.Globalization;
using System.Text.RegularExpressions;
using Trading.Core.Condors;

namespace Trading.Pipeline.Activities;

/// <summary>What the pipeline trades and how its stages behave. Section "Pipeline".</summary>
public sealed partial class PipelineOptions
{
    public const string SectionName = "Pipeline";

    /// <summary>The underlying (SPY).</summary>
    public string Symbol { get; set; } = "SPY";

    /// <summary>The strategy name trade memory and lessons match on.</summary>
    public string Strategy { get; set; } = "iron_condor";

    /// <summary>Comma-separated sampler arms "d{shortDelta×100}-w{wingWidthDollars}" (e.g. d15-w5 = 15 delta, $5 wings).</summary>
    public string Variants { get; set; } = "d15-w5,d10-w5,d20-w5";

    /// <summary>Stop an entry run when the market clock says closed (the timers only fire in session; manual runs may not).</summary>
    public bool RequireMarketOpen { get; set; } = true;

    /// <summary>Journals shown by the status endpoint.</summary>
    public int StatusRecentRuns { get; set; } = 10;

    /// <summary>The sampler arms parsed from <see cref="Variants"/>.</summary>
    public IReadOnlyList<StrategyVariant> VariantList =>
        Variants.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(ParseVariant).OfType<StrategyVariant>().ToArray();

    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(Symbol) || !Symbol.All(char.IsAsciiLetterUpper) || Symbol.Length > 6)
        {
            yield return $"{SectionName}:Symbol must be 1-6 upper-case letters; got '{Symbol}'.";
        }

        if (string.IsNullOrWhiteSpace(Strategy))
        {
            yield return $"{SectionName}:Strategy must not be empty.";
        }

        var items = Variants.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (items.Length == 0)
        {
            yield return $"{SectionName}:Variants must list at least one arm like d15-w5.";
        }

        foreach (var item in items.Where(i => ParseVariant(i) is null))
        {
            yield return $"{SectionName}:Variants item '{item}' must look like d15-w5 (short delta 5-40, wing width 1-50 dollars).";
        }

        if (StatusRecentRuns is < 1 or > 100)
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"{SectionName}:StatusRecentRuns must be between 1 and 100; got {StatusRecentRuns}.");
        }
    }

    private static StrategyVariant? ParseVariant(string text)
    {
        var match = VariantPattern().Match(text);
        if (!match.Success)
        {
            return null;
        }

        var delta = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        var width = decimal.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
        return delta is >= 5 and <= 40 && width is >= 1 and <= 50 ? StrategyVariant.Of(delta / 100, width) : null;
    }

    [GeneratedRegex(@"^d(\d{1,2}(?:\.\d+)?)-w(\d{1,2}(?:\.\d+)?)$", RegexOptions.CultureInvariant)]
    private static partial Regex VariantPattern();
}
