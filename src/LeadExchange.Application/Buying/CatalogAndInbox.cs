using System.Text.Json;
using LeadExchange.Application.Common.Behaviours;
using LeadExchange.Application.Common.Exceptions;
using LeadExchange.Application.Common.Interfaces;
using LeadExchange.Application.Common.Models;
using LeadExchange.Application.Conversions;
using LeadExchange.Domain.Buying;
using LeadExchange.Domain.Common;
using LeadExchange.Domain.Conversions;
using LeadExchange.Domain.Identity;
using LeadExchange.Domain.Leads;
using LeadExchange.Domain.Offers;
using LeadExchange.Domain.Reference;
using LeadExchange.Domain.Tracking;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LeadExchange.Application.Buying;

public sealed record SellerQualityDto(int LeadsLast90Days, int SoldLast90Days, decimal RejectedShare, int DaysActive);

/// <summary>A catalog row: everything a buyer needs to decide, nothing that identifies the person.</summary>
public sealed record CatalogItemDto(
    Guid LeadId, string Niche, string Region, string Temperature, int Score, DateTime CreatedAt, double AgeHours, long Price, string Currency,
    string MaskedName, string MaskedPhone, string? MaskedEmail, IReadOnlyDictionary<string, string> Fields, int SoldCount, int MaxSharedBuyers,
    bool ExclusiveAvailable, DateTime ExpiresAt, string PriceBreakdownJson, SellerQualityDto Seller);

public sealed record CatalogQuery(
    string? Niche = null, string? Region = null, string? MinTemperature = null, long? MaxPrice = null, int? MinScore = null,
    string? Sort = null, int? Page = null, int? PageSize = null) : IRequest<PagedResult<CatalogItemDto>>;

public sealed class CatalogHandler(IAppDbContext db, ICurrentUser user, IClock clock) : IRequestHandler<CatalogQuery, PagedResult<CatalogItemDto>>
{
    public async Task<PagedResult<CatalogItemDto>> Handle(CatalogQuery request, CancellationToken ct)
    {
        user.RequireRole(Roles.Advertiser, Roles.Moderator, Roles.Admin);
        var me = user.RequireUserId();
        var now = clock.UtcNow;
        var (page, size) = Paging.Normalize(request.Page, request.PageSize);
        var query = db.Leads.AsNoTracking().Where(l => l.Status == LeadStatus.OnSale && l.ExpiresAt > now && !l.SoldExclusive)
            .Where(l => !db.LeadSales.Any(s => s.LeadId == l.Id && s.BuyerId == me));
        if (!string.IsNullOrWhiteSpace(request.Niche)) query = query.Where(l => l.NicheCode == request.Niche.Trim().ToLowerInvariant());
        if (!string.IsNullOrWhiteSpace(request.Region))
        {
            var region = request.Region.Trim().ToUpperInvariant();
            var prefix = region + "-";
            query = query.Where(l => l.RegionCode == region || l.RegionCode.StartsWith(prefix));
        }
        if (Enum.TryParse<Temperature>(request.MinTemperature, true, out var min))
        {
            var allowed = Enum.GetValues<Temperature>().Where(t => t >= min).ToList();
            query = query.Where(l => allowed.Contains(l.Temperature));
        }
        if (request.MaxPrice is { } maxPrice) query = query.Where(l => l.Price <= maxPrice);
        if (request.MinScore is { } minScore) query = query.Where(l => l.Score >= minScore);
        var total = await query.CountAsync(ct);
        query = request.Sort?.ToLowerInvariant() switch
        {
            "price" => query.OrderBy(l => l.Price).ThenByDescending(l => l.CreatedAt),
            "-price" => query.OrderByDescending(l => l.Price).ThenByDescending(l => l.CreatedAt),
            "score" or "-score" => query.OrderByDescending(l => l.Score).ThenByDescending(l => l.CreatedAt),
            "oldest" => query.OrderBy(l => l.CreatedAt),
            _ => query.OrderByDescending(l => l.CreatedAt),
        };
        var leads = await query.Skip((page - 1) * size).Take(size).ToListAsync(ct);
        var nicheCodes = leads.Select(l => l.NicheCode).Distinct().ToList();
        var niches = await db.Niches.AsNoTracking().Where(n => nicheCodes.Contains(n.Code)).ToDictionaryAsync(n => n.Code, ct);
        var quality = await SellerQuality.ForAsync(db, leads.Select(l => l.SellerId).Distinct().ToList(), now, ct);
        var items = leads.Select(l =>
        {
            var niche = niches.GetValueOrDefault(l.NicheCode);
            return new CatalogItemDto(l.Id, l.NicheCode, l.RegionCode, Name(l.Temperature), l.Score, l.CreatedAt, Math.Round((now - l.CreatedAt).TotalHours, 1),
                l.Price, l.Currency, l.MaskedName, l.MaskedPhone, l.MaskedEmail, LeadView.Fields(l.FieldsJson), l.SoldCount, niche?.MaxSharedBuyers ?? 1,
                l.IsOpenForExclusive(now), l.ExpiresAt, l.PriceBreakdownJson, quality[l.SellerId]);
        }).ToList();
        return new PagedResult<CatalogItemDto>(items, page, size, total);
    }

