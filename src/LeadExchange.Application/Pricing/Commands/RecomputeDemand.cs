using LeadExchange.Application.Common.Interfaces;
using LeadExchange.Domain.Pricing;
using LeadExchange.Domain.Reference;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LeadExchange.Application.Pricing.Commands;

/// <summary>
/// Recomputes every (niche, region) demand factor from the order book and recent supply (see
/// <see cref="DemandCalculator"/>); pairs that no longer have any signal go back to 1.0. Run by the background
/// jobs on every node: each node computes the same values from the same data and only overwrites rows, so two
/// runs at once write the same thing (an insert that loses the race is retried as an update). Answers how many
/// factors changed.
/// </summary>
public sealed record RecomputeDemandCommand : IRequest<int>;

public sealed class RecomputeDemandHandler(
    IAppDbContext db, IDemandSignalSource source, PricingTablesCache cache, IClock clock, IOptions<PricingOptions> options)
    : IRequestHandler<RecomputeDemandCommand, int>
{
    public async Task<int> Handle(RecomputeDemandCommand request, CancellationToken cancellationToken)
    {
        var now = clock.UtcNow;
        var windowDays = Math.Max(1, options.Value.SupplyWindowDays);
        var signals = await source.LoadAsync(now.AddDays(-windowDays), cancellationToken);
        var tables = await PricingTables.LoadAsync(db, cancellationToken);
        var computed = new Dictionary<(string, string), (decimal Factor, int Orders, int Supply)>();
        foreach (var s in signals)
        {
            if (tables.Niche(s.NicheCode) is not { } niche || tables.Region(s.RegionCode) is not { } region) continue;
            // Demand compares bids with the list price before demand: warm, this month.
            var reference = tables.Quote(niche, region, Temperature.Warm, now.Month, DemandCalculator.Neutral).Breakdown.Price;
            computed[(niche.Code, region.Code)] = (DemandCalculator.Compute(s.Orders, s.RecentSupply, windowDays, reference), s.Orders.Count, s.RecentSupply);
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var changed = await WriteAsync(new(computed), now, cancellationToken);
                if (changed > 0) cache.Invalidate();
                return changed;
            }
            catch (DbUpdateException) when (attempt < 3)
            {
                // Another node inserted the same pair first: its row now exists, so the next pass updates it.
                db.ClearChangeTracker();
            }
        }
    }

    private async Task<int> WriteAsync(Dictionary<(string, string), (decimal Factor, int Orders, int Supply)> computed, DateTime now, CancellationToken ct)
    {
        var rows = await db.DemandFactors.ToListAsync(ct);
        var changed = 0;
        foreach (var row in rows)
        {
            var (factor, orders, supply) = computed.Remove((row.NicheCode, row.RegionCode), out var value) ? value : (DemandCalculator.Neutral, 0, 0);
            if (row.Set(factor, orders, supply, now)) changed++;
        }
        foreach (var ((niche, region), value) in computed)
        {
            var row = new DemandFactor(niche, region);
            row.Set(value.Factor, value.Orders, value.Supply, now);
            db.DemandFactors.Add(row);
            changed++;
        }
        await db.SaveChangesAsync(ct);
        return changed;
    }
}
