using LeadExchange.Application.Common.Interfaces;
using LeadExchange.Domain.Disputes;
using LeadExchange.Domain.Leads;
using LeadExchange.Domain.Reports;
using LeadExchange.Domain.Tracking;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace LeadExchange.Application.Reports;

/// <summary>The two tiers of rollup rows (docs/architecture.md "Reports").</summary>
public enum ReportTier
{
    /// <summary>Slot 0 of both views, one row set per UTC hour: every grouping but the sub-ids, in any time zone.</summary>
    Hourly,
    /// <summary>The webmaster's sub-id slots 1..5, one row set per UTC day; the report reads the partial days at a range's edges raw.</summary>
    SubIdDaily,
}

/// <summary>
/// Computes rollup rows from the raw tables (clicks, leads, lead sales with their escrow holds and upheld disputes,
/// conversions) for one UTC range. The rollup job stores what it returns; the report calls it directly for the few
/// hours at the edges of a sub-id report that no stored day covers.
/// <para>
/// Clicks and leads never change once written and give rows with an empty currency; sales and conversions change
/// (status, sale amount, returns) and always have a currency. So the two never share a row, and a day whose money facts
/// changed is recomputed from sales and conversions alone (<paramref name="moneyOnly"/>), without re-reading its clicks.
/// </para>
/// </summary>
public sealed class ReportRollupSource(IAppDbContext db)
{
    public async Task<Dictionary<ReportRollupKey, ReportCounters>> ComputeAsync(
        DateTime start, DateTime end, ReportTier tier, bool moneyOnly = false, string? webmasterId = null, Guid? offerId = null,
        CancellationToken ct = default)
    {
        var rows = new RollupAccumulator(tier);
        if (!moneyOnly)
        {
            await AddClicksAsync(rows, start, end, tier, webmasterId, offerId, ct);
            await AddLeadsAsync(rows, start, end, tier, webmasterId, offerId, ct);
        }
        await AddSalesAsync(rows, start, end, tier, webmasterId, offerId, ct);
        await AddConversionsAsync(rows, start, end, webmasterId, offerId, ct);
        return rows.NonZero();
    }

    private async Task<Dictionary<Guid, string>> OfferNichesAsync(IEnumerable<Guid> offerIds, CancellationToken ct)
    {
        var ids = offerIds.Distinct().ToList();
        if (ids.Count == 0) return [];
        return await db.Offers.AsNoTracking().Where(o => ids.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.NicheCode, ct);
    }

    private async Task AddClicksAsync(RollupAccumulator rows, DateTime start, DateTime end, ReportTier tier, string? webmasterId, Guid? offerId, CancellationToken ct)
    {
        // The largest table: grouped in the database; only the hourly tier's dimensions, or the sub-id combinations, come back.
        var clicks = db.Clicks.AsNoTracking().Where(c => c.CreatedAt >= start && c.CreatedAt < end);
        if (webmasterId is not null) clicks = clicks.Where(c => c.WebmasterId == webmasterId);
        if (offerId is { } offer) clicks = clicks.Where(c => c.OfferId == offer);
        if (tier == ReportTier.Hourly)
        {
            var groups = await clicks.GroupBy(c => new { c.OfferId, c.AdvertiserId, c.WebmasterId })
                .Select(g => new { g.Key, Clicks = g.LongCount(), Unique = g.Sum(c => c.IsUnique ? 1L : 0L) })
                .ToListAsync(ct);
            var niches = await OfferNichesAsync(groups.Select(g => g.Key.OfferId), ct);
            foreach (var g in groups)
            {
                rows.Add(new Facts(g.Key.AdvertiserId, g.Key.WebmasterId, g.Key.OfferId, niches.GetValueOrDefault(g.Key.OfferId, ""), "", Guid.Empty, "", "", []),
                    c => AddClicks(c, g.Clicks, g.Unique));
            }
            return;
        }
        var subGroups = await clicks.GroupBy(c => new { c.OfferId, c.WebmasterId, c.Sub1, c.Sub2, c.Sub3, c.Sub4, c.Sub5 })
            .Select(g => new { g.Key, Clicks = g.LongCount(), Unique = g.Sum(c => c.IsUnique ? 1L : 0L) })
            .ToListAsync(ct);
        foreach (var g in subGroups)
        {
            var k = g.Key;
            rows.Add(new Facts("", k.WebmasterId, k.OfferId, "", "", Guid.Empty, "", "", [k.Sub1, k.Sub2, k.Sub3, k.Sub4, k.Sub5]),
                c => AddClicks(c, g.Clicks, g.Unique));
        }
    }

