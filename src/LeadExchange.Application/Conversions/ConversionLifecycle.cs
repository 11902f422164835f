using System.Text.Json;
using LeadExchange.Application.Common;
using LeadExchange.Application.Common.Exceptions;
using LeadExchange.Application.Common.Interfaces;
using LeadExchange.Application.Ledger;
using LeadExchange.Domain.Common;
using LeadExchange.Domain.Conversions;
using LeadExchange.Domain.Ledger;
using LeadExchange.Domain.Outbox;
using LeadExchange.Domain.Tracking;
using Microsoft.EntityFrameworkCore;

namespace LeadExchange.Application.Conversions;

/// <summary>Another transaction recorded the same (click, goal, txid) first.</summary>
public sealed class DuplicateConversionException() : Exception("This conversion is already recorded.");

/// <summary>The offer's or the webmaster's daily or monthly cap is used up.</summary>
public sealed class CapReachedException(string message) : DomainException("cap_reached", message);

/// <summary>What changing a conversion's status did.</summary>
public sealed record StatusChange(StatusChangeOutcome Outcome, ConversionStatus Status);

/// <summary>
/// Every state change of a conversion and the money and messages that go with it, inside the caller's
/// transaction: recording (caps, escrow charge), approving, rejecting (refund, caps given back),
/// approving at the end of the hold period, and the webmaster's outbound postback for each change.
/// </summary>
public sealed class ConversionLifecycle(IAppDbContext db, EscrowService escrow, LedgerPoster ledger, IClock clock)
{
    public const string HoldSource = "conversion";

    /// <summary>The caps an offer has, as (scope, period, limit).</summary>
    public static IEnumerable<(string Scope, string Period, int Limit)> Caps(CapLimits offer, string webmasterId, DateTime at)
    {
        var day = CapCounter.DayPeriod(at);
        var month = CapCounter.MonthPeriod(at);
        var offerScope = CapCounter.OfferScope(offer.OfferId);
        var webmasterScope = CapCounter.WebmasterScope(offer.OfferId, webmasterId);
        if (offer.DailyCap is { } d) yield return (offerScope, day, d);
        if (offer.MonthlyCap is { } m) yield return (offerScope, month, m);
        if (offer.WebmasterDailyCap is { } wd) yield return (webmasterScope, day, wd);
        if (offer.WebmasterMonthlyCap is { } wm) yield return (webmasterScope, month, wm);
    }

    /// <summary>
    /// Creates the counter rows a conversion will increment, outside any transaction (a failed insert
    /// would abort a PostgreSQL transaction). Two nodes creating the same row at once is fine: one wins.
    /// </summary>
    public async Task EnsureCapCountersAsync(CapLimits offer, string webmasterId, CancellationToken ct)
    {
        foreach (var (scope, period, _) in Caps(offer, webmasterId, clock.UtcNow))
            await CapCounting.EnsureAsync(db, scope, period, ct);
    }

    /// <summary>Records a conversion: stores it, takes a place under every cap, charges escrow, queues the webmaster postback.</summary>
    /// <remarks>
    /// One insert batch, then the shared rows, hottest last: the conversion, its postback, hold and journal entry are
    /// written in one save (rows no one else waits for), then the offer's cap counters are taken, and only then the
    /// advertiser's balance and escrow rows are updated, which every conversion of that advertiser needs; the commit
    /// follows at once. A refusal at any step rolls the whole unit back.
    /// </remarks>
    public async Task<Conversion> RecordAsync(Conversion conversion, CapLimits caps, CancellationToken ct)
    {
        StagedEntry? charge = null;
        if (conversion.NeedsHold)
        {
            var hold = EscrowHold.WithShares(HoldSource, conversion.Id, conversion.AdvertiserId, conversion.WebmasterId, conversion.Currency,
                conversion.AdvertiserAmount, conversion.WebmasterAmount, clock.UtcNow, conversion.HoldUntil);
            if (conversion.ReviewRequired) hold.FreezeForReview();
            conversion.AttachHold(hold.Id);
            // Staged before the conversion is added: an advertiser's first charge creates their escrow account with an insert
            // of its own, which must not carry the conversion (a duplicate is told apart below, by the save that does).
            charge = await escrow.StageChargeAsync(hold, $"Conversion {conversion.GoalCode} on click {conversion.ClickId}", ct);
        }
        db.Conversions.Add(conversion);
        await QueueWebmasterPostbackAsync(conversion, conversion.Status, ct);

        // A duplicate fails this insert and rolls the whole unit back, so no savepoint is needed around it.
        db.Database.AutoSavepointsEnabled = false;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            db.ClearChangeTracker();
            throw new DuplicateConversionException();
        }
        finally
        {
            db.Database.AutoSavepointsEnabled = true;
        }

