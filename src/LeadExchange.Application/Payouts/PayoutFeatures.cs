using System.Text.Json;
using LeadExchange.Application.Audit;
using LeadExchange.Application.Common.Exceptions;
using LeadExchange.Application.Common.Interfaces;
using LeadExchange.Application.Common.Models;
using LeadExchange.Application.Ledger;
using LeadExchange.Application.Payments;
using LeadExchange.Domain.Common;
using LeadExchange.Domain.Identity;
using LeadExchange.Domain.Ledger;
using LeadExchange.Domain.Outbox;
using LeadExchange.Domain.Payments;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace LeadExchange.Application.Payouts;

public sealed record PayoutDto(
    Guid Id, string WebmasterId, long Amount, string Currency, PayoutStatus Status, PaymentMethod Method, bool Scheduled,
    string? StripeTransferId, string? FailureCode, string? FailureReason, int Attempts, DateTime CreatedAt, DateTime UpdatedAt,
    DateTime? PaidAt, string? ManualReference);

public static class PayoutMessages
{
    public const string Transfer = "payout.transfer";

    public sealed record TransferPayload(Guid PayoutId);

    public static OutboxMessage TransferMessage(Payout payout, DateTime now) =>
        new(Transfer, JsonSerializer.Serialize(new TransferPayload(payout.Id)), now, payout.Id.ToString("N"));

    internal static PayoutDto ToDto(Payout p) => new(p.Id, p.WebmasterId, p.Amount, p.Currency, p.Status, p.Method, p.Scheduled,
        p.StripeTransferId, p.FailureCode, p.FailureReason, p.Attempts, p.CreatedAt, p.UpdatedAt, p.PaidAt, p.ManualReference);
}

/// <summary>
/// A webmaster asks for a payout. In one transaction: the money moves available → payouts in transit
/// (never below zero), the payout row is stored with its idempotency key, and (with Stripe) a transfer
/// message goes to the outbox. Without a Stripe account it waits for an admin to pay by bank transfer.
/// </summary>
public sealed record RequestPayoutCommand(long Amount, string Currency, bool Scheduled = false, string? WebmasterId = null) : IRequest<PayoutDto>;

public sealed class RequestPayoutHandler(IUnitOfWork uow, ICurrentUser user, PayoutSettlement settlement)
    : IRequestHandler<RequestPayoutCommand, PayoutDto>
{
    public Task<PayoutDto> Handle(RequestPayoutCommand request, CancellationToken ct)
    {
        string webmasterId;
        if (request.Scheduled && user.UserId is null && request.WebmasterId is not null)
            webmasterId = request.WebmasterId; // the scheduler, acting for the system
        else
        {
            user.RequireRole(Roles.Webmaster);
            webmasterId = user.RequireUserId();
        }
        return uow.RunAsync(token => settlement.RequestAsync(webmasterId, request.Amount, request.Currency, request.Scheduled, token), ct);
    }
}

/// <summary>Payouts: a webmaster sees their own; an admin sees all (optionally by status).</summary>
public sealed record ListPayoutsQuery(PayoutStatus? Status = null, int? Page = null, int? PageSize = null) : IRequest<PagedResult<PayoutDto>>;

public sealed class ListPayoutsHandler(IAppDbContext db, ICurrentUser user) : IRequestHandler<ListPayoutsQuery, PagedResult<PayoutDto>>
{
    public async Task<PagedResult<PayoutDto>> Handle(ListPayoutsQuery request, CancellationToken cancellationToken)
    {
        var userId = user.RequireUserId();
        var admin = user.IsInRole(Roles.Admin);
        if (!admin) user.RequireRole(Roles.Webmaster);
        var (page, pageSize) = Paging.Normalize(request.Page, request.PageSize);
        var query = db.Payouts.AsNoTracking();
        if (!admin) query = query.Where(p => p.WebmasterId == userId);
        if (request.Status is { } status) query = query.Where(p => p.Status == status);
        var total = await query.CountAsync(cancellationToken);
        var rows = await query.OrderByDescending(p => p.CreatedAt).ThenBy(p => p.Id).Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(cancellationToken);
        return new PagedResult<PayoutDto>(rows.Select(PayoutMessages.ToDto).ToList(), page, pageSize, total);
    }
}