    private static void AddClicks(ReportCounters c, long clicks, long unique)
    {
        c.Clicks = checked(c.Clicks + clicks);
        c.UniqueClicks = checked(c.UniqueClicks + unique);
    }

    private async Task AddLeadsAsync(RollupAccumulator rows, DateTime start, DateTime end, ReportTier tier, string? webmasterId, Guid? offerId, CancellationToken ct)
    {
        var query = db.Leads.AsNoTracking().Where(l => l.CreatedAt >= start && l.CreatedAt < end);
        if (webmasterId is not null) query = query.Where(l => l.SellerId == webmasterId);
        if (offerId is { } offer) query = query.Where(l => l.OfferId == offer);
        var leads = await query
            .Select(l => new { l.SellerId, l.OfferId, l.NicheCode, l.RegionCode, l.Status, l.Sub1, l.Sub2, l.Sub3, l.Sub4, l.Sub5 })
            .ToListAsync(ct);
        foreach (var l in leads)
        {
            // Intake belongs to the seller alone (AdvertiserId empty): buyers see their purchases as sales.
            rows.Add(new Facts("", l.SellerId, l.OfferId ?? Guid.Empty, l.NicheCode, l.RegionCode, Guid.Empty, "", "",
                [l.Sub1, l.Sub2, l.Sub3, l.Sub4, l.Sub5]), c =>
            {
                if (l.Status == LeadStatus.Rejected) c.LeadsRejected++;
                else c.Leads++;
            });
        }
    }

    private async Task AddSalesAsync(RollupAccumulator rows, DateTime start, DateTime end, ReportTier tier, string? webmasterId, Guid? offerId, CancellationToken ct)
    {
        // A lead sale has no offer dimension (it is bought from the exchange), so an offer filter leaves none.
        if (offerId is not null) return;
        var query = from s in db.LeadSales.AsNoTracking()
                    where s.SoldAt >= start && s.SoldAt < end
                    join l in db.Leads.AsNoTracking() on s.LeadId equals l.Id
                    join h in db.EscrowHolds.AsNoTracking() on s.HoldId equals h.Id
                    select new
                    {
                        s.Id, s.BuyerId, s.SellerId, s.NicheCode, s.RegionCode, s.OrderId, s.Currency, s.Price, s.Status, s.SaleAmount,
                        h.WebmasterShare, l.Sub1, l.Sub2, l.Sub3, l.Sub4, l.Sub5,
                    };
        if (webmasterId is not null) query = query.Where(s => s.SellerId == webmasterId);
        var sales = await query.ToListAsync(ct);
        if (sales.Count == 0) return;
        var saleIds = sales.Select(s => s.Id).ToList();
        var returned = (await db.Disputes.AsNoTracking().Where(d => saleIds.Contains(d.SaleId) && d.Status == DisputeStatus.Upheld)
            .Select(d => d.SaleId).ToListAsync(ct)).ToHashSet();
        foreach (var s in sales)
        {
            var isReturned = returned.Contains(s.Id);
            rows.Add(new Facts(s.BuyerId, s.SellerId, Guid.Empty, s.NicheCode, s.RegionCode, s.OrderId ?? Guid.Empty, "", s.Currency,
                [s.Sub1, s.Sub2, s.Sub3, s.Sub4, s.Sub5]), c =>
            {
                c.Sales++;
                c.SalesAmount = checked(c.SalesAmount + s.Price);
                c.SellerShare = checked(c.SellerShare + s.WebmasterShare);
                if (isReturned)
                {
                    c.Returns++;
                    c.ReturnedAmount = checked(c.ReturnedAmount + s.Price);
                    c.ReturnedSellerShare = checked(c.ReturnedSellerShare + s.WebmasterShare);
                }
                if (s.Status == Domain.Buying.SaleStatus.Converted)
                {
                    c.SalesConverted++;
                    c.SalesRevenue = checked(c.SalesRevenue + (s.SaleAmount ?? 0));
                }
            });
        }
    }