        if (conversion.Status != ConversionStatus.Rejected)
        {
            foreach (var (scope, period, limit) in Caps(caps, conversion.WebmasterId, conversion.CreatedAt))
            {
                if (!await CapCounting.TryTakeAsync(db, scope, period, limit, ct))
                    throw new CapReachedException(scope.Contains(":wm:")
                        ? $"The webmaster's {(period.StartsWith('d') ? "daily" : "monthly")} cap of {limit} conversions on this offer is reached."
                        : $"The offer's {(period.StartsWith('d') ? "daily" : "monthly")} cap of {limit} conversions is reached.");
            }
        }

        if (charge is not null) await ledger.ApplyAsync(charge, ct);
        return conversion;
    }

    /// <summary>
    /// Records several conversions in the caller's unit, all or none (<see cref="ConversionWriter"/>'s group commit): one
    /// insert batch for every conversion, outbound postback, hold and journal entry; then each cap counter taken once for
    /// all the conversions under it (in one order on every node, so batches cannot deadlock); then each account's balance
    /// updated once with the sum of its postings (guarded: the whole batch fails when the advertiser cannot pay all of it).
    /// Any refusal throws and the caller records each conversion alone instead.
    /// </summary>
    public async Task RecordManyAsync(IReadOnlyList<(Conversion Conversion, CapLimits Caps)> items, CancellationToken ct)
    {
        var charges = new List<StagedEntry>();
        foreach (var (conversion, _) in items)
        {
            if (!conversion.NeedsHold) continue;
            var hold = EscrowHold.WithShares(HoldSource, conversion.Id, conversion.AdvertiserId, conversion.WebmasterId, conversion.Currency,
                conversion.AdvertiserAmount, conversion.WebmasterAmount, clock.UtcNow, conversion.HoldUntil);
            if (conversion.ReviewRequired) hold.FreezeForReview();
            conversion.AttachHold(hold.Id);
            charges.Add(await escrow.StageChargeAsync(hold, $"Conversion {conversion.GoalCode} on click {conversion.ClickId}", ct));
        }
        var webmasters = items.Select(i => i.Conversion.WebmasterId).Distinct().ToList();
        var postbacks = (await db.WebmasterPostbackSettings.AsNoTracking().Where(s => webmasters.Contains(s.WebmasterId) && s.Enabled)
            .Select(s => s.WebmasterId).ToListAsync(ct)).ToHashSet();
        foreach (var (conversion, _) in items)
        {
            db.Conversions.Add(conversion);
            if (postbacks.Contains(conversion.WebmasterId))
                db.OutboxMessages.Add(WebmasterPostbackMessages.Create(conversion, conversion.Status, clock.UtcNow));
        }
        db.Database.AutoSavepointsEnabled = false;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        finally
        {
            db.Database.AutoSavepointsEnabled = true;
        }

        var places = items.Where(i => i.Conversion.Status != ConversionStatus.Rejected)
            .SelectMany(i => Caps(i.Caps, i.Conversion.WebmasterId, i.Conversion.CreatedAt))
            .GroupBy(c => (c.Scope, c.Period))
            .OrderBy(g => g.Key.Scope, StringComparer.Ordinal).ThenBy(g => g.Key.Period, StringComparer.Ordinal);
        foreach (var cap in places)
            if (!await CapCounting.TryTakeAsync(db, cap.Key.Scope, cap.Key.Period, cap.First().Limit, ct, places: cap.Count()))
                throw new CapReachedException("A cap is reached within this batch.");

        await ledger.ApplyAsync(charges, ct);
    }

    /// <summary>
    /// Applies a requested status (postback, advertiser or moderator). Approving a conversion under review
    /// clears the review and lets its hold be released on time; rejecting refunds the hold (only while the
    /// money is still in escrow) and gives its place under the caps back.
    /// </summary>
    public async Task<StatusChange> ChangeStatusAsync(Guid conversionId, ConversionStatus requested, string? note, CancellationToken ct)
    {
        var conversion = await db.Conversions.AsNoTracking().FirstOrDefaultAsync(c => c.Id == conversionId, ct)
            ?? throw new NotFoundException("Conversion");
        var hold = conversion.HoldId is { } holdId ? await db.EscrowHolds.AsNoTracking().FirstOrDefaultAsync(h => h.Id == holdId, ct) : null;
        var now = clock.UtcNow;
        var holdOpen = hold is null ? now < conversion.HoldUntil : hold.Status == HoldStatus.Held;
        var outcome = ConversionStatusRules.Decide(conversion.Status, requested, holdOpen);
        var trimmedNote = note is { Length: > Conversion.NoteMaxLength } ? note[..Conversion.NoteMaxLength] : note;
        switch (outcome)
        {
            case StatusChangeOutcome.Approve:
            {
                var changed = await db.Conversions.Where(c => c.Id == conversionId && c.Status == conversion.Status)
                    .ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, ConversionStatus.Approved).SetProperty(c => c.ReviewRequired, false)
                        .SetProperty(c => c.UpdatedAt, now).SetProperty(c => c.Note, c => trimmedNote ?? c.Note), ct);
                if (changed == 0) throw new ConflictException("status_changed", "The conversion changed meanwhile; try again.");
                if (hold is not null)
                    await db.EscrowHolds.Where(h => h.Id == hold.Id && h.Status == HoldStatus.Held)
                        .ExecuteUpdateAsync(s => s.SetProperty(h => h.Frozen, false), ct);
                await QueueWebmasterPostbackAsync(conversion, ConversionStatus.Approved, ct);
                break;
            }
            case StatusChangeOutcome.Reject:
            {
                var changed = await db.Conversions.Where(c => c.Id == conversionId && c.Status == conversion.Status)
                    .ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, ConversionStatus.Rejected).SetProperty(c => c.ReviewRequired, false)
                        .SetProperty(c => c.UpdatedAt, now).SetProperty(c => c.Note, c => trimmedNote ?? c.Note), ct);
                if (changed == 0) throw new ConflictException("status_changed", "The conversion changed meanwhile; try again.");
                if (hold is not null && !await escrow.TryRefundAsync(hold.Id, null, ct))
                    throw new ConflictException("status_locked", "The hold period is over and the webmaster has been paid; the conversion can no longer be rejected.");
                await GiveBackCapsAsync(conversion, ct);
                await QueueWebmasterPostbackAsync(conversion, ConversionStatus.Rejected, ct);
                break;
            }
        }
        await db.SaveChangesAsync(ct);
        return new StatusChange(outcome, outcome is StatusChangeOutcome.Approve ? ConversionStatus.Approved
            : outcome is StatusChangeOutcome.Reject ? ConversionStatus.Rejected : conversion.Status);
    }

    /// <summary>The hold of a conversion was released: a still-pending conversion is approved by the end of its hold period.</summary>
    public async Task OnHoldReleasedAsync(Guid conversionId, CancellationToken ct)
    {
        var now = clock.UtcNow;
        var approved = await db.Conversions.Where(c => c.Id == conversionId && c.Status == ConversionStatus.Pending)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, ConversionStatus.Approved).SetProperty(c => c.UpdatedAt, now), ct);
        if (approved == 0) return;
        var conversion = await db.Conversions.AsNoTracking().FirstAsync(c => c.Id == conversionId, ct);
        await QueueWebmasterPostbackAsync(conversion, ConversionStatus.Approved, ct);
        await db.SaveChangesAsync(ct);
    }

    private async Task GiveBackCapsAsync(Conversion conversion, CancellationToken ct)
    {
        var offer = await db.Offers.AsNoTracking().Where(o => o.Id == conversion.OfferId)
            .Select(o => new CapLimits(o.Id, o.DailyCap, o.MonthlyCap, o.WebmasterDailyCap, o.WebmasterMonthlyCap)).FirstOrDefaultAsync(ct);
        if (offer is null) return;
        foreach (var (scope, period, _) in Caps(offer, conversion.WebmasterId, conversion.CreatedAt))
            await db.CapCounters.Where(c => c.Scope == scope && c.Period == period && c.Count > 0)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.Count, c => c.Count - 1), ct);
    }

    /// <summary>Queues the webmaster's outbound postback for this status, when they have one turned on.</summary>
    private async Task QueueWebmasterPostbackAsync(Conversion conversion, ConversionStatus status, CancellationToken ct)
    {
        var enabled = await db.WebmasterPostbackSettings.AsNoTracking()
            .AnyAsync(s => s.WebmasterId == conversion.WebmasterId && s.Enabled, ct);
        if (!enabled) return;
        db.OutboxMessages.Add(WebmasterPostbackMessages.Create(conversion, status, clock.UtcNow));
    }
}

/// <summary>An offer's caps (null = no cap).</summary>
public sealed record CapLimits(Guid OfferId, int? DailyCap, int? MonthlyCap, int? WebmasterDailyCap, int? WebmasterMonthlyCap);

public static class WebmasterPostbackMessages
{
    public const string Type = "webmaster.postback";

    public sealed record Payload(string WebmasterId, PostbackMacroValues Values);

    public static OutboxMessage Create(Conversion conversion, ConversionStatus status, DateTime now) =>
        new(Type, JsonSerializer.Serialize(new Payload(conversion.WebmasterId, PostbackMacroValues.From(conversion, StatusName(status)))), now,
            conversion.Id.ToString("N"));

    public static string StatusName(ConversionStatus status) => status.ToString().ToLowerInvariant();
}
