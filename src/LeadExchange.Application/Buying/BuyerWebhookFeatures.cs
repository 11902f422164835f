using LeadExchange.Application.Common.Behaviours;
using LeadExchange.Application.Common.Exceptions;
using LeadExchange.Application.Common.Interfaces;
using LeadExchange.Application.Common.Models;
using LeadExchange.Domain.Buying;
using LeadExchange.Domain.Common;
using LeadExchange.Domain.Identity;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace LeadExchange.Application.Buying;

public sealed record BuyerWebhookDto(string? Url, bool Enabled, string Secret, int ConsecutiveFailures, DateTime? DisabledAt, string? DisabledReason,
    int DisableAfterFailures);

public sealed record WebhookDeliveryDto(Guid Id, Guid SaleId, Guid DeliveryId, int Attempt, string Url, int? StatusCode, string? Error, long DurationMs,
    DateTime At, bool Succeeded);

internal static class BuyerWebhookStore
{
    /// <summary>The buyer's settings, created (off, with a fresh secret) on first use.</summary>
    public static async Task<BuyerWebhookSettings> GetOrCreateAsync(IAppDbContext db, string advertiserId, DateTime now, CancellationToken ct)
    {
        var settings = await db.BuyerWebhooks.FirstOrDefaultAsync(w => w.AdvertiserId == advertiserId, ct);
        if (settings is not null) return settings;
        settings = BuyerWebhookSettings.Create(advertiserId, now);
        db.BuyerWebhooks.Add(settings);
        try
        {
            // Inside the command's transaction EF wraps this in a savepoint, so losing the race of two
            // first visits (primary key on the advertiser) rolls back only this insert.
            await db.SaveChangesAsync(ct);
            return settings;
        }
        catch (DbUpdateException)
        {
            db.Entry(settings).State = EntityState.Detached;
            return await db.BuyerWebhooks.FirstAsync(w => w.AdvertiserId == advertiserId, ct);
        }
    }

    public static BuyerWebhookDto ToDto(BuyerWebhookSettings s) =>
        new(s.Url.Length == 0 ? null : s.Url, s.Enabled, s.Secret, s.ConsecutiveFailures, s.DisabledAt, s.DisabledReason, BuyerWebhookSettings.DisableAfterFailures);
}

public sealed record GetBuyerWebhookQuery : IRequest<BuyerWebhookDto>;

public sealed class GetBuyerWebhookHandler(IUnitOfWork uow, IAppDbContext db, ICurrentUser user, IClock clock) : IRequestHandler<GetBuyerWebhookQuery, BuyerWebhookDto>
{
    public Task<BuyerWebhookDto> Handle(GetBuyerWebhookQuery request, CancellationToken ct) => uow.RunAsync(token => ExecuteAsync(request, token), ct);

    private async Task<BuyerWebhookDto> ExecuteAsync(GetBuyerWebhookQuery request, CancellationToken ct)
    {
        user.RequireRole(Roles.Advertiser);
        return BuyerWebhookStore.ToDto(await BuyerWebhookStore.GetOrCreateAsync(db, user.RequireUserId(), clock.UtcNow, ct));
    }
}

/// <summary>PUT /api/v1/webhook {url, enabled}. Switching it on again clears an automatic switch-off.</summary>
public sealed record UpdateBuyerWebhookCommand(string? Url, bool Enabled) : IRequest<BuyerWebhookDto>;

public sealed class UpdateBuyerWebhookHandler(IUnitOfWork uow, IAppDbContext db, ICurrentUser user, IClock clock) : IRequestHandler<UpdateBuyerWebhookCommand, BuyerWebhookDto>
{
    public Task<BuyerWebhookDto> Handle(UpdateBuyerWebhookCommand request, CancellationToken ct) => uow.RunAsync(token => ExecuteAsync(request, token), ct);

    private async Task<BuyerWebhookDto> ExecuteAsync(UpdateBuyerWebhookCommand request, CancellationToken ct)
    {
        user.RequireRole(Roles.Advertiser);
        if (BuyerWebhookSettings.ValidateUrl(request.Url) is { } error) throw new ValidationException("url", error);
        var settings = await BuyerWebhookStore.GetOrCreateAsync(db, user.RequireUserId(), clock.UtcNow, ct);
        settings.Update(request.Url!, request.Enabled, clock.UtcNow);
        await db.SaveChangesAsync(ct);
        return BuyerWebhookStore.ToDto(settings);
    }
}