    private async Task AddConversionsAsync(RollupAccumulator rows, DateTime start, DateTime end, string? webmasterId, Guid? offerId, CancellationToken ct)
    {
        var query = db.Conversions.AsNoTracking().Where(c => c.CreatedAt >= start && c.CreatedAt < end);
        if (webmasterId is not null) query = query.Where(c => c.WebmasterId == webmasterId);
        if (offerId is { } offer) query = query.Where(c => c.OfferId == offer);
        var conversions = await query
            .Select(c => new
            {
                c.AdvertiserId, c.WebmasterId, c.OfferId, c.GoalCode, c.Currency, c.Status, c.AdvertiserAmount, c.WebmasterAmount,
                c.SaleAmount, c.Sub1, c.Sub2, c.Sub3, c.Sub4, c.Sub5,
            }).ToListAsync(ct);
        var niches = await OfferNichesAsync(conversions.Select(c => c.OfferId), ct);
        foreach (var v in conversions)
        {
            rows.Add(new Facts(v.AdvertiserId, v.WebmasterId, v.OfferId, niches.GetValueOrDefault(v.OfferId, ""), "", Guid.Empty, v.GoalCode,
                v.Currency, [v.Sub1, v.Sub2, v.Sub3, v.Sub4, v.Sub5]), c =>
            {
                switch (v.Status)
                {
                    case ConversionStatus.Rejected:
                        c.ConversionsRejected++;
                        return;
                    case ConversionStatus.Approved:
                        c.ConversionsApproved++;
                        break;
                    default:
                        c.ConversionsPending++;
                        break;
                }
                c.ConversionCost = checked(c.ConversionCost + v.AdvertiserAmount);
                c.ConversionPayout = checked(c.ConversionPayout + v.WebmasterAmount);
                c.ConversionRevenue = checked(c.ConversionRevenue + (v.SaleAmount ?? 0));
            });
        }
    }

    /// <summary>One fact's dimensions; <see cref="Subs"/> feed the sub-id slots.</summary>
    private sealed record Facts(
        string AdvertiserId, string WebmasterId, Guid OfferId, string NicheCode, string RegionCode, Guid LeadOrderId, string GoalCode,
        string Currency, string?[] Subs);

    /// <summary>
    /// Sums facts into the rows of one tier. Hourly: the advertiser view (no webmaster: what advertisers and the platform
    /// read, compact however many webmasters send traffic) and the webmaster view (no advertiser or lead order).
    /// Sub-id daily: the webmaster's five sub-id slots, by offer and that slot's value.
    /// </summary>
    private sealed class RollupAccumulator(ReportTier tier)
    {
        private readonly Dictionary<ReportRollupKey, ReportCounters> _rows = [];

        public void Add(Facts f, Action<ReportCounters> apply)
        {
            if (tier == ReportTier.Hourly)
            {
                apply(Row(new ReportRollupKey(f.AdvertiserId, "", f.OfferId, f.NicheCode, f.RegionCode, f.LeadOrderId, f.GoalCode, 0, "", f.Currency)));
                apply(Row(new ReportRollupKey("", f.WebmasterId, f.OfferId, f.NicheCode, f.RegionCode, Guid.Empty, f.GoalCode, 0, "", f.Currency)));
                return;
            }
            for (var slot = 1; slot <= 5; slot++)
            {
                var value = f.Subs[slot - 1] ?? "";
                if (value.Length > ReportRollup.SubValueMaxLength) value = value[..ReportRollup.SubValueMaxLength];
                apply(Row(new ReportRollupKey("", f.WebmasterId, f.OfferId, "", "", Guid.Empty, "", slot, value, f.Currency)));
            }
        }

        private ReportCounters Row(ReportRollupKey key)
        {
            if (!_rows.TryGetValue(key, out var counters)) _rows[key] = counters = new ReportCounters();
            return counters;
        }

        public Dictionary<ReportRollupKey, ReportCounters> NonZero() => _rows.Where(r => !r.Value.IsZero()).ToDictionary();
    }
}

