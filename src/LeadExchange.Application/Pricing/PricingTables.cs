using LeadExchange.Application.Common.Interfaces;
using LeadExchange.Domain.Pricing;
using LeadExchange.Domain.Reference;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LeadExchange.Application.Pricing;

/// <summary>Section "Pricing".</summary>
public sealed class PricingOptions
{
    public const string Section = "Pricing";

    /// <summary>How long a node prices from its in-memory tables; also the bound on another node's admin change reaching it.</summary>
    public int CacheSeconds { get; set; } = 30;

    /// <summary>"Recent supply" for demand and the forecast: leads received in this many days.</summary>
    public int SupplyWindowDays { get; set; } = 7;
}

public sealed record PricedNiche(string Code, string Name, string Currency, bool IsActive, NichePriceSettings Settings, bool HasOwnSettings);

public sealed record PricedRegion(string Code, string Name, string? ParentCode, string CountryCode, bool IsActive);

/// <summary>A price and where its geo factor came from.</summary>
public sealed record PriceQuote(PricedNiche Niche, PricedRegion Region, Temperature Temperature, int Month, PriceBreakdown Breakdown, GeoMatch Geo);

/// <summary>
/// A read-only snapshot of everything a price depends on: niches with their price settings (defaults where none
/// is saved), regions, geo and demand factors. Small (niches x regions) and shared by every request of a node.
/// </summary>
public sealed class PricingTables
{
    private readonly Dictionary<(string Niche, string Region), decimal> _geo;
    private readonly Dictionary<(string Niche, string Region), decimal> _demand;

    public PricingTables(IEnumerable<PricedNiche> niches, IEnumerable<PricedRegion> regions, IEnumerable<GeoFactor> geo, IEnumerable<DemandFactor> demand)
    {
        Niches = niches.ToDictionary(n => n.Code, StringComparer.OrdinalIgnoreCase);
        Regions = regions.ToDictionary(r => r.Code, StringComparer.OrdinalIgnoreCase);
        _geo = geo.ToDictionary(g => (g.NicheCode, g.RegionCode), g => g.Factor);
        _demand = demand.ToDictionary(d => (d.NicheCode, d.RegionCode), d => d.Factor);
    }

    public IReadOnlyDictionary<string, PricedNiche> Niches { get; }
    public IReadOnlyDictionary<string, PricedRegion> Regions { get; }

    public PricedNiche? Niche(string? code) => code is not null && Niches.TryGetValue(code.Trim(), out var n) ? n : null;

    public PricedRegion? Region(string? code) => code is not null && Regions.TryGetValue(code.Trim(), out var r) ? r : null;

    public GeoMatch Geo(string nicheCode, string regionCode) =>
        GeoResolver.Resolve(regionCode, nicheCode, c => Regions.TryGetValue(c, out var r) ? r.ParentCode : null,
            (n, r) => _geo.TryGetValue((n, r), out var f) ? f : null);

    /// <summary>The region's own computed demand; 1.0 where none was computed.</summary>
    public decimal Demand(string nicheCode, string regionCode) =>
        _demand.TryGetValue((nicheCode, regionCode), out var d) ? d : DemandCalculator.Neutral;

    public PriceQuote Quote(PricedNiche niche, PricedRegion region, Temperature temperature, int month, decimal? demand = null)
    {
        var geo = Geo(niche.Code, region.Code);
        var breakdown = PriceCalculator.Calculate(niche.Settings, niche.Currency, geo.Factor, month, temperature,
            demand ?? Demand(niche.Code, region.Code));
        return new PriceQuote(niche, region, temperature, month, breakdown, geo);
    }

    public static async Task<PricingTables> LoadAsync(IAppDbContext db, CancellationToken ct)
    {
        var settings = await db.NichePriceSettings.AsNoTracking().ToDictionaryAsync(s => s.NicheCode, ct);
        var niches = await db.Niches.AsNoTracking().Select(n => new { n.Code, n.Name, n.Currency, n.IsActive }).ToListAsync(ct);
        var regions = await db.Regions.AsNoTracking()
            .Select(r => new PricedRegion(r.Code, r.Name, r.ParentCode, r.CountryCode, r.IsActive)).ToListAsync(ct);
        var geo = await db.GeoFactors.AsNoTracking().ToListAsync(ct);
        var demand = await db.DemandFactors.AsNoTracking().ToListAsync(ct);
        return new PricingTables(
            niches.Select(n => settings.TryGetValue(n.Code, out var own)
                ? new PricedNiche(n.Code, n.Name, n.Currency, n.IsActive, own, true)
                : new PricedNiche(n.Code, n.Name, n.Currency, n.IsActive, NichePriceSettings.Defaults(n.Code), false)),
            regions, geo, demand);
    }
}

/// <summary>
/// The node's pricing tables in memory for <see cref="PricingOptions.CacheSeconds"/>. An admin change on this
/// node drops them at once; other nodes pick it up when their copy expires. A load that started before a drop is
/// used by its caller but not kept, so a change is never hidden behind a copy read just before it.
/// </summary>
public sealed class PricingTablesCache(TimeProvider time, IOptions<PricingOptions> options)
{
    private sealed record Entry(PricingTables Tables, long ExpiresAt);

    private readonly Lock _gate = new();
    private Entry? _entry;
    private long _version;

    public async ValueTask<PricingTables> GetAsync(IAppDbContext db, CancellationToken ct)
    {
        var entry = Volatile.Read(ref _entry);
        if (entry is not null && time.GetTimestamp() < entry.ExpiresAt) return entry.Tables;
        return await LoadAsync(db, ct);
    }

    /// <summary>
    /// The tables, reloaded when they lack <paramref name="niche"/> or one of <paramref name="regions"/> (null or
    /// blank: not asked) that the database has: created since the tables were loaded, perhaps on another node.
    /// A code that exists nowhere costs one small lookup, not a reload.
    /// </summary>
    public async ValueTask<PricingTables> GetAsync(IAppDbContext db, string? niche, IEnumerable<string?> regions, CancellationToken ct)
    {
        var tables = await GetAsync(db, ct);
        var missingNiche = !string.IsNullOrWhiteSpace(niche) && tables.Niche(niche) is null ? niche.Trim().ToLowerInvariant() : null;
        var missingRegions = regions.Where(r => !string.IsNullOrWhiteSpace(r) && tables.Region(r) is null)
            .Select(r => r!.Trim().ToUpperInvariant()).Distinct().ToList();
        if (missingNiche is null && missingRegions.Count == 0) return tables;
        var created = (missingNiche is not null && await db.Niches.AnyAsync(n => n.Code == missingNiche, ct))
            || (missingRegions.Count > 0 && await db.Regions.AnyAsync(r => missingRegions.Contains(r.Code), ct));
        return created ? await LoadAsync(db, ct) : tables;
    }

    public void Invalidate()
    {
        lock (_gate)
        {
            _version++;
            Volatile.Write(ref _entry, null);
        }
    }

    private async Task<PricingTables> LoadAsync(IAppDbContext db, CancellationToken ct)
    {
        long version;
        lock (_gate) version = _version;
        var tables = await PricingTables.LoadAsync(db, ct);
        var ttl = (long)(Math.Max(0, options.Value.CacheSeconds) * (double)time.TimestampFrequency);
        lock (_gate)
        {
            if (_version == version) Volatile.Write(ref _entry, new Entry(tables, time.GetTimestamp() + ttl));
        }
        return tables;
    }
}
