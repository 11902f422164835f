using LeadExchange.Application.Common.Behaviours;
using LeadExchange.Application.Common.Exceptions;
using LeadExchange.Application.Common.Interfaces;
using LeadExchange.Application.Ledger;
using LeadExchange.Domain.Common;
using LeadExchange.Domain.Identity;
using LeadExchange.Domain.Ledger;
using LeadExchange.Domain.Payments;
using MediatR;

namespace LeadExchange.Application.Payments;

public sealed record ManualTopUpResult(Guid TopUpId, Guid JournalEntryId, string AdvertiserId, long Amount, string Currency);

/// <summary>
/// An admin credits an advertiser without Stripe (bank transfer received, demo). Recorded as an ordinary
/// top-up entry labelled manual. An idempotency key (header) makes a retried request a no-op.
/// </summary>
public sealed record ManualTopUpCommand(string? UserId, string? Email, long Amount, string Currency, string? Note, string? IdempotencyKey = null)
    : IRequest<ManualTopUpResult>;

public sealed class ManualTopUpHandler(IUnitOfWork uow, IAppDbContext db, ICurrentUser user, IIdentityService identity, LedgerPoster ledger, IClock clock)
    : IRequestHandler<ManualTopUpCommand, ManualTopUpResult>
{
    public Task<ManualTopUpResult> Handle(ManualTopUpCommand request, CancellationToken cancellationToken) => uow.RunAsync(token => ExecuteAsync(request, token), cancellationToken);

    private async Task<ManualTopUpResult> ExecuteAsync(ManualTopUpCommand request, CancellationToken cancellationToken)
    {
        user.RequireRole(Roles.Admin);
        var currency = (request.Currency ?? "").Trim().ToUpperInvariant();
        var errors = new List<(string, string)>();
        if (request.Amount <= 0) errors.Add(("Amount", "Amount must be positive (minor units)."));
        if (!Currencies.IsSupported(currency)) errors.Add(("Currency", $"Currency must be one of {string.Join(", ", Currencies.Supported)}."));
        if (request.Note is { Length: > 500 }) errors.Add(("Note", "Note is at most 500 characters."));
        var target = !string.IsNullOrWhiteSpace(request.UserId) ? await identity.FindByIdAsync(request.UserId, cancellationToken)
            : !string.IsNullOrWhiteSpace(request.Email) ? await identity.FindByEmailAsync(request.Email, cancellationToken) : null;
        var userField = string.IsNullOrWhiteSpace(request.UserId) ? "Email" : "UserId";
        if (target is null) errors.Add((userField, "No such user."));
        else if (!target.Roles.Contains(Roles.Advertiser)) errors.Add((userField, "Only advertisers have a balance to top up."));
        if (errors.Count > 0) throw ValidationException.From(errors);

        var topUp = TopUp.Manual(target!.Id, request.Amount, currency, request.Note?.Trim(), user.RequireUserId(), clock.UtcNow);
        var reference = string.IsNullOrWhiteSpace(request.IdempotencyKey) ? $"topup:{topUp.Id:N}" : $"manual:{request.IdempotencyKey.Trim()}";
        db.TopUps.Add(topUp);
        JournalEntry entry;
        try
        {
            entry = await ledger.PostAsync(JournalEntryType.TopUp, reference,
                $"Manual top-up by admin{(string.IsNullOrWhiteSpace(request.Note) ? "" : ": " + request.Note.Trim())}", currency,
                [(AccountKey.Platform(AccountType.PaymentClearing, currency), -request.Amount),
                 (new AccountKey(AccountType.AdvertiserBalance, target.Id, currency), request.Amount)],
                user.UserId, cancellationToken);
        }
        catch (DuplicateEntryException)
        {
            // The poster's own (type, reference) check and unique index decide; the whole command rolls back.
            throw new ConflictException("duplicate_request", "This manual top-up was already recorded (same Idempotency-Key).");
        }
        return new ManualTopUpResult(topUp.Id, entry.Id, target.Id, request.Amount, currency);
    }
}