/// <summary>
/// Rebuilds the hourly rollup rows of one UTC hour from the raw tables, in one transaction: the hour's rows are deleted
/// and re-inserted, so running it twice (or on two nodes one after the other) gives the same rows.
/// </summary>
public sealed record RecomputeReportHourCommand(DateTime HourUtc) : IRequest<int>;

public sealed class RecomputeReportHourHandler(IUnitOfWork uow, ReportRollupWriter writer) : IRequestHandler<RecomputeReportHourCommand, int>
{
    public Task<int> Handle(RecomputeReportHourCommand request, CancellationToken ct) =>
        uow.RunAsync(token => writer.RecomputeHourAsync(request.HourUtc, token), ct);
}

/// <summary>
/// Rebuilds the sub-id rows of one whole UTC day (stored at the day's midnight), in one transaction. With
/// <paramref name="MoneyOnly"/> only the rows of sales and conversions are replaced (their facts changed; clicks and
/// leads cannot), so a late approval on an old day does not re-read that day's clicks.
/// </summary>
public sealed record RecomputeReportSubIdDayCommand(DateOnly DayUtc, bool MoneyOnly = false) : IRequest<int>;

public sealed class RecomputeReportSubIdDayHandler(IUnitOfWork uow, ReportRollupWriter writer) : IRequestHandler<RecomputeReportSubIdDayCommand, int>
{
    public Task<int> Handle(RecomputeReportSubIdDayCommand request, CancellationToken ct) =>
        uow.RunAsync(token => writer.RecomputeSubIdDayAsync(request.DayUtc, request.MoneyOnly, token), ct);
}

/// <summary>Replaces stored rollup rows with a recount from the raw tables, inside the caller's unit of work (one per hour or day).</summary>
public sealed class ReportRollupWriter(IAppDbContext db)
{
    public async Task<int> RecomputeHourAsync(DateTime hourUtc, CancellationToken cancellationToken)
    {
        var hour = ReportRollup.HourOf(DateTime.SpecifyKind(hourUtc, DateTimeKind.Utc));
        var end = hour.AddHours(1);
        var rows = await new ReportRollupSource(db).ComputeAsync(hour, end, ReportTier.Hourly, ct: cancellationToken);
        await db.ReportRollups.Where(r => r.HourUtc >= hour && r.HourUtc < end && r.SubSlot == 0).ExecuteDeleteAsync(cancellationToken);
        db.ReportRollups.AddRange(rows.Select(r => ReportRollup.Create(hour, r.Key, r.Value)));
        await db.SaveChangesAsync(cancellationToken);
        db.ClearChangeTracker();
        return rows.Count;
    }

    public async Task<int> RecomputeSubIdDayAsync(DateOnly dayUtc, bool moneyOnly, CancellationToken cancellationToken)
    {
        var day = dayUtc.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var rows = await new ReportRollupSource(db).ComputeAsync(day, day.AddDays(1), ReportTier.SubIdDaily, moneyOnly, ct: cancellationToken);
        var old = db.ReportRollups.Where(r => r.HourUtc == day && r.SubSlot > 0);
        if (moneyOnly) old = old.Where(r => r.Currency != "");
        await old.ExecuteDeleteAsync(cancellationToken);
        db.ReportRollups.AddRange(rows.Select(r => ReportRollup.Create(day, r.Key, r.Value)));
        await db.SaveChangesAsync(cancellationToken);
        db.ClearChangeTracker();
        return rows.Count;
    }
}

/// <summary>
/// The rollup job step (docs/architecture.md "Reports"): under a lease held in the database (one node at a time),
/// finds the hours whose raw facts changed since the last scan and recomputes each. "Changed" means: the hours the
/// scan window itself covers (new clicks, leads, sales, conversions), plus the hours of older conversions and sales
/// updated since (status, sale amount), plus the sale hours of disputes decided since. The window re-reads
/// <see cref="Overlap"/> before the last scan so a transaction that committed late is still seen.
/// <para>
/// Sub-id days: a UTC day is stored once it has settled (ended <see cref="Overlap"/> ago) and again, money rows only,
/// when an older sale or conversion of it changes. <see cref="SubIdDaysStoredUntil"/> tells the report which days it
/// can read stored.
/// </para>
/// </summary>
public sealed record RefreshReportRollupsCommand(string NodeId) : IRequest<int>;

