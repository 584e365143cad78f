using Trading.Core.Markets;
using Trading.Pipeline.State;

namespace Trading.Hosting.Dashboard;

/// <summary>Account equity after a closed trade (or now), and how far below its running peak it stood.</summary>
public sealed record EquityPoint(DateTimeOffset Utc, decimal Equity, decimal DrawdownPct);

/// <summary>The kill switch as the page shows it.</summary>
public sealed record HaltView(bool Halted, string? Reason, DateTimeOffset? ChangedUtc);

/// <summary>The account panel.</summary>
/// <param name="AsOfUtc">When it was built.</param>
/// <param name="Equity">Equity now.</param>
/// <param name="LastEquity">Equity at the previous close.</param>
/// <param name="Cash">Cash.</param>
/// <param name="BuyingPower">Buying power.</param>
/// <param name="OptionsBuyingPower">Options buying power.</param>
/// <param name="Simulated">True for the simulated broker.</param>
/// <param name="Halt">The halt switch.</param>
/// <param name="RealizedPnlDollars">Sum of closed condors' P&amp;L.</param>
/// <param name="UnrealizedPnlDollars">Open positions' P&amp;L at the broker's marks.</param>
/// <param name="MaxDrawdownPct">Deepest drawdown along the curve.</param>
/// <param name="EquityCurve">
/// Equity after each closed condor, oldest first, ending with now: rebuilt from the position book's realized P&amp;L and anchored so the
/// last point is today's equity (deposits, fees and other instruments are not separated out).
/// </param>
public sealed record AccountPanel(
    DateTimeOffset AsOfUtc, decimal Equity, decimal LastEquity, decimal Cash, decimal BuyingPower, decimal OptionsBuyingPower, bool Simulated,
    HaltView Halt, decimal RealizedPnlDollars, decimal UnrealizedPnlDollars, decimal MaxDrawdownPct, IReadOnlyList<EquityPoint> EquityCurve);

/// <summary>Builds <see cref="AccountPanel"/> from the broker, the position book and the halt switch.</summary>
public sealed class AccountQuery
{
    private readonly IBroker _broker;
    private readonly PositionBook _positions;
    private readonly HaltSwitch _halt;
    private readonly TimeProvider _time;

    public AccountQuery(IBroker broker, PositionBook positions, HaltSwitch halt, TimeProvider time)
    {
        _broker = broker ?? throw new ArgumentNullException(nameof(broker));
        _positions = positions ?? throw new ArgumentNullException(nameof(positions));
        _halt = halt ?? throw new ArgumentNullException(nameof(halt));
        _time = time ?? throw new ArgumentNullException(nameof(time));
    }

    /// <summary>The panel now.</summary>
    public async Task<AccountPanel> ReadAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var account = await _broker.GetAccountAsync(cancellationToken);
        var held = await _broker.GetPositionsAsync(cancellationToken);
        var halt = await _halt.GetAsync(cancellationToken);
        var closed = (await _positions.AllAsync(cancellationToken))
            .Where(p => p.ClosedUtc is not null && p.RealizedPnlDollars is not null)
            .OrderBy(p => p.ClosedUtc)
            .ToArray();
        var unrealized = held.Sum(p => p.UnrealizedPnl);
        var realized = closed.Sum(p => p.RealizedPnlDollars!.Value);
        var curve = EquityCurve(account.Equity - unrealized - realized, closed.Select(p => (p.ClosedUtc!.Value, p.RealizedPnlDollars!.Value)), now, account.Equity);
        return new AccountPanel(
            now, account.Equity, account.LastEquity, account.Cash, account.BuyingPower, account.OptionsBuyingPower, _broker.IsSimulated,
            new HaltView(halt.Halted, halt.Halted ? halt.Reason : null, halt.ChangedUtc == default ? null : halt.ChangedUtc),
            realized, unrealized, curve.Count == 0 ? 0 : curve.Max(p => p.DrawdownPct), curve);
    }

    /// <summary>Equity from <paramref name="start"/> through each realized P&amp;L, then <paramref name="equityNow"/> at <paramref name="now"/>.</summary>
    public static IReadOnlyList<EquityPoint> EquityCurve(decimal start, IEnumerable<(DateTimeOffset Utc, decimal Pnl)> closes, DateTimeOffset now, decimal equityNow)
    {
        ArgumentNullException.ThrowIfNull(closes);
        var points = new List<EquityPoint>();
        var equity = start;
        var peak = start;
        void Add(DateTimeOffset utc, decimal value)
        {
            peak = Math.Max(peak, value);
            points.Add(new EquityPoint(utc, value, peak <= 0 ? 0 : decimal.Round((peak - value) / peak * 100m, 2)));
        }

        var first = true;
        foreach (var (utc, pnl) in closes)
        {
            if (first)
            {
                Add(utc.AddDays(-1), start);
                first = false;
            }

            equity += pnl;
            Add(utc, equity);
        }

        Add(now, equityNow);
        return points;
    }
}
