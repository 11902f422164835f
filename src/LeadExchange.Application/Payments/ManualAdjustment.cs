using LeadExchange.Application.Audit;
using LeadExchange.Application.Common.Behaviours;
using LeadExchange.Application.Common.Exceptions;
using LeadExchange.Application.Common.Interfaces;
using LeadExchange.Application.Ledger;
using LeadExchange.Domain.Identity;
using LeadExchange.Domain.Ledger;
using MediatR;

namespace LeadExchange.Application.Payments;

public sealed record ManualAdjustmentResult(Guid JournalEntryId, string AdvertiserId, long Amount, string Currency, string Reason, string CreatedBy);

/// <summary>
/// An admin takes money off an advertiser's available balance (a top-up credited by mistake or twice, a bank transfer
/// recalled): the reverse of a manual top-up, one balanced <see cref="JournalEntryType.ManualAdjustment"/> entry
/// (advertiser balance down, payment clearing up) that records the reason and the admin's user id. The balance update is
/// the ledger's guarded one, so the adjustment can never take the available balance below zero, however many run at once;
/// money already held in escrow is not touched. An idempotency key (header) makes a retried request a no-op.
/// </summary>
public sealed record ManualAdjustmentCommand(string? UserId, string? Email, long Amount, string Currency, string? Reason, string? IdempotencyKey = null)
    : IRequest<ManualAdjustmentResult>;

public sealed class ManualAdjustmentHandler(IUnitOfWork uow, ICurrentUser user, IIdentityService identity, LedgerPoster ledger, IAuditLog audit)
    : IRequestHandler<ManualAdjustmentCommand, ManualAdjustmentResult>
{
    public Task<ManualAdjustmentResult> Handle(ManualAdjustmentCommand request, CancellationToken cancellationToken) =>
        uow.RunAsync(token => ExecuteAsync(request, token), cancellationToken);

    private async Task<ManualAdjustmentResult> ExecuteAsync(ManualAdjustmentCommand request, CancellationToken cancellationToken)
    {
        user.RequireRole(Roles.Admin);
        var admin = user.RequireUserId();
        var currency = ManualMoney.Currency(request.Currency);
        var reason = request.Reason?.Trim() ?? "";
        var errors = new List<(string, string)>();
        if (request.Amount <= 0) errors.Add(("Amount", "Amount must be positive (minor units): the amount to take off the balance."));
        if (reason.Length == 0) errors.Add(("Reason", "Say why the balance is adjusted; the reason is kept in the ledger."));
        else if (reason.Length > ManualMoney.TextMaxLength) errors.Add(("Reason", "Reason is at most 500 characters."));
        var target = await ManualMoney.AdvertiserAsync(identity, request.UserId, request.Email, currency, errors, "adjust", cancellationToken);

        var reference = $"adjust:{(string.IsNullOrWhiteSpace(request.IdempotencyKey) ? Guid.NewGuid().ToString("N") : request.IdempotencyKey.Trim())}";
        JournalEntry entry;
        try
        {
            entry = await ManualMoney.PostAsync(ledger, JournalEntryType.ManualAdjustment, reference, $"Manual adjustment by admin: {reason}", currency,
                [(new AccountKey(AccountType.AdvertiserBalance, target.Id, currency), -request.Amount),
                 (AccountKey.Platform(AccountType.PaymentClearing, currency), request.Amount)],
                admin, "This adjustment was already recorded (same Idempotency-Key).", cancellationToken);
        }
        catch (InsufficientFundsException)
        {
            // Not the advertiser's payment problem (402): the admin asked for more than the available balance holds.
            var available = await ledger.BalanceAsync(new AccountKey(AccountType.AdvertiserBalance, target.Id, currency), cancellationToken);
            throw new ConflictException("insufficient_funds",
                $"The advertiser's available balance is {available} (minor units, {currency}); an adjustment cannot take it below zero. Nothing was posted.");
        }
        await audit.AddAsync(AuditActions.ManualAdjustment, AuditTargets.User, target.Id, null,
            new { journalEntryId = entry.Id, amount = request.Amount, currency, reason }, cancellationToken);
        return new ManualAdjustmentResult(entry.Id, target.Id, request.Amount, currency, reason, admin);
    }
}
