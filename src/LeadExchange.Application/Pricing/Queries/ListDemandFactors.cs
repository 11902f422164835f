using LeadExchange.Application.Common.Interfaces;
using LeadExchange.Domain.Identity;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace LeadExchange.Application.Pricing.Queries;

/// <summary>The computed demand factors (all, or one niche's); pairs without a row are 1.0.</summary>
public sealed record ListDemandFactorsQuery(string? Niche = null) : IRequest<IReadOnlyList<DemandFactorDto>>;

public sealed class ListDemandFactorsHandler(IAppDbContext db, ICurrentUser user) : IRequestHandler<ListDemandFactorsQuery, IReadOnlyList<DemandFactorDto>>
{
    public async Task<IReadOnlyList<DemandFactorDto>> Handle(ListDemandFactorsQuery request, CancellationToken cancellationToken)
    {
        user.RequireRole(Roles.Admin);
        var niche = PricingInput.NicheFilter(request.Niche);
        var rows = await (
            from d in db.DemandFactors.AsNoTracking()
            join r in db.Regions.AsNoTracking() on d.RegionCode equals r.Code
            where niche == null || d.NicheCode == niche
            select new DemandFactorDto(d.NicheCode, d.RegionCode, r.Name, d.Factor, d.ActiveOrders, d.RecentSupply, d.ComputedAt)).ToListAsync(cancellationToken);
        return rows.OrderBy(d => d.Niche, StringComparer.Ordinal).ThenBy(d => d.Region, StringComparer.Ordinal).ToList();
    }
}
