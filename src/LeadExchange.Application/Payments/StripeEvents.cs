using LeadExchange.Application.Common.Behaviours;
using LeadExchange.Application.Common.Interfaces;
using LeadExchange.Application.Ledger;
using LeadExchange.Domain.Ledger;
using LeadExchange.Domain.Payments;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace LeadExchange.Application.Payments;

/// <summary>The part of a verified Stripe event's data.object the platform acts on (no Stripe.net types here).</summary>
public abstract record StripeEventPayload;

/// <summary>A checkout.session object. Currency upper-case; AmountTotal in minor units.</summary>
public sealed record CheckoutSessionPayload(
    string SessionId, string? PaymentStatus, long? AmountTotal, string? Currency, string? PaymentIntentId,
    string? ClientReferenceId, string? TopUpIdMetadata) : StripeEventPayload;

/// <summary>A charge object; AmountRefunded is cumulative over all its refunds.</summary>
public sealed record ChargePayload(string ChargeId, string? PaymentIntentId, long Amount, long AmountRefunded, string? Currency) : StripeEventPayload;

/// <summary>A dispute object; Status on close: won, lost, warning_closed.</summary>
public sealed record DisputePayload(string DisputeId, string? ChargeId, string? PaymentIntentId, long Amount, string? Currency, string? Status)
    : StripeEventPayload;

/// <summary>An account object of a connected (Express) account.</summary>
public sealed record ConnectedAccountPayload(string AccountId, bool DetailsSubmitted, bool PayoutsEnabled, string? TransfersCapability)
    : StripeEventPayload;

public enum StripeEventOutcome
{
    /// <summary>The event changed something (or was a harmless repeat of a state already reached).</summary>
    Processed,
    /// <summary>This event id was processed before: nothing done.</summary>
    Duplicate,
    /// <summary>Not an event we act on, or about an object we do not know: recorded, nothing done.</summary>
    Ignored,
}

public static class StripeEventTypes
{
    public const string CheckoutSessionCompleted = "checkout.session.completed";
    public const string CheckoutSessionAsyncPaymentSucceeded = "checkout.session.async_payment_succeeded";
    public const string CheckoutSessionAsyncPaymentFailed = "checkout.session.async_payment_failed";
    public const string CheckoutSessionExpired = "checkout.session.expired";
    public const string ChargeRefunded = "charge.refunded";
    public const string ChargeDisputeCreated = "charge.dispute.created";
    public const string ChargeDisputeClosed = "charge.dispute.closed";
    public const string AccountUpdated = "account.updated";

    /// <summary>What to enable on the platform endpoint (/stripe/webhook).</summary>
    public static readonly IReadOnlyList<string> Platform =
        [CheckoutSessionCompleted, CheckoutSessionAsyncPaymentSucceeded, CheckoutSessionAsyncPaymentFailed, CheckoutSessionExpired,
         ChargeRefunded, ChargeDisputeCreated, ChargeDisputeClosed];

    /// <summary>What to enable on the Connect endpoint (/stripe/connect-webhook).</summary>
    public static readonly IReadOnlyList<string> Connect = [AccountUpdated];
}

/// <summary>
/// One verified Stripe event, processed exactly once: the ProcessedStripeEvents row (primary key = event id)
/// is inserted first, in the same transaction as the event's effect, so a redelivery (or five parallel
/// deliveries) of the same id either waits for the first and finds it done, or rolls back with it.
/// Effects are also once-only per business object, whatever the event ids: a session is credited by a
/// conditional Pending → Paid update plus the ledger's unique (TopUp, "stripe:{sessionId}"); refunds are
/// keyed by their cumulative amount; disputes by dispute id.
/// </summary>
public sealed record HandleStripeEventCommand(string EventId, string Type, StripeEventPayload? Payload) : IRequest<StripeEventOutcome>;

