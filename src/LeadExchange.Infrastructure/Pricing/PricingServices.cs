using LeadExchange.Application.Pricing;
using LeadExchange.Application.Pricing.Commands;
using LeadExchange.Application.Common.Interfaces;
using LeadExchange.Domain.Buying;
using LeadExchange.Domain.Leads;
using LeadExchange.Domain.Pricing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LeadExchange.Infrastructure.Pricing;

public static class PricingServices
{
    public static IServiceCollection AddPricing(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PricingOptions>().Bind(configuration.GetSection(PricingOptions.Section));
        services.AddSingleton<PricingTablesCache>();
        services.AddScoped<IPriceQuoter, PriceQuoter>();
        services.AddScoped<PricingAdmin>();
        services.AddSingleton<IDemandSignalSource, OrderBookDemandSignals>();
        return services;
    }
}

/// <summary>
/// Demand inputs from the order book and lead intake: every active lead order (its max price and daily cap)
/// counts for each region it buys in (a listed country covers its subdivisions; an order without regions counts
/// for every region of its niche that received leads), and supply is the accepted leads per (niche, region)
/// since the window start. Read in a scope of its own (the recompute job and the forecast call it).
/// </summary>
public sealed class OrderBookDemandSignals(IServiceScopeFactory scopes) : IDemandSignalSource
{
    public async Task<IReadOnlyList<DemandSignals>> LoadAsync(DateTime since, CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<IAppDbContext>();
        var supply = await db.Leads.AsNoTracking().Where(l => l.CreatedAt >= since && l.Status != LeadStatus.Rejected)
            .GroupBy(l => new { l.NicheCode, l.RegionCode }).Select(g => new { g.Key.NicheCode, g.Key.RegionCode, Count = g.Count() })
            .ToListAsync(ct);
        var orders = await db.LeadOrders.AsNoTracking().Where(o => o.Status == LeadOrderStatus.Active)
            .Select(o => new { o.NicheCode, o.RegionCodes, o.MaxPrice, o.DailyCap }).ToListAsync(ct);
        var children = (await db.Regions.AsNoTracking().Where(r => r.IsActive && r.ParentCode != null).Select(r => new { r.Code, r.ParentCode }).ToListAsync(ct))
            .ToLookup(r => r.ParentCode!, r => r.Code);

        var pairs = new Dictionary<(string Niche, string Region), (List<BuyOrderSignal> Orders, int Supply)>();
        (List<BuyOrderSignal> Orders, int Supply) Pair(string niche, string region) =>
            pairs.TryGetValue((niche, region), out var p) ? p : pairs[(niche, region)] = ([], 0);
        foreach (var s in supply) pairs[(s.NicheCode, s.RegionCode)] = (Pair(s.NicheCode, s.RegionCode).Orders, s.Count);
        foreach (var o in orders)
        {
            var listed = o.RegionCodes.Split(',', StringSplitOptions.RemoveEmptyEntries);
            var regions = listed.Length == 0
                ? supply.Where(s => s.NicheCode == o.NicheCode).Select(s => s.RegionCode)
                : listed.SelectMany(r => children[r].Prepend(r));
            foreach (var region in regions.Distinct()) Pair(o.NicheCode, region).Orders.Add(new BuyOrderSignal(o.MaxPrice, o.DailyCap));
        }
        return pairs.Select(p => new DemandSignals(p.Key.Niche, p.Key.Region, p.Value.Orders, p.Value.Supply)).ToList();
    }

    public async Task<IReadOnlyDictionary<string, int>> RecentSupplyAsync(string nicheCode, IReadOnlyCollection<string> regionCodes, DateTime since, CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<IAppDbContext>();
        var codes = regionCodes.ToList();
        return await db.Leads.AsNoTracking()
            .Where(l => l.NicheCode == nicheCode && codes.Contains(l.RegionCode) && l.CreatedAt >= since && l.Status != LeadStatus.Rejected)
            .GroupBy(l => l.RegionCode).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
    }
}