/// <summary>
/// A payout's money, inside the caller's unit of work: requested (available → in transit, never below zero, with the Stripe
/// transfer queued in the outbox) and settled once: paid (money leaves through clearing) or failed (money back to available).
/// </summary>
public sealed class PayoutSettlement(IAppDbContext db, LedgerPoster ledger, IPaymentGateway gateway, IClock clock)
{
    public async Task<PayoutDto> RequestAsync(string webmasterId, long amount, string? currencyCode, bool scheduled, CancellationToken ct)
    {
        var currency = (currencyCode ?? "").Trim().ToUpperInvariant();
        var settings = await PlatformSettingsStore.LoadAsync(db, ct);
        var errors = new List<(string, string)>();
        if (!Currencies.IsSupported(currency)) errors.Add(("Currency", $"Currency must be one of {string.Join(", ", Currencies.Supported)}."));
        if (amount < settings.PayoutMin)
            errors.Add(("Amount", $"The minimum payout is {new Money(settings.PayoutMin, Currencies.IsSupported(currency) ? currency : "RUB")}."));
        if (errors.Count > 0) throw ValidationException.From(errors);

        string? stripeAccount = null;
        if (gateway.IsConfigured)
        {
            var account = await db.StripeConnectedAccounts.AsNoTracking().FirstOrDefaultAsync(a => a.UserId == webmasterId, ct);
            if (account is null || !account.CanReceiveTransfers)
                throw new ConflictException("payouts_not_enabled", "Finish Stripe onboarding on the payouts page before requesting a payout.");
            stripeAccount = account.AccountId;
        }

        var now = clock.UtcNow;
        var payout = Payout.Request(webmasterId, amount, currency, stripeAccount, scheduled, now);
        db.Payouts.Add(payout);
        await ledger.PostAsync(JournalEntryType.Payout, payout.Reference, $"Payout {(payout.Method == PaymentMethod.Stripe ? "via Stripe" : "by bank transfer")}", currency,
            [(new AccountKey(AccountType.WebmasterAvailable, webmasterId, currency), -amount),
             (new AccountKey(AccountType.PayoutsInTransit, webmasterId, currency), amount)],
            webmasterId, ct);
        if (payout.Method == PaymentMethod.Stripe)
            db.OutboxMessages.Add(PayoutMessages.TransferMessage(payout, now));
        await db.SaveChangesAsync(ct);
        return PayoutMessages.ToDto(payout);
    }

    public async Task<bool> RecordAttemptAsync(Guid payoutId, CancellationToken ct)
    {
        var now = clock.UtcNow;
        return await db.Payouts.Where(p => p.Id == payoutId)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.Attempts, p => p.Attempts + 1).SetProperty(p => p.UpdatedAt, now), ct) > 0;
    }

    public async Task<bool> MarkPaidAsync(Guid payoutId, string? transferId, string? paidBy, string? manualReference, CancellationToken ct)
    {
        var now = clock.UtcNow;
        var won = await db.Payouts
            .Where(p => p.Id == payoutId && (p.Status == PayoutStatus.Requested || p.Status == PayoutStatus.AwaitingManual))
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.Status, PayoutStatus.Paid).SetProperty(p => p.StripeTransferId, transferId)
                .SetProperty(p => p.PaidBy, paidBy).SetProperty(p => p.ManualReference, manualReference)
                .SetProperty(p => p.PaidAt, now).SetProperty(p => p.UpdatedAt, now), ct);
        if (won == 0) return false;
        var payout = await db.Payouts.AsNoTracking().FirstAsync(p => p.Id == payoutId, ct);
        await ledger.PostAsync(JournalEntryType.PayoutPaid, payout.Reference,
            transferId is not null ? $"Stripe transfer {transferId}" : $"Paid by bank transfer{(manualReference is null ? "" : " " + manualReference)}",
            payout.Currency,
            [(new AccountKey(AccountType.PayoutsInTransit, payout.WebmasterId, payout.Currency), -payout.Amount),
             (AccountKey.Platform(AccountType.PaymentClearing, payout.Currency), payout.Amount)],
            paidBy, ct);
        return true;
    }

    public async Task<bool> MarkFailedAsync(Guid payoutId, string code, string reason, string? by, CancellationToken ct)
    {
        var now = clock.UtcNow;
        var won = await db.Payouts
            .Where(p => p.Id == payoutId && (p.Status == PayoutStatus.Requested || p.Status == PayoutStatus.AwaitingManual))
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.Status, PayoutStatus.Failed).SetProperty(p => p.FailureCode, code)
                .SetProperty(p => p.FailureReason, reason).SetProperty(p => p.UpdatedAt, now), ct);
        if (won == 0) return false;
        var payout = await db.Payouts.AsNoTracking().FirstAsync(p => p.Id == payoutId, ct);
        await ledger.PostAsync(JournalEntryType.PayoutFailure, payout.Reference, $"Payout failed: {reason}", payout.Currency,
            [(new AccountKey(AccountType.PayoutsInTransit, payout.WebmasterId, payout.Currency), -payout.Amount),
             (new AccountKey(AccountType.WebmasterAvailable, payout.WebmasterId, payout.Currency), payout.Amount)],
            by, ct);
        return true;
    }
}

