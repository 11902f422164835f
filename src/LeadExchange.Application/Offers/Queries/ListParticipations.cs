using AutoMapper;
using AutoMapper.QueryableExtensions;
using LeadExchange.Application.Common.Interfaces;
using LeadExchange.Application.Common.Models;
using LeadExchange.Application.Offers.Dtos;
using LeadExchange.Domain.Identity;
using LeadExchange.Domain.Offers;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace LeadExchange.Application.Offers.Queries;

/// <summary>
/// Participations: an advertiser sees those in their own offers (without link codes); a webmaster
/// sees their own (with the tracking link once approved).
/// </summary>
public sealed record ListParticipationsQuery(Guid? OfferId = null, ParticipationStatus? Status = null, int? Page = null, int? PageSize = null)
    : IRequest<PagedResult<ParticipationDto>>;

public sealed class ListParticipationsHandler(IAppDbContext db, ICurrentUser user, IMapper mapper, IPublicUrls urls, IIdentityService identity)
    : IRequestHandler<ListParticipationsQuery, PagedResult<ParticipationDto>>
{
    public async Task<PagedResult<ParticipationDto>> Handle(ListParticipationsQuery request, CancellationToken cancellationToken)
    {
        user.RequireRole(Roles.Advertiser, Roles.Webmaster);
        var userId = user.RequireUserId();
        var (page, pageSize) = Paging.Normalize(request.Page, request.PageSize);
        var asWebmaster = user.IsInRole(Roles.Webmaster);

        var query = asWebmaster
            ? db.OfferParticipations.Where(p => p.WebmasterId == userId)
            : db.OfferParticipations.Where(p => db.Offers.Any(o => o.Id == p.OfferId && o.AdvertiserId == userId));
        if (request.OfferId is { } offerId) query = query.Where(p => p.OfferId == offerId);
        if (request.Status is { } status) query = query.Where(p => p.Status == status);

        var total = await query.CountAsync(cancellationToken);
        var items = await query.AsNoTracking().OrderByDescending(p => p.CreatedAt).ThenBy(p => p.Id)
            .Skip((page - 1) * pageSize).Take(pageSize)
            .ProjectTo<ParticipationDto>(mapper.ConfigurationProvider).ToListAsync(cancellationToken);

        var result = new List<ParticipationDto>(items.Count);
        foreach (var p in items)
        {
            if (asWebmaster)
                result.Add(ParticipationView.ForOwner(p, urls));
            else
            {
                var webmaster = await identity.FindByIdAsync(p.WebmasterId, cancellationToken);
                result.Add(p with { LinkCode = null, TrackingUrl = null, WebmasterName = webmaster?.DisplayName ?? "" });
            }
        }
        return new PagedResult<ParticipationDto>(result, page, pageSize, total);
    }
}
