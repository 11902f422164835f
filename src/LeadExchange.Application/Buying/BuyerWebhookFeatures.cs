using LeadExchange.Application.Common.Behaviours;
using LeadExchange.Application.Common.Exceptions;
using LeadExchange.Application.Common.Interfaces;
using LeadExchange.Application.Common.Models;
using LeadExchange.Domain.Buying;
using LeadExchange.Domain.Common;
using LeadExchange.Domain.Identity;
using MediatR;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
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

/// <summary>Section "BuyerWebhooks": limits on the buyer's resend button.</summary>
public sealed class BuyerWebhookOptions
{
    public const string Section = "BuyerWebhooks";

    /// <summary>Resends one advertiser may queue per minute (every purchase together); more answer 429.</summary>
    public int ResendsPerAccountPerMinute { get; set; } = 10;
}

/// <summary>
/// The resend button: a new delivery (new delivery id) of one purchase, through the outbox. A resend while a delivery of the
/// purchase is still pending queues nothing and answers that delivery's id; resends of one purchase are serialized (a
/// parallel one answers 429), and an account queues at most <see cref="BuyerWebhookOptions.ResendsPerAccountPerMinute"/>.
/// </summary>
public sealed record ResendWebhookCommand(Guid SaleId) : IRequest<ResendWebhookResult>;

/// <summary><paramref name="Queued"/> false: a delivery of this purchase was still pending; its id is answered.</summary>
public sealed record ResendWebhookResult(Guid DeliveryId, bool Queued);

public sealed class ResendWebhookHandler(IUnitOfWork uow, IAppDbContext db, ICurrentUser user, IClock clock, IDedupStore locks, IRateCounters counters,
    IOptions<BuyerWebhookOptions> options, ILogger<ResendWebhookHandler> logger)
    : IRequestHandler<ResendWebhookCommand, ResendWebhookResult>
{
    public async Task<ResendWebhookResult> Handle(ResendWebhookCommand request, CancellationToken ct)
    {
        user.RequireRole(Roles.Advertiser);
        var me = user.RequireUserId();
        var now = clock.UtcNow;
        var minute = now.ToString("yyyyMMddHHmm", System.Globalization.CultureInfo.InvariantCulture);
        if ((await CountAsync($"wh:resend:a:{me}:{minute}", ct)) > options.Value.ResendsPerAccountPerMinute)
            throw new Leads.TooManyRequestsException("Too many resends in the last minute; try again in a minute.", 60 - now.Second);
        // One resend of a purchase at a time: the pending check and the new message must not interleave with another's.
        var lockKey = $"wh:resend:s:{request.SaleId:N}";
        if (!await TryLockAsync(lockKey, ct))
            throw new Leads.TooManyRequestsException("A resend of this purchase is being queued right now; try again in a second.", 1);
        try
        {
            return await uow.RunAsync(token => ExecuteAsync(request.SaleId, me, token), ct);
        }
        finally
        {
            await UnlockAsync(lockKey);
        }
    }

    private async Task<ResendWebhookResult> ExecuteAsync(Guid saleId, string me, CancellationToken ct)
    {
        if (!await db.LeadSales.AnyAsync(s => s.Id == saleId && s.BuyerId == me, ct)) throw new NotFoundException("Purchase");
        var settings = await db.BuyerWebhooks.AsNoTracking().FirstOrDefaultAsync(w => w.AdvertiserId == me, ct);
        if (settings is not { Enabled: true })
            throw new DomainException("webhook_off", settings?.DisabledReason is { } reason
                ? $"The webhook is switched off ({reason}). Fix the endpoint and switch it on first."
                : "Set up and switch on the webhook first.");
        var key = saleId.ToString("N");
        var pending = await db.OutboxMessages.AsNoTracking()
            .Where(m => m.Type == BuyerWebhookMessages.Type && m.Key == key && m.ProcessedAt == null && !m.DeadLettered)
            .Select(m => (Guid?)m.Id).FirstOrDefaultAsync(ct);
        if (pending is { } id) return new ResendWebhookResult(id, false);
        var message = BuyerWebhookMessages.Create(saleId, me, clock.UtcNow);
        db.OutboxMessages.Add(message);
        await db.SaveChangesAsync(ct);
        return new ResendWebhookResult(message.Id, true);
    }

    // Redis is a guard here, not the truth: when it is down, the pending check alone limits resends.
    private async Task<long> CountAsync(string key, CancellationToken ct)
    {
        try
        {
            return (await counters.IncrementAsync([key], TimeSpan.FromMinutes(1), ct))[0];
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Webhook resend limit unavailable (Redis); not counting");
            return 0;
        }
    }

    private async Task<bool> TryLockAsync(string key, CancellationToken ct)
    {
        try
        {
            return await locks.TryReserveAsync(key, TimeSpan.FromSeconds(30), ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Webhook resend lock unavailable (Redis); relying on the pending check");
            return true;
        }
    }

    private async Task UnlockAsync(string key)
    {
        try
        {
            await locks.ReleaseAsync(key, CancellationToken.None);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Webhook resend lock not released; it expires in 30 s");
        }
    }
}
