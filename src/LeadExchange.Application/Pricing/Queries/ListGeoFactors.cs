using LeadExchange.Application.Common.Interfaces;
using LeadExchange.Domain.Identity;
using LeadExchange.Domain.Pricing;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace LeadExchange.Application.Pricing.Queries;

/// <summary>Geo factors: all of them, or those a niche uses (its own and the all-niches ones).</summary>
public sealed record ListGeoFactorsQuery(string? Niche = null) : IRequest<IReadOnlyList<GeoFactorDto>>;

public sealed class ListGeoFactorsHandler(IAppDbContext db, ICurrentUser user) : IRequestHandler<ListGeoFactorsQuery, IReadOnlyList<GeoFactorDto>>
{
    public async Task<IReadOnlyList<GeoFactorDto>> Handle(ListGeoFactorsQuery request, CancellationToken cancellationToken)
    {
        user.RequireRole(Roles.Admin);
        var niche = PricingInput.NicheFilter(request.Niche);
        var rows = await (
            from g in db.GeoFactors.AsNoTracking()
            join r in db.Regions.AsNoTracking() on g.RegionCode equals r.Code
            where niche == null || g.NicheCode == niche || g.NicheCode == GeoFactor.AllNiches
            select new GeoFactorDto(g.RegionCode, r.Name, r.ParentCode, g.NicheCode, g.Factor, g.UpdatedAt)).ToListAsync(cancellationToken);
        // Ordered here: SQLite cannot order by the decimal columns and the list is small.
        return rows.OrderBy(g => g.Region.Split('-')[0], StringComparer.Ordinal).ThenBy(g => g.ParentCode is null ? 0 : 1)
            .ThenBy(g => g.RegionName, StringComparer.CurrentCulture).ThenBy(g => g.Niche == GeoFactor.AllNiches ? 0 : 1).ThenBy(g => g.Niche, StringComparer.Ordinal)
            .ToList();
    }
}
