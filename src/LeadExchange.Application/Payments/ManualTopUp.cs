using LeadExchange.Application.Audit;
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
/// top-up entry labelled manual. An idempotency key (header) makes a retried request a no-op. The amount is at most
/// the platform's maximum top-up (<see cref="PlatformSettings.TopUpMax"/>), like a card top-up.
/// </summary>
public sealed record ManualTopUpCommand(string? UserId, string? Email, long Amount, string Currency, string? Note, string? IdempotencyKey = null)
    : IRequest<ManualTopUpResult>;

public sealed class ManualTopUpHandler(IUnitOfWork uow, IAppDbContext db, ICurrentUser user, IIdentityService identity, LedgerPoster ledger, IClock clock,
    IAuditLog audit) : IRequestHandler<ManualTopUpCommand, ManualTopUpResult>
{
    public Task<ManualTopUpResult> Handle(ManualTopUpCommand request, CancellationToken cancellationToken) => uow.RunAsync(token => ExecuteAsync(request, token), cancellationToken);

    private async Task<ManualTopUpResult> ExecuteAsync(ManualTopUpCommand request, CancellationToken cancellationToken)
    {
        user.RequireRole(Roles.Admin);
        var currency = ManualMoney.Currency(request.Currency);
        var settings = await PlatformSettingsStore.LoadAsync(db, cancellationToken);
        var errors = new List<(string, string)>();
        if (request.Amount <= 0) errors.Add(("Amount", "Amount must be positive (minor units)."));
        else if (request.Amount > settings.TopUpMax)
            errors.Add(("Amount", $"Amount is at most the maximum top-up, {settings.TopUpMax} (minor units); credit a larger transfer in several top-ups."));
        if (request.Note is { Length: > ManualMoney.TextMaxLength }) errors.Add(("Note", "Note is at most 500 characters."));
        var target = await ManualMoney.AdvertiserAsync(identity, request.UserId, request.Email, currency, errors, "top up", cancellationToken);

        var topUp = TopUp.Manual(target.Id, request.Amount, currency, request.Note?.Trim(), user.RequireUserId(), clock.UtcNow);
        var reference = string.IsNullOrWhiteSpace(request.IdempotencyKey) ? $"topup:{topUp.Id:N}" : $"manual:{request.IdempotencyKey.Trim()}";
        db.TopUps.Add(topUp);
        var entry = await ManualMoney.PostAsync(ledger, JournalEntryType.TopUp, reference,
            $"Manual top-up by admin{(string.IsNullOrWhiteSpace(request.Note) ? "" : ": " + request.Note.Trim())}", currency,
            [(AccountKey.Platform(AccountType.PaymentClearing, currency), -request.Amount),
             (new AccountKey(AccountType.AdvertiserBalance, target.Id, currency), request.Amount)],
            user.UserId, "This manual top-up was already recorded (same Idempotency-Key).", cancellationToken);
        await audit.AddAsync(AuditActions.ManualTopUp, AuditTargets.User, target.Id, null,
            new { topUpId = topUp.Id, journalEntryId = entry.Id, amount = request.Amount, currency, note = request.Note?.Trim() }, cancellationToken);
        return new ManualTopUpResult(topUp.Id, entry.Id, target.Id, request.Amount, currency);
    }
}

/// <summary>What manual top-ups and manual adjustments share: the advertiser they name, the currency, the posting.</summary>
public static class ManualMoney
{
    public const int TextMaxLength = 500;

    public static string Currency(string? currency) => (currency ?? "").Trim().ToUpperInvariant();

    /// <summary>
    /// The advertiser named by id (else email); throws the field errors collected so far plus those of the currency and
    /// the user (422) when there are any.
    /// </summary>
    public static async Task<UserSummary> AdvertiserAsync(IIdentityService identity, string? userId, string? email, string currency,
        List<(string, string)> errors, string what, CancellationToken ct)
    {
        if (!Currencies.IsSupported(currency)) errors.Add(("Currency", $"Currency must be one of {string.Join(", ", Currencies.Supported)}."));
        var target = !string.IsNullOrWhiteSpace(userId) ? await identity.FindByIdAsync(userId, ct)
            : !string.IsNullOrWhiteSpace(email) ? await identity.FindByEmailAsync(email, ct) : null;
        var userField = string.IsNullOrWhiteSpace(userId) ? "Email" : "UserId";
        if (target is null) errors.Add((userField, "No such user."));
        else if (!target.Roles.Contains(Roles.Advertiser)) errors.Add((userField, $"Only advertisers have a balance to {what}."));
        if (errors.Count > 0) throw ValidationException.From(errors);
        return target!;
    }

    /// <summary>Posts the entry; a repeated Idempotency-Key is a 409 duplicate_request, and the whole command rolls back.</summary>
    public static async Task<JournalEntry> PostAsync(LedgerPoster ledger, JournalEntryType type, string reference, string description, string currency,
        IReadOnlyList<(AccountKey Account, long Amount)> lines, string? createdBy, string duplicateMessage, CancellationToken ct)
    {
        try
        {
            return await ledger.PostAsync(type, reference, description, currency, lines, createdBy, ct);
        }
        catch (DuplicateEntryException)
        {
            // The poster's own (type, reference) check and unique index decide.
            throw new ConflictException("duplicate_request", duplicateMessage);
        }
        catch (BalanceOutOfRangeException ex)
        {
            throw new ValidationException("Amount", ex.Message);
        }
    }
}
