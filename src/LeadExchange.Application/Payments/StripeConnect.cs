using LeadExchange.Application.Common.Exceptions;
using LeadExchange.Application.Common.Interfaces;
using LeadExchange.Domain.Identity;
using LeadExchange.Domain.Ledger;
using LeadExchange.Domain.Payments;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace LeadExchange.Application.Payments;

public sealed record OnboardingLinkDto(string Url, string AccountId);

/// <summary>
/// A webmaster starts (or resumes) Stripe Connect Express onboarding: the connected account is created
/// once (Stripe idempotency key per user, and the StripeConnectedAccount row keyed by user), then a fresh
/// single-use AccountLink is returned. Like top-ups, the Stripe calls run outside any database
/// transaction; storing the account id is one insert of its own.
/// </summary>
public sealed record StartOnboardingCommand(string ReturnBaseUrl) : IRequest<OnboardingLinkDto>;

public sealed class StartOnboardingHandler(IAppDbContext db, ICurrentUser user, IIdentityService identity, IPaymentGateway gateway, IClock clock)
    : IRequestHandler<StartOnboardingCommand, OnboardingLinkDto>
{
    public async Task<OnboardingLinkDto> Handle(StartOnboardingCommand request, CancellationToken cancellationToken)
    {
        user.RequireRole(Roles.Webmaster);
        var userId = user.RequireUserId();
        if (!gateway.IsConfigured)
            throw new ConflictException("stripe_not_configured", "Stripe payouts are not configured here; payouts are paid by bank transfer by an admin.");

        var accountId = await db.StripeConnectedAccounts.AsNoTracking().Where(a => a.UserId == userId)
            .Select(a => a.AccountId).FirstOrDefaultAsync(cancellationToken);
        if (accountId is null)
        {
            var email = (await identity.FindByIdAsync(userId, cancellationToken))?.Email ?? "";
            var created = await gateway.CreateConnectedAccountAsync(userId, email, cancellationToken);
            accountId = await SaveAccountAsync(userId, created, CancellationToken.None);
        }
        var baseUrl = request.ReturnBaseUrl.TrimEnd('/');
        var url = await gateway.CreateAccountLinkAsync(accountId, $"{baseUrl}/webmaster/payouts?onboarding=refresh",
            $"{baseUrl}/webmaster/payouts?onboarding=return", cancellationToken);
        return new OnboardingLinkDto(url, accountId);
    }

    /// <summary>Stores the user's connected account once; answers the stored id (the first one if two requests raced).</summary>
    private async Task<string> SaveAccountAsync(string userId, string accountId, CancellationToken cancellationToken)
    {
        var existing = await db.StripeConnectedAccounts.AsNoTracking().Where(a => a.UserId == userId)
            .Select(a => a.AccountId).FirstOrDefaultAsync(cancellationToken);
        if (existing is not null) return existing;
        var row = new StripeConnectedAccount(userId, accountId, clock.UtcNow);
        db.StripeConnectedAccounts.Add(row);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return row.AccountId;
        }
        catch (DbUpdateException)
        {
            // A parallel request stored it first.
            db.Entry(row).State = EntityState.Detached;
            var winner = await db.StripeConnectedAccounts.AsNoTracking().Where(a => a.UserId == userId)
                .Select(a => a.AccountId).FirstOrDefaultAsync(cancellationToken);
            if (winner is null) throw;
            return winner;
        }
    }
}

public sealed record PayoutBalanceDto(string Currency, long Available);

public sealed record PayoutSetupDto(
    bool StripeConfigured, string? AccountId, bool DetailsSubmitted, bool PayoutsEnabled, bool TransfersActive,
    bool CanRequestPayout, long PayoutMin, int PayoutScheduleDays, IReadOnlyList<PayoutBalanceDto> Balances);

/// <summary>The webmaster's payouts page: is Stripe on, where onboarding stands, the minimum, what is available.</summary>
public sealed record GetPayoutSetupQuery : IRequest<PayoutSetupDto>;

public sealed class GetPayoutSetupHandler(IAppDbContext db, ICurrentUser user, IPaymentGateway gateway) : IRequestHandler<GetPayoutSetupQuery, PayoutSetupDto>
{
    public async Task<PayoutSetupDto> Handle(GetPayoutSetupQuery request, CancellationToken cancellationToken)
    {
        user.RequireRole(Roles.Webmaster);
        var userId = user.RequireUserId();
        var settings = await PlatformSettingsStore.LoadAsync(db, cancellationToken);
        var account = await db.StripeConnectedAccounts.AsNoTracking().FirstOrDefaultAsync(a => a.UserId == userId, cancellationToken);
        var balances = await db.LedgerAccounts.AsNoTracking()
            .Where(a => a.OwnerId == userId && a.Type == AccountType.WebmasterAvailable)
            .OrderBy(a => a.Currency).Select(a => new PayoutBalanceDto(a.Currency, a.Balance)).ToListAsync(cancellationToken);
        var transfersActive = account?.TransfersActive == true;
        // Without Stripe an admin pays by bank transfer, so a request is always possible.
        var canRequest = (!gateway.IsConfigured || transfersActive) && balances.Any(b => b.Available >= settings.PayoutMin);
        return new PayoutSetupDto(gateway.IsConfigured, account?.AccountId, account?.DetailsSubmitted == true, account?.PayoutsEnabled == true,
            transfersActive, canRequest, settings.PayoutMin, settings.PayoutScheduleDays, balances);
    }
}
