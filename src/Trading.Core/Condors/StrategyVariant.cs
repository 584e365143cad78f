using System.Globalization;

namespace Trading.Core.Condors;

/// <summary>
/// A parameter set the sampler chooses between: the short strikes' absolute delta and the wing width.
/// It overrides <see cref="CondorSettings.TargetShortDelta"/> and <see cref="CondorSettings.WingWidthDollars"/> for one build.
/// </summary>
/// <param name="Id">Stable identifier, e.g. "d16-w5" (16 delta, $5 wings).</param>
/// <param name="ShortDelta">Absolute delta of the short strikes (0.16).</param>
/// <param name="WingWidthDollars">Wing width in dollars.</param>
public sealed record StrategyVariant(string Id, double ShortDelta, decimal WingWidthDollars)
{
    /// <summary>Creates a variant with the conventional id "d{delta×100}-w{width}".</summary>
    public static StrategyVariant Of(double shortDelta, decimal wingWidthDollars) =>
        new(IdFor(shortDelta, wingWidthDollars), shortDelta, wingWidthDollars);

    /// <summary>The conventional id: 0.16 and $5 give "d16-w5"; 0.125 and $2.5 give "d12.5-w2.5".</summary>
    public static string IdFor(double shortDelta, decimal wingWidthDollars) =>
        string.Create(CultureInfo.InvariantCulture, $"d{Math.Round(shortDelta * 100, 4)}-w{wingWidthDollars.Normalize()}");
}

file static class DecimalFormatting
{
    // Drops trailing zeros (5.00 → 5) so ids do not depend on how a width was written.
    public static decimal Normalize(this decimal value) => value / 1.0000000000000000000000000000m;
}
