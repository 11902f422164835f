using LeadExchange.Application.Common.Interfaces;
using LeadExchange.Domain.Ledger;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace LeadExchange.Application.Ledger;

/// <summary>
/// Charges advertisers into escrow (a sale or an approved conversion) and settles holds: release to the
/// webmaster and the platform, or refund to the advertiser. Callers run inside their business transaction.
/// </summary>
public sealed class EscrowService(IAppDbContext db, LedgerPoster ledger, IClock clock)
{
    /// <summary>Charge: advertiser balance → escrow. Throws InsufficientFundsException when the balance is short.</summary>
    public async Task<EscrowHold> ChargeAsync(string sourceType, Guid sourceId, string advertiserId, string webmasterId, string currency,
        long amount, int commissionBp, DateTime releaseAt, string description, CancellationToken ct)
    {
        var hold = EscrowHold.Create(sourceType, sourceId, advertiserId, webmasterId, currency, amount, commissionBp, clock.UtcNow, releaseAt);
        await ChargeAsync(hold, description, ct);
        return hold;
    }

    /// <summary>Charge for a hold built by the caller (e.g. with the shares a goal defines).</summary>
    public async Task ChargeAsync(EscrowHold hold, string description, CancellationToken ct)
    {
        db.EscrowHolds.Add(hold);
        await ledger.PostAsync(EntryType(hold), hold.Reference, description, hold.Currency, hold.ChargeLines(), hold.AdvertiserId, ct);
    }

    /// <summary>
    /// Adds the hold and its charge entry to the unit without saving them: the caller saves them in one batch with its
    /// own rows and then applies the balances (<see cref="LedgerPoster.ApplyAsync"/>) as the unit's last writes.
    /// </summary>
    public Task<StagedEntry> StageChargeAsync(EscrowHold hold, string description, CancellationToken ct)
    {
        db.EscrowHolds.Add(hold);
        return ledger.StageAsync(EntryType(hold), hold.Reference, description, hold.Currency, hold.ChargeLines(), hold.AdvertiserId, ct);
    }

    private static JournalEntryType EntryType(EscrowHold hold) => hold.SourceType == "conversion" ? JournalEntryType.Conversion : JournalEntryType.Sale;

    /// <summary>
    /// Release one due hold exactly once: the status flips Held → Released only if it is still Held, unfrozen
    /// and due (a conditional update, so two nodes cannot both win), then the release entry is posted.
    /// </summary>
    public async Task<bool> TryReleaseAsync(Guid holdId, CancellationToken ct)
    {
        var now = clock.UtcNow;
        var won = await db.EscrowHolds
            .Where(h => h.Id == holdId && h.Status == HoldStatus.Held && !h.Frozen && h.ReleaseAt <= now)
            .ExecuteUpdateAsync(s => s.SetProperty(h => h.Status, HoldStatus.Released).SetProperty(h => h.SettledAt, now), ct);
        if (won == 0) return false;
        var hold = await db.EscrowHolds.AsNoTracking().FirstAsync(h => h.Id == holdId, ct);
        // Earlier clawbacks the webmaster's balance could not cover are repaid first (receivable is negative when owed).
        var owed = -await ledger.BalanceAsync(new AccountKey(AccountType.WebmasterReceivable, hold.WebmasterId, hold.Currency), ct);
        await ledger.PostAsync(JournalEntryType.Release, hold.Reference, $"Release of {hold.SourceType} {hold.SourceId:N}", hold.Currency,
            hold.ReleaseLines(Math.Max(0, owed)), null, ct);
        return true;
    }

