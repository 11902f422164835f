using System.Text.Json;
using LeadExchange.Application.Common.Exceptions;
using LeadExchange.Application.Common.Interfaces;
using LeadExchange.Domain.Identity;
using LeadExchange.Domain.Pricing;
using Microsoft.EntityFrameworkCore;

namespace LeadExchange.Application.Pricing.Commands;

/// <summary>
/// What every admin edit of the price tables shares: admin only, the change and its audit row (who, when, JSON
/// before and after) saved by one SaveChanges, then this node's cached tables dropped.
/// The edit commands run no unit of work on purpose: one SaveChanges is already atomic, and inside a unit the commit
/// would come after the cache drop, so a quote read in between could put the old prices back into the cache for
/// <see cref="PricingOptions.CacheSeconds"/>.
/// </summary>
public sealed class PricingAdmin(IAppDbContext db, ICurrentUser user, IIdentityService identity, IClock clock, PricingTablesCache cache)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// Loads the niche's settings (the defaults when none is saved yet), applies <paramref name="apply"/>, checks
    /// <paramref name="validate"/> and saves. <paramref name="snapshot"/> is the audited part. Returns false when
    /// nothing changed (nothing is written then).
    /// </summary>
    public async Task<bool> EditNicheAsync(string nicheCode, PricingChangeKind kind, Func<NichePriceSettings, object> snapshot,
        Action<NichePriceSettings> apply, Func<NichePriceSettings, IEnumerable<(string Field, string Message)>> validate, CancellationToken ct)
    {
        user.RequireRole(Roles.Admin);
        var code = Normalize(nicheCode);
        if (!await db.Niches.AnyAsync(n => n.Code == code, ct)) throw new NotFoundException("Niche");
        var settings = await db.NichePriceSettings.FirstOrDefaultAsync(s => s.NicheCode == code, ct);
        var isNew = settings is null;
        settings ??= NichePriceSettings.Defaults(code);
        var before = Serialize(snapshot(settings));
        apply(settings);
        var errors = validate(settings).ToList();
        if (errors.Count > 0) throw ValidationException.From(errors);
        var after = Serialize(snapshot(settings));
        if (!isNew && before == after) return false;
        settings.UpdatedAt = clock.UtcNow;
        if (isNew) db.NichePriceSettings.Add(settings);
        return await SaveWithAuditAsync(kind, code, null, before, after, ct);
    }

    /// <summary>Sets (<paramref name="factor"/>) or removes (null) the geo factor of a region for a niche or all niches ("*" / empty).</summary>
    public async Task<bool> SetGeoFactorAsync(string? regionCode, string? nicheCode, decimal? factor, CancellationToken ct)
    {
        user.RequireRole(Roles.Admin);
        var region = (regionCode ?? "").Trim().ToUpperInvariant();
        var niche = string.IsNullOrWhiteSpace(nicheCode) || nicheCode.Trim() == GeoFactor.AllNiches ? GeoFactor.AllNiches : Normalize(nicheCode);
        var errors = new List<(string, string)>();
        if (!await db.Regions.AnyAsync(r => r.Code == region, ct)) errors.Add(("Region", "Unknown region."));
        if (niche != GeoFactor.AllNiches && !await db.Niches.AnyAsync(n => n.Code == niche, ct)) errors.Add(("Niche", "Unknown niche."));
        if (factor is { } value && GeoFactor.Validate(value) is { } message) errors.Add(("Factor", message));
        if (errors.Count > 0) throw ValidationException.From(errors);

        var row = await db.GeoFactors.FirstOrDefaultAsync(g => g.RegionCode == region && g.NicheCode == niche, ct);
        var before = row is null ? null : Serialize(new { factor = row.Factor });
        if (factor is null)
        {
            if (row is null) return false;
            db.GeoFactors.Remove(row);
            return await SaveWithAuditAsync(PricingChangeKind.GeoFactor, niche, region, before, null, ct);
        }
        if (row is not null && row.Factor == factor.Value) return false;
        if (row is null) db.GeoFactors.Add(row = new GeoFactor(region, niche, factor.Value));
        row.Factor = factor.Value;
        row.UpdatedAt = clock.UtcNow;
        return await SaveWithAuditAsync(PricingChangeKind.GeoFactor, niche, region, before, Serialize(new { factor = factor.Value }), ct);
    }

    private async Task<bool> SaveWithAuditAsync(PricingChangeKind kind, string niche, string? region, string? before, string? after, CancellationToken ct)
    {
        var adminId = user.RequireUserId();
        var email = (await identity.FindByIdAsync(adminId, ct))?.Email;
        db.PricingChanges.Add(new PricingChange(kind, niche, region, adminId, email, before, after, clock.UtcNow));
        // The platform's audit log too, in the same SaveChanges (the price tables' own history stays for the pricing pages).
        db.AuditLog.Add(Domain.Audit.AuditEntry.Create(clock.UtcNow, adminId, email, Audit.AuditActions.PricingChanged, Audit.AuditTargets.Pricing,
            $"{niche}/{region ?? kind.ToString().ToLowerInvariant()}", before, after));
        await db.SaveChangesAsync(ct);
        cache.Invalidate();
        return true;
    }

    private static string Normalize(string code) => code.Trim().ToLowerInvariant();

    private static string Serialize(object value) => JsonSerializer.Serialize(value, Json);
}
