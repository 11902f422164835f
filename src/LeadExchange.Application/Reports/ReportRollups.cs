using LeadExchange.Application.Common.Behaviours;
using LeadExchange.Application.Common.Interfaces;
using LeadExchange.Domain.Disputes;
using LeadExchange.Domain.Leads;
using LeadExchange.Domain.Reports;
using LeadExchange.Domain.Tracking;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace LeadExchange.Application.Reports;

/// <summary>
/// Rebuilds the rollup rows of one UTC hour from the raw tables, in one transaction: the hour's rows are deleted and
/// re-inserted, so running it twice (or on two nodes one after the other) gives the same rows.
/// </summary>
public sealed record RecomputeReportHourCommand(DateTime HourUtc) : ICommand<int>;

public sealed class RecomputeReportHourHandler(IAppDbContext db) : IRequestHandler<RecomputeReportHourCommand, int>
{
    public async Task<int> Handle(RecomputeReportHourCommand request, CancellationToken cancellationToken)
    {
        var hour = ReportRollup.HourOf(DateTime.SpecifyKind(request.HourUtc, DateTimeKind.Utc));
        var end = hour.AddHours(1);
        var rows = new RollupAccumulator();
        await AddClicksAsync(rows, hour, end, cancellationToken);
        await AddLeadsAsync(rows, hour, end, cancellationToken);
        await AddSalesAsync(rows, hour, end, cancellationToken);
        await AddConversionsAsync(rows, hour, end, cancellationToken);

        await db.ReportRollups.Where(r => r.HourUtc >= hour && r.HourUtc < end).ExecuteDeleteAsync(cancellationToken);
        var entities = rows.ToRollups(hour);
        db.ReportRollups.AddRange(entities);
        await db.SaveChangesAsync(cancellationToken);
        db.ClearChangeTracker();
        return entities.Count;
    }

    private async Task<Dictionary<Guid, string>> OfferNichesAsync(IEnumerable<Guid> offerIds, CancellationToken ct)
    {
        var ids = offerIds.Distinct().ToList();
        if (ids.Count == 0) return [];
        return await db.Offers.AsNoTracking().Where(o => ids.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.NicheCode, ct);
    }

    private async Task AddClicksAsync(RollupAccumulator rows, DateTime hour, DateTime end, CancellationToken ct)
    {
        // The largest table: grouped in the database; sub-id combinations come back, not clicks.
        var groups = await db.Clicks.AsNoTracking().Where(c => c.CreatedAt >= hour && c.CreatedAt < end)
            .GroupBy(c => new { c.OfferId, c.AdvertiserId, c.WebmasterId, c.Sub1, c.Sub2, c.Sub3, c.Sub4, c.Sub5 })
            .Select(g => new { g.Key, Clicks = g.LongCount(), Unique = g.Sum(c => c.IsUnique ? 1L : 0L) })
            .ToListAsync(ct);
        var niches = await OfferNichesAsync(groups.Select(g => g.Key.OfferId), ct);
        foreach (var g in groups)
        {
            var k = g.Key;
            rows.Add(new Facts(k.AdvertiserId, k.WebmasterId, k.OfferId, niches.GetValueOrDefault(k.OfferId, ""), "", Guid.Empty, "", "",
                [k.Sub1, k.Sub2, k.Sub3, k.Sub4, k.Sub5]), c =>
            {
                c.Clicks += g.Clicks;
                c.UniqueClicks += g.Unique;
            });
        }
    }

