using LeadExchange.Domain.Common;
using LeadExchange.Domain.Offers;

namespace LeadExchange.Domain.Tracking;

/// <summary>What a conversion of a goal costs the advertiser and earns the webmaster, in minor units.</summary>
public static class ConversionPayout
{
    /// <summary>
    /// Fixed goals (CPA, CPL, CPS fixed) pay their amounts. Percent CPS goals pay a share of the sale amount,
    /// rounded down to the minor unit for each side (never more than the stated percent). A percent goal
    /// without a sale amount cannot be priced.
    /// </summary>
    public static (long Advertiser, long Webmaster) Compute(OfferGoal goal, long? saleAmountMinor)
    {
        if (!goal.IsPercent) return (goal.AdvertiserAmount, goal.WebmasterAmount);
        if (saleAmountMinor is null or <= 0)
            throw new DomainException("bad_amount", $"Goal '{goal.Code}' pays a percent of the sale: send amount.", "amount");
        var advertiser = (long)((Int128)saleAmountMinor.Value * goal.AdvertiserPercentBp!.Value / 10_000);
        var webmaster = (long)((Int128)saleAmountMinor.Value * (goal.WebmasterPercentBp ?? 0) / 10_000);
        return (advertiser, Math.Min(webmaster, advertiser));
    }
}
