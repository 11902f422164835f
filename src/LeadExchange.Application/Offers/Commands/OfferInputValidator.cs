using LeadExchange.Application.Common.Interfaces;
using LeadExchange.Application.Offers.Dtos;
using Microsoft.EntityFrameworkCore;

namespace LeadExchange.Application.Offers.Commands;

/// <summary>Field rules of an offer: the domain's own rules plus the niche and regions existing.</summary>
public sealed class OfferInputValidator(IAppDbContext db)
{
    public async Task<IReadOnlyList<(string Field, string Message)>> ValidateAsync(OfferInput input, CancellationToken ct)
    {
        var spec = input.ToSpec();
        var errors = spec.Validate().ToList();
        if (string.IsNullOrWhiteSpace(spec.NicheCode))
            errors.Add((nameof(OfferInput.NicheCode), "Choose a niche."));
        else if (!await db.Niches.AnyAsync(n => n.Code == spec.NicheCode && n.IsActive, ct))
            errors.Add((nameof(OfferInput.NicheCode), $"Unknown niche '{spec.NicheCode}'."));
        if (spec.RegionCodes.Count > 0)
        {
            var known = await db.Regions.Where(r => spec.RegionCodes.Contains(r.Code) && r.IsActive).Select(r => r.Code).ToListAsync(ct);
            var unknown = spec.RegionCodes.Except(known).ToList();
            if (unknown.Count > 0)
                errors.Add(("Regions", $"Unknown regions: {string.Join(", ", unknown)}."));
        }
        // The domain names the field RegionCodes; the API and forms call it Regions.
        return errors.Select(e => e.Field == "RegionCodes" ? ("Regions", e.Message) : e).ToList();
    }
}
