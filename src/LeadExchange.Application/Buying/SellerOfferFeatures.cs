using System.Text.Json;
using LeadExchange.Application.Common.Behaviours;
using LeadExchange.Application.Common.Exceptions;
using LeadExchange.Application.Common.Interfaces;
using LeadExchange.Application.Common.Models;
using LeadExchange.Application.Disputes;
using LeadExchange.Domain.Buying;
using LeadExchange.Domain.Disputes;
using LeadExchange.Domain.Identity;
using LeadExchange.Domain.Leads;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace LeadExchange.Application.Buying;

/// <summary>API.md /api/v1/seller-offers body. Pricing fixed|exchange; fixedPrice in minor units; sample: niche field → example value.</summary>
public sealed record SellerOfferInput(
    string? Title, string? Niche, IReadOnlyList<string>? Regions, IReadOnlyList<string>? TrafficSources, int? ExpectedPerDay, bool? Exclusive,
    string? Pricing, long? FixedPrice, IReadOnlyList<string>? DeliveredFields, string? Description, Dictionary<string, string>? Sample);

public sealed record SellerOfferStatsDto(int Subscribers, int ActiveSubscribers, int Delivered, long Volume, int Upheld, double? ReturnRate);

public sealed record SellerOfferDto(
    Guid Id, string Title, string Niche, IReadOnlyList<string> Regions, IReadOnlyList<string> TrafficSources, int ExpectedPerDay, bool Exclusive,
    string Pricing, long? FixedPrice, string Currency, IReadOnlyList<string> DeliveredFields, string? Description, IReadOnlyDictionary<string, string> Sample,
    string Status, DateTime CreatedAt, DateTime UpdatedAt, string? SellerId, SellerQualityDto Seller, double? SellerReturnRate, SellerOfferStatsDto? Stats,
    Guid? MySubscriptionId);

/// <summary>A subscription as the seller sees it: volumes and money, never the subscriber's identity or other activity.</summary>
public sealed record OfferSubscriptionDto(
    Guid SubscriptionId, string Subscriber, string Status, bool SellerPaused, bool Ended, int? DailyCap, int? MonthlyCap, IReadOnlyList<string> Regions,
    int Delivered, long Spend, int Upheld, double? ReturnRate, DateTime CreatedAt);

internal static class SellerOfferMapping
{
    public static (SellerOfferTerms? Terms, List<(string Field, string Message)> Errors) Parse(SellerOfferInput input)
    {
        var errors = new List<(string, string)>();
        var pricing = input.Pricing?.Trim().ToLowerInvariant() switch
        {
            null or "" or "fixed" => SellerOfferPricing.Fixed,
            "exchange" => SellerOfferPricing.Exchange,
            _ => (SellerOfferPricing?)null,
        };
        if (pricing is null) errors.Add(("pricing", "Pricing is fixed or exchange."));
        if (input.ExpectedPerDay is null) errors.Add(("expectedPerDay", "Expected leads a day is required."));
        var terms = new SellerOfferTerms(input.Title ?? "", input.Niche?.Trim().ToLowerInvariant() ?? "", input.Regions ?? [], input.TrafficSources ?? [],
            input.ExpectedPerDay ?? 1, input.Exclusive ?? false, pricing ?? SellerOfferPricing.Fixed, input.FixedPrice, input.DeliveredFields ?? [],
            input.Description, input.Sample);
        return (errors.Count == 0 ? terms : null, errors);
    }

    public static async Task<(Domain.Reference.Niche Niche, List<(string, string)> Errors)> CheckAsync(IAppDbContext db, SellerOfferTerms terms, CancellationToken ct)
    {
        var errors = new List<(string, string)>();
        var niche = await db.Niches.AsNoTracking().FirstOrDefaultAsync(n => n.Code == terms.NicheCode && n.IsActive, ct);
        if (niche is null)
        {
            errors.Add(("niche", string.IsNullOrEmpty(terms.NicheCode) ? "Niche is required." : $"Unknown niche '{terms.NicheCode}'."));
            return (null!, errors);
        }
        errors.AddRange(SellerOffer.Validate(terms, niche));
        var codes = terms.RegionCodes.Select(r => r.Trim().ToUpperInvariant()).Distinct().ToList();
        var known = await db.Regions.AsNoTracking().Where(r => codes.Contains(r.Code) && r.IsActive).Select(r => r.Code).ToListAsync(ct);
        foreach (var missing in codes.Except(known).Where(Domain.Reference.Region.IsWellFormedCode)) errors.Add(("regions", $"Unknown region '{missing}'."));
        return (niche, errors);
    }

