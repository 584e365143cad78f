namespace Trading.Cli.Commands;

/// <summary>The exchange's time zone (NYSE): entry windows and <c>--at</c> values without an offset are in it.</summary>
public static class ExchangeTime
{
    public static TimeZoneInfo Zone { get; } = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
}