    private static string Name(Temperature t) => t.ToString().ToLowerInvariant();
}

public static class SellerQuality
{
    public static async Task<Dictionary<string, SellerQualityDto>> ForAsync(IAppDbContext db, IReadOnlyList<string> sellers, DateTime now, CancellationToken ct)
    {
        var since = now.AddDays(-90);
        var stats = await db.Leads.AsNoTracking().Where(l => sellers.Contains(l.SellerId) && l.CreatedAt >= since)
            .GroupBy(l => l.SellerId)
            .Select(g => new
            {
                Seller = g.Key,
                Total = g.Count(),
                Rejected = g.Count(l => l.Status == LeadStatus.Rejected),
                Sold = g.Count(l => l.SoldCount > 0),
            }).ToListAsync(ct);
        var firsts = await db.Leads.AsNoTracking().Where(l => sellers.Contains(l.SellerId)).GroupBy(l => l.SellerId)
            .Select(g => new { Seller = g.Key, First = g.Min(l => l.CreatedAt) }).ToListAsync(ct);
        return sellers.ToDictionary(s => s, s =>
        {
            var st = stats.FirstOrDefault(x => x.Seller == s);
            var first = firsts.FirstOrDefault(x => x.Seller == s)?.First ?? now;
            return new SellerQualityDto(st?.Total ?? 0, st?.Sold ?? 0, st is { Total: > 0 } ? Math.Round((decimal)st.Rejected / st.Total, 3) : 0,
                (int)Math.Max(0, (now - first).TotalDays));
        });
    }
}

public static class LeadView
{
    /// <summary>The lead's niche fields as display strings (never contact data: those live in the cipher).</summary>
    public static IReadOnlyDictionary<string, string> Fields(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? [];
        }
        catch (JsonException)
        {
            return new Dictionary<string, string>();
        }
    }
}

/// <summary>Buy one lead from the catalog: exclusive (only while nobody bought it) or a shared seat.</summary>
public sealed record BuyLeadCommand(Guid LeadId, bool Exclusive) : IRequest<PurchaseDto>;

public sealed class BuyLeadHandler(IAppDbContext db, IUnitOfWork uow, LeadSeller seller, ICurrentUser user, IContactProtector protector)
    : IRequestHandler<BuyLeadCommand, PurchaseDto>
{
    public async Task<PurchaseDto> Handle(BuyLeadCommand request, CancellationToken ct)
    {
        user.RequireRole(Roles.Advertiser);
        var buyer = user.RequireUserId();
        var sale = new SaleRequest(request.LeadId, buyer, null, request.Exclusive, SaleChannel.Catalog);
        SaleResult sold;
        try
        {
            sold = await uow.RunAsync(token => seller.SellAsync(sale, token), ct);
        }
        catch (LeadNotAvailableException ex)
        {
            throw new ConflictException(ex.Code, ex.Message);
        }
        return await PurchaseMapping.LoadAsync(db, protector, sold.SaleId, buyer, ct);
    }
}

public sealed record ContactDto(string Name, string Phone, string? Email)
{
    /// <summary>Redacted: this record is printed inside any purchase that gets logged, and the contact must never be.</summary>
    public override string ToString() => $"{nameof(ContactDto)} {{ redacted }}";
}

public sealed record PurchaseDto(
    Guid SaleId, Guid LeadId, string Niche, string Region, string Temperature, int Score, long Price, string Currency, bool Exclusive, string Channel,
    Guid? OrderId, DateTime SoldAt, DateTime DisputeUntil, string Status, long? SaleAmount, string? RefuseReason, DateTime? DeferredUntil,
    string? Note, string? Assignee, ContactDto Contact, IReadOnlyDictionary<string, string> Fields, string ConsentText, DateTime ConsentGivenAt,
    string? ConsentPageUrl, string? ConsentIp, string PriceBreakdownJson, string ScoreBreakdownJson);