    public static async Task<SellerOfferDto> ToDtoAsync(IAppDbContext db, SellerOffer o, bool owner, string? viewerId, DateTime now, CancellationToken ct)
    {
        var quality = (await SellerQuality.ForAsync(db, [o.SellerId], now, ct))[o.SellerId];
        var (sales, upheld) = await DisputeRates.SellerAsync(db, o.SellerId, now, ct);
        var stats = owner ? await StatsAsync(db, o.Id, ct) : null;
        Guid? mine = viewerId is null ? null
            : await db.LeadOrders.AsNoTracking().Where(x => x.SellerOfferId == o.Id && x.AdvertiserId == viewerId && x.EndedAt == null)
                .Select(x => (Guid?)x.Id).FirstOrDefaultAsync(ct);
        return new SellerOfferDto(o.Id, o.Title, o.NicheCode, o.Regions, o.Sources, o.ExpectedPerDay, o.Exclusive, o.Pricing.ToString().ToLowerInvariant(),
            o.FixedPrice, o.Currency, o.Fields, o.Description, JsonSerializer.Deserialize<Dictionary<string, string>>(o.SampleJson) ?? [],
            o.Status.ToString().ToLowerInvariant(), o.CreatedAt, o.UpdatedAt, owner ? o.SellerId : null, quality, DisputeRates.Rate(upheld, sales), stats, mine);
    }

    private static async Task<SellerOfferStatsDto> StatsAsync(IAppDbContext db, Guid offerId, CancellationToken ct)
    {
        var subs = await db.LeadOrders.AsNoTracking().Where(x => x.SellerOfferId == offerId)
            .Select(x => new { x.Id, x.Status, x.SellerPaused, x.EndedAt }).ToListAsync(ct);
        var ids = subs.Select(x => x.Id).ToList();
        var sales = await db.LeadSales.AsNoTracking().Where(s => s.OrderId != null && ids.Contains(s.OrderId.Value))
            .Select(s => new { s.Id, s.Price }).ToListAsync(ct);
        var saleIds = sales.Select(s => s.Id).ToList();
        var upheld = await db.Disputes.AsNoTracking().CountAsync(d => saleIds.Contains(d.SaleId) && d.Status == DisputeStatus.Upheld, ct);
        return new SellerOfferStatsDto(subs.Count, subs.Count(x => x.Status == LeadOrderStatus.Active && !x.SellerPaused && x.EndedAt == null),
            sales.Count, sales.Sum(s => s.Price), upheld, DisputeRates.Rate(upheld, sales.Count));
    }
}

public sealed record CreateSellerOfferCommand(SellerOfferInput Input) : IRequest<SellerOfferDto>;

public sealed class CreateSellerOfferHandler(IUnitOfWork uow, IAppDbContext db, ICurrentUser user, IClock clock) : IRequestHandler<CreateSellerOfferCommand, SellerOfferDto>
{
    public Task<SellerOfferDto> Handle(CreateSellerOfferCommand request, CancellationToken ct) => uow.RunAsync(token => ExecuteAsync(request, token), ct);

    private async Task<SellerOfferDto> ExecuteAsync(CreateSellerOfferCommand request, CancellationToken ct)
    {
        user.RequireRole(Roles.Webmaster);
        var me = user.RequireUserId();
        if (await db.Blocklist.AnyAsync(b => b.Kind == BlocklistKind.Seller && b.Value == me, ct))
            throw new ForbiddenException("Your seller account is suspended for lead quality; you cannot publish offers. Contact support.");
        var (terms, errors) = SellerOfferMapping.Parse(request.Input);
        if (terms is null) throw ValidationException.From(errors);
        var (niche, checks) = await SellerOfferMapping.CheckAsync(db, terms, ct);
        if (checks.Count > 0) throw ValidationException.From(checks);
        var now = clock.UtcNow;
        var offer = SellerOffer.Publish(me, niche.Currency, terms, niche, now);
        db.SellerOffers.Add(offer);
        await db.SaveChangesAsync(ct);
        return await SellerOfferMapping.ToDtoAsync(db, offer, owner: true, null, now, ct);
    }
}