public sealed class HandleStripeEventHandler(IUnitOfWork uow, IAppDbContext db, LedgerPoster ledger, IClock clock, ILoggerFactory loggers)
    : IRequestHandler<HandleStripeEventCommand, StripeEventOutcome>
{
    private readonly ILogger logger = loggers.CreateLogger<HandleStripeEventHandler>();

    public Task<StripeEventOutcome> Handle(HandleStripeEventCommand request, CancellationToken cancellationToken) => uow.RunAsync(token => ExecuteAsync(request, token), cancellationToken);

    private async Task<StripeEventOutcome> ExecuteAsync(HandleStripeEventCommand request, CancellationToken cancellationToken)
    {
        var money = new StripeMoneyEvents(db, ledger, clock, loggers.CreateLogger<StripeMoneyEvents>());
        if (!await TryRecordEventAsync(request, cancellationToken))
        {
            logger.LogInformation("Stripe event {EventId} ({Type}) was already processed", request.EventId, request.Type);
            return StripeEventOutcome.Duplicate;
        }

        var outcome = (request.Type, request.Payload) switch
        {
            (StripeEventTypes.CheckoutSessionCompleted, CheckoutSessionPayload s) when IsPaid(s) => await money.CreditSessionAsync(s, cancellationToken),
            (StripeEventTypes.CheckoutSessionCompleted, CheckoutSessionPayload s) => await money.AwaitAsyncPaymentAsync(s, cancellationToken),
            (StripeEventTypes.CheckoutSessionAsyncPaymentSucceeded, CheckoutSessionPayload s) => await money.CreditSessionAsync(s, cancellationToken),
            (StripeEventTypes.CheckoutSessionAsyncPaymentFailed, CheckoutSessionPayload s) => await money.CloseSessionAsync(s, TopUpStatus.Failed, cancellationToken),
            (StripeEventTypes.CheckoutSessionExpired, CheckoutSessionPayload s) => await money.CloseSessionAsync(s, TopUpStatus.Expired, cancellationToken),
            (StripeEventTypes.ChargeRefunded, ChargePayload c) => await money.RefundAsync(c, cancellationToken),
            (StripeEventTypes.ChargeDisputeCreated, DisputePayload d) => await money.FreezeDisputeAsync(d, cancellationToken),
            (StripeEventTypes.ChargeDisputeClosed, DisputePayload d) => await money.CloseDisputeAsync(d, cancellationToken),
            (StripeEventTypes.AccountUpdated, ConnectedAccountPayload a) => await UpdateAccountAsync(a, cancellationToken),
            _ => StripeEventOutcome.Ignored,
        };
        logger.LogInformation("Stripe event {EventId} ({Type}): {Outcome}", request.EventId, request.Type, outcome);
        return outcome;
    }

    // "no_payment_required" cannot happen for a positive amount; treat only "paid" as money received.
    private static bool IsPaid(CheckoutSessionPayload s) => s.PaymentStatus == "paid";

    /// <summary>Inserts the event id; false when it is already there (committed by another delivery).</summary>
    private async Task<bool> TryRecordEventAsync(HandleStripeEventCommand request, CancellationToken ct)
    {
        if (await db.ProcessedStripeEvents.AsNoTracking().AnyAsync(e => e.EventId == request.EventId, ct)) return false;
        var row = new ProcessedStripeEvent(request.EventId, Truncate(request.Type, 100), clock.UtcNow);
        db.ProcessedStripeEvents.Add(row);
        try
        {
            // Inside the transaction EF wraps this in a savepoint, so a lost race rolls back only the insert.
            // On PostgreSQL/SQL Server the insert waits for a concurrent uncommitted insert of the same id and
            // then fails; on SQLite transactions are serial anyway.
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateException)
        {
            db.Entry(row).State = EntityState.Detached;
            if (await db.ProcessedStripeEvents.AsNoTracking().AnyAsync(e => e.EventId == request.EventId, ct)) return false;
            throw;
        }
    }

    private async Task<StripeEventOutcome> UpdateAccountAsync(ConnectedAccountPayload payload, CancellationToken ct)
    {
        var account = await db.StripeConnectedAccounts.FirstOrDefaultAsync(a => a.AccountId == payload.AccountId, ct);
        if (account is null)
        {
            logger.LogWarning("account.updated for unknown connected account {AccountId}", payload.AccountId);
            return StripeEventOutcome.Ignored;
        }
        account.Update(payload.DetailsSubmitted, payload.PayoutsEnabled, payload.TransfersCapability == "active", clock.UtcNow);
        await db.SaveChangesAsync(ct);
        return StripeEventOutcome.Processed;
    }

    private static string Truncate(string value, int max) => value.Length <= max ? value : value[..max];
}