internal static class PurchaseMapping
{
    /// <summary>One of the buyer's purchases with its contact (404 for anyone else's).</summary>
    public static async Task<PurchaseDto> LoadAsync(IAppDbContext db, IContactProtector protector, Guid saleId, string buyerId, CancellationToken ct)
    {
        var sale = await db.LeadSales.AsNoTracking().FirstOrDefaultAsync(s => s.Id == saleId && s.BuyerId == buyerId, ct)
                   ?? throw new NotFoundException("Purchase");
        var lead = await db.Leads.AsNoTracking().FirstAsync(l => l.Id == sale.LeadId, ct);
        return ToDto(sale, lead, protector);
    }

    public static PurchaseDto ToDto(LeadSale s, Lead l, IContactProtector protector)
    {
        var contact = JsonSerializer.Deserialize<ContactDto>(protector.Unprotect(l.ContactCipher), new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
        return new PurchaseDto(s.Id, l.Id, s.NicheCode, s.RegionCode, s.Temperature.ToString().ToLowerInvariant(), l.Score, s.Price, s.Currency, s.Exclusive,
            s.Channel.ToString().ToLowerInvariant(), s.OrderId, s.SoldAt, s.DisputeUntil, StatusName(s.Status), s.SaleAmount, s.RefuseReason,
            s.DeferredUntil, s.Note, s.Assignee, contact, LeadView.Fields(l.FieldsJson), l.ConsentText, l.ConsentGivenAt, l.ConsentPageUrl, l.ConsentIp,
            l.PriceBreakdownJson, l.ScoreBreakdownJson);
    }

    public static string StatusName(SaleStatus s) => s switch
    {
        SaleStatus.InWork => "in_work",
        _ => s.ToString().ToLowerInvariant(),
    };

    public static SaleStatus? ParseStatus(string? s) => s?.Trim().ToLowerInvariant() switch
    {
        null or "" => null,
        "new" => SaleStatus.New,
        "in_work" or "inwork" => SaleStatus.InWork,
        "converted" => SaleStatus.Converted,
        "refused" => SaleStatus.Refused,
        "deferred" => SaleStatus.Deferred,
        _ => throw new ValidationException("status", "Status is new, in_work, converted, refused or deferred."),
    };
}

/// <summary>One purchase with the revealed contact: only its buyer may read it.</summary>
public sealed record GetPurchaseQuery(Guid SaleId) : IRequest<PurchaseDto>;

public sealed class GetPurchaseHandler(IAppDbContext db, ICurrentUser user, IContactProtector protector) : IRequestHandler<GetPurchaseQuery, PurchaseDto>
{
    public async Task<PurchaseDto> Handle(GetPurchaseQuery request, CancellationToken ct)
    {
        user.RequireRole(Roles.Advertiser);
        return await PurchaseMapping.LoadAsync(db, protector, request.SaleId, user.RequireUserId(), ct);
    }
}

/// <summary>The buyer's inbox: own purchases only, filtered, newest first; contacts revealed (they bought them).</summary>
public sealed record ListPurchasesQuery(
    string? Status = null, string? Niche = null, string? Region = null, DateTime? From = null, DateTime? To = null, string? Search = null,
    int? Page = null, int? PageSize = null) : IRequest<PagedResult<PurchaseDto>>;

public sealed class ListPurchasesHandler(IAppDbContext db, ICurrentUser user, IContactProtector protector) : IRequestHandler<ListPurchasesQuery, PagedResult<PurchaseDto>>
{
    public async Task<PagedResult<PurchaseDto>> Handle(ListPurchasesQuery request, CancellationToken ct)
    {
        user.RequireRole(Roles.Advertiser);
        var me = user.RequireUserId();
        var (page, size) = Paging.Normalize(request.Page, request.PageSize);
        var query = db.LeadSales.AsNoTracking().Where(s => s.BuyerId == me);
        if (PurchaseMapping.ParseStatus(request.Status) is { } status) query = query.Where(s => s.Status == status);
        if (!string.IsNullOrWhiteSpace(request.Niche)) query = query.Where(s => s.NicheCode == request.Niche.Trim().ToLowerInvariant());
        if (!string.IsNullOrWhiteSpace(request.Region))
        {
            var region = request.Region.Trim().ToUpperInvariant();
            var prefix = region + "-";
            query = query.Where(s => s.RegionCode == region || s.RegionCode.StartsWith(prefix));
        }
        if (request.From is { } from) query = query.Where(s => s.SoldAt >= from.ToUniversalTime());
        if (request.To is { } to) query = query.Where(s => s.SoldAt < to.ToUniversalTime());
        if (!string.IsNullOrWhiteSpace(request.Search))
        {
            var term = request.Search.Trim();
            query = query.Where(s => (s.Note != null && s.Note.Contains(term)) || (s.Assignee != null && s.Assignee.Contains(term)));
        }
        var total = await query.CountAsync(ct);
        var rows = await query.OrderByDescending(s => s.SoldAt).Skip((page - 1) * size).Take(size)
            .Join(db.Leads.AsNoTracking(), s => s.LeadId, l => l.Id, (s, l) => new { s, l }).ToListAsync(ct);
        return new PagedResult<PurchaseDto>(rows.Select(r => PurchaseMapping.ToDto(r.s, r.l, protector)).ToList(), page, size, total);
    }
}

/// <summary>PATCH /api/v1/purchases/{saleId} {status, saleAmount, reason, deferredUntil, note, assignee}.</summary>
public sealed record UpdatePurchaseInput(string? Status, long? SaleAmount, string? Reason, DateTime? DeferredUntil, string? Note, string? Assignee);

public sealed record UpdatePurchaseCommand(Guid SaleId, UpdatePurchaseInput Input) : IRequest<PurchaseDto>;

/// <summary>
/// The buyer works the lead. Marking it converted records the sale amount (the CPS event reports read) and,
/// when the lead came through a tracking link of the buyer's own offer with a CPS goal, the CPS conversion
/// (idempotent on the sale id), in the same transaction: if that payout is refused (cap, balance), so is the update.
/// </summary>
public sealed class UpdatePurchaseHandler(IUnitOfWork uow, IAppDbContext db, ICurrentUser user, IClock clock, IContactProtector protector, ConversionLifecycle conversions,
    IOptions<MoneyLimitsOptions> limits, ILogger<UpdatePurchaseHandler> logger) : IRequestHandler<UpdatePurchaseCommand, PurchaseDto>
{
    public Task<PurchaseDto> Handle(UpdatePurchaseCommand request, CancellationToken ct) => uow.RunAsync(token => ExecuteAsync(request, token), ct);

    private async Task<PurchaseDto> ExecuteAsync(UpdatePurchaseCommand request, CancellationToken ct)
    {
        user.RequireRole(Roles.Advertiser);
        var me = user.RequireUserId();
        var sale = await db.LeadSales.FirstOrDefaultAsync(s => s.Id == request.SaleId && s.BuyerId == me, ct) ?? throw new NotFoundException("Purchase");
        var input = request.Input;
        bool converted;
        try
        {
            converted = sale.Update(PurchaseMapping.ParseStatus(input.Status), input.SaleAmount, input.Reason, input.DeferredUntil, input.Note, input.Assignee, clock.UtcNow,
                limits.Value.MaxSaleAmount);
        }
        catch (SaleUpdateInvalidException ex)
        {
            throw ValidationException.From(ex.Errors);
        }
        await db.SaveChangesAsync(ct);
        var lead = await db.Leads.AsNoTracking().FirstAsync(l => l.Id == sale.LeadId, ct);
        if (converted && lead.ClickId is not null) await RecordCpsAsync(sale, lead, ct);
        return PurchaseMapping.ToDto(sale, lead, protector);
    }

    private async Task RecordCpsAsync(LeadSale sale, Lead lead, CancellationToken ct)
    {
        var click = await db.Clicks.AsNoTracking().FirstOrDefaultAsync(c => c.Id == lead.ClickId, ct);
        if (click is null) return;
        var offer = await db.Offers.AsNoTracking().Include(o => o.Goals).FirstOrDefaultAsync(o => o.Id == click.OfferId && o.AdvertiserId == sale.BuyerId, ct);
        var goal = offer?.Goals.Where(g => g.Model == PayoutModel.Cps).OrderByDescending(g => g.IsDefault).FirstOrDefault();
        if (offer is null || goal is null) return;
        var conversion = Conversion.Record(click, goal.Id, goal.Code, "sale:" + sale.Id.ToString("N"), offer.Currency, sale.SaleAmount,
            ConversionPayout.Compute(goal, sale.SaleAmount), ConversionStatus.Pending, [], offer.HoldDays, clock.UtcNow, lead.Id);
        var caps = new CapLimits(offer.Id, offer.DailyCap, offer.MonthlyCap, offer.WebmasterDailyCap, offer.WebmasterMonthlyCap);
        await conversions.EnsureCapCountersAsync(caps, click.WebmasterId, ct);
        try
        {
            await conversions.RecordAsync(conversion, caps, ct);
        }
        catch (Exception ex) when (ex is DuplicateConversionException)
        {
            logger.LogInformation("CPS conversion for sale {SaleId} already recorded", sale.Id);
        }
        catch (DomainException ex)
        {
            // e.g. the offer's cap or the advertiser's balance: nothing is half-stored, the whole update is refused with the reason.
            throw new ConflictException(ex.Code, "The lead cannot be marked converted: its CPS payout could not be recorded. " + ex.Message);
        }
    }
}