public sealed record UpdateSellerOfferCommand(Guid Id, SellerOfferInput Input) : IRequest<SellerOfferDto>;

public sealed class UpdateSellerOfferHandler(IUnitOfWork uow, IAppDbContext db, ICurrentUser user, IClock clock) : IRequestHandler<UpdateSellerOfferCommand, SellerOfferDto>
{
    public Task<SellerOfferDto> Handle(UpdateSellerOfferCommand request, CancellationToken ct) => uow.RunAsync(token => ExecuteAsync(request, token), ct);

    private async Task<SellerOfferDto> ExecuteAsync(UpdateSellerOfferCommand request, CancellationToken ct)
    {
        user.RequireRole(Roles.Webmaster);
        var me = user.RequireUserId();
        var offer = await db.SellerOffers.FirstOrDefaultAsync(o => o.Id == request.Id && o.SellerId == me, ct) ?? throw new NotFoundException("Seller offer");
        var (terms, errors) = SellerOfferMapping.Parse(request.Input with { Niche = request.Input.Niche ?? offer.NicheCode });
        if (terms is null) throw ValidationException.From(errors);
        var (niche, checks) = await SellerOfferMapping.CheckAsync(db, terms, ct);
        if (checks.Count > 0) throw ValidationException.From(checks);
        var now = clock.UtcNow;
        offer.Update(terms, niche, now);
        await db.SaveChangesAsync(ct);
        // Subscriptions follow the offer's exclusivity and fixed price.
        var maxPrice = offer.Pricing == SellerOfferPricing.Fixed ? offer.FixedPrice : null;
        var exclusive = offer.Exclusive;
        await db.LeadOrders.Where(o => o.SellerOfferId == offer.Id && o.EndedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.Exclusive, exclusive).SetProperty(o => o.MaxPrice, o => maxPrice ?? o.MaxPrice), ct);
        return await SellerOfferMapping.ToDtoAsync(db, offer, owner: true, null, now, ct);
    }
}

/// <summary>The seller pauses, resumes or closes an offer; closing ends every subscription and tells the subscribers.</summary>
public sealed record SetSellerOfferStatusCommand(Guid Id, string? Action) : IRequest<SellerOfferDto>;

public sealed class SetSellerOfferStatusHandler(IUnitOfWork uow, IAppDbContext db, ICurrentUser user, IClock clock) : IRequestHandler<SetSellerOfferStatusCommand, SellerOfferDto>
{
    public Task<SellerOfferDto> Handle(SetSellerOfferStatusCommand request, CancellationToken ct) => uow.RunAsync(token => ExecuteAsync(request, token), ct);

    private async Task<SellerOfferDto> ExecuteAsync(SetSellerOfferStatusCommand request, CancellationToken ct)
    {
        user.RequireRole(Roles.Webmaster);
        var me = user.RequireUserId();
        var offer = await db.SellerOffers.FirstOrDefaultAsync(o => o.Id == request.Id && o.SellerId == me, ct) ?? throw new NotFoundException("Seller offer");
        var status = request.Action?.Trim().ToLowerInvariant() switch
        {
            "pause" => SellerOfferStatus.Paused,
            "resume" or "activate" => SellerOfferStatus.Active,
            "close" => SellerOfferStatus.Closed,
            _ => throw new ValidationException("action", "Action is pause, resume or close."),
        };
        if (status == SellerOfferStatus.Active && await db.Blocklist.AnyAsync(b => b.Kind == BlocklistKind.Seller && b.Value == me, ct))
            throw new ForbiddenException("Your seller account is suspended for lead quality; the offer cannot be resumed.");
        var now = clock.UtcNow;
        offer.SetStatus(status, now);
        if (status == SellerOfferStatus.Closed)
        {
            var subscriptions = await db.LeadOrders.Where(o => o.SellerOfferId == offer.Id && o.EndedAt == null).ToListAsync(ct);
            foreach (var s in subscriptions)
            {
                s.End($"Ended: the seller closed the offer \"{offer.Title}\".", now);
                db.Notifications.Add(new Notification(s.AdvertiserId, $"The seller closed the offer \"{offer.Title}\"; your subscription has ended.",
                    $"/Advertiser/LeadOrders/Edit/{s.Id}", now));
            }
        }
        await db.SaveChangesAsync(ct);
        return await SellerOfferMapping.ToDtoAsync(db, offer, owner: true, null, now, ct);
    }
}

