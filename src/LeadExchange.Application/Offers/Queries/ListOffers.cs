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

public enum OfferSort { Newest, PayoutDesc, Title }

/// <summary>
/// Offers the caller may see, filtered. For webmasters this is the catalog of active offers;
/// a region filter matches offers open to that region, its country, or a region inside it.
/// MinPayout compares the best fixed webmaster payout among the goals (minor units).
/// </summary>
public sealed record ListOffersQuery(
    string? Niche = null,
    string? Region = null,
    PayoutModel? Model = null,
    long? MinPayout = null,
    OfferStatus? Status = null,
    string? Search = null,
    bool JoinedOnly = false,
    OfferSort Sort = OfferSort.Newest,
    int? Page = null,
    int? PageSize = null) : IRequest<PagedResult<OfferDto>>;

public sealed class ListOffersHandler(IAppDbContext db, ICurrentUser user, IMapper mapper, IPublicUrls urls)
    : IRequestHandler<ListOffersQuery, PagedResult<OfferDto>>
{
    public async Task<PagedResult<OfferDto>> Handle(ListOffersQuery request, CancellationToken cancellationToken)
    {
        var userId = user.RequireUserId();
        var (page, pageSize) = Paging.Normalize(request.Page, request.PageSize);
        var query = OfferVisibility.VisibleTo(db, user, userId).AsNoTracking();

        if (!string.IsNullOrWhiteSpace(request.Niche))
            query = query.Where(o => o.NicheCode == request.Niche);
        if (!string.IsNullOrWhiteSpace(request.Region))
        {
            var region = request.Region.Trim().ToUpperInvariant();
            var country = region.Split('-')[0];
            var childPrefix = region + "-";
            query = query.Where(o => o.Regions.Any(r => r.RegionCode == region || r.RegionCode == country || r.RegionCode.StartsWith(childPrefix)));
        }
        if (request.Model is { } model)
            query = query.Where(o => o.Goals.Any(g => g.Model == model));
        if (request.MinPayout is { } min)
            query = query.Where(o => o.Goals.Any(g => g.WebmasterAmount >= min));
        if (request.Status is { } status)
            query = query.Where(o => o.Status == status);
        if (!string.IsNullOrWhiteSpace(request.Search))
        {
            var term = request.Search.Trim();
            query = query.Where(o => o.Title.Contains(term));
        }
        if (request.JoinedOnly)
            query = query.Where(o => db.OfferParticipations.Any(p => p.OfferId == o.Id && p.WebmasterId == userId));

        query = request.Sort switch
        {
            OfferSort.PayoutDesc => query.OrderByDescending(o => o.Goals.Max(g => (long?)g.WebmasterAmount)).ThenBy(o => o.Title),
            OfferSort.Title => query.OrderBy(o => o.Title),
            _ => query.OrderByDescending(o => o.CreatedAt).ThenBy(o => o.Id),
        };

        var total = await query.CountAsync(cancellationToken);
        var items = await query.Skip((page - 1) * pageSize).Take(pageSize)
            .ProjectTo<OfferDto>(mapper.ConfigurationProvider).ToListAsync(cancellationToken);

        if (user.IsInRole(Roles.Webmaster) && items.Count > 0)
        {
            var ids = items.Select(i => i.Id).ToList();
            var mine = await db.OfferParticipations.AsNoTracking()
                .Where(p => p.WebmasterId == userId && ids.Contains(p.OfferId))
                .ProjectTo<ParticipationDto>(mapper.ConfigurationProvider).ToListAsync(cancellationToken);
            items = items.Select(i => mine.FirstOrDefault(m => m.OfferId == i.Id) is { } p
                ? i with { MyParticipation = ParticipationView.ForOwner(p, urls) } : i).ToList();
        }
        return new PagedResult<OfferDto>(items, page, pageSize, total);
    }
}
