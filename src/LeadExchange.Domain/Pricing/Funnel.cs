namespace LeadExchange.Domain.Pricing;

/// <summary>
/// The funnel from the seeds: visits x site conversion -> leads x close rate -> clients. Money in minor units:
/// what one lead costs and the margin one client brings (before the lead cost).
/// </summary>
public sealed record FunnelInputs(long Visits, decimal SiteConversionPercent, decimal CloseRatePercent, long CostPerLead, long MarginPerClient);

/// <summary>
/// Leads and clients are whole people (rounded down: a forecast should not promise a fraction). Cost per client
/// and ROI are null without clients / without spend. ROI = (margin - lead spend) / lead spend, in percent.
/// </summary>
public sealed record FunnelResult(long Visits, long Leads, long Clients, long LeadSpend, long? CostPerClient, long Margin, long Profit, decimal? RoiPercent);

public static class FunnelCalculator
{
    public const long MaxVisits = 1_000_000_000;

    public static FunnelResult Calculate(FunnelInputs input)
    {
        var leads = (long)decimal.Floor(input.Visits * input.SiteConversionPercent / 100m);
        var clients = (long)decimal.Floor(leads * input.CloseRatePercent / 100m);
        var spend = leads * input.CostPerLead;
        long? costPerClient = clients > 0 ? PriceCalculator.RoundToMinor(spend / (decimal)clients) : null;
        var margin = clients * input.MarginPerClient;
        var profit = margin - spend;
        decimal? roi = spend > 0 ? decimal.Round(profit * 100m / spend, 1, MidpointRounding.AwayFromZero) : null;
        return new FunnelResult(input.Visits, leads, clients, spend, costPerClient, margin, profit, roi);
    }

    public static IEnumerable<(string Field, string Message)> Validate(FunnelInputs input)
    {
        if (input.Visits is < 0 or > MaxVisits) yield return (nameof(FunnelInputs.Visits), "Visits must be 0 to 1,000,000,000.");
        if (input.SiteConversionPercent is < 0 or > 100) yield return (nameof(FunnelInputs.SiteConversionPercent), "Site conversion is 0% to 100%.");
        if (input.CloseRatePercent is < 0 or > 100) yield return (nameof(FunnelInputs.CloseRatePercent), "Close rate is 0% to 100%.");
        if (input.CostPerLead is < 0 or > NichePriceSettings.MaxPrice) yield return (nameof(FunnelInputs.CostPerLead), "Cost per lead must be 0 to 1,000,000.00.");
        if (input.MarginPerClient is < 0 or > 10 * NichePriceSettings.MaxPrice) yield return (nameof(FunnelInputs.MarginPerClient), "Margin per client must be 0 to 10,000,000.00.");
    }
}
