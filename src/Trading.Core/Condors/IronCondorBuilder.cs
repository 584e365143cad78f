using System.Globalization;
using Trading.Core.Markets;
using Trading.Core.Options;

namespace Trading.Core.Condors;

/// <summary>
/// Builds a short iron condor from an option chain: the expiration in the DTE window nearest the target, short strikes at the
/// target absolute delta (chain greeks, else delta from the chain's implied volatility), wings snapped to listed strikes, and
/// quote checks. Either returns the condor or a <see cref="CondorRefusal"/> with the values that caused it. Pure and deterministic.
/// </summary>
public sealed class IronCondorBuilder
{
    private readonly CondorSettings _settings;

    public IronCondorBuilder(CondorSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _settings = settings;
    }

    /// <summary>Builds with the settings' target delta and width, or the variant's when given.</summary>
    public CondorBuildResult Build(OptionChain chain, DateTimeOffset valuationTime, StrategyVariant? variant = null)
    {
        ArgumentNullException.ThrowIfNull(chain);
        var s = _settings;
        var targetDelta = variant?.ShortDelta ?? s.TargetShortDelta;
        var targetWidth = variant?.WingWidthDollars ?? s.WingWidthDollars;
        if (chain.UnderlyingPrice <= 0)
        {
            return Refuse(CondorRefusalReason.InvalidInput, $"underlying price {F(chain.UnderlyingPrice)} is not positive");
        }

        if (targetWidth <= 0 || !(targetDelta > 0 && targetDelta < 1))
        {
            return Refuse(CondorRefusalReason.InvalidInput, $"target delta {F(targetDelta)} must be in (0, 1) and wing width {F(targetWidth)} positive");
        }

        // 1. Expiration: inside [MinDte, MaxDte], nearest TargetDte, earlier on a tie.
        DateOnly? expiration = null;
        var bestDistance = int.MaxValue;
        foreach (var e in chain.Expirations)
        {
            var dte = ExpirationTime.DaysUntil(e, valuationTime);
            if (dte < s.MinDte || dte > s.MaxDte)
            {
                continue;
            }

            var distance = Math.Abs(dte - s.TargetDte);
            if (distance < bestDistance)
            {
                bestDistance = distance;
                expiration = e;
            }
        }

        if (expiration is not { } expiry)
        {
            var listed = string.Join(", ", chain.Expirations.Select(e => $"{e:yyyy-MM-dd} ({ExpirationTime.DaysUntil(e, valuationTime)} DTE)"));
            return Refuse(CondorRefusalReason.NoExpiryInWindow,
                $"no expiration with {s.MinDte}-{s.MaxDte} DTE; listed: {(listed.Length == 0 ? "none" : listed)}");
        }

        var daysToExpiration = ExpirationTime.DaysUntil(expiry, valuationTime);
        var years = ExpirationTime.YearsUntil(expiry, valuationTime);
        var spot = (double)chain.UnderlyingPrice;
        var rate = s.RiskFreeRatePct / 100.0;
        var dividend = s.DividendYieldPct / 100.0;
        var contracts = chain.ForExpiration(expiry);
        var puts = contracts.Where(o => o.Right == OptionRight.Put).ToArray();
        var calls = contracts.Where(o => o.Right == OptionRight.Call).ToArray();

        // 2. Short strikes by absolute delta.
        var putPick = PickShort(puts, OptionRight.Put, spot, years, rate, dividend, targetDelta, expiry);
        if (putPick.Refusal is not null)
        {
            return new CondorBuildResult(null, putPick.Refusal);
        }

        var callPick = PickShort(calls, OptionRight.Call, spot, years, rate, dividend, targetDelta, expiry);
        if (callPick.Refusal is not null)
        {
            return new CondorBuildResult(null, callPick.Refusal);
        }

        var shortPut = putPick.Option!;
        var shortCall = callPick.Option!;
        if (shortPut.Strike >= shortCall.Strike)
        {
            return Refuse(CondorRefusalReason.NoStrikeNearTargetDelta,
                $"short put strike {F(shortPut.Strike)} is not below short call strike {F(shortCall.Strike)}");
        }

        // 3. Wings snapped to listed strikes.
        var longPut = PickWing(puts.Where(o => o.Strike < shortPut.Strike), shortPut.Strike - targetWidth, narrowerIsHigher: true);
        var longCall = PickWing(calls.Where(o => o.Strike > shortCall.Strike), shortCall.Strike + targetWidth, narrowerIsHigher: false);
        if (longPut is null || longCall is null)
        {
            return Refuse(CondorRefusalReason.NoWingStrike,
                longPut is null
                    ? $"no listed put below the short put strike {F(shortPut.Strike)} on {expiry:yyyy-MM-dd}"
                    : $"no listed call above the short call strike {F(shortCall.Strike)} on {expiry:yyyy-MM-dd}");
        }

        var halfWidth = targetWidth / 2m;
        var putWidth = shortPut.Strike - longPut.Strike;
        var callWidth = longCall.Strike - shortCall.Strike;
        if (putWidth < halfWidth || callWidth < halfWidth)
        {
            return Refuse(CondorRefusalReason.WingTooNarrow,
                $"wing widths put {F(putWidth)} / call {F(callWidth)} dollars; at least half the target {F(targetWidth)} ({F(halfWidth)}) is required");
        }

        // 4. Quotes.
        foreach (var leg in new[] { longPut, shortPut, shortCall, longCall })
        {
            if (leg.Quote.IsCrossed)
            {
                return Refuse(CondorRefusalReason.CrossedQuotes,
                    $"{leg.Symbol} has bid {F(leg.Quote.Bid)} above ask {F(leg.Quote.Ask)}");
            }

            if (leg.Quote.Bid < 0 || leg.Quote.Ask <= 0)
            {
                return Refuse(CondorRefusalReason.MissingQuote,
                    $"{leg.Symbol} has no usable quote (bid {F(leg.Quote.Bid)}, ask {F(leg.Quote.Ask)})");
            }
        }

        var condor = new IronCondor(
            chain.Underlying,
            expiry,
            daysToExpiration,
            chain.UnderlyingPrice,
            new CondorLeg(longPut.Symbol, OrderSide.Buy, longPut.Quote, Math.Abs(DeltaOf(longPut, spot, years, rate, dividend) ?? 0)),
            new CondorLeg(shortPut.Symbol, OrderSide.Sell, shortPut.Quote, putPick.AbsDelta),
            new CondorLeg(shortCall.Symbol, OrderSide.Sell, shortCall.Quote, callPick.AbsDelta),
            new CondorLeg(longCall.Symbol, OrderSide.Buy, longCall.Quote, Math.Abs(DeltaOf(longCall, spot, years, rate, dividend) ?? 0)),
            ProbabilityOfProfit: 0);

        // 5. Credit (a debit first: it is the more basic fault), short bids, minimum credit, spread.
        var credit = condor.NetCreditMid;
        if (credit <= 0)
        {
            return Refuse(CondorRefusalReason.NetDebit,
                $"the legs net to a debit of {F(-credit)} at mid (natural {F(condor.NetCreditNatural)}); a condor must be opened for a credit");
        }

        foreach (var leg in new[] { shortPut, shortCall })
        {
            if (leg.Quote.Bid < s.MinShortBidDollars)
            {
                return Refuse(CondorRefusalReason.ShortBidTooLow,
                    $"short {leg.Symbol} bid {F(leg.Quote.Bid)} is below the minimum {F(s.MinShortBidDollars)}");
            }
        }

        if (credit < s.MinCreditDollars)
        {
            return Refuse(CondorRefusalReason.CreditBelowMinimum,
                $"net credit {F(credit)} at mid is below the minimum {F(s.MinCreditDollars)}");
        }

        if (credit >= condor.WidthDollars)
        {
            return Refuse(CondorRefusalReason.CreditNotBelowWidth,
                $"net credit {F(credit)} is not below the width {F(condor.WidthDollars)}; the quotes cannot be right");
        }

        var relativeSpreadPct = condor.NetSpread / credit * 100m;
        if (relativeSpreadPct > s.MaxRelativeSpreadPct)
        {
            return Refuse(CondorRefusalReason.SpreadTooWide,
                $"combined bid-ask spread {F(condor.NetSpread)} is {F(Math.Round(relativeSpreadPct, 2))}% of the net credit {F(credit)}; maximum {F(s.MaxRelativeSpreadPct)}%");
        }

        var pop = ProbabilityOfProfit(condor, shortPut, shortCall, spot, years, rate, dividend, putPick.AbsDelta, callPick.AbsDelta);
        return CondorBuildResult.Built(condor with { ProbabilityOfProfit = pop });
    }

