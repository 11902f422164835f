using LeadExchange.Application.Common.Behaviours;
using LeadExchange.Application.Common.Exceptions;
using LeadExchange.Application.Common.Interfaces;
using LeadExchange.Application.Common.Models;
using LeadExchange.Domain.Common;
using LeadExchange.Domain.Conversions;
using LeadExchange.Domain.Identity;
using LeadExchange.Domain.Tracking;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace LeadExchange.Application.Conversions;

// ---------- Advertiser: postback settings and URLs ----------

public sealed record PostbackSettingsDto(string Token, string SigningSecret, bool RequireSignature, IReadOnlyList<string> AllowedIps,
    string PostbackUrl, string PixelUrl, DateTime UpdatedAt);

public static class PostbackUrls
{
    /// <summary>The postback URL with the token filled in and the advertiser tracker's macros where its values go.</summary>
    public static string Postback(string baseUrl, string token, string? goal = null, bool sale = false) =>
        $"{baseUrl}/postback?click_id={{click_id}}{(goal is null ? "" : "&goal=" + Uri.EscapeDataString(goal))}{(sale ? "&amount={amount}" : "")}&txid={{txid}}&status={{status}}&token={token}";

    public static string Pixel(string baseUrl, string token, string? goal = null) =>
        $"{baseUrl}/pixel.gif?click_id={{click_id}}{(goal is null ? "" : "&goal=" + Uri.EscapeDataString(goal))}&token={token}";

    internal static async Task<AdvertiserPostbackSettings> GetOrCreateAsync(IAppDbContext db, string advertiserId, IClock clock, CancellationToken ct)
    {
        var settings = await db.AdvertiserPostbackSettings.FirstOrDefaultAsync(s => s.AdvertiserId == advertiserId, ct);
        if (settings is not null) return settings;
        settings = AdvertiserPostbackSettings.Create(advertiserId, clock.UtcNow);
        db.AdvertiserPostbackSettings.Add(settings);
        try
        {
            await db.SaveChangesAsync(ct);
            return settings;
        }
        catch (DbUpdateException)
        {
            // Two first visits at once: the other one created it.
            db.Entry(settings).State = EntityState.Detached;
            return await db.AdvertiserPostbackSettings.FirstAsync(s => s.AdvertiserId == advertiserId, ct);
        }
    }

    internal static PostbackSettingsDto ToDto(AdvertiserPostbackSettings s, string baseUrl) =>
        new(s.Token, s.SigningSecret, s.RequireSignature, s.AllowedIpList, Postback(baseUrl, s.Token), Pixel(baseUrl, s.Token), s.UpdatedAt);
}

/// <summary>The caller's postback settings, created with a fresh token on first use. Not a command: creation is its own small save.</summary>
public sealed record GetPostbackSettingsQuery : IRequest<PostbackSettingsDto>;

public sealed class GetPostbackSettingsHandler(IAppDbContext db, ICurrentUser user, IClock clock, IPublicUrls urls)
    : IRequestHandler<GetPostbackSettingsQuery, PostbackSettingsDto>
{
    public async Task<PostbackSettingsDto> Handle(GetPostbackSettingsQuery request, CancellationToken cancellationToken)
    {
        user.RequireRole(Roles.Advertiser);
        var settings = await PostbackUrls.GetOrCreateAsync(db, user.RequireUserId(), clock, cancellationToken);
        return PostbackUrls.ToDto(settings, urls.BaseUrl);
    }
}

public enum PostbackSecretAction { None, RotateToken, RotateSecret }

public sealed record UpdatePostbackSettingsCommand(bool RequireSignature, IReadOnlyList<string>? AllowedIps, PostbackSecretAction Rotate = PostbackSecretAction.None)
    : IRequest<PostbackSettingsDto>;

public sealed class UpdatePostbackSettingsHandler(IUnitOfWork uow, IAppDbContext db, ICurrentUser user, IClock clock, IPublicUrls urls, IPostbackAuthCache cache)
    : IRequestHandler<UpdatePostbackSettingsCommand, PostbackSettingsDto>
{
    public Task<PostbackSettingsDto> Handle(UpdatePostbackSettingsCommand request, CancellationToken cancellationToken) => uow.RunAsync(token => ExecuteAsync(request, token), cancellationToken);

    private async Task<PostbackSettingsDto> ExecuteAsync(UpdatePostbackSettingsCommand request, CancellationToken cancellationToken)
    {
        user.RequireRole(Roles.Advertiser);
        var advertiserId = user.RequireUserId();
        var ips = (request.AllowedIps ?? []).SelectMany(i => i.Split([',', ' ', '\n', '\r', ';'], StringSplitOptions.RemoveEmptyEntries)).ToList();
        var errors = AdvertiserPostbackSettings.ValidateIps(ips).ToList();
        if (errors.Count > 0) throw new ValidationException("AllowedIps", string.Join(" ", errors));
        var settings = await PostbackUrls.GetOrCreateAsync(db, advertiserId, clock, cancellationToken);
        var now = clock.UtcNow;
        settings.Update(request.RequireSignature, ips, now);
        if (request.Rotate == PostbackSecretAction.RotateToken) settings.RotateToken(now);
        if (request.Rotate == PostbackSecretAction.RotateSecret) settings.RotateSecret(now);
        await db.SaveChangesAsync(cancellationToken);
        await cache.InvalidateAsync(advertiserId, cancellationToken);
        return PostbackUrls.ToDto(settings, urls.BaseUrl);
    }
}