/// <summary>
/// Webmasters: their own offers (any status). Advertisers (and moderators): active offers of the exchange, with
/// filters niche, region (an offer covering it), maxPrice (fixed price at most, or exchange-priced), minVolume,
/// exclusive, maxReturnRate; sort newest|price|volume|quality.
/// </summary>
public sealed record ListSellerOffersQuery(
    string? Niche = null, string? Region = null, long? MaxPrice = null, int? MinVolume = null, bool? Exclusive = null, double? MaxReturnRate = null,
    string? Sort = null, string? Status = null, int? Page = null, int? PageSize = null) : IRequest<PagedResult<SellerOfferDto>>;

public sealed class ListSellerOffersHandler(IAppDbContext db, ICurrentUser user, IClock clock) : IRequestHandler<ListSellerOffersQuery, PagedResult<SellerOfferDto>>
{
    public async Task<PagedResult<SellerOfferDto>> Handle(ListSellerOffersQuery request, CancellationToken ct)
    {
        var me = user.RequireUserId();
        var now = clock.UtcNow;
        var seller = user.IsInRole(Roles.Webmaster) && !user.IsInRole(Roles.Advertiser);
        if (!seller) user.RequireRole(Roles.Advertiser, Roles.Moderator, Roles.Admin);
        var query = db.SellerOffers.AsNoTracking();
        if (seller)
        {
            query = query.Where(o => o.SellerId == me);
            if (Enum.TryParse<SellerOfferStatus>(request.Status, true, out var status)) query = query.Where(o => o.Status == status);
        }
        else query = query.Where(o => o.Status == SellerOfferStatus.Active);
        if (!string.IsNullOrWhiteSpace(request.Niche)) query = query.Where(o => o.NicheCode == request.Niche.Trim().ToLowerInvariant());
        if (request.MaxPrice is { } maxPrice) query = query.Where(o => o.Pricing == SellerOfferPricing.Exchange || o.FixedPrice <= maxPrice);
        if (request.MinVolume is { } minVolume) query = query.Where(o => o.ExpectedPerDay >= minVolume);
        if (request.Exclusive is { } exclusive) query = query.Where(o => o.Exclusive == exclusive);
        var offers = await query.ToListAsync(ct);
        if (!string.IsNullOrWhiteSpace(request.Region))
        {
            var parents = await db.Regions.AsNoTracking().ToDictionaryAsync(r => r.Code, r => r.ParentCode, ct);
            var region = request.Region.Trim().ToUpperInvariant();
            // An offer for the region, one containing it, or one inside it (a buyer looking at a country sees its regions' offers).
            offers = offers.Where(o => o.Covers(region, c => parents.GetValueOrDefault(c)) || o.Regions.Any(r => Domain.Reference.Region.Covers(region, r, c => parents.GetValueOrDefault(c))))
                .ToList();
        }
        var dtos = new List<SellerOfferDto>();
        foreach (var o in offers) dtos.Add(await SellerOfferMapping.ToDtoAsync(db, o, owner: seller, seller ? null : me, now, ct));
        if (request.MaxReturnRate is { } maxReturn) dtos = dtos.Where(d => (d.SellerReturnRate ?? 0) <= maxReturn).ToList();
        IEnumerable<SellerOfferDto> sorted = request.Sort?.ToLowerInvariant() switch
        {
            "price" => dtos.OrderBy(d => d.FixedPrice ?? long.MaxValue),
            "volume" => dtos.OrderByDescending(d => d.ExpectedPerDay),
            "quality" => dtos.OrderBy(d => d.SellerReturnRate ?? 0).ThenByDescending(d => d.Seller.SoldLast90Days),
            _ => dtos.OrderByDescending(d => d.CreatedAt),
        };
        var (page, size) = Paging.Normalize(request.Page, request.PageSize);
        return new PagedResult<SellerOfferDto>(sorted.Skip((page - 1) * size).Take(size).ToList(), page, size, dtos.Count);
    }
}

