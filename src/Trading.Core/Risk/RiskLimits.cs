using System.Globalization;
using Trading.Core.Settings;

namespace Trading.Core.Risk;

/// <summary>
/// Hard limits of the risk manager (configuration section "Risk"). "Pct" values are percents (2 means 2%).
/// Volatility figures refer to the 30-day at-the-money implied volatility proxy, in percent.
/// </summary>
public sealed class RiskLimits
{
    public const string SectionName = "Risk";

    /// <summary>Largest max loss of one new condor as a percent of equity.</summary>
    public decimal MaxRiskPerTradePct { get; set; } = 2m;

    /// <summary>Largest combined max loss of all open condors plus the new one, as a percent of equity.</summary>
    public decimal MaxTotalOpenRiskPct { get; set; } = 10m;

    public int MaxOpenCondors { get; set; } = 2;

    /// <summary>Most contracts in one new condor, whatever the risk budget allows (the reference system traded 1–2).</summary>
    public int MaxContracts { get; set; } = 2;

    /// <summary>
    /// Sell premium only when the implied-volatility rank (today's 30-day at-the-money implied volatility within its range over
    /// the stored history, 0–100) is at least this.
    /// </summary>
    public decimal MinIvRankPct { get; set; } = 20m;

    /// <summary>The IV rank needs at least this many days of stored history; with fewer it is unknown and no trade is made.</summary>
    public int MinIvHistoryDays { get; set; } = 20;

    public int MaxNewCondorsPerDay { get; set; } = 1;

    /// <summary>A loss from start-of-day equity of at least this percent stops new trades for the day.</summary>
    public decimal DailyLossLimitPct { get; set; } = 2m;

    /// <summary>A drawdown from peak equity of at least this percent halts trading until a person resumes it.</summary>
    public decimal MaxDrawdownPct { get; set; } = 10m;

    /// <summary>Volatility above this halts new trades.</summary>
    public decimal VolatilityHaltAbovePct { get; set; } = 30m;

    /// <summary>Volatility below this skips new trades (premium too thin).</summary>
    public decimal VolatilitySkipBelowPct { get; set; } = 15m;

    /// <summary>Lower edge of the full-size band: [VolatilitySkipBelowPct, this) is the quiet band.</summary>
    public decimal FullSizeVolatilityFromPct { get; set; } = 20m;

    /// <summary>Upper edge of the full-size band: [this, VolatilityHaltAbovePct] is the elevated band.</summary>
    public decimal FullSizeVolatilityBelowPct { get; set; } = 25m;

    /// <summary>Size multiplier in the quiet band (15–20 by default).</summary>
    public decimal QuietBandSizeMultiplier { get; set; } = 0.5m;

    /// <summary>Size multiplier in the full-size band (20–25 by default).</summary>
    public decimal FullSizeBandSizeMultiplier { get; set; } = 1.0m;

    /// <summary>Size multiplier in the elevated band (25–30 by default).</summary>
    public decimal ElevatedBandSizeMultiplier { get; set; } = 0.5m;

    /// <summary>No new condor for this many hours after a stop-out.</summary>
    public double StopOutCooldownHours { get; set; } = 24;

    public int MaxTradesPerHour { get; set; } = 5;

    /// <summary>An iron condor needs options level 3 (spreads) at Alpaca.</summary>
    public int MinOptionsTradingLevel { get; set; } = 3;

    /// <summary>Start of the entry window, "HH:mm" in <see cref="MarketTimeZone"/> (inclusive).</summary>
    public string EntryWindowStart { get; set; } = "09:35";

    /// <summary>End of the entry window, "HH:mm" in <see cref="MarketTimeZone"/>, inclusive to the second (15:30:00 is in, 15:30:01 is not).</summary>
    public string EntryWindowEnd { get; set; } = "15:30";

    public string MarketTimeZone { get; set; } = "America/New_York";

    /// <summary>Cash that must remain after reserving the new condor's max loss, as a percent of equity.</summary>
    public decimal MinCashReservePct { get; set; } = 50m;

    /// <summary>Which volatility band a proxy value falls in.</summary>
    public VolatilityBand BandOf(decimal volatilityPct) =>
        volatilityPct < VolatilitySkipBelowPct ? VolatilityBand.TooLow
        : volatilityPct < FullSizeVolatilityFromPct ? VolatilityBand.Quiet
        : volatilityPct < FullSizeVolatilityBelowPct ? VolatilityBand.FullSize
        : volatilityPct <= VolatilityHaltAbovePct ? VolatilityBand.Elevated
        : VolatilityBand.Halt;

    /// <summary>The size multiplier of a band (0 for the bands that allow no trade).</summary>
    public decimal SizeMultiplierFor(VolatilityBand band) => band switch
    {
        VolatilityBand.Quiet => QuietBandSizeMultiplier,
        VolatilityBand.FullSize => FullSizeBandSizeMultiplier,
        VolatilityBand.Elevated => ElevatedBandSizeMultiplier,
        _ => 0m,
    };