public sealed record GoalPostbackUrlDto(string Goal, string Name, string Model, string Url, string PixelUrl);

public sealed record OfferPostbackUrlDto(Guid OfferId, string Url, string PixelUrl, string TestUrl, IReadOnlyList<GoalPostbackUrlDto> Goals,
    bool RequireSignature, IReadOnlyDictionary<string, string[]> Aliases);

/// <summary>GET /api/v1/offers/{id}/postback-url: the URL with the token filled in, per goal too.</summary>
public sealed record GetOfferPostbackUrlQuery(Guid OfferId) : IRequest<OfferPostbackUrlDto>;

public sealed class GetOfferPostbackUrlHandler(IAppDbContext db, ICurrentUser user, IClock clock, IPublicUrls urls)
    : IRequestHandler<GetOfferPostbackUrlQuery, OfferPostbackUrlDto>
{
    public async Task<OfferPostbackUrlDto> Handle(GetOfferPostbackUrlQuery request, CancellationToken cancellationToken)
    {
        user.RequireRole(Roles.Advertiser);
        var advertiserId = user.RequireUserId();
        var offer = await db.Offers.AsNoTracking().Include(o => o.Goals)
            .FirstOrDefaultAsync(o => o.Id == request.OfferId && o.AdvertiserId == advertiserId, cancellationToken)
            ?? throw new NotFoundException("Offer");
        var settings = await PostbackUrls.GetOrCreateAsync(db, advertiserId, clock, cancellationToken);
        var b = urls.BaseUrl;
        var goals = offer.Goals.OrderByDescending(g => g.IsDefault).ThenBy(g => g.Code)
            .Select(g => new GoalPostbackUrlDto(g.Code, g.Name, g.Model.ToString().ToUpperInvariant(),
                PostbackUrls.Postback(b, settings.Token, g.Code, g.Model == Domain.Offers.PayoutModel.Cps),
                PostbackUrls.Pixel(b, settings.Token, g.Code))).ToList();
        return new OfferPostbackUrlDto(offer.Id, PostbackUrls.Postback(b, settings.Token), PostbackUrls.Pixel(b, settings.Token),
            $"{b}/postback?click_id={RecordPostbackHandler.TestClickId}&token={settings.Token}", goals, settings.RequireSignature,
            PostbackParameters.Aliases.ToDictionary(a => a.Key, a => a.Value));
    }
}

// ---------- Conversions ----------

public sealed record ConversionDto(
    Guid Id, string ClickId, Guid OfferId, string OfferTitle, string Goal, string WebmasterId, string AdvertiserId, string Status, bool ReviewRequired,
    IReadOnlyList<string> FraudFlags, string Currency, long? SaleAmount, long AdvertiserAmount, long WebmasterAmount, string? TxId,
    string? Sub1, string? Sub2, string? Sub3, string? Sub4, string? Sub5, DateTime ClickedAt, DateTime CreatedAt, DateTime UpdatedAt,
    DateTime HoldUntil, string? Note);

/// <summary>Conversions the caller may see: an advertiser's on their offers, a webmaster's own (without the advertiser's price), all for moderators/admins.</summary>
public sealed record ListConversionsQuery(
    ConversionStatus? Status = null, Guid? OfferId = null, bool? ReviewRequired = null, DateTime? From = null, DateTime? To = null,
    string? Sub1 = null, int? Page = null, int? PageSize = null) : IRequest<PagedResult<ConversionDto>>;

