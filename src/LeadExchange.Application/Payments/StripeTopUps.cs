using LeadExchange.Application.Common.Exceptions;
using LeadExchange.Application.Common.Interfaces;
using LeadExchange.Application.Common.Models;
using LeadExchange.Domain.Common;
using LeadExchange.Domain.Identity;
using LeadExchange.Domain.Payments;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace LeadExchange.Application.Payments;

public sealed record StartTopUpResult(Guid TopUpId, string CheckoutUrl);

public sealed record TopUpDto(
    Guid Id, string AdvertiserId, long Amount, string Currency, TopUpStatus Status, PaymentMethod Method, string? StripeSessionId,
    long RefundedAmount, string? Note, DateTime CreatedAt, DateTime? CompletedAt);

/// <summary>
/// An advertiser starts a Stripe top-up: a pending TopUp and a Checkout Session for exactly that amount.
/// The balance is credited later, only by the verified webhook (<see cref="HandleStripeEventCommand"/>).
/// <para>
/// Deliberately NOT one transaction around the Stripe call: on SQLite a transaction holds the database's
/// only write lock, and on the server databases it would hold row locks and a pooled connection for up to
/// the gateway timeout (20 s). So three short steps, each one statement (atomic on its own, no unit of work needed):
/// (1) store the pending top-up; (2) call
/// Stripe, with an idempotency key derived from the top-up id; (3) store the session id. A crash after (2)
/// loses nothing: the session carries client_reference_id = top-up id, so its webhooks still find the
/// top-up (and attach the session id then). A definite refusal in (2) marks the top-up failed; an
/// ambiguous one (timeout, 5xx) leaves it pending: if Stripe did create the session, its expiry event
/// settles it.
/// </para>
/// </summary>
public sealed record StartTopUpCommand(long Amount, string? Currency, string ReturnBaseUrl) : IRequest<StartTopUpResult>;

public sealed class StartTopUpHandler(
    IAppDbContext db, ICurrentUser user, IIdentityService identity, IPaymentGateway gateway, IClock clock, ILogger<StartTopUpHandler> logger)
    : IRequestHandler<StartTopUpCommand, StartTopUpResult>
{
    public async Task<StartTopUpResult> Handle(StartTopUpCommand request, CancellationToken cancellationToken)
    {
        user.RequireRole(Roles.Advertiser);
        var userId = user.RequireUserId();
        var currency = (request.Currency ?? "").Trim().ToUpperInvariant();
        var settings = await PlatformSettingsStore.LoadAsync(db, cancellationToken);
        var errors = new List<(string, string)>();
        if (!Currencies.IsSupported(currency))
            errors.Add(("Currency", $"Currency must be one of {string.Join(", ", Currencies.Supported)}."));
        var shown = Currencies.IsSupported(currency) ? currency : Currencies.Supported[0];
        if (request.Amount < settings.TopUpMin || request.Amount > settings.TopUpMax)
            errors.Add(("Amount", $"A top-up is {new Money(settings.TopUpMin, shown)} to {new Money(settings.TopUpMax, shown)} ; send amount in minor units, e.g. {settings.TopUpMin} = {new Money(settings.TopUpMin, shown)}."));
        if (errors.Count > 0) throw ValidationException.From(errors);
        if (!gateway.IsConfigured)
            throw new ConflictException("stripe_not_configured", "Card top-ups need Stripe, which is not configured here; ask an admin for a manual top-up.");

        var email = (await identity.FindByIdAsync(userId, cancellationToken))?.Email ?? "";
        // 1. The pending row, committed before Stripe is called.
        var topUp = TopUp.StartStripe(userId, request.Amount, currency, clock.UtcNow);
        db.TopUps.Add(topUp);
        await db.SaveChangesAsync(cancellationToken);
        var topUpId = topUp.Id;

        var baseUrl = request.ReturnBaseUrl.TrimEnd('/');
        // {CHECKOUT_SESSION_ID} is filled in by Stripe.
        var successUrl = $"{baseUrl}/advertiser/balance?topup={topUpId:N}&session_id={{CHECKOUT_SESSION_ID}}";
        var cancelUrl = $"{baseUrl}/advertiser/balance?topup={topUpId:N}&cancelled=1";
        CheckoutSessionResult session;
        try
        {
            session = await gateway.CreateCheckoutSessionAsync(topUpId, email, request.Amount, currency, successUrl, cancelUrl, cancellationToken);
        }
        catch (PaymentGatewayException ex) when (!ex.Transient)
        {
            logger.LogWarning(ex, "Stripe refused the checkout session for top-up {TopUpId}: {Code}", topUpId, ex.Code);
            var now = clock.UtcNow;
            await db.TopUps.Where(t => t.Id == topUpId && t.Status == TopUpStatus.Pending)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, TopUpStatus.Failed).SetProperty(t => t.CompletedAt, now), CancellationToken.None);
            throw;
        }
        // 3. Remember the session id (a webhook that came first may already have attached it).
        await db.TopUps.Where(t => t.Id == topUpId && t.StripeSessionId == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.StripeSessionId, session.SessionId), CancellationToken.None);
        return new StartTopUpResult(topUpId, session.Url);
    }
}