    /// <summary>
    /// Claws a released hold back for the advertiser, exactly once per reference (the journal entry is unique):
    /// the platform's commission and as much of the webmaster's share as their available balance holds; the
    /// rest is booked as owed by the webmaster. Returns (from available, to receivable, commission) or null if
    /// the hold is not released.
    /// </summary>
    public async Task<(long FromAvailable, long ToReceivable, long Commission)?> ClawBackAsync(Guid holdId, string reference, string? by, CancellationToken ct)
    {
        var hold = await db.EscrowHolds.AsNoTracking().FirstOrDefaultAsync(h => h.Id == holdId, ct);
        if (hold is not { Status: HoldStatus.Released }) return null;
        var available = await ledger.BalanceAsync(new AccountKey(AccountType.WebmasterAvailable, hold.WebmasterId, hold.Currency), ct);
        var lines = hold.ClawbackLines(available);
        await ledger.PostAsync(JournalEntryType.Clawback, reference, $"Clawback of {hold.SourceType} {hold.SourceId:N}", hold.Currency, lines, by, ct);
        var fromAvailable = -lines.Where(l => l.Account.Type == AccountType.WebmasterAvailable).Sum(l => l.Amount);
        var toReceivable = -lines.Where(l => l.Account.Type == AccountType.WebmasterReceivable).Sum(l => l.Amount);
        return (fromAvailable, toReceivable, hold.PlatformShare);
    }

    /// <summary>Freezes a held hold (a dispute is open): the release job skips it. False if it is no longer held.</summary>
    public async Task<bool> TryFreezeAsync(Guid holdId, bool frozen, CancellationToken ct) =>
        await db.EscrowHolds.Where(h => h.Id == holdId && h.Status == HoldStatus.Held)
            .ExecuteUpdateAsync(s => s.SetProperty(h => h.Frozen, frozen), ct) > 0;

    /// <summary>Refund a hold still in escrow to the advertiser, exactly once.</summary>
    public async Task<bool> TryRefundAsync(Guid holdId, string? by, CancellationToken ct)
    {
        var now = clock.UtcNow;
        var won = await db.EscrowHolds.Where(h => h.Id == holdId && h.Status == HoldStatus.Held)
            .ExecuteUpdateAsync(s => s.SetProperty(h => h.Status, HoldStatus.Refunded).SetProperty(h => h.SettledAt, now), ct);
        if (won == 0) return false;
        var hold = await db.EscrowHolds.AsNoTracking().FirstAsync(h => h.Id == holdId, ct);
        await ledger.PostAsync(JournalEntryType.Refund, hold.Reference, $"Refund of {hold.SourceType} {hold.SourceId:N}", hold.Currency,
            hold.RefundLines(), by, ct);
        return true;
    }
}

/// <summary>Background job step: release every hold that is due, each in its own unit of work.</summary>
public sealed record ReleaseDueHoldsCommand(int MaxHolds = 500) : IRequest<int>;

public sealed class ReleaseDueHoldsHandler(IAppDbContext db, IUnitOfWork uow, EscrowService escrow, Conversions.ConversionLifecycle conversions,
    IClock clock, ILogger<ReleaseDueHoldsHandler> logger) : IRequestHandler<ReleaseDueHoldsCommand, int>
{
    public async Task<int> Handle(ReleaseDueHoldsCommand request, CancellationToken cancellationToken)
    {
        var now = clock.UtcNow;
        var due = await db.EscrowHolds.AsNoTracking()
            .Where(h => h.Status == HoldStatus.Held && !h.Frozen && h.ReleaseAt <= now)
            .OrderBy(h => h.ReleaseAt).Select(h => h.Id).Take(request.MaxHolds).ToListAsync(cancellationToken);
        var released = 0;
        foreach (var id in due)
        {
            try
            {
                if (await uow.RunAsync(token => ReleaseAsync(id, token), cancellationToken)) released++;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Release of hold {HoldId} failed; it stays held and is retried next run", id);
            }
        }
        return released;
    }

    /// <summary>One hold: released exactly once (another node may have been first), and a still-pending conversion approved with it.</summary>
    private async Task<bool> ReleaseAsync(Guid holdId, CancellationToken ct)
    {
        if (!await escrow.TryReleaseAsync(holdId, ct)) return false;
        var source = await db.EscrowHolds.AsNoTracking().Where(h => h.Id == holdId).Select(h => new { h.SourceType, h.SourceId }).FirstAsync(ct);
        if (source.SourceType == Conversions.ConversionLifecycle.HoldSource)
            await conversions.OnHoldReleasedAsync(source.SourceId, ct);
        return true;
    }
}
