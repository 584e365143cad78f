using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Trading.Core.Markets;

namespace Trading.Markets.Orders;

/// <summary>
/// Deterministic client order ids (Alpaca <c>client_order_id</c>, at most 128 characters): the same run and the same
/// leg set always give the same id, so a retried activity cannot place a second order.
/// </summary>
public static class ClientOrderIds
{
    public const int MaxLength = 128;
    private const int RunIdMaxLength = 80;

    /// <summary>
    /// <c>{runId}-{hash}</c>: the run id reduced to letters, digits, '-' and '_' (first 80 characters), and 20 hex digits
    /// of SHA-256 over the legs (symbol, side, intent, ratio) in symbol order, so leg order does not matter but opening and
    /// closing the same contracts give different ids.
    /// </summary>
    public static string For(string runId, IEnumerable<OrderLeg> legs)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        ArgumentNullException.ThrowIfNull(legs);
        var canonical = string.Join(';', legs
            .Select(l => string.Create(CultureInfo.InvariantCulture, $"{l.Symbol}|{AlpacaNames.Side(l.Side)}|{AlpacaNames.Intent(l.Intent)}|{l.RatioQuantity}"))
            .Order(StringComparer.Ordinal));
        if (canonical.Length == 0)
        {
            throw new ArgumentException("An order needs at least one leg.", nameof(legs));
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(runId + "\n" + canonical)))[..20];
        var cleaned = new StringBuilder(Math.Min(runId.Length, RunIdMaxLength));
        foreach (var c in runId)
        {
            if (cleaned.Length == RunIdMaxLength)
            {
                break;
            }

            cleaned.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_');
        }

        return $"{cleaned}-{hash}";
    }
}