    private (OptionSnapshot? Option, double AbsDelta, CondorRefusal? Refusal) PickShort(
        OptionSnapshot[] options, OptionRight right, double spot, double years, double rate, double dividend, double target, DateOnly expiry)
    {
        var side = right == OptionRight.Put ? "put" : "call";
        var minBand = _settings.MinShortDelta;
        var maxBand = _settings.MaxShortDelta;
        OptionSnapshot? best = null;
        double bestAbs = double.NaN, bestDistance = double.MaxValue, nearestAny = double.NaN, nearestAnyDistance = double.MaxValue;
        var withDelta = 0;
        foreach (var o in options)
        {
            if (DeltaOf(o, spot, years, rate, dividend) is not { } delta)
            {
                continue;
            }

            withDelta++;
            var abs = Math.Abs(delta);
            var distance = Math.Abs(abs - target);
            if (distance < nearestAnyDistance)
            {
                nearestAnyDistance = distance;
                nearestAny = abs;
            }

            // Must be out of the money and inside the accepted band; ties go to the smaller delta (further out).
            var outOfMoney = right == OptionRight.Put ? (double)o.Strike < spot : (double)o.Strike > spot;
            if (!outOfMoney || abs < minBand || abs > maxBand)
            {
                continue;
            }

            if (distance < bestDistance - 1e-12 || (Math.Abs(distance - bestDistance) <= 1e-12 && abs < bestAbs))
            {
                best = o;
                bestAbs = abs;
                bestDistance = distance;
            }
        }

        if (options.Length > 0 && withDelta == 0)
        {
            return (null, double.NaN, new CondorRefusal(CondorRefusalReason.MissingGreeksAndIv,
                $"none of the {options.Length} {side}s on {expiry:yyyy-MM-dd} has greeks or an implied volatility"));
        }

        if (best is null)
        {
            return (null, double.NaN, new CondorRefusal(CondorRefusalReason.NoStrikeNearTargetDelta,
                options.Length == 0
                    ? $"no {side}s listed on {expiry:yyyy-MM-dd}"
                    : $"no out-of-the-money {side} on {expiry:yyyy-MM-dd} has an absolute delta in [{F(minBand)}, {F(maxBand)}] (target {F(target)}); nearest was {F(Math.Round(nearestAny, 4))}"));
        }

        return (best, bestAbs, null);
    }

