namespace Trading.Core.Options;

/// <summary>
/// An underlying's listed options at one moment, grouped by expiration and sorted by strike.
/// SPY options are American-style; we price them as European (Black–Scholes–Merton), which is close for
/// out-of-the-money short-dated strikes on a low-dividend ETF and is what the greeks feeds do as well.
/// </summary>
public sealed class OptionChain
{
    private readonly SortedDictionary<DateOnly, IReadOnlyList<OptionSnapshot>> _byExpiration;

    public OptionChain(string underlying, decimal underlyingPrice, DateTimeOffset asOf, IEnumerable<OptionSnapshot> options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(underlying);
        ArgumentNullException.ThrowIfNull(options);
        Underlying = underlying;
        UnderlyingPrice = underlyingPrice;
        AsOf = asOf;
        _byExpiration = new SortedDictionary<DateOnly, IReadOnlyList<OptionSnapshot>>();
        foreach (var group in options.GroupBy(o => o.Expiration))
        {
            _byExpiration[group.Key] = group.OrderBy(o => o.Strike).ThenBy(o => o.Right).ToArray();
        }

        Count = _byExpiration.Values.Sum(v => v.Count);
    }

    public string Underlying { get; }

    public decimal UnderlyingPrice { get; }

    public DateTimeOffset AsOf { get; }

    /// <summary>Number of contracts in the chain.</summary>
    public int Count { get; }

    /// <summary>Listed expirations, earliest first.</summary>
    public IReadOnlyCollection<DateOnly> Expirations => _byExpiration.Keys;

    /// <summary>All contracts of one expiration sorted by strike (empty when not listed).</summary>
    public IReadOnlyList<OptionSnapshot> ForExpiration(DateOnly expiration) =>
        _byExpiration.TryGetValue(expiration, out var list) ? list : [];

    /// <summary>Contracts of one expiration and right, sorted by strike.</summary>
    public IEnumerable<OptionSnapshot> ForExpiration(DateOnly expiration, OptionRight right) =>
        ForExpiration(expiration).Where(o => o.Right == right);

    /// <summary>Every contract, by expiration then strike.</summary>
    public IEnumerable<OptionSnapshot> All => _byExpiration.Values.SelectMany(v => v);
}
