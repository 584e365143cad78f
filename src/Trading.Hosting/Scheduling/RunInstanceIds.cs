using System.Globalization;
using System.Text.RegularExpressions;

namespace Trading.Hosting.Scheduling;

/// <summary>Instance ids: derived from the schedule slot, so one slot can only ever have one run.</summary>
public static partial class RunInstanceIds
{
    /// <summary>"entry-2026-11-23T15:00Z": the slot's UTC minute.</summary>
    public static string ForSlot(string kind, DateTimeOffset slotUtc) =>
        string.Create(CultureInfo.InvariantCulture, $"{kind}-{slotUtc.UtcDateTime:yyyy-MM-dd'T'HH:mm}Z");

    /// <summary>
    /// "manual-2026-11-23T15:04:05Z-3f9c1a2b": a manual run, to the second, with a random suffix so that two runs started in the
    /// same second never share an id (the singleton rule is for schedule slots, not for manual runs).
    /// </summary>
    public static string ForManual(DateTimeOffset nowUtc) =>
        string.Create(CultureInfo.InvariantCulture, $"manual-{nowUtc.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss}Z-{Guid.NewGuid().ToString("N")[..8]}");

    /// <summary>True when <paramref name="instanceId"/> is a well-formed id (letters, digits, '-', ':', '_', '.'; at most 100).</summary>
    public static bool IsValid(string? instanceId) => instanceId is not null && IdPattern().IsMatch(instanceId);

    /// <summary>Throws <see cref="ArgumentException"/> naming the rule when the id is malformed.</summary>
    public static void Validate(string? instanceId)
    {
        if (!IsValid(instanceId))
        {
            throw new ArgumentException(
                "A run id must be 1-100 characters of letters, digits, '-', ':', '_' or '.', starting with a letter or digit.", nameof(instanceId));
        }
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9:_.-]{0,99}$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();
}