public sealed record RotateBuyerWebhookSecretCommand : IRequest<BuyerWebhookDto>;

public sealed class RotateBuyerWebhookSecretHandler(IUnitOfWork uow, IAppDbContext db, ICurrentUser user, IClock clock) : IRequestHandler<RotateBuyerWebhookSecretCommand, BuyerWebhookDto>
{
    public Task<BuyerWebhookDto> Handle(RotateBuyerWebhookSecretCommand request, CancellationToken ct) => uow.RunAsync(token => ExecuteAsync(request, token), ct);

    private async Task<BuyerWebhookDto> ExecuteAsync(RotateBuyerWebhookSecretCommand request, CancellationToken ct)
    {
        user.RequireRole(Roles.Advertiser);
        var settings = await BuyerWebhookStore.GetOrCreateAsync(db, user.RequireUserId(), clock.UtcNow, ct);
        settings.RotateSecret(clock.UtcNow);
        await db.SaveChangesAsync(ct);
        return BuyerWebhookStore.ToDto(settings);
    }
}

/// <summary>The delivery log, newest first; own deliveries only.</summary>
public sealed record ListWebhookDeliveriesQuery(Guid? SaleId = null, bool? Failed = null, int? Page = null, int? PageSize = null)
    : IRequest<PagedResult<WebhookDeliveryDto>>;

public sealed class ListWebhookDeliveriesHandler(IAppDbContext db, ICurrentUser user) : IRequestHandler<ListWebhookDeliveriesQuery, PagedResult<WebhookDeliveryDto>>
{
    public async Task<PagedResult<WebhookDeliveryDto>> Handle(ListWebhookDeliveriesQuery request, CancellationToken ct)
    {
        user.RequireRole(Roles.Advertiser);
        var me = user.RequireUserId();
        var (page, size) = Paging.Normalize(request.Page, request.PageSize);
        var query = db.WebhookDeliveries.AsNoTracking().Where(d => d.AdvertiserId == me);
        if (request.SaleId is { } saleId) query = query.Where(d => d.SaleId == saleId);
        if (request.Failed == true) query = query.Where(d => d.Error != null);
        if (request.Failed == false) query = query.Where(d => d.Error == null);
        var total = await query.CountAsync(ct);
        var items = await query.OrderByDescending(d => d.At).Skip((page - 1) * size).Take(size)
            .Select(d => new WebhookDeliveryDto(d.Id, d.SaleId, d.DeliveryId, d.Attempt, d.Url, d.StatusCode, d.Error, d.DurationMs, d.At,
                d.Error == null && d.StatusCode >= 200 && d.StatusCode < 300))
            .ToListAsync(ct);
        return new PagedResult<WebhookDeliveryDto>(items, page, size, total);
    }
}

/// <summary>The resend button: a new delivery (new delivery id) of one purchase, through the outbox.</summary>
public sealed record ResendWebhookCommand(Guid SaleId) : IRequest<Guid>;

public sealed class ResendWebhookHandler(IUnitOfWork uow, IAppDbContext db, ICurrentUser user, IClock clock) : IRequestHandler<ResendWebhookCommand, Guid>
{
    public Task<Guid> Handle(ResendWebhookCommand request, CancellationToken ct) => uow.RunAsync(token => ExecuteAsync(request, token), ct);

    private async Task<Guid> ExecuteAsync(ResendWebhookCommand request, CancellationToken ct)
    {
        user.RequireRole(Roles.Advertiser);
        var me = user.RequireUserId();
        if (!await db.LeadSales.AnyAsync(s => s.Id == request.SaleId && s.BuyerId == me, ct)) throw new NotFoundException("Purchase");
        var settings = await db.BuyerWebhooks.AsNoTracking().FirstOrDefaultAsync(w => w.AdvertiserId == me, ct);
        if (settings is not { Enabled: true })
            throw new DomainException("webhook_off", settings?.DisabledReason is { } reason
                ? $"The webhook is switched off ({reason}). Fix the endpoint and switch it on first."
                : "Set up and switch on the webhook first.");
        var message = BuyerWebhookMessages.Create(request.SaleId, me, clock.UtcNow);
        db.OutboxMessages.Add(message);
        await db.SaveChangesAsync(ct);
        return message.Id;
    }
}