public sealed class RefreshReportRollupsHandler(IAppDbContext db, IUnitOfWork uow, ReportRollupWriter writer, IClock clock)
    : IRequestHandler<RefreshReportRollupsCommand, int>
{
    public static readonly TimeSpan Overlap = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    /// <summary>The UTC midnight before which every sub-id day is stored, given the job's last complete scan.</summary>
    public static DateTime SubIdDaysStoredUntil(DateTime? scannedUntil) =>
        scannedUntil is { } scanned ? DayOf(DateTime.SpecifyKind(scanned, DateTimeKind.Utc) - Overlap) : DateTime.MinValue;

    private static DateTime DayOf(DateTime utc) => new(utc.Year, utc.Month, utc.Day, 0, 0, 0, DateTimeKind.Utc);

    public async Task<int> Handle(RefreshReportRollupsCommand request, CancellationToken cancellationToken)
    {
        var now = clock.UtcNow;
        if (!await TryTakeLeaseAsync(request.NodeId, now, cancellationToken)) return 0;
        try
        {
            var state = await db.ReportRollupStates.AsNoTracking().SingleAsync(s => s.Id == ReportRollupState.SingletonId, cancellationToken);
            var work = await DirtyAsync(state.ScannedUntil, now, cancellationToken);
            var steps = 0;
            async Task<bool> StepAsync(Func<CancellationToken, Task<int>> recompute)
            {
                await uow.RunAsync(recompute, cancellationToken);
                steps++;
                // Keep the lease alive through a long backfill.
                return clock.UtcNow - now <= Lease / 2 || await TryTakeLeaseAsync(request.NodeId, clock.UtcNow, cancellationToken);
            }
            foreach (var hour in work.Hours)
                if (!await StepAsync(token => writer.RecomputeHourAsync(hour, token))) return steps;
            foreach (var day in work.SettledDays)
                if (!await StepAsync(token => writer.RecomputeSubIdDayAsync(day, moneyOnly: false, token))) return steps;
            foreach (var day in work.ChangedDays.Except(work.SettledDays))
                if (!await StepAsync(token => writer.RecomputeSubIdDayAsync(day, moneyOnly: true, token))) return steps;
            await db.ReportRollupStates.Where(s => s.Id == ReportRollupState.SingletonId && s.LeaseOwner == request.NodeId)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.ScannedUntil, now), cancellationToken);
            return steps;
        }
        finally
        {
            await db.ReportRollupStates.Where(s => s.Id == ReportRollupState.SingletonId && s.LeaseOwner == request.NodeId)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.LeaseUntil, (DateTime?)null), CancellationToken.None);
        }
    }

    private async Task<bool> TryTakeLeaseAsync(string node, DateTime now, CancellationToken ct)
    {
        if (!await db.ReportRollupStates.AnyAsync(s => s.Id == ReportRollupState.SingletonId, ct))
        {
            try
            {
                db.ReportRollupStates.Add(ReportRollupState.Create());
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                // Another node created it first.
            }
            db.ClearChangeTracker();
        }
        var until = now + Lease;
        var taken = await db.ReportRollupStates
            .Where(s => s.Id == ReportRollupState.SingletonId && (s.LeaseUntil == null || s.LeaseUntil < now || s.LeaseOwner == node))
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.LeaseOwner, node).SetProperty(x => x.LeaseUntil, until), ct);
        return taken == 1;
    }

    /// <summary>What this run recomputes: hours (slot 0), sub-id days that settled since the last scan, and stored sub-id days whose money facts changed.</summary>
    private sealed record Work(List<DateTime> Hours, List<DateOnly> SettledDays, List<DateOnly> ChangedDays);

    private async Task<Work> DirtyAsync(DateTime? scannedUntil, DateTime now, CancellationToken ct)
    {
        var hours = new SortedSet<DateTime>();
        DateTime scanFrom;
        if (scannedUntil is { } scanned)
        {
            scanFrom = DateTime.SpecifyKind(scanned, DateTimeKind.Utc) - Overlap;
        }
        else
        {
            // First run: everything there is.
            var firsts = new List<DateTime?>
            {
                await db.Clicks.MinAsync(c => (DateTime?)c.CreatedAt, ct),
                await db.Leads.MinAsync(l => (DateTime?)l.CreatedAt, ct),
                await db.LeadSales.MinAsync(s => (DateTime?)s.SoldAt, ct),
                await db.Conversions.MinAsync(c => (DateTime?)c.CreatedAt, ct),
            };
            scanFrom = firsts.Where(f => f.HasValue).Select(f => DateTime.SpecifyKind(f!.Value, DateTimeKind.Utc)).DefaultIfEmpty(now).Min();
        }
        for (var h = ReportRollup.HourOf(scanFrom); h <= ReportRollup.HourOf(now); h = h.AddHours(1)) hours.Add(h);

        // Sub-id days that settled since the last scan (on the first run: every settled day since the first fact).
        var storedBefore = scannedUntil is null ? DayOf(scanFrom) : SubIdDaysStoredUntil(scannedUntil);
        var storedNow = SubIdDaysStoredUntil(now);
        var settled = new List<DateOnly>();
        for (var d = storedBefore; d < storedNow; d = d.AddDays(1)) settled.Add(DateOnly.FromDateTime(d));

        // Older facts changed since the window started: their own hours, and their sub-id days if stored.
        var windowStart = ReportRollup.HourOf(scanFrom);
        var conversionHours = await db.Conversions.AsNoTracking().Where(c => c.UpdatedAt >= scanFrom && c.CreatedAt < windowStart)
            .Select(c => c.CreatedAt).Distinct().ToListAsync(ct);
        var saleHours = await db.LeadSales.AsNoTracking().Where(s => s.UpdatedAt >= scanFrom && s.SoldAt < windowStart)
            .Select(s => s.SoldAt).Distinct().ToListAsync(ct);
        var disputedSaleHours = await (
            from d in db.Disputes.AsNoTracking()
            where d.DecidedAt >= scanFrom
            join s in db.LeadSales.AsNoTracking() on d.SaleId equals s.Id
            where s.SoldAt < windowStart
            select s.SoldAt).Distinct().ToListAsync(ct);
        var changedDays = new SortedSet<DateOnly>();
        foreach (var t in conversionHours.Concat(saleHours).Concat(disputedSaleHours))
        {
            var utc = DateTime.SpecifyKind(t, DateTimeKind.Utc);
            hours.Add(ReportRollup.HourOf(utc));
            if (utc < storedBefore) changedDays.Add(DateOnly.FromDateTime(utc));
        }
        return new Work(hours.ToList(), settled, changedDays.ToList());
    }
}