public sealed record GetSellerOfferQuery(Guid Id) : IRequest<SellerOfferDto>;

public sealed class GetSellerOfferHandler(IAppDbContext db, ICurrentUser user, IClock clock) : IRequestHandler<GetSellerOfferQuery, SellerOfferDto>
{
    public async Task<SellerOfferDto> Handle(GetSellerOfferQuery request, CancellationToken ct)
    {
        var me = user.RequireUserId();
        var offer = await db.SellerOffers.AsNoTracking().FirstOrDefaultAsync(o => o.Id == request.Id, ct);
        var owner = offer?.SellerId == me;
        var buyerView = user.IsInRole(Roles.Advertiser) || user.IsInRole(Roles.Moderator) || user.IsInRole(Roles.Admin);
        if (offer is null || !(owner || (buyerView && offer.Status != SellerOfferStatus.Closed))) throw new NotFoundException("Seller offer");
        return await SellerOfferMapping.ToDtoAsync(db, offer, owner, owner ? null : me, clock.UtcNow, ct);
    }
}

/// <summary>POST /api/v1/seller-offers/{id}/subscribe: a lead order bound to the offer (the buyer's caps, budget, schedule, regions).</summary>
public sealed record SubscribeToSellerOfferCommand(Guid OfferId, LeadOrderInput Input) : IRequest<LeadOrderDto>;

public sealed class SubscribeToSellerOfferHandler(IUnitOfWork uow, IAppDbContext db, ICurrentUser user, IClock clock) : IRequestHandler<SubscribeToSellerOfferCommand, LeadOrderDto>
{
    public Task<LeadOrderDto> Handle(SubscribeToSellerOfferCommand request, CancellationToken ct) => uow.RunAsync(token => ExecuteAsync(request, token), ct);

    private async Task<LeadOrderDto> ExecuteAsync(SubscribeToSellerOfferCommand request, CancellationToken ct)
    {
        user.RequireRole(Roles.Advertiser);
        var me = user.RequireUserId();
        var offer = await db.SellerOffers.AsNoTracking().FirstOrDefaultAsync(o => o.Id == request.OfferId && o.Status != SellerOfferStatus.Closed, ct)
                    ?? throw new NotFoundException("Seller offer");
        if (offer.Status != SellerOfferStatus.Active) throw new ConflictException("offer_paused", "The seller has paused this offer; subscribe when it is active again.");
        if (await db.LeadOrders.AnyAsync(o => o.SellerOfferId == offer.Id && o.AdvertiserId == me && o.EndedAt == null, ct))
            throw new ConflictException("already_subscribed", "You already subscribe to this offer; edit that subscription instead.");
        var input = request.Input with
        {
            Name = string.IsNullOrWhiteSpace(request.Input.Name) ? Clip($"Subscription: {offer.Title}") : request.Input.Name,
            Niche = offer.NicheCode,
            Regions = request.Input.Regions ?? offer.Regions,
            MaxPrice = offer.Pricing == SellerOfferPricing.Fixed ? offer.FixedPrice : request.Input.MaxPrice,
        };
        var (terms, errors) = LeadOrderMapping.Parse(input);
        if (terms is null) throw ValidationException.From(errors);
        var (_, refErrors) = await LeadOrderMapping.CheckReferencesAsync(db, terms, ct);
        if (refErrors.Count > 0) throw ValidationException.From(refErrors);
        var now = clock.UtcNow;
        var order = LeadOrder.Subscribe(me, offer, terms, now);
        db.LeadOrders.Add(order);
        db.Notifications.Add(new Notification(offer.SellerId, $"A new subscriber to your offer \"{offer.Title}\".", $"/Webmaster/SellerOffers/Details/{offer.Id}", now));
        await db.SaveChangesAsync(ct);
        return await LeadOrderMapping.LoadDtoAsync(db, order, now, ct);
    }

    private static string Clip(string name) => name.Length > LeadOrder.NameMaxLength ? name[..LeadOrder.NameMaxLength] : name;
}

/// <summary>The seller's view of an offer's subscriptions: anonymous subscribers with their volumes and money.</summary>
public sealed record ListOfferSubscriptionsQuery(Guid OfferId) : IRequest<IReadOnlyList<OfferSubscriptionDto>>;

