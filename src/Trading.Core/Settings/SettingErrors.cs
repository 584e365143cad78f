using System.Globalization;

namespace Trading.Core.Settings;

/// <summary>Collects validation errors worded the same way for every options class ("Section:Name must be ...; was X").</summary>
internal sealed class SettingErrors(string section)
{
    private readonly List<string> _errors = [];

    public IReadOnlyList<string> Errors => _errors;

    /// <summary>Value in (min, max] when <paramref name="minExclusive"/>, else [min, max].</summary>
    public SettingErrors Range(string name, decimal value, decimal min, decimal max, bool minExclusive = false)
    {
        var ok = (minExclusive ? value > min : value >= min) && value <= max;
        if (!ok)
        {
            Add(name, $"must be in {(minExclusive ? "(" : "[")}{F(min)}, {F(max)}]", F(value));
        }

        return this;
    }

    public SettingErrors Range(string name, double value, double min, double max, bool minExclusive = false)
    {
        var ok = double.IsFinite(value) && (minExclusive ? value > min : value >= min) && value <= max;
        if (!ok)
        {
            Add(name, $"must be in {(minExclusive ? "(" : "[")}{F(min)}, {F(max)}]", F(value));
        }

        return this;
    }

    public SettingErrors Range(string name, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            Add(name, $"must be in [{min.ToString(CultureInfo.InvariantCulture)}, {max.ToString(CultureInfo.InvariantCulture)}]", value.ToString(CultureInfo.InvariantCulture));
        }

        return this;
    }

    public SettingErrors Require(bool condition, string name, string rule, string was)
    {
        if (!condition)
        {
            Add(name, rule, was);
        }

        return this;
    }

    public void Add(string name, string rule, string was) => _errors.Add($"{section}:{name} {rule}; was {was}");

    public static string F(decimal d) => d.ToString(CultureInfo.InvariantCulture);

    public static string F(double d) => d.ToString("G", CultureInfo.InvariantCulture);
}