/// <summary>
/// Recomputes every hour of [from, to) and every settled sub-id day it touches (a backfill, or a repair after restoring
/// or back-dating raw data, which the job's change scan does not see). Returns the hours and days done.
/// </summary>
public sealed record RebuildReportRollupsCommand(DateTime FromUtc, DateTime ToUtc) : IRequest<int>;

public sealed class RebuildReportRollupsHandler(IUnitOfWork uow, ReportRollupWriter writer, IClock clock) : IRequestHandler<RebuildReportRollupsCommand, int>
{
    public async Task<int> Handle(RebuildReportRollupsCommand request, CancellationToken cancellationToken)
    {
        var count = 0;
        for (var h = ReportRollup.HourOf(request.FromUtc); h < request.ToUtc; h = h.AddHours(1))
        {
            var hour = h;
            await uow.RunAsync(token => writer.RecomputeHourAsync(hour, token), cancellationToken);
            count++;
        }
        var settledUntil = RefreshReportRollupsHandler.SubIdDaysStoredUntil(clock.UtcNow);
        for (var d = DateOnly.FromDateTime(request.FromUtc); d.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc) < request.ToUtc; d = d.AddDays(1))
        {
            if (d.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc) >= settledUntil) break;
            var day = d;
            await uow.RunAsync(token => writer.RecomputeSubIdDayAsync(day, moneyOnly: false, token), cancellationToken);
            count++;
        }
        return count;
    }
}
