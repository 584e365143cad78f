namespace Trading.Core.Settings;

/// <summary>Thrown at start-up when one or more settings are invalid; the message lists every error, one per line.</summary>
public sealed class SettingsValidationException : Exception
{
    public SettingsValidationException(IReadOnlyList<string> errors)
        : base(Describe(errors))
    {
        Errors = errors;
    }

    public SettingsValidationException()
        : this(Array.Empty<string>())
    {
    }

    public SettingsValidationException(string message)
        : this([message])
    {
    }

    public SettingsValidationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [message];
    }

    /// <summary>Each broken rule, naming the setting (e.g. "Risk:MaxRiskPerTradePct must be in (0, 100]; was 150").</summary>
    public IReadOnlyList<string> Errors { get; }

    /// <summary>Throws when any of the lists holds an error, listing all of them together.</summary>
    public static void ThrowIfAny(params IReadOnlyList<string>[] errorLists)
    {
        ArgumentNullException.ThrowIfNull(errorLists);
        var all = errorLists.Where(l => l is not null).SelectMany(l => l).ToArray();
        if (all.Length > 0)
        {
            throw new SettingsValidationException(all);
        }
    }

    private static string Describe(IReadOnlyList<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        return errors.Count == 0
            ? "Settings are invalid."
            : $"{errors.Count} invalid setting(s):{Environment.NewLine}" + string.Join(Environment.NewLine, errors.Select(e => "  " + e));
    }
}
