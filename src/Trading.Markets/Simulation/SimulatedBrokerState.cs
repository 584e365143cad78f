namespace Trading.Markets.Simulation;

/// <summary>
/// Everything the simulated broker knows, as a plain DTO (System.Text.Json friendly) so a host can persist it between
/// process runs and restore it with <see cref="SimulatedBroker.ImportState"/>.
/// </summary>
public sealed class SimulatedBrokerState
{
    public decimal Cash { get; set; }

    /// <summary>Equity at the start of <see cref="LastEquityDate"/> (Alpaca's <c>last_equity</c>).</summary>
    public decimal LastEquity { get; set; }

    public DateOnly? LastEquityDate { get; set; }

    public long NextOrderNumber { get; set; } = 1;

    public List<SimulatedPositionState> Positions { get; set; } = [];

    public List<SimulatedOrderState> Orders { get; set; } = [];

    /// <summary>Expired positions settled in cash, oldest first.</summary>
    public List<SimulatedSettlementState> Settlements { get; set; } = [];
}

/// <summary>An open option position; negative quantity for a short; price per share.</summary>
public sealed class SimulatedPositionState
{
    public string Symbol { get; set; } = string.Empty;

    public int Quantity { get; set; }

    public decimal AverageEntryPrice { get; set; }
}

/// <summary>An order; status uses Alpaca's names (new, filled, canceled, expired).</summary>
public sealed class SimulatedOrderState
{
    public string OrderId { get; set; } = string.Empty;

    public string ClientOrderId { get; set; } = string.Empty;

    public string Status { get; set; } = "new";

    public int Quantity { get; set; }

    public int FilledQuantity { get; set; }

    public decimal LimitPrice { get; set; }

    public decimal? FilledAveragePrice { get; set; }

    public DateTimeOffset SubmittedAt { get; set; }

    public DateTimeOffset? FilledAt { get; set; }

    /// <summary>The session the (day) order belongs to; it expires at that session's close.</summary>
    public DateOnly SessionDate { get; set; }

    public List<SimulatedLegState> Legs { get; set; } = [];

    /// <summary>Fees and commissions charged for this order's fills, dollars.</summary>
    public decimal FeesDollars { get; set; }

    /// <summary>When the order was last worked (fill chances accrue with the time it rests).</summary>
    public DateTimeOffset? LastWorkedAt { get; set; }
}

/// <summary>One leg of an order; side and intent use Alpaca's names (buy, sell_to_open, ...).</summary>
public sealed class SimulatedLegState
{
    public string Symbol { get; set; } = string.Empty;

    public string Side { get; set; } = string.Empty;

    public string PositionIntent { get; set; } = string.Empty;

    public int RatioQuantity { get; set; } = 1;

    /// <summary>The leg's average fill price per share (positive), once filled.</summary>
    public decimal? FilledAveragePrice { get; set; }
}

/// <summary>A position closed by cash settlement at expiry.</summary>
public sealed class SimulatedSettlementState
{
    public string Symbol { get; set; } = string.Empty;

    public int Quantity { get; set; }

    public decimal UnderlyingClose { get; set; }

    /// <summary>Intrinsic value per share at the close of the expiration day.</summary>
    public decimal SettlementPrice { get; set; }

    /// <summary>Cash credited (positive) or debited (negative).</summary>
    public decimal CashAmount { get; set; }

    public DateOnly Expiration { get; set; }
}
