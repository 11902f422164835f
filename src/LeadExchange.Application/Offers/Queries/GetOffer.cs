using AutoMapper;
using AutoMapper.QueryableExtensions;
using LeadExchange.Application.Common.Exceptions;
using LeadExchange.Application.Common.Interfaces;
using LeadExchange.Application.Offers.Dtos;
using LeadExchange.Domain.Identity;
using LeadExchange.Domain.Offers;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace LeadExchange.Application.Offers.Queries;

/// <summary>
/// One offer. Advertisers see only their own; webmasters see active offers and any offer they joined;
/// admins and moderators see all. Anything else is 404.
/// </summary>
public sealed record GetOfferQuery(Guid Id) : IRequest<OfferDto>;

public sealed class GetOfferHandler(IAppDbContext db, ICurrentUser user, IMapper mapper, IPublicUrls urls)
    : IRequestHandler<GetOfferQuery, OfferDto>
{
    public async Task<OfferDto> Handle(GetOfferQuery request, CancellationToken cancellationToken)
    {
        var userId = user.RequireUserId();
        var offers = OfferVisibility.VisibleTo(db, user, userId);
        var dto = await offers.Where(o => o.Id == request.Id)
                      .ProjectTo<OfferDto>(mapper.ConfigurationProvider)
                      .AsNoTracking().FirstOrDefaultAsync(cancellationToken)
                  ?? throw new NotFoundException("Offer");
        if (!user.IsInRole(Roles.Webmaster)) return dto;

        var mine = await db.OfferParticipations.AsNoTracking()
            .Where(p => p.OfferId == dto.Id && p.WebmasterId == userId)
            .ProjectTo<ParticipationDto>(mapper.ConfigurationProvider)
            .FirstOrDefaultAsync(cancellationToken);
        return dto with { MyParticipation = mine is null ? null : ParticipationView.ForOwner(mine, urls) };
    }
}

internal static class OfferVisibility
{
    public static IQueryable<Offer> VisibleTo(IAppDbContext db, ICurrentUser user, string userId)
    {
        if (user.IsInRole(Roles.Admin) || user.IsInRole(Roles.Moderator)) return db.Offers;
        if (user.IsInRole(Roles.Advertiser)) return db.Offers.Where(o => o.AdvertiserId == userId);
        if (user.IsInRole(Roles.Webmaster))
            return db.Offers.Where(o => o.Status == OfferStatus.Active ||
                                        (o.Status == OfferStatus.Paused && db.OfferParticipations.Any(p => p.OfferId == o.Id && p.WebmasterId == userId)));
        return db.Offers.Where(_ => false);
    }
}

internal static class ParticipationView
{
    /// <summary>The link is shown only once approved.</summary>
    public static ParticipationDto ForOwner(ParticipationDto p, IPublicUrls urls) =>
        p.Status == ParticipationStatus.Approved && p.LinkCode is not null
            ? p with { TrackingUrl = urls.TrackingLink(p.LinkCode) }
            : p with { LinkCode = null, TrackingUrl = null };
}