    private async Task AddLeadsAsync(RollupAccumulator rows, DateTime hour, DateTime end, CancellationToken ct)
    {
        var leads = await db.Leads.AsNoTracking().Where(l => l.CreatedAt >= hour && l.CreatedAt < end)
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

    private async Task AddSalesAsync(RollupAccumulator rows, DateTime hour, DateTime end, CancellationToken ct)
    {
        var sales = await (
            from s in db.LeadSales.AsNoTracking()
            where s.SoldAt >= hour && s.SoldAt < end
            join l in db.Leads.AsNoTracking() on s.LeadId equals l.Id
            join h in db.EscrowHolds.AsNoTracking() on s.HoldId equals h.Id
            select new
            {
                s.Id, s.BuyerId, s.SellerId, s.NicheCode, s.RegionCode, s.OrderId, s.Currency, s.Price, s.Status, s.SaleAmount,
                h.WebmasterShare, l.Sub1, l.Sub2, l.Sub3, l.Sub4, l.Sub5,
            }).ToListAsync(ct);
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
                c.SalesAmount += s.Price;
                c.SellerShare += s.WebmasterShare;
                if (isReturned)
                {
                    c.Returns++;
                    c.ReturnedAmount += s.Price;
                    c.ReturnedSellerShare += s.WebmasterShare;
                }
                if (s.Status == Domain.Buying.SaleStatus.Converted)
                {
                    c.SalesConverted++;
                    c.SalesRevenue += s.SaleAmount ?? 0;
                }
            });
        }
    }

    private async Task AddConversionsAsync(RollupAccumulator rows, DateTime hour, DateTime end, CancellationToken ct)
    {
        var conversions = await db.Conversions.AsNoTracking().Where(c => c.CreatedAt >= hour && c.CreatedAt < end)
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
                c.ConversionCost += v.AdvertiserAmount;
                c.ConversionPayout += v.WebmasterAmount;
                c.ConversionRevenue += v.SaleAmount ?? 0;
            });
        }
    }

    /// <summary>One fact's dimensions; <see cref="Subs"/> feed the sub-id slots.</summary>
    private sealed record Facts(
        string AdvertiserId, string WebmasterId, Guid OfferId, string NicheCode, string RegionCode, Guid LeadOrderId, string GoalCode,
        string Currency, string?[] Subs);

    /// <summary>
    /// Sums facts into two views of the main grain (slot 0) and the webmaster's five sub-id slots:
    /// the advertiser view (no webmaster: what advertisers and the platform read, compact however many webmasters send
    /// traffic) and the webmaster view (no advertiser or lead order: what a webmaster reads, and the sub-id slots).
    /// </summary>
    private sealed class RollupAccumulator
    {
        private readonly Dictionary<ReportRollupKey, ReportCounters> _rows = [];

        public void Add(Facts f, Action<ReportCounters> apply)
        {
            apply(Row(new ReportRollupKey(f.AdvertiserId, "", f.OfferId, f.NicheCode, f.RegionCode, f.LeadOrderId, f.GoalCode, 0, "", f.Currency)));
            apply(Row(new ReportRollupKey("", f.WebmasterId, f.OfferId, f.NicheCode, f.RegionCode, Guid.Empty, f.GoalCode, 0, "", f.Currency)));
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

        public List<ReportRollup> ToRollups(DateTime hour) =>
            _rows.Where(r => !r.Value.IsZero()).Select(r => ReportRollup.Create(hour, r.Key, r.Value)).ToList();
    }
}

/// <summary>
/// The rollup job step (docs/architecture.md "Reports"): under a lease held in the database (one node at a time),
/// finds the hours whose raw facts changed since the last scan and recomputes each. "Changed" means: the hours the
/// scan window itself covers (new clicks, leads, sales, conversions), plus the hours of older conversions and sales
/// updated since (status, sale amount), plus the sale hours of disputes decided since. The window re-reads
/// <see cref="Overlap"/> before the last scan so a transaction that committed late is still seen.
/// </summary>
public sealed record RefreshReportRollupsCommand(string NodeId) : IRequest<int>;

public sealed class RefreshReportRollupsHandler(IAppDbContext db, IClock clock, IMediator mediator)
    : IRequestHandler<RefreshReportRollupsCommand, int>
{
    public static readonly TimeSpan Overlap = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    public async Task<int> Handle(RefreshReportRollupsCommand request, CancellationToken cancellationToken)
    {
        var now = clock.UtcNow;
        if (!await TryTakeLeaseAsync(request.NodeId, now, cancellationToken)) return 0;
        try
        {
            var state = await db.ReportRollupStates.AsNoTracking().SingleAsync(s => s.Id == ReportRollupState.SingletonId, cancellationToken);
            var hours = await DirtyHoursAsync(state.ScannedUntil, now, cancellationToken);
            foreach (var hour in hours)
            {
                await mediator.Send(new RecomputeReportHourCommand(hour), cancellationToken);
                // Keep the lease alive through a long backfill.
                if (clock.UtcNow - now > Lease / 2 && !await TryTakeLeaseAsync(request.NodeId, clock.UtcNow, cancellationToken)) return hours.Count;
            }
            await db.ReportRollupStates.Where(s => s.Id == ReportRollupState.SingletonId && s.LeaseOwner == request.NodeId)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.ScannedUntil, now), cancellationToken);
            return hours.Count;
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

    private async Task<List<DateTime>> DirtyHoursAsync(DateTime? scannedUntil, DateTime now, CancellationToken ct)
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

        // Older facts changed since the window started: their own hours.
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
        foreach (var t in conversionHours.Concat(saleHours).Concat(disputedSaleHours))
            hours.Add(ReportRollup.HourOf(DateTime.SpecifyKind(t, DateTimeKind.Utc)));
        return hours.ToList();
    }
}

/// <summary>Recomputes every hour of [from, to) (a backfill or repair after restoring raw data). Returns the hours done.</summary>
public sealed record RebuildReportRollupsCommand(DateTime FromUtc, DateTime ToUtc) : IRequest<int>;

public sealed class RebuildReportRollupsHandler(IMediator mediator) : IRequestHandler<RebuildReportRollupsCommand, int>
{
    public async Task<int> Handle(RebuildReportRollupsCommand request, CancellationToken cancellationToken)
    {
        var count = 0;
        for (var h = ReportRollup.HourOf(request.FromUtc); h < request.ToUtc; h = h.AddHours(1))
        {
            await mediator.Send(new RecomputeReportHourCommand(h), cancellationToken);
            count++;
        }
        return count;
    }
}
