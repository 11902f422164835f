using LeadExchange.Application.Common.Interfaces;
using LeadExchange.Application.Common.Models;
using LeadExchange.Domain.Identity;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace LeadExchange.Application.Pricing.Queries;

/// <summary>The audit of price edits, newest first; with a niche, that niche's changes (geo factors for all niches included).</summary>
public sealed record ListPricingChangesQuery(string? Niche = null, int? Page = null, int? PageSize = null) : IRequest<PagedResult<PricingChangeDto>>;

public sealed class ListPricingChangesHandler(IAppDbContext db, ICurrentUser user) : IRequestHandler<ListPricingChangesQuery, PagedResult<PricingChangeDto>>
{
    public async Task<PagedResult<PricingChangeDto>> Handle(ListPricingChangesQuery request, CancellationToken cancellationToken)
    {
        user.RequireRole(Roles.Admin);
        var (page, pageSize) = Paging.Normalize(request.Page, request.PageSize);
        var niche = PricingInput.NicheFilter(request.Niche);
        var query = db.PricingChanges.AsNoTracking()
            .Where(c => niche == null || c.NicheCode == niche || c.NicheCode == Domain.Pricing.GeoFactor.AllNiches);
        var total = await query.CountAsync(cancellationToken);
        var items = await query.OrderByDescending(c => c.At).ThenByDescending(c => c.Id).Skip((page - 1) * pageSize).Take(pageSize)
            .Select(c => new PricingChangeDto(c.Id, c.At, c.UserId, c.UserEmail, c.Kind, c.NicheCode, c.RegionCode, c.Before, c.After))
            .ToListAsync(cancellationToken);
        return new PagedResult<PricingChangeDto>(items, page, pageSize, total);
    }
}