/// <summary>Top-ups: an advertiser sees their own; an admin sees everyone's.</summary>
public sealed record ListTopUpsQuery(TopUpStatus? Status = null, int? Page = null, int? PageSize = null) : IRequest<PagedResult<TopUpDto>>;

public sealed class ListTopUpsHandler(IAppDbContext db, ICurrentUser user) : IRequestHandler<ListTopUpsQuery, PagedResult<TopUpDto>>
{
    public async Task<PagedResult<TopUpDto>> Handle(ListTopUpsQuery request, CancellationToken cancellationToken)
    {
        var userId = user.RequireUserId();
        var admin = user.IsInRole(Roles.Admin);
        if (!admin) user.RequireRole(Roles.Advertiser);
        var (page, pageSize) = Paging.Normalize(request.Page, request.PageSize);
        var query = db.TopUps.AsNoTracking();
        if (!admin) query = query.Where(t => t.AdvertiserId == userId);
        if (request.Status is { } status) query = query.Where(t => t.Status == status);
        var total = await query.CountAsync(cancellationToken);
        var items = await query.OrderByDescending(t => t.CreatedAt).ThenBy(t => t.Id).Skip((page - 1) * pageSize).Take(pageSize)
            .Select(t => new TopUpDto(t.Id, t.AdvertiserId, t.Amount, t.Currency, t.Status, t.Method, t.StripeSessionId, t.RefundedAmount,
                t.Note, t.CreatedAt, t.CompletedAt))
            .ToListAsync(cancellationToken);
        return new PagedResult<TopUpDto>(items, page, pageSize, total);
    }
}

/// <summary>
/// Background sweep: a Stripe top-up still pending with no session id after 48 hours can no longer be paid
/// (Checkout sessions expire after 24 hours, and a session the app never heard of is found by its
/// client_reference_id only while it can be paid), so it is closed as expired instead of hanging forever.
/// </summary>
public sealed record ExpireAbandonedTopUpsCommand : IRequest<int>;

public sealed class ExpireAbandonedTopUpsHandler(IAppDbContext db, IClock clock) : IRequestHandler<ExpireAbandonedTopUpsCommand, int>
{
    public static readonly TimeSpan Abandoned = TimeSpan.FromHours(48);

    public async Task<int> Handle(ExpireAbandonedTopUpsCommand request, CancellationToken cancellationToken)
    {
        var now = clock.UtcNow;
        var before = now - Abandoned;
        return await db.TopUps
            .Where(t => t.Status == TopUpStatus.Pending && t.Method == PaymentMethod.Stripe && t.StripeSessionId == null && t.CreatedAt < before)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, TopUpStatus.Expired).SetProperty(t => t.CompletedAt, now), cancellationToken);
    }
}
