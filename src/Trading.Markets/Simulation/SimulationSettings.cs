using System.Globalization;

namespace Trading.Markets.Simulation;

/// <summary>
/// Settings of the simulated market and broker (configuration section <c>Simulation</c>).
/// "Pct" values are percents (4 means 4%).
/// </summary>
public sealed class SimulationSettings
{
    public const string SectionName = "Simulation";

    /// <summary>Seed of the price path and everything derived from it.</summary>
    public int Seed { get; set; } = 42;

    /// <summary>First trading day of the simulated path; the market has no history before it.</summary>
    public DateOnly PathStartDate { get; set; } = new(2024, 1, 2);

    /// <summary>SPY's price at the open of <see cref="PathStartDate"/>.</summary>
    public decimal InitialSpotDollars { get; set; } = 475m;

    /// <summary>Volatility index (VIX equivalent, in points) on the first day.</summary>
    public double InitialVolatilityIndexPoints { get; set; } = 14;

    public double RiskFreeRatePct { get; set; } = 4.0;

    public double DividendYieldPct { get; set; } = 1.3;

    /// <summary>
    /// How limit orders fill: <c>realistic</c> (a marketable order fills at once at the natural price plus the slippage, capped
    /// at its limit; one resting between the mid and the natural fills with a probability per half hour that grows as the limit
    /// nears the natural, 5% at the mid to 50% next to the natural, 2% above the mid; fills of more than one contract are
    /// sometimes partial; seeded) or <c>pessimistic</c> (only a limit at or beyond the natural fills, always at its limit).
    /// </summary>
    public string Fills { get; set; } = FillModels.Realistic;

    /// <summary>How much worse than the natural price a marketable multi-leg order fills, dollars per share (capped at its limit).</summary>
    public decimal SlippagePerOrderDollars { get; set; } = 0.02m;

    /// <summary>Broker commission per option contract per leg (Alpaca charges none for options).</summary>
    public decimal CommissionPerContractDollars { get; set; }

    /// <summary>
    /// Pass-through fees per option contract per leg, buys and sells: OCC clearing $0.02 + Options Regulatory Fee $0.02685 +
    /// CAT about $0.0046 (Alpaca's published rates).
    /// </summary>
    public decimal FeePerContractDollars { get; set; } = 0.05145m;

    /// <summary>FINRA's options Trading Activity Fee per contract, on sells only.</summary>
    public decimal SellFeePerContractDollars { get; set; } = 0.00279m;

    public decimal StartingEquityDollars { get; set; } = 100_000m;

    /// <summary>The account's options approval level; an iron condor needs 3.</summary>
    public int OptionsTradingLevel { get; set; } = 3;

    /// <summary>Daily expirations are listed this many calendar days ahead.</summary>
    public int DailyExpirationsHorizonDays { get; set; } = 14;

    /// <summary>Friday expirations are listed this many calendar days ahead.</summary>
    public int WeeklyExpirationsHorizonDays { get; set; } = 49;

    /// <summary>Monthly (third Friday) expirations are listed this many calendar days ahead.</summary>
    public int MonthlyExpirationsHorizonDays { get; set; } = 190;

    /// <summary>Throws <see cref="ArgumentException"/> naming every bad setting and the rule it broke.</summary>
    public void Validate()
    {
        var errors = new List<string>();
        void Require(bool ok, string name, string rule)
        {
            if (!ok)
            {
                errors.Add($"{SectionName}:{name} {rule}");
            }
        }

        Require(InitialSpotDollars > 0, nameof(InitialSpotDollars), "must be positive");
        Require(InitialVolatilityIndexPoints is >= 5 and <= 100, nameof(InitialVolatilityIndexPoints), "must be between 5 and 100");
        Require(RiskFreeRatePct is >= 0 and <= 20, nameof(RiskFreeRatePct), "must be between 0 and 20");
        Require(DividendYieldPct is >= 0 and <= 20, nameof(DividendYieldPct), "must be between 0 and 20");
        Require(SlippagePerOrderDollars >= 0, nameof(SlippagePerOrderDollars), "must not be negative");
        Require(Fills is FillModels.Realistic or FillModels.Pessimistic, nameof(Fills), $"must be '{FillModels.Realistic}' or '{FillModels.Pessimistic}' (was '{Fills}')");
        Require(CommissionPerContractDollars >= 0, nameof(CommissionPerContractDollars), "must not be negative");
        Require(FeePerContractDollars >= 0, nameof(FeePerContractDollars), "must not be negative");
        Require(SellFeePerContractDollars >= 0, nameof(SellFeePerContractDollars), "must not be negative");
        Require(StartingEquityDollars > 0, nameof(StartingEquityDollars), "must be positive");
        Require(OptionsTradingLevel is >= 0 and <= 3, nameof(OptionsTradingLevel), "must be between 0 and 3");
        Require(DailyExpirationsHorizonDays is >= 0 and <= 60, nameof(DailyExpirationsHorizonDays), "must be between 0 and 60");
        Require(WeeklyExpirationsHorizonDays is >= 0 and <= 400, nameof(WeeklyExpirationsHorizonDays), "must be between 0 and 400");
        Require(MonthlyExpirationsHorizonDays is >= 0 and <= 800, nameof(MonthlyExpirationsHorizonDays), "must be between 0 and 800");
        Require(PathStartDate.Year >= 2000, nameof(PathStartDate), "must be in 2000 or later");
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid simulation settings: " + string.Join("; ", errors), nameof(SimulationSettings));
        }
    }

    /// <summary>A short description for logs.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"seed {Seed}, path from {PathStartDate:yyyy-MM-dd} at ${InitialSpotDollars}, {Fills} fills");

    /// <summary>Fees and commission of one fill of <paramref name="contracts"/> per leg, dollars.</summary>
    public decimal FeesFor(int contracts, int buyLegs, int sellLegs) =>
        contracts * (((buyLegs + sellLegs) * (CommissionPerContractDollars + FeePerContractDollars)) + (sellLegs * SellFeePerContractDollars));
}

/// <summary>The simulated broker's fill models (<see cref="SimulationSettings.Fills"/>).</summary>
public static class FillModels
{
    public const string Realistic = "realistic";

    public const string Pessimistic = "pessimistic";
}