/// <summary>Admin, without Stripe: the bank transfer was sent (paid) or could not be (failed, money returned).</summary>
public sealed record SettlePayoutManuallyCommand(Guid PayoutId, bool Paid, string? Reference) : IRequest<PayoutDto>;

public sealed class SettlePayoutManuallyHandler(IUnitOfWork uow, IAppDbContext db, ICurrentUser user, PayoutSettlement settlement, IAuditLog audit)
    : IRequestHandler<SettlePayoutManuallyCommand, PayoutDto>
{
    public Task<PayoutDto> Handle(SettlePayoutManuallyCommand request, CancellationToken cancellationToken) => uow.RunAsync(token => ExecuteAsync(request, token), cancellationToken);

    private async Task<PayoutDto> ExecuteAsync(SettlePayoutManuallyCommand request, CancellationToken cancellationToken)
    {
        user.RequireRole(Roles.Admin);
        if (request.Reference is { Length: > 200 }) throw new ValidationException("Reference", "Reference is at most 200 characters.");
        if (!request.Paid && string.IsNullOrWhiteSpace(request.Reference))
            throw new ValidationException("Reference", "Say why the payout failed; the webmaster sees it.");
        var payout = await db.Payouts.AsNoTracking().FirstOrDefaultAsync(p => p.Id == request.PayoutId, cancellationToken)
                     ?? throw new NotFoundException("Payout");
        if (payout.Method != PaymentMethod.Manual)
            throw new ConflictException("stripe_payout", "Stripe payouts are settled by Stripe, not by hand.");
        var done = request.Paid
            ? await settlement.MarkPaidAsync(payout.Id, null, user.UserId, request.Reference?.Trim(), cancellationToken)
            : await settlement.MarkFailedAsync(payout.Id, "manual", request.Reference!.Trim(), user.UserId, cancellationToken);
        if (!done) throw new ConflictException("payout_settled", "This payout is already settled.");
        await audit.AddAsync(request.Paid ? AuditActions.PayoutMarkedPaid : AuditActions.PayoutMarkedFailed, AuditTargets.Payout, payout.Id.ToString(),
            new { status = payout.Status.ToString() },
            new { status = (request.Paid ? PayoutStatus.Paid : PayoutStatus.Failed).ToString(), reference = request.Reference?.Trim(), payout.Amount, payout.Currency,
                  payout.WebmasterId }, cancellationToken);
        return PayoutMessages.ToDto(await db.Payouts.AsNoTracking().FirstAsync(p => p.Id == payout.Id, cancellationToken));
    }
}

/// <summary>
/// Outbox handler step: send the Stripe transfer for a payout. Same idempotency key on every attempt, so
/// a retry after a crash or timeout returns Stripe's first transfer instead of paying twice.
/// Ambiguous outcomes throw, so the outbox retries later with backoff.
/// </summary>
public sealed record ProcessPayoutTransferCommand(Guid PayoutId) : IRequest<Unit>;

