using System.Globalization;
using Trading.Core.Condors;
using Trading.Core.Markets;
using Trading.Core.Options;
using Trading.Pipeline.Orchestration;

namespace Trading.Pipeline.Activities;

/// <summary>Between the core's <see cref="IronCondor"/> and the serializable <see cref="CondorProposal"/>.</summary>
public static class ProposalMapping
{
    public static CondorProposal ToProposal(IronCondor condor)
    {
        ArgumentNullException.ThrowIfNull(condor);
        return new CondorProposal
        {
            Symbol = condor.Underlying,
            Expiration = condor.Expiration,
            DaysToExpiration = condor.DaysToExpiration,
            UnderlyingPrice = condor.UnderlyingPrice,
            TargetShortDelta = Math.Round((condor.ShortPut.Delta + condor.ShortCall.Delta) / 2, 4),
            ProbabilityOfProfit = Math.Round(condor.ProbabilityOfProfit, 4),
            Legs = condor.Legs.Select(l => new ProposalLeg
            {
                Symbol = l.Symbol.ToString(),
                Right = l.Symbol.Right == OptionRight.Call ? "call" : "put",
                Strike = l.Strike,
                Side = l.Side == OrderSide.Sell ? "sell" : "buy",
                Bid = l.Quote.Bid,
                Ask = l.Quote.Ask,
                Delta = Math.Round(l.Delta, 4),
            }).ToArray(),
            MidCredit = decimal.Round(condor.NetCreditMid, 4),
            NaturalCredit = decimal.Round(condor.NetCreditNatural, 4),
            WingWidthDollars = condor.WidthDollars,
            MaxLossPerContractDollars = decimal.Round(condor.MaxLossPerContract, 2),
            MaxLegSpreadPct = decimal.Round(condor.Legs.Max(l => l.Quote.RelativeSpread) * 100m, 2),
        };
    }

    /// <summary>Rebuilds the core's condor from a proposal (legs ordered long put, short put, short call, long call).</summary>
    public static IronCondor ToCondor(CondorProposal proposal)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        CondorLeg Leg(string right, string side)
        {
            var leg = proposal.Legs.Single(l => l.Right == right && l.Side == side);
            return new CondorLeg(OccSymbol.Parse(leg.Symbol), side == "sell" ? OrderSide.Sell : OrderSide.Buy, new OptionQuote(leg.Bid, leg.Ask), leg.Delta ?? 0);
        }

        return new IronCondor(proposal.Symbol, proposal.Expiration, proposal.DaysToExpiration, proposal.UnderlyingPrice,
            Leg("put", "buy"), Leg("put", "sell"), Leg("call", "sell"), Leg("call", "buy"), proposal.ProbabilityOfProfit);
    }

    /// <summary>Sell the shorts to open, buy the wings to open.</summary>
    public static IReadOnlyList<OrderLeg> OpeningLegs(CondorProposal proposal)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        return proposal.Legs.Select(l => l.Side == "sell"
            ? new OrderLeg(OccSymbol.Parse(l.Symbol), OrderSide.Sell, PositionIntent.SellToOpen)
            : new OrderLeg(OccSymbol.Parse(l.Symbol), OrderSide.Buy, PositionIntent.BuyToOpen)).ToArray();
    }

    /// <summary>Buy back the shorts, sell the wings.</summary>
    public static IReadOnlyList<OrderLeg> ClosingLegs(IReadOnlyList<ProposalLeg> legs)
    {
        ArgumentNullException.ThrowIfNull(legs);
        return legs.Select(l => l.Side == "sell"
            ? new OrderLeg(OccSymbol.Parse(l.Symbol), OrderSide.Buy, PositionIntent.BuyToClose)
            : new OrderLeg(OccSymbol.Parse(l.Symbol), OrderSide.Sell, PositionIntent.SellToClose)).ToArray();
    }

    /// <summary>"SPY 2026-12-24 (31 DTE) 640/645P 700/705C, mid credit 1.23, width 5".</summary>
    public static string Describe(this CondorProposal proposal)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        var puts = proposal.Legs.Where(l => l.Right == "put").OrderBy(l => l.Strike).Select(l => l.Strike.ToString("0.##", CultureInfo.InvariantCulture));
        var calls = proposal.Legs.Where(l => l.Right == "call").OrderBy(l => l.Strike).Select(l => l.Strike.ToString("0.##", CultureInfo.InvariantCulture));
        return string.Create(CultureInfo.InvariantCulture,
            $"{proposal.Symbol} {proposal.Expiration:yyyy-MM-dd} ({proposal.DaysToExpiration} DTE) {string.Join('/', puts)}P {string.Join('/', calls)}C, mid credit {proposal.MidCredit:0.00}, width {proposal.WingWidthDollars:0.##}");
    }
}