public sealed class ListOfferSubscriptionsHandler(IAppDbContext db, ICurrentUser user) : IRequestHandler<ListOfferSubscriptionsQuery, IReadOnlyList<OfferSubscriptionDto>>
{
    public async Task<IReadOnlyList<OfferSubscriptionDto>> Handle(ListOfferSubscriptionsQuery request, CancellationToken ct)
    {
        user.RequireRole(Roles.Webmaster);
        var me = user.RequireUserId();
        if (!await db.SellerOffers.AnyAsync(o => o.Id == request.OfferId && o.SellerId == me, ct)) throw new NotFoundException("Seller offer");
        return await OfferSubscriptions.ListAsync(db, request.OfferId, ct);
    }
}

/// <summary>An offer's subscriptions as its seller sees them (the caller has checked the offer is theirs).</summary>
internal static class OfferSubscriptions
{
    public static async Task<IReadOnlyList<OfferSubscriptionDto>> ListAsync(IAppDbContext db, Guid offerId, CancellationToken ct)
    {
        var subs = await db.LeadOrders.AsNoTracking().Where(o => o.SellerOfferId == offerId).OrderBy(o => o.CreatedAt).ToListAsync(ct);
        var ids = subs.Select(s => s.Id).ToList();
        var sales = await db.LeadSales.AsNoTracking().Where(s => s.OrderId != null && ids.Contains(s.OrderId.Value))
            .Select(s => new { s.Id, OrderId = s.OrderId!.Value, s.Price }).ToListAsync(ct);
        var saleIds = sales.Select(s => s.Id).ToList();
        var upheld = await db.Disputes.AsNoTracking().Where(d => saleIds.Contains(d.SaleId) && d.Status == DisputeStatus.Upheld).Select(d => d.SaleId).ToListAsync(ct);
        return subs.Select((s, i) =>
        {
            var mine = sales.Where(x => x.OrderId == s.Id).ToList();
            var returned = mine.Count(x => upheld.Contains(x.Id));
            return new OfferSubscriptionDto(s.Id, $"Subscriber {i + 1}", s.Status.ToString().ToLowerInvariant(), s.SellerPaused, s.EndedAt is not null,
                s.DailyCap, s.MonthlyCap, s.Regions, mine.Count, mine.Sum(x => x.Price), returned, DisputeRates.Rate(returned, mine.Count), s.CreatedAt);
        }).ToList();
    }
}

/// <summary>Either side pauses, resumes or ends a subscription; the other side is notified in the app.</summary>
public sealed record ChangeSubscriptionCommand(Guid SubscriptionId, string? Action) : IRequest<OfferSubscriptionDto>;

