using LeadExchange.Application.Common.Interfaces;
using LeadExchange.Application.Offers.Dtos;
using Microsoft.EntityFrameworkCore;

namespace LeadExchange.Application.Offers.Commands;

/// <summary>Field rules of an offer: the domain's own rules plus the niche and regions existing.</summary>
public sealed class OfferInputValidator(IAppDbContext db)
{
    private static string ToRequestField(string field) => field == "RegionCodes"
        ? nameof(OfferInput.Regions)
        : field.Replace("PercentBp", "Percent", StringComparison.Ordinal);

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
        // The domain's names differ from the request's in two places: RegionCodes and the basis-point percents.
        return errors.Select(e => (ToRequestField(e.Field), e.Message)).ToList();
    }
}
