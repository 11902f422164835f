using LeadExchange.Domain.Pricing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace LeadExchange.Infrastructure.Persistence.Seed;

/// <summary>
/// Default price tables, from the seed articles, in RUB (the seeded niches' currency; amounts below in kopecks):
/// real estate 1,000-5,000 RUB a lead, credit 500-1,500, everything between 10 and 10,000; legal services 600 RUB
/// in Moscow and 100 RUB in Murmansk (6x). A base price is a warm lead in an average month in an average Russian
/// region; geo factors are absolute multipliers (a subdivision without one takes its country's).
/// Seeded like the rest of the reference data: only what is missing, and never a geo factor an admin has
/// already edited or removed (the pricing audit says so), so admin edits survive restarts.
/// </summary>
public static class PricingReferenceData
{
    private static NichePriceSettings Prices(string niche, long baseRub, long floorRub, long ceilingRub, decimal[] season) =>
        new(niche)
        {
            BasePrice = baseRub * 100,
            FloorPrice = floorRub * 100,
            CeilingPrice = ceilingRub * 100,
            SeasonFactors = [.. season],
            HotMultiplier = 1.5m,
            WarmMultiplier = 1.0m,
            ColdMultiplier = 0.6m,
        };

    public static IReadOnlyList<NichePriceSettings> NichePrices() =>
    [
        // Spring and autumn are the property seasons; summer and the New Year holidays are quiet.
        Prices("real-estate", 2_500, 500, 10_000, [0.85m, 0.95m, 1.15m, 1.2m, 1.05m, 0.9m, 0.85m, 0.9m, 1.15m, 1.2m, 1.05m, 0.85m]),
        // Loans peak before the New Year (gifts, holidays) and in the autumn.
        Prices("credit", 750, 300, 3_000, [0.9m, 0.9m, 0.95m, 1.0m, 1.0m, 1.0m, 0.95m, 1.0m, 1.05m, 1.05m, 1.15m, 1.3m]),
        Prices("legal", 250, 50, 3_000, [0.95m, 1.0m, 1.05m, 1.05m, 1.0m, 0.95m, 0.9m, 0.9m, 1.05m, 1.05m, 1.05m, 1.0m]),
        // Motor insurance follows the driving season.
        Prices("insurance", 400, 100, 3_000, [0.95m, 0.95m, 1.1m, 1.15m, 1.1m, 1.0m, 1.0m, 0.95m, 1.0m, 1.0m, 0.95m, 0.9m]),
        // Enrolment before September and in January; summer is dead.
        Prices("education", 350, 50, 3_000, [1.1m, 1.0m, 0.95m, 0.95m, 0.9m, 0.8m, 0.85m, 1.25m, 1.3m, 1.05m, 0.95m, 0.9m]),
        Prices("auto", 700, 150, 5_000, [0.85m, 0.9m, 1.1m, 1.2m, 1.15m, 1.05m, 1.0m, 1.0m, 1.0m, 0.95m, 0.9m, 0.9m]),
        Prices("medical", 600, 100, 5_000, [1.05m, 1.0m, 1.05m, 1.05m, 1.0m, 0.9m, 0.85m, 0.9m, 1.05m, 1.1m, 1.05m, 0.95m]),
        // Renovation is a warm-weather job.
        Prices("renovation", 500, 100, 4_000, [0.8m, 0.85m, 1.05m, 1.2m, 1.25m, 1.15m, 1.1m, 1.05m, 1.0m, 0.95m, 0.85m, 0.75m]),
        Prices("b2b-services", 1_500, 300, 10_000, [0.85m, 1.0m, 1.1m, 1.05m, 1.0m, 0.95m, 0.85m, 0.85m, 1.1m, 1.1m, 1.1m, 0.95m]),
        // Booking peaks: spring (summer holidays) and before the New Year.
        Prices("travel", 300, 50, 3_000, [1.1m, 1.15m, 1.2m, 1.15m, 1.05m, 0.95m, 0.85m, 0.85m, 0.9m, 0.95m, 1.1m, 1.25m]),
    ];

    public static IReadOnlyList<GeoFactor> GeoFactors() =>
    [
        // Russia: the capitals cost most, the average region a little under the base.
        new("RU", null, 0.9m),
        new("RU-MOW", null, 2.0m),
        new("RU-SPE", null, 1.6m),
        new("RU-MOS", null, 1.5m),
        new("RU-KHM", null, 1.3m),
        new("RU-LEN", null, 1.1m),
        new("RU-KDA", null, 1.1m),
        new("RU-SVE", null, 1.1m),
        new("RU-TA", null, 1.1m),
        new("RU-TYU", null, 1.1m),
        new("RU-NVS", null, 1.0m),
        new("RU-NIZ", null, 1.0m),
        new("RU-SAM", null, 1.0m),
        new("RU-ROS", null, 1.0m),
        new("RU-KGD", null, 0.95m),
        new("RU-MUR", null, 0.7m),
        // Legal services (seed article): 600 RUB in Moscow, 100 RUB in Murmansk at a base of 250 RUB.
        new("RU-MOW", "legal", 2.4m),
        new("RU-MUR", "legal", 0.4m),
        // Other countries, priced in the niche's RUB; their subdivisions inherit unless listed.
        new("KZ", null, 0.6m),
        new("BY", null, 0.5m),
        new("US", null, 4.0m),
        new("US-NY", null, 5.0m),
        new("US-CA", null, 4.8m),
        new("DE", null, 3.2m),
        new("DE-BY", null, 3.5m),
        new("FR", null, 3.0m),
        new("FR-IDF", null, 3.6m),
        new("NL", null, 3.2m),
        new("IE", null, 3.2m),
        new("SE", null, 3.2m),
        new("AT", null, 3.0m),
        new("BE", null, 3.0m),
        new("FI", null, 3.0m),
        new("IT", null, 2.4m),
        new("ES", null, 2.2m),
        new("PT", null, 1.8m),
        new("PL", null, 1.5m),
        new("CZ", null, 1.5m),
    ];

    public static async Task SeedAsync(AppDbContext db, ILogger logger, CancellationToken ct)
    {
        var niches = await db.Niches.Select(n => n.Code).ToListAsync(ct);
        var priced = await db.NichePriceSettings.Select(s => s.NicheCode).ToListAsync(ct);
        db.NichePriceSettings.AddRange(NichePrices().Where(p => niches.Contains(p.NicheCode) && !priced.Contains(p.NicheCode)));

        var regions = await db.Regions.Select(r => r.Code).ToListAsync(ct);
        var existing = await db.GeoFactors.Select(g => new { g.RegionCode, g.NicheCode }).ToListAsync(ct);
        var edited = await db.PricingChanges.Where(c => c.Kind == PricingChangeKind.GeoFactor)
            .Select(c => new { RegionCode = c.RegionCode!, NicheCode = c.NicheCode! }).Distinct().ToListAsync(ct);
        var skip = existing.Concat(edited).Select(g => (g.RegionCode, g.NicheCode)).ToHashSet();
        db.GeoFactors.AddRange(GeoFactors().Where(g => regions.Contains(g.RegionCode)
            && (g.ForAllNiches || niches.Contains(g.NicheCode)) && !skip.Contains((g.RegionCode, g.NicheCode))));

        var added = await db.SaveChangesAsync(ct);
        if (added > 0) logger.LogInformation("Seeded {Count} pricing rows (niche prices, geo factors)", added);
    }
}