public sealed class ChangeSubscriptionHandler(IUnitOfWork uow, IAppDbContext db, ICurrentUser user, IClock clock)
    : IRequestHandler<ChangeSubscriptionCommand, OfferSubscriptionDto>
{
    public Task<OfferSubscriptionDto> Handle(ChangeSubscriptionCommand request, CancellationToken ct) => uow.RunAsync(token => ExecuteAsync(request, token), ct);

    private async Task<OfferSubscriptionDto> ExecuteAsync(ChangeSubscriptionCommand request, CancellationToken ct)
    {
        // Only the two sides of a subscription: its advertiser and the seller (a webmaster).
        user.RequireRole(Roles.Advertiser, Roles.Webmaster);
        var me = user.RequireUserId();
        var order = await db.LeadOrders.FirstOrDefaultAsync(o => o.Id == request.SubscriptionId && o.SellerOfferId != null
                                                                 && (o.AdvertiserId == me || o.SellerId == me), ct)
                    ?? throw new NotFoundException("Subscription");
        var offer = await db.SellerOffers.AsNoTracking().FirstAsync(o => o.Id == order.SellerOfferId, ct);
        var bySeller = order.SellerId == me;
        var now = clock.UtcNow;
        var action = request.Action?.Trim().ToLowerInvariant();
        // Ended is for good, whoever ended it: nothing resumes it, and a second pause or end would only notify again.
        if (order.EndedAt is not null && action is "pause" or "resume" or "end")
            throw new ConflictException("ended", "This subscription has ended.");
        string? notice;
        switch (action)
        {
            case "pause" when bySeller:
                order.SetSellerPaused(true, now);
                notice = $"The seller paused your subscription to \"{offer.Title}\".";
                break;
            case "resume" when bySeller:
                order.SetSellerPaused(false, now);
                notice = $"The seller resumed your subscription to \"{offer.Title}\".";
                break;
            case "pause":
                if (order.Status == LeadOrderStatus.Active) order.Pause("Paused by the advertiser.", false, now);
                notice = $"A subscriber paused their subscription to \"{offer.Title}\".";
                break;
            case "resume":
                // Only the seller lifts the seller's pause; the buyer's resume would leave it idle while looking resumed.
                if (order.SellerPaused) throw new ConflictException("seller_paused", "The seller paused this subscription; only the seller can resume it.");
                if (order.Status == LeadOrderStatus.Paused) order.Resume(now);
                notice = $"A subscriber resumed their subscription to \"{offer.Title}\".";
                break;
            case "end":
                order.End(bySeller ? "Ended by the seller." : "Ended by the advertiser.", now);
                notice = bySeller ? $"The seller ended your subscription to \"{offer.Title}\"." : $"A subscriber ended their subscription to \"{offer.Title}\".";
                break;
            default:
                throw new ValidationException("action", "Action is pause, resume or end.");
        }
        db.Notifications.Add(bySeller
            ? new Notification(order.AdvertiserId, notice, $"/Advertiser/LeadOrders/Edit/{order.Id}", now)
            : new Notification(offer.SellerId, notice, $"/Webmaster/SellerOffers/Details/{offer.Id}", now));
        await db.SaveChangesAsync(ct);
        var subscriptions = bySeller ? await OfferSubscriptions.ListAsync(db, offer.Id, ct) : null;
        return subscriptions?.First(s => s.SubscriptionId == order.Id)
               ?? new OfferSubscriptionDto(order.Id, "You", order.Status.ToString().ToLowerInvariant(), order.SellerPaused, order.EndedAt is not null,
                   order.DailyCap, order.MonthlyCap, order.Regions, order.LeadsBought, order.Spent, 0, null, order.CreatedAt);
    }
}

public sealed record NotificationDto(Guid Id, string Text, string? Link, DateTime CreatedAt, bool Read);

/// <summary>My in-app notices, newest first; unreadOnly for the badge.</summary>
public sealed record ListNotificationsQuery(bool UnreadOnly = false, int? Page = null, int? PageSize = null) : IRequest<PagedResult<NotificationDto>>;

public sealed class ListNotificationsHandler(IAppDbContext db, ICurrentUser user) : IRequestHandler<ListNotificationsQuery, PagedResult<NotificationDto>>
{
    public async Task<PagedResult<NotificationDto>> Handle(ListNotificationsQuery request, CancellationToken ct)
    {
        var me = user.RequireUserId();
        var (page, size) = Paging.Normalize(request.Page, request.PageSize);
        var query = db.Notifications.AsNoTracking().Where(n => n.UserId == me);
        if (request.UnreadOnly) query = query.Where(n => n.ReadAt == null);
        var total = await query.CountAsync(ct);
        var items = await query.OrderByDescending(n => n.CreatedAt).Skip((page - 1) * size).Take(size)
            .Select(n => new NotificationDto(n.Id, n.Text, n.Link, n.CreatedAt, n.ReadAt != null)).ToListAsync(ct);
        return new PagedResult<NotificationDto>(items, page, size, total);
    }
}

public sealed record MarkNotificationsReadCommand : IRequest<int>;

public sealed class MarkNotificationsReadHandler(IUnitOfWork uow, IAppDbContext db, ICurrentUser user, IClock clock) : IRequestHandler<MarkNotificationsReadCommand, int>
{
    public Task<int> Handle(MarkNotificationsReadCommand request, CancellationToken ct) => uow.RunAsync(token => ExecuteAsync(request, token), ct);

    private async Task<int> ExecuteAsync(MarkNotificationsReadCommand request, CancellationToken ct)
    {
        var me = user.RequireUserId();
        var now = clock.UtcNow;
        return await db.Notifications.Where(n => n.UserId == me && n.ReadAt == null).ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, now), ct);
    }
}