    private static OptionSnapshot? PickWing(IEnumerable<OptionSnapshot> beyondShort, decimal desiredStrike, bool narrowerIsHigher)
    {
        OptionSnapshot? best = null;
        var bestDistance = decimal.MaxValue;
        foreach (var o in beyondShort)
        {
            var distance = Math.Abs(o.Strike - desiredStrike);

            // Two strikes equally far from the target: take the narrower wing (less capital at risk).
            var tieButNarrower = best is not null && distance == bestDistance
                && (narrowerIsHigher ? o.Strike > best.Strike : o.Strike < best.Strike);
            if (distance < bestDistance || tieButNarrower)
            {
                best = o;
                bestDistance = distance;
            }
        }

        return best;
    }

    /// <summary>Signed delta from the chain's greeks, else from its implied volatility; null when neither is usable.</summary>
    public static double? DeltaOf(OptionSnapshot option, double spot, double years, double rate, double dividendYield)
    {
        ArgumentNullException.ThrowIfNull(option);
        if (option.Greeks is { } g && double.IsFinite(g.Delta) && g.Delta != 0)
        {
            return g.Delta;
        }

        if (option.ImpliedVolatility is { } iv && double.IsFinite(iv) && iv > 0)
        {
            return BlackScholes.PriceWithGreeks(option.Right, spot, (double)option.Strike, years, rate, dividendYield, iv).Greeks.Delta;
        }

        return null;
    }

    private static double ProbabilityOfProfit(
        IronCondor condor, OptionSnapshot shortPut, OptionSnapshot shortCall, double spot, double years, double rate, double dividend,
        double putDelta, double callDelta)
    {
        var putVol = VolatilityOf(shortPut, spot, years, rate, dividend);
        var callVol = VolatilityOf(shortCall, spot, years, rate, dividend);
        if (putVol is { } pv && callVol is { } cv && years > 0)
        {
            // Risk-neutral lognormal probability that the underlying ends between the breakevens, each tail at its own short's volatility.
            var belowLower = 1 - TailAbove((double)condor.LowerBreakeven, spot, years, rate, dividend, pv);
            var aboveUpper = TailAbove((double)condor.UpperBreakeven, spot, years, rate, dividend, cv);
            var pop = 1 - belowLower - aboveUpper;
            if (double.IsFinite(pop))
            {
                return Math.Clamp(pop, 0, 1);
            }
        }

        // Without a volatility, the shorts' deltas approximate the chance of finishing beyond each short strike.
        return Math.Clamp(1 - putDelta - callDelta, 0, 1);
    }

    private static double TailAbove(double level, double spot, double years, double rate, double dividend, double vol)
    {
        if (level <= 0)
        {
            return 1;
        }

        var d2 = (Math.Log(spot / level) + (rate - dividend - 0.5 * vol * vol) * years) / (vol * Math.Sqrt(years));
        return NormalDistribution.Cdf(d2);
    }

    private static double? VolatilityOf(OptionSnapshot option, double spot, double years, double rate, double dividend)
    {
        if (option.ImpliedVolatility is { } iv && double.IsFinite(iv) && iv > 0)
        {
            return iv;
        }

        var solved = ImpliedVolatility.Solve(option.Right, (double)option.Quote.Mid, spot, (double)option.Strike, years, rate, dividend);
        return solved.Succeeded ? solved.Volatility : null;
    }

    private static CondorBuildResult Refuse(CondorRefusalReason reason, string message) => CondorBuildResult.Refused(reason, message);

    private static string F(decimal d) => d.ToString(CultureInfo.InvariantCulture);

    private static string F(double d) => d.ToString("0.####", CultureInfo.InvariantCulture);
}
