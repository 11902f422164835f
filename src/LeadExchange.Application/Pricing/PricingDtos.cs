using LeadExchange.Domain.Pricing;
using LeadExchange.Domain.Reference;

namespace LeadExchange.Application.Pricing;

/// <summary>
/// The factors of a price and where the geo factor came from (<see cref="GeoRegion"/>/<see cref="GeoNiche"/>:
/// the row used, "*" = all niches; both null = no factor anywhere up the hierarchy, 1.0). Money in minor units.
/// </summary>
public sealed record PriceBreakdownDto(
    long Base, decimal Geo, string? GeoRegion, string? GeoNiche, bool GeoInherited, decimal Season, decimal Temperature,
    decimal Demand, long Unclamped, long Floor, long Ceiling, long Price, bool Clamped)
{
    public static PriceBreakdownDto From(PriceQuote q) => new(
        q.Breakdown.Base, q.Breakdown.Geo, q.Geo.RegionCode, q.Geo.NicheCode, q.Geo.Inherited(q.Region.Code), q.Breakdown.Season,
        q.Breakdown.Temperature, q.Breakdown.Demand, q.Breakdown.Unclamped, q.Breakdown.Floor, q.Breakdown.Ceiling,
        q.Breakdown.Price, q.Breakdown.Clamped);
}

public sealed record PriceQuoteDto(
    string Niche, string NicheName, string Region, string RegionName, Temperature Temperature, int Month, string Currency,
    long Price, PriceBreakdownDto Breakdown)
{
    public static PriceQuoteDto From(PriceQuote q) => new(
        q.Niche.Code, q.Niche.Name, q.Region.Code, q.Region.Name, q.Temperature, q.Month, q.Niche.Currency, q.Breakdown.Price,
        PriceBreakdownDto.From(q));
}

/// <summary>A niche's price settings as an admin edits them; <see cref="HasOwnSettings"/> false = the defaults, not saved yet.</summary>
public sealed record NichePricingDto(
    string Niche, string NicheName, string Currency, bool IsActive, bool HasOwnSettings, long BasePrice, long FloorPrice, long CeilingPrice,
    IReadOnlyList<decimal> SeasonFactors, decimal HotMultiplier, decimal WarmMultiplier, decimal ColdMultiplier, DateTime? UpdatedAt)
{
    public static NichePricingDto From(PricedNiche n) => new(
        n.Code, n.Name, n.Currency, n.IsActive, n.HasOwnSettings, n.Settings.BasePrice, n.Settings.FloorPrice, n.Settings.CeilingPrice,
        n.Settings.SeasonFactors, n.Settings.HotMultiplier, n.Settings.WarmMultiplier, n.Settings.ColdMultiplier, n.Settings.UpdatedAt);
}

/// <summary>A geo factor row; <see cref="Niche"/> "*" = all niches without their own factor for the region.</summary>
public sealed record GeoFactorDto(string Region, string RegionName, string? ParentCode, string Niche, decimal Factor, DateTime? UpdatedAt);

public sealed record DemandFactorDto(string Niche, string Region, string RegionName, decimal Factor, int ActiveOrders, int RecentSupply, DateTime ComputedAt);

/// <summary>One row of the preview: a region's prices for each temperature in the chosen month.</summary>
public sealed record PriceTableRowDto(
    string Region, string RegionName, string? ParentCode, decimal Geo, string? GeoRegion, bool GeoInherited, decimal Demand,
    long Hot, long Warm, long Cold, bool Clamped);

public sealed record PriceTableDto(string Niche, string NicheName, string Currency, int Month, bool HasOwnSettings, IReadOnlyList<PriceTableRowDto> Rows);

public sealed record PricingChangeDto(Guid Id, DateTime At, string UserId, string? UserEmail, PricingChangeKind Kind, string? Niche, string? Region, string? Before, string? After);

/// <summary>
/// One region of a forecast. <see cref="RecentSupplyPerMonth"/> null = no supply data yet: then the expected leads
/// are what the budget share buys at the price, unbounded by supply.
/// </summary>
public sealed record ForecastRowDto(
    string Region, string RegionName, long Price, long BudgetShare, long AffordableLeads, int? RecentSupplyPerMonth,
    long ExpectedLeads, long Spend, bool SupplyLimited);

public sealed record LeadForecastDto(
    string Niche, string NicheName, string Currency, int Month, Temperature Temperature, long MonthlyBudget,
    IReadOnlyList<ForecastRowDto> Rows, long ExpectedLeads, long Spend, long? AveragePrice, bool HasSupplyData);
