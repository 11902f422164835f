namespace LeadExchange.Domain.Reports;

/// <summary>Whose figures a report shows: money columns mean different things to each side.</summary>
public enum ReportPerspective { Advertiser, Webmaster, Platform }

/// <summary>
/// The figures of one report row, derived from summed <see cref="ReportCounters"/> for one perspective.
/// Ratios are null when their denominator is zero (a report shows "—", never a division by zero).
/// <list type="bullet">
/// <item>Leads: the webmaster's accepted leads; for an advertiser, the leads they bought (sales).</item>
/// <item>Spend (advertiser): conversion cost plus lead purchases, less returned purchases.</item>
/// <item>Earnings (webmaster): conversion payouts plus seller shares of sales, less returned sales.</item>
/// <item>CR = conversions / clicks; EPC = earnings (or spend) / clicks; CPL = lead spend / leads bought;
/// CPA = conversion cost / conversions; return rate = returns / sales; ROI = (revenue - spend) / spend.</item>
/// </list>
/// </summary>
public sealed record ReportFigures(
    long Clicks, long UniqueClicks, long Leads, long LeadsRejected, long LeadsSold, long Conversions,
    long ConversionsApproved, long ConversionsPending, long ConversionsRejected, long Returns,
    long Spend, long Earnings, long Revenue,
    decimal? ConversionRate, decimal? Epc, decimal? Cpl, decimal? Cpa, decimal? ReturnRate, decimal? Roi)
{
    public static ReportFigures From(ReportCounters c, ReportPerspective perspective)
    {
        // Checked: a figure past the Int64 range throws instead of wrapping to a negative total.
        var conversions = checked(c.ConversionsApproved + c.ConversionsPending);
        var leadSpend = checked(c.SalesAmount - c.ReturnedAmount);
        var spend = checked(c.ConversionCost + leadSpend);
        var earnings = checked(c.ConversionPayout + c.SellerShare - c.ReturnedSellerShare);
        var revenue = checked(c.SalesRevenue + c.ConversionRevenue);
        var money = perspective switch
        {
            ReportPerspective.Advertiser => spend,
            ReportPerspective.Webmaster => earnings,
            _ => spend,
        };
        var leads = perspective == ReportPerspective.Advertiser ? c.Sales : c.Leads;
        return new ReportFigures(
            c.Clicks, c.UniqueClicks, leads, c.LeadsRejected, c.Sales, conversions,
            c.ConversionsApproved, c.ConversionsPending, c.ConversionsRejected, c.Returns,
            spend, earnings, revenue,
            Ratio(conversions * 100m, c.Clicks, 2),
            Ratio(money, c.Clicks, 2),
            Ratio(leadSpend, c.Sales - c.Returns, 0),
            Ratio(c.ConversionCost, conversions, 0),
            Ratio(c.Returns * 100m, c.Sales, 2),
            perspective == ReportPerspective.Advertiser && revenue > 0 ? Ratio(((decimal)revenue - spend) * 100m, spend, 2) : null);
    }

    private static decimal? Ratio(decimal numerator, long denominator, int decimals) =>
        denominator <= 0 ? null : Math.Round(numerator / denominator, decimals, MidpointRounding.AwayFromZero);
}