public sealed class ProcessPayoutTransferHandler(IAppDbContext db, IUnitOfWork uow, IPaymentGateway gateway, PayoutSettlement settlement)
    : IRequestHandler<ProcessPayoutTransferCommand, Unit>
{
    public async Task<Unit> Handle(ProcessPayoutTransferCommand request, CancellationToken cancellationToken)
    {
        var payout = await db.Payouts.AsNoTracking().FirstOrDefaultAsync(p => p.Id == request.PayoutId, cancellationToken);
        if (payout is null || payout.Status != PayoutStatus.Requested || payout.StripeAccountId is null) return Unit.Value;

        var result = await gateway.CreateTransferAsync(payout.Amount, payout.Currency, payout.StripeAccountId, payout.IdempotencyKey,
            new Dictionary<string, string> { ["payout_id"] = payout.Id.ToString("N"), ["webmaster_id"] = payout.WebmasterId }, cancellationToken);
        switch (result)
        {
            case TransferResult.Succeeded ok:
                await uow.RunAsync(token => settlement.MarkPaidAsync(payout.Id, ok.TransferId, null, null, token), cancellationToken);
                break;
            case TransferResult.DefinitelyFailed failed:
                await uow.RunAsync(token => settlement.MarkFailedAsync(payout.Id, failed.Code ?? "failed", failed.Message ?? "Transfer failed.", null, token),
                    cancellationToken);
                break;
            case TransferResult.Ambiguous ambiguous:
                await uow.RunAsync(token => settlement.RecordAttemptAsync(payout.Id, token), cancellationToken);
                throw new PayoutRetryException(ambiguous.Message);
        }
        return Unit.Value;
    }
}

/// <summary>The transfer's outcome is unknown; the outbox retries it with the same idempotency key.</summary>
public sealed class PayoutRetryException(string message) : Exception(message);

/// <summary>
/// Scheduled payouts: every webmaster whose available balance reaches the minimum and who had no payout in
/// the schedule period gets one for the whole available amount. Safe on several nodes: the ledger's guarded
/// debit lets at most the available amount leave, so a racing duplicate fails with insufficient funds.
/// </summary>
public sealed record RunScheduledPayoutsCommand : IRequest<int>;

public sealed class RunScheduledPayoutsHandler(IAppDbContext db, IUnitOfWork uow, PayoutSettlement settlement, IClock clock, IPaymentGateway gateway)
    : IRequestHandler<RunScheduledPayoutsCommand, int>
{
    public async Task<int> Handle(RunScheduledPayoutsCommand request, CancellationToken cancellationToken)
    {
        var settings = await PlatformSettingsStore.LoadAsync(db, cancellationToken);
        if (settings.PayoutScheduleDays == 0) return 0;
        var since = clock.UtcNow.AddDays(-settings.PayoutScheduleDays);
        var candidates = await db.LedgerAccounts.AsNoTracking()
            .Where(a => a.Type == AccountType.WebmasterAvailable && a.Balance >= settings.PayoutMin)
            .Where(a => !db.Payouts.Any(p => p.WebmasterId == a.OwnerId && p.Currency == a.Currency && p.CreatedAt >= since))
            .Select(a => new { a.OwnerId, a.Currency, a.Balance }).ToListAsync(cancellationToken);
        var created = 0;
        foreach (var c in candidates)
        {
            if (gateway.IsConfigured && !await db.StripeConnectedAccounts.AnyAsync(a => a.UserId == c.OwnerId && a.TransfersActive, cancellationToken))
                continue;
            // The list is read at the start of the run: another node's run or the webmaster may have paid out since.
            if (await db.Payouts.AnyAsync(p => p.WebmasterId == c.OwnerId && p.Currency == c.Currency && p.CreatedAt >= since, cancellationToken))
                continue;
            try
            {
                await uow.RunAsync(token => settlement.RequestAsync(c.OwnerId, c.Balance, c.Currency, scheduled: true, token), cancellationToken);
                created++;
            }
            catch (InsufficientFundsException)
            {
                // Another node (or the webmaster) moved the money first.
            }
        }
        return created;
    }
}
