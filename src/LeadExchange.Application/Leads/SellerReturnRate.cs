using System.Collections.Concurrent;
using LeadExchange.Application.Common.Interfaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LeadExchange.Application.Leads;

/// <summary>Sellers' return rates as last read, per node.</summary>
public sealed class SellerReturnRateCache
{
    internal ConcurrentDictionary<string, (double? Rate, DateTime ReadAt)> Entries { get; } = new(StringComparer.Ordinal);
}

/// <summary>
/// The seller's return rate for lead scoring: upheld returns over sales in the last 90 days, read from the hourly report
/// rollups (the seller's rows, at most one per hour, offer, goal and region they sold in) and kept per node for
/// <see cref="LeadIntakeOptions.SellerQualityCacheSeconds"/>. Intake used to count the seller's sales and disputes rows
/// on every lead, a cost that grew with every sale; now a lead pays one dictionary look-up, and a seller's first lead
/// after the cache expired one indexed read whose size is bounded by the 90 days, not by the sales in them. Returns
/// count in the hour of their sale (as in the reports), and the figure trails the rollup job by its interval.
/// </summary>
public sealed class SellerReturnRate(IAppDbContext db, SellerReturnRateCache cache, IOptions<LeadIntakeOptions> options)
{
    /// <summary>Below this many sales in 90 days a seller is new: no rate (scoring gives the new-seller points).</summary>
    public const int MinSales = Disputes.DisputeRates.MinSalesForReturnRate;

    public async Task<double?> ReturnRateAsync(string sellerId, DateTime now, CancellationToken ct)
    {
        var ttl = TimeSpan.FromSeconds(Math.Max(0, options.Value.SellerQualityCacheSeconds));
        if (cache.Entries.TryGetValue(sellerId, out var cached) && now - cached.ReadAt < ttl && now >= cached.ReadAt) return cached.Rate;
        var since = now.AddDays(-90);
        var rows = await db.ReportRollups.AsNoTracking()
            .Where(r => r.WebmasterId == sellerId && r.SubSlot == 0 && r.HourUtc >= since && r.AdvertiserId == "" && r.Counters.Sales > 0)
            .Select(r => new { r.Counters.Sales, r.Counters.Returns })
            .ToListAsync(ct);
        var sales = rows.Sum(r => r.Sales);
        double? rate = sales < MinSales ? null : (double)rows.Sum(r => r.Returns) / sales;
        cache.Entries[sellerId] = (rate, now);
        return rate;
    }
}
