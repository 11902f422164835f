using LeadExchange.Application.Common.Exceptions;
using LeadExchange.Application.Common.Interfaces;
using LeadExchange.Domain.Pricing;
using LeadExchange.Domain.Reference;

namespace LeadExchange.Application.Pricing;

/// <summary>Prices a lead from the node's cached tables (no database round trip on a warm cache): lead intake calls it per lead.</summary>
public interface IPriceQuoter
{
    /// <summary>
    /// The price of a lead of the niche and region with that temperature, for the calendar month of
    /// <paramref name="at"/> in UTC. Unknown niche or region: ValidationException on "Niche" / "Region".
    /// </summary>
    Task<PriceBreakdown> QuoteAsync(string nicheCode, string regionCode, Temperature temperature, DateTime at, CancellationToken ct);
}

public sealed class PriceQuoter(IAppDbContext db, PricingTablesCache cache) : IPriceQuoter
{
    public async Task<PriceBreakdown> QuoteAsync(string nicheCode, string regionCode, Temperature temperature, DateTime at, CancellationToken ct)
    {
        var tables = await cache.GetAsync(db, nicheCode, [regionCode], ct);
        var niche = tables.Niche(nicheCode) ?? throw new ValidationException("Niche", $"Unknown niche '{nicheCode}'.");
        var region = tables.Region(regionCode) ?? throw new ValidationException("Region", $"Unknown region '{regionCode}'.");
        return tables.Quote(niche, region, temperature, at.Month).Breakdown;
    }
}

/// <summary>What demand is computed from for one (niche, region): the live buy orders that would take its leads and its recent supply.</summary>
public sealed record DemandSignals(string NicheCode, string RegionCode, IReadOnlyList<BuyOrderSignal> Orders, int RecentSupply);

/// <summary>
/// Port to the order book (active lead orders) and lead intake (accepted leads per niche and region).
/// </summary>
public interface IDemandSignalSource
{
    /// <summary>Every (niche, region) with active buy orders or leads received since <paramref name="since"/>.</summary>
    Task<IReadOnlyList<DemandSignals>> LoadAsync(DateTime since, CancellationToken ct);

    /// <summary>Leads of the niche received since <paramref name="since"/>, per region; regions without any are absent.</summary>
    Task<IReadOnlyDictionary<string, int>> RecentSupplyAsync(string nicheCode, IReadOnlyCollection<string> regionCodes, DateTime since, CancellationToken ct);
}