/// <summary>
/// The money effects of Stripe events on advertisers' top-ups, each inside the caller's transaction.
/// Sign convention as in <see cref="AccountType"/>: money coming in from Stripe is PaymentClearing negative,
/// money going back out (refunds, lost disputes) is PaymentClearing positive.
/// </summary>
public sealed class StripeMoneyEvents(IAppDbContext db, LedgerPoster ledger, IClock clock, ILogger<StripeMoneyEvents> logger)
{
    public static string CreditReference(string sessionId) => $"stripe:{sessionId}";
    public static string RefundReference(string chargeId, long cumulative) => $"stripe-refund:{chargeId}:{cumulative}";
    public static string DisputeReference(string disputeId) => $"stripe-dispute:{disputeId}";

    /// <summary>
    /// Credits the session's amount once. The amount and currency must equal the TopUp's: we created the
    /// session with exactly that price, so a difference means something we do not understand (a session
    /// made outside this app that reuses our reference, a manual change in the dashboard). The safe choice
    /// is to credit nothing automatically, keep the top-up pending and log an error for an admin, who can
    /// credit by hand (manual top-up) or refund in Stripe: an unexpected credit would be spendable at once
    /// and hard to take back, a missing one is easy to add.
    /// </summary>
    public async Task<StripeEventOutcome> CreditSessionAsync(CheckoutSessionPayload session, CancellationToken ct)
    {
        var topUp = await FindBySessionAsync(session, ct);
        if (topUp is null) return StripeEventOutcome.Ignored;
        if (session.AmountTotal != topUp.Amount || !string.Equals(session.Currency, topUp.Currency, StringComparison.OrdinalIgnoreCase))
        {
            logger.LogError(
                "Stripe session {SessionId} paid {Paid} {PaidCurrency} but top-up {TopUpId} expects {Amount} {Currency}: NOT credited, needs an admin",
                session.SessionId, session.AmountTotal, session.Currency, topUp.Id, topUp.Amount, topUp.Currency);
            return StripeEventOutcome.Ignored;
        }

        var now = clock.UtcNow;
        var won = await db.TopUps.Where(t => t.Id == topUp.Id && t.Status == TopUpStatus.Pending)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, TopUpStatus.Paid).SetProperty(t => t.CompletedAt, now)
                .SetProperty(t => t.StripeSessionId, t => t.StripeSessionId ?? session.SessionId)
                .SetProperty(t => t.StripePaymentIntentId, t => t.StripePaymentIntentId ?? session.PaymentIntentId), ct);
        if (won == 0)
        {
            // Already credited by another event for this session (completed and async_payment_succeeded
            // both say "paid"), or closed as failed/expired, which Stripe never follows with a payment.
            logger.LogInformation("Top-up {TopUpId} is no longer pending; session {SessionId} not credited again", topUp.Id, session.SessionId);
            return StripeEventOutcome.Processed;
        }
        await ledger.PostAsync(JournalEntryType.TopUp, CreditReference(session.SessionId), $"Stripe top-up (Checkout {session.SessionId})",
            topUp.Currency,
            [(AccountKey.Platform(AccountType.PaymentClearing, topUp.Currency), -topUp.Amount),
             (new AccountKey(AccountType.AdvertiserBalance, topUp.AdvertiserId, topUp.Currency), topUp.Amount)],
            null, ct);
        return StripeEventOutcome.Processed;
    }

    /// <summary>completed with payment_status=unpaid (bank debits and the like): remember the payment intent, wait.</summary>
    public async Task<StripeEventOutcome> AwaitAsyncPaymentAsync(CheckoutSessionPayload session, CancellationToken ct)
    {
        var topUp = await FindBySessionAsync(session, ct);
        if (topUp is null) return StripeEventOutcome.Ignored;
        await db.TopUps.Where(t => t.Id == topUp.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.StripeSessionId, t => t.StripeSessionId ?? session.SessionId)
                .SetProperty(t => t.StripePaymentIntentId, t => t.StripePaymentIntentId ?? session.PaymentIntentId), ct);
        return StripeEventOutcome.Processed;
    }

    public async Task<StripeEventOutcome> CloseSessionAsync(CheckoutSessionPayload session, TopUpStatus status, CancellationToken ct)
    {
        var topUp = await FindBySessionAsync(session, ct);
        if (topUp is null) return StripeEventOutcome.Ignored;
        var now = clock.UtcNow;
        await db.TopUps.Where(t => t.Id == topUp.Id && t.Status == TopUpStatus.Pending)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, status).SetProperty(t => t.CompletedAt, now)
                .SetProperty(t => t.StripeSessionId, t => t.StripeSessionId ?? session.SessionId), ct);
        return StripeEventOutcome.Processed;
    }

    /// <summary>
    /// charge.refunded carries the cumulative amount_refunded; only its increase over what we recorded is
    /// debited. The top-up row is locked first (a no-op update), so two refund events of one charge are
    /// applied one after the other. The advertiser's balance pays what it can; the rest is booked as
    /// AdvertiserReceivable (what they owe), so the entry still balances.
    /// </summary>
    public async Task<StripeEventOutcome> RefundAsync(ChargePayload charge, CancellationToken ct)
    {
        var found = await FindCreditedByPaymentIntentAsync(charge.PaymentIntentId, charge.Currency, "charge.refunded", charge.ChargeId, ct);
        if (found is null) return StripeEventOutcome.Ignored;

        await db.TopUps.Where(t => t.Id == found.Id).ExecuteUpdateAsync(s => s.SetProperty(t => t.RefundedAmount, t => t.RefundedAmount), ct);
        var topUp = await db.TopUps.FirstAsync(t => t.Id == found.Id, ct);
        if (charge.AmountRefunded > topUp.Amount)
            logger.LogWarning("Charge {ChargeId} refunded {Refunded}, more than top-up {TopUpId} ({Amount}); capped", charge.ChargeId, charge.AmountRefunded, topUp.Id, topUp.Amount);
        var increase = topUp.ApplyRefundedTotal(charge.AmountRefunded);
        if (increase <= 0) return StripeEventOutcome.Processed;
        await db.SaveChangesAsync(ct);

        var lines = await TakeFromAdvertiserAsync(topUp.AdvertiserId, topUp.Currency, increase, ct);
        lines.Add((AccountKey.Platform(AccountType.PaymentClearing, topUp.Currency), increase));
        await ledger.PostAsync(JournalEntryType.TopUpReversal, RefundReference(charge.ChargeId, topUp.RefundedAmount),
            $"Stripe refund of charge {charge.ChargeId} (top-up {topUp.Id:N})", topUp.Currency, lines, null, ct);
        return StripeEventOutcome.Processed;
    }

    /// <summary>charge.dispute.created: freeze the disputed amount (balance → frozen; the part the balance lacks becomes a receivable).</summary>
    public async Task<StripeEventOutcome> FreezeDisputeAsync(DisputePayload dispute, CancellationToken ct)
    {
        var topUp = await FindCreditedByPaymentIntentAsync(dispute.PaymentIntentId, dispute.Currency, "charge.dispute.created", dispute.DisputeId, ct);
        if (topUp is null) return StripeEventOutcome.Ignored;
        await EnsureFrozenAsync(topUp, dispute, ct);
        return StripeEventOutcome.Processed;
    }

    /// <summary>
    /// charge.dispute.closed: won (or warning_closed) reverses the freeze exactly; lost sends the frozen
    /// money out through PaymentClearing (Stripe took it back) and any receivable stays owed.
    /// </summary>
    public async Task<StripeEventOutcome> CloseDisputeAsync(DisputePayload dispute, CancellationToken ct)
    {
        var topUp = await FindCreditedByPaymentIntentAsync(dispute.PaymentIntentId, dispute.Currency, "charge.dispute.closed", dispute.DisputeId, ct);
        if (topUp is null) return StripeEventOutcome.Ignored;
        var reference = DisputeReference(dispute.DisputeId);
        if (await ledger.ExistsAsync(JournalEntryType.Unfreeze, reference, ct) || await ledger.ExistsAsync(JournalEntryType.TopUpReversal, reference, ct))
            return StripeEventOutcome.Processed;

        if (dispute.Status == "lost")
        {
            // created may not have arrived yet (events are not ordered): freeze first, then settle.
            var frozen = await EnsureFrozenAsync(topUp, dispute, ct);
            await ledger.PostAsync(JournalEntryType.TopUpReversal, reference, $"Card dispute {dispute.DisputeId} lost", topUp.Currency,
                [(new AccountKey(AccountType.AdvertiserFrozen, topUp.AdvertiserId, topUp.Currency), -frozen),
                 (AccountKey.Platform(AccountType.PaymentClearing, topUp.Currency), frozen)],
                null, ct);
            return StripeEventOutcome.Processed;
        }

        var freeze = await db.JournalEntries.AsNoTracking().Where(e => e.Type == JournalEntryType.Freeze && e.Reference == reference)
            .Select(e => e.Id).FirstOrDefaultAsync(ct);
        if (freeze == Guid.Empty) return StripeEventOutcome.Processed; // won before we ever froze: nothing to undo
        var reversal = await (from p in db.Postings
                              join a in db.LedgerAccounts on p.AccountId equals a.Id
                              where p.JournalEntryId == freeze
                              select new { a.Type, a.OwnerId, a.Currency, p.Amount }).AsNoTracking().ToListAsync(ct);
        await ledger.PostAsync(JournalEntryType.Unfreeze, reference, $"Card dispute {dispute.DisputeId} {dispute.Status ?? "closed"}: unfrozen",
            topUp.Currency, reversal.Select(r => (new AccountKey(r.Type, r.OwnerId, r.Currency), -r.Amount)).ToList(), null, ct);
        return StripeEventOutcome.Processed;
    }

    /// <summary>Posts the freeze once; answers the amount the freeze entry moved into AdvertiserFrozen.</summary>
    private async Task<long> EnsureFrozenAsync(TopUp topUp, DisputePayload dispute, CancellationToken ct)
    {
        var reference = DisputeReference(dispute.DisputeId);
        var frozen = await (from e in db.JournalEntries
                            join p in db.Postings on e.Id equals p.JournalEntryId
                            join a in db.LedgerAccounts on p.AccountId equals a.Id
                            where e.Type == JournalEntryType.Freeze && e.Reference == reference && a.Type == AccountType.AdvertiserFrozen
                            select (long?)p.Amount).FirstOrDefaultAsync(ct);
        if (frozen is not null) return frozen.Value;
        var amount = Math.Min(dispute.Amount, topUp.Amount);
        var lines = await TakeFromAdvertiserAsync(topUp.AdvertiserId, topUp.Currency, amount, ct);
        lines.Add((new AccountKey(AccountType.AdvertiserFrozen, topUp.AdvertiserId, topUp.Currency), amount));
        await ledger.PostAsync(JournalEntryType.Freeze, reference, $"Card dispute {dispute.DisputeId} opened: frozen", topUp.Currency, lines, null, ct);
        return amount;
    }

    /// <summary>
    /// Debit lines taking <paramref name="amount"/> from the advertiser: their balance as far as it goes, the
    /// rest as a receivable. The balance is read then debited with the ledger's guarded update; if a
    /// concurrent charge spent it in between, the guard throws and the webhook answers 500, so Stripe
    /// redelivers and the split is computed again.
    /// </summary>
    private async Task<List<(AccountKey Account, long Amount)>> TakeFromAdvertiserAsync(string advertiserId, string currency, long amount, CancellationToken ct)
    {
        var balanceKey = new AccountKey(AccountType.AdvertiserBalance, advertiserId, currency);
        var fromBalance = Math.Clamp(await ledger.BalanceAsync(balanceKey, ct), 0, amount);
        var lines = new List<(AccountKey, long)>();
        if (fromBalance > 0) lines.Add((balanceKey, -fromBalance));
        if (amount - fromBalance > 0)
        {
            logger.LogWarning("Advertiser {AdvertiserId} lacks {Short} {Currency}: booked as receivable", advertiserId, amount - fromBalance, currency);
            lines.Add((new AccountKey(AccountType.AdvertiserReceivable, advertiserId, currency), -(amount - fromBalance)));
        }
        return lines;
    }

    /// <summary>
    /// Finds the top-up for a checkout session: by the stored session id, else by client_reference_id /
    /// metadata topup_id (the session id is not stored yet when the webhook beats step 3 of the start).
    /// </summary>
    private async Task<TopUp?> FindBySessionAsync(CheckoutSessionPayload session, CancellationToken ct)
    {
        var topUp = await db.TopUps.AsNoTracking().FirstOrDefaultAsync(t => t.StripeSessionId == session.SessionId, ct);
        if (topUp is null)
        {
            var id = Guid.TryParse(session.ClientReferenceId, out var a) ? a : Guid.TryParse(session.TopUpIdMetadata, out var b) ? b : (Guid?)null;
            if (id is not null)
                topUp = await db.TopUps.AsNoTracking()
                    .FirstOrDefaultAsync(t => t.Id == id && t.Method == PaymentMethod.Stripe && t.StripeSessionId == null, ct);
        }
        if (topUp is null)
            logger.LogWarning("Stripe session {SessionId} matches no top-up of this platform; ignored", session.SessionId);
        return topUp;
    }

    /// <summary>
    /// The credited top-up a charge belongs to (payment intent stored at checkout completion). Unknown
    /// payment intents (payments that are not top-ups) and uncredited top-ups are ignored with a warning:
    /// no credit was ever booked for them, so there is nothing to take back.
    /// </summary>
    private async Task<TopUp?> FindCreditedByPaymentIntentAsync(string? paymentIntentId, string? currency, string what, string objectId, CancellationToken ct)
    {
        var topUp = paymentIntentId is null ? null
            : await db.TopUps.AsNoTracking().FirstOrDefaultAsync(t => t.StripePaymentIntentId == paymentIntentId, ct);
        if (topUp is null || topUp.Status is not (TopUpStatus.Paid or TopUpStatus.Refunded))
        {
            logger.LogWarning("{What} {ObjectId}: payment intent {PaymentIntent} is no credited top-up; ignored", what, objectId, paymentIntentId);
            return null;
        }
        if (!string.Equals(currency, topUp.Currency, StringComparison.OrdinalIgnoreCase))
        {
            logger.LogError("{What} {ObjectId} is in {Currency} but top-up {TopUpId} is in {TopUpCurrency}: ignored, needs an admin",
                what, objectId, currency, topUp.Id, topUp.Currency);
            return null;
        }
        return topUp;
    }
}