public sealed class ListConversionsHandler(IAppDbContext db, ICurrentUser user) : IRequestHandler<ListConversionsQuery, PagedResult<ConversionDto>>
{
    public async Task<PagedResult<ConversionDto>> Handle(ListConversionsQuery request, CancellationToken cancellationToken)
    {
        var userId = user.RequireUserId();
        var query = db.Conversions.AsNoTracking();
        var webmaster = false;
        if (user.IsInRole(Roles.Admin) || user.IsInRole(Roles.Moderator)) { }
        else if (user.IsInRole(Roles.Advertiser)) query = query.Where(c => c.AdvertiserId == userId);
        else if (user.IsInRole(Roles.Webmaster)) { query = query.Where(c => c.WebmasterId == userId); webmaster = true; }
        else throw new ForbiddenException("Conversions are for advertisers, webmasters and moderators.");

        if (request.Status is { } status) query = query.Where(c => c.Status == status);
        if (request.OfferId is { } offerId) query = query.Where(c => c.OfferId == offerId);
        if (request.ReviewRequired is { } review) query = query.Where(c => c.ReviewRequired == review);
        if (request.From is { } from) query = query.Where(c => c.CreatedAt >= from);
        if (request.To is { } to) query = query.Where(c => c.CreatedAt < to);
        if (!string.IsNullOrWhiteSpace(request.Sub1)) query = query.Where(c => c.Sub1 == request.Sub1);

        var (page, size) = Paging.Normalize(request.Page, request.PageSize);
        var total = await query.CountAsync(cancellationToken);
        var rows = await query.OrderByDescending(c => c.CreatedAt).ThenBy(c => c.Id).Skip((page - 1) * size).Take(size)
            .Join(db.Offers, c => c.OfferId, o => o.Id, (c, o) => new { c, o.Title }).ToListAsync(cancellationToken);
        var items = rows.Select(r => new ConversionDto(r.c.Id, r.c.ClickId, r.c.OfferId, r.Title, r.c.GoalCode, r.c.WebmasterId,
            webmaster ? "" : r.c.AdvertiserId, WebmasterPostbackMessages.StatusName(r.c.Status), r.c.ReviewRequired,
            r.c.FraudFlags?.Split(',') ?? [], r.c.Currency, r.c.SaleAmount, webmaster ? 0 : r.c.AdvertiserAmount, r.c.WebmasterAmount, r.c.TxId,
            r.c.Sub1, r.c.Sub2, r.c.Sub3, r.c.Sub4, r.c.Sub5, r.c.ClickedAt, r.c.CreatedAt, r.c.UpdatedAt, r.c.HoldUntil, r.c.Note)).ToList();
        return new PagedResult<ConversionDto>(items, page, size, total);
    }
}

// ---------- Postback log ----------

public sealed record PostbackLogDto(Guid Id, DateTime ReceivedAt, string Source, string Method, string Query, string? Ip, int HttpStatus,
    string Result, string? Message, Guid? ConversionId, string? ClickId);

/// <summary>The advertiser's postback log (admins: everyone's, including calls with unknown tokens). <c>Failed</c> = only refused calls.</summary>
public sealed record ListPostbackLogQuery(bool? Failed = null, string? Result = null, DateTime? From = null, DateTime? To = null, int? Page = null, int? PageSize = null)
    : IRequest<PagedResult<PostbackLogDto>>;

public sealed class ListPostbackLogHandler(IAppDbContext db, ICurrentUser user) : IRequestHandler<ListPostbackLogQuery, PagedResult<PostbackLogDto>>
{
    public async Task<PagedResult<PostbackLogDto>> Handle(ListPostbackLogQuery request, CancellationToken cancellationToken)
    {
        user.RequireRole(Roles.Advertiser, Roles.Admin);
        var query = db.PostbackLog.AsNoTracking();
        if (!user.IsInRole(Roles.Admin))
        {
            var userId = user.RequireUserId();
            query = query.Where(e => e.AdvertiserId == userId);
        }
        if (request.Failed is true) query = query.Where(e => e.HttpStatus >= 400);
        if (request.Failed is false) query = query.Where(e => e.HttpStatus < 400);
        if (!string.IsNullOrWhiteSpace(request.Result)) query = query.Where(e => e.Result == request.Result);
        if (request.From is { } from) query = query.Where(e => e.ReceivedAt >= from);
        if (request.To is { } to) query = query.Where(e => e.ReceivedAt < to);
        var (page, size) = Paging.Normalize(request.Page, request.PageSize);
        var total = await query.CountAsync(cancellationToken);
        var items = await query.OrderByDescending(e => e.ReceivedAt).ThenBy(e => e.Id).Skip((page - 1) * size).Take(size)
            .Select(e => new PostbackLogDto(e.Id, e.ReceivedAt, e.Source, e.Method, e.Query, e.Ip, e.HttpStatus, e.Result, e.Message, e.ConversionId, e.ClickId))
            .ToListAsync(cancellationToken);
        return new PagedResult<PostbackLogDto>(items, page, size, total);
    }
}

// ---------- Webmaster: outbound postback ----------