    internal static bool TryParseTime(string? text, out TimeOnly time) =>
        TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out time);

    internal TimeZoneInfo TimeZone() => TimeZoneInfo.FindSystemTimeZoneById(MarketTimeZone);

    /// <summary>Every broken rule, naming the setting; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var e = new SettingErrors(SectionName)
            .Range(nameof(MaxRiskPerTradePct), MaxRiskPerTradePct, 0, 100, minExclusive: true)
            .Range(nameof(MaxTotalOpenRiskPct), MaxTotalOpenRiskPct, 0, 100, minExclusive: true)
            .Range(nameof(MaxOpenCondors), MaxOpenCondors, 0, 1000)
            .Range(nameof(MaxNewCondorsPerDay), MaxNewCondorsPerDay, 0, 1000)
            .Range(nameof(MaxContracts), MaxContracts, 1, 1000)
            .Range(nameof(MinIvRankPct), MinIvRankPct, 0, 100)
            .Range(nameof(MinIvHistoryDays), MinIvHistoryDays, 2, 2000)
            .Range(nameof(DailyLossLimitPct), DailyLossLimitPct, 0, 100, minExclusive: true)
            .Range(nameof(MaxDrawdownPct), MaxDrawdownPct, 0, 100, minExclusive: true)
            .Range(nameof(VolatilityHaltAbovePct), VolatilityHaltAbovePct, 0, 1000, minExclusive: true)
            .Range(nameof(VolatilitySkipBelowPct), VolatilitySkipBelowPct, 0, 1000)
            .Range(nameof(QuietBandSizeMultiplier), QuietBandSizeMultiplier, 0, 10)
            .Range(nameof(FullSizeBandSizeMultiplier), FullSizeBandSizeMultiplier, 0, 10)
            .Range(nameof(ElevatedBandSizeMultiplier), ElevatedBandSizeMultiplier, 0, 10)
            .Range(nameof(StopOutCooldownHours), StopOutCooldownHours, 0, 24 * 365)
            .Range(nameof(MaxTradesPerHour), MaxTradesPerHour, 0, 10_000)
            .Range(nameof(MinOptionsTradingLevel), MinOptionsTradingLevel, 0, 10)
            .Range(nameof(MinCashReservePct), MinCashReservePct, 0, 100);
        e.Require(VolatilitySkipBelowPct <= FullSizeVolatilityFromPct && FullSizeVolatilityFromPct <= FullSizeVolatilityBelowPct
                && FullSizeVolatilityBelowPct <= VolatilityHaltAbovePct,
            nameof(FullSizeVolatilityFromPct),
            "and the other volatility edges must be ordered VolatilitySkipBelowPct <= FullSizeVolatilityFromPct <= FullSizeVolatilityBelowPct <= VolatilityHaltAbovePct",
            string.Create(CultureInfo.InvariantCulture, $"{VolatilitySkipBelowPct} / {FullSizeVolatilityFromPct} / {FullSizeVolatilityBelowPct} / {VolatilityHaltAbovePct}"));
        var startOk = TryParseTime(EntryWindowStart, out var start);
        var endOk = TryParseTime(EntryWindowEnd, out var end);
        e.Require(startOk, nameof(EntryWindowStart), "must be a time \"HH:mm\"", $"'{EntryWindowStart}'");
        e.Require(endOk, nameof(EntryWindowEnd), "must be a time \"HH:mm\"", $"'{EntryWindowEnd}'");
        e.Require(!startOk || !endOk || start <= end, nameof(EntryWindowEnd), $"must not be before EntryWindowStart ({EntryWindowStart})", $"'{EntryWindowEnd}'");
        var zoneOk = false;
        try
        {
            zoneOk = !string.IsNullOrWhiteSpace(MarketTimeZone) && TimeZoneInfo.FindSystemTimeZoneById(MarketTimeZone) is not null;
        }
        catch (TimeZoneNotFoundException)
        {
        }
        catch (InvalidTimeZoneException)
        {
        }

        e.Require(zoneOk, nameof(MarketTimeZone), "must be a known time zone id (e.g. America/New_York)", $"'{MarketTimeZone}'");
        return e.Errors;
    }
}

/// <summary>Bands of the volatility proxy, used for sizing and recorded with trade outcomes.</summary>
public enum VolatilityBand
{
    /// <summary>Below the skip level: no trade.</summary>
    TooLow,

    /// <summary>From the skip level to the full-size band (15–20 by default): reduced size.</summary>
    Quiet,

    /// <summary>Full size (20–25 by default).</summary>
    FullSize,

    /// <summary>From the full-size band to the halt level (25–30 by default): reduced size.</summary>
    Elevated,

    /// <summary>Above the halt level: no trade.</summary>
    Halt,
}