public sealed record WebmasterPostbackDto(string UrlTemplate, bool Enabled, int ConsecutiveFailures, DateTime? DisabledAt, string? DisabledReason,
    IReadOnlyList<string> Macros);

public sealed record GetWebmasterPostbackQuery : IRequest<WebmasterPostbackDto>;

public sealed class GetWebmasterPostbackHandler(IAppDbContext db, ICurrentUser user) : IRequestHandler<GetWebmasterPostbackQuery, WebmasterPostbackDto>
{
    public async Task<WebmasterPostbackDto> Handle(GetWebmasterPostbackQuery request, CancellationToken cancellationToken)
    {
        user.RequireRole(Roles.Webmaster);
        var userId = user.RequireUserId();
        var s = await db.WebmasterPostbackSettings.AsNoTracking().FirstOrDefaultAsync(x => x.WebmasterId == userId, cancellationToken);
        return WebmasterPostbackDtos.From(s);
    }
}

public static class WebmasterPostbackDtos
{
    public static WebmasterPostbackDto From(WebmasterPostbackSettings? s) => s is null
        ? new WebmasterPostbackDto("", false, 0, null, null, PostbackMacros.Names.Select(n => "{" + n + "}").ToList())
        : new WebmasterPostbackDto(s.UrlTemplate, s.Enabled, s.ConsecutiveFailures, s.DisabledAt, s.DisabledReason,
            PostbackMacros.Names.Select(n => "{" + n + "}").ToList());
}

public sealed record UpdateWebmasterPostbackCommand(string? UrlTemplate, bool Enabled) : IRequest<WebmasterPostbackDto>;

public sealed class UpdateWebmasterPostbackHandler(IUnitOfWork uow, IAppDbContext db, ICurrentUser user, IClock clock)
    : IRequestHandler<UpdateWebmasterPostbackCommand, WebmasterPostbackDto>
{
    public Task<WebmasterPostbackDto> Handle(UpdateWebmasterPostbackCommand request, CancellationToken cancellationToken) => uow.RunAsync(token => ExecuteAsync(request, token), cancellationToken);

    private async Task<WebmasterPostbackDto> ExecuteAsync(UpdateWebmasterPostbackCommand request, CancellationToken cancellationToken)
    {
        user.RequireRole(Roles.Webmaster);
        var userId = user.RequireUserId();
        var s = await db.WebmasterPostbackSettings.FirstOrDefaultAsync(x => x.WebmasterId == userId, cancellationToken);
        if (s is null)
        {
            s = new WebmasterPostbackSettings(userId, clock.UtcNow);
            db.WebmasterPostbackSettings.Add(s);
        }
        try
        {
            s.Update(request.UrlTemplate, request.Enabled, clock.UtcNow);
        }
        catch (DomainException ex)
        {
            throw new ValidationException("UrlTemplate", ex.Message);
        }
        await db.SaveChangesAsync(cancellationToken);
        return WebmasterPostbackDtos.From(s);
    }
}

public sealed record PostbackDeliveryDto(Guid Id, Guid ConversionId, int Attempt, string ConversionStatus, string Url, int? HttpStatus, string? Error,
    long DurationMs, bool Success, DateTime CreatedAt);

public sealed record ListPostbackDeliveriesQuery(bool? Failed = null, int? Page = null, int? PageSize = null) : IRequest<PagedResult<PostbackDeliveryDto>>;

public sealed class ListPostbackDeliveriesHandler(IAppDbContext db, ICurrentUser user) : IRequestHandler<ListPostbackDeliveriesQuery, PagedResult<PostbackDeliveryDto>>
{
    public async Task<PagedResult<PostbackDeliveryDto>> Handle(ListPostbackDeliveriesQuery request, CancellationToken cancellationToken)
    {
        user.RequireRole(Roles.Webmaster);
        var userId = user.RequireUserId();
        var query = db.PostbackDeliveries.AsNoTracking().Where(d => d.WebmasterId == userId);
        if (request.Failed is { } failed) query = query.Where(d => d.Success != failed);
        var (page, size) = Paging.Normalize(request.Page, request.PageSize);
        var total = await query.CountAsync(cancellationToken);
        var items = await query.OrderByDescending(d => d.CreatedAt).ThenBy(d => d.Id).Skip((page - 1) * size).Take(size)
            .Select(d => new PostbackDeliveryDto(d.Id, d.ConversionId, d.Attempt, d.ConversionStatus, d.Url, d.HttpStatus, d.Error, d.DurationMs, d.Success, d.CreatedAt))
            .ToListAsync(cancellationToken);
        return new PagedResult<PostbackDeliveryDto>(items, page, size, total);
    }
}
