using LeadExchange.Application.Common.Interfaces;
using LeadExchange.Application.Ledger;
using LeadExchange.Domain.Buying;
using LeadExchange.Domain.Disputes;
using LeadExchange.Domain.Identity;
using LeadExchange.Domain.Leads;
using LeadExchange.Domain.Offers;
using LeadExchange.Domain.Reports;
using LeadExchange.Domain.Tracking;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace LeadExchange.Application.Reports;

/// <summary>Something on a dashboard that needs the user: a kind the page words and links, a count, a detail, and how urgent.</summary>
public sealed record AttentionItem(string Kind, long Count, string? Detail, bool Urgent);

public sealed record DashboardDto(
    string Perspective, string Currency, string TimeZone, DateTime? UpdatedAt, ReportFigures Today, ReportFigures Yesterday,
    IReadOnlyList<ReportRowDto> Trend, IReadOnlyList<ReportRowDto> TopOffers, IReadOnlyList<ReportRowDto> TopNiches, IReadOnlyList<ReportRowDto> TopRegions,
    IReadOnlyList<AttentionItem> Attention);

/// <summary>
/// A role's dashboard: today against yesterday, the last 30 days by day, the top 5 offers, niches and regions of the last
/// 30 days by money, and what needs attention. Figures come from the report rollups (<see cref="GetReportQuery"/>).
/// </summary>
public sealed record GetDashboardQuery(string? Perspective = null) : IRequest<DashboardDto>;

public sealed class GetDashboardHandler(IAppDbContext db, ICurrentUser user, IClock clock, ReportReader reports, BalanceReader balances)
    : IRequestHandler<GetDashboardQuery, DashboardDto>
{
    public const int TrendDays = 30;
    public const int TopCount = 5;

    public async Task<DashboardDto> Handle(GetDashboardQuery request, CancellationToken cancellationToken)
    {
        var me = user.RequireUserId();
        var trend = await reports.ReadAsync(new GetReportQuery(ReportGroupings.Day, Perspective: request.Perspective, PageSize: 5000,
            From: null, To: null, Sort: "key", Descending: false, Days: TrendDays), cancellationToken);
        var perspective = Enum.Parse<ReportPerspective>(trend.Perspective, ignoreCase: true);
        var money = perspective == ReportPerspective.Webmaster ? "earnings" : "spend";
        async Task<IReadOnlyList<ReportRowDto>> Top(string groupBy) =>
            (await reports.ReadAsync(new GetReportQuery(groupBy, trend.From, trend.To, trend.Perspective, Currency: trend.Currency, Sort: money,
                PageSize: TopCount), cancellationToken)).Rows.Where(r => r.Figures.Clicks + r.Figures.Leads + r.Figures.LeadsSold + r.Figures.Conversions > 0).ToList();

        var rows = trend.Rows;
        var empty = ReportFigures.From(new ReportCounters(), perspective);
        var today = rows.Count > 0 ? rows[^1].Figures : empty;
        var yesterday = rows.Count > 1 ? rows[^2].Figures : empty;
        var attention = perspective switch
        {
            ReportPerspective.Advertiser => await AdvertiserAttentionAsync(me, trend, cancellationToken),
            ReportPerspective.Webmaster => await WebmasterAttentionAsync(me, cancellationToken),
            _ => await PlatformAttentionAsync(cancellationToken),
        };
        return new DashboardDto(trend.Perspective, trend.Currency, trend.TimeZone, trend.UpdatedAt, today, yesterday, rows,
            await Top("offer"), await Top("niche"), await Top("region"), attention);
    }

    private async Task<List<AttentionItem>> AdvertiserAttentionAsync(string me, ReportDto trend, CancellationToken ct)
    {
        var items = new List<AttentionItem>();
        var balance = await balances.ReadAsync(new GetBalanceQuery(trend.Currency), ct);
        // Low: less than two days of the last week's average spend, or nothing at all while something buys.
        var lastWeek = trend.Rows.TakeLast(7).Sum(r => r.Figures.Spend);
        var twoDays = lastWeek * 2 / 7;
        var buying = await db.LeadOrders.AnyAsync(o => o.AdvertiserId == me && o.Status == LeadOrderStatus.Active && o.EndedAt == null, ct)
                     || await db.Offers.AnyAsync(o => o.AdvertiserId == me && o.Status == OfferStatus.Active, ct);
        if (balance.Available <= 0 && buying || twoDays > 0 && balance.Available < twoDays)
            items.Add(new AttentionItem("low_balance", balance.Available, balance.Currency, Urgent: true));
        var paused = await db.LeadOrders.Where(o => o.AdvertiserId == me && o.Status == LeadOrderStatus.Paused && o.EndedAt == null)
            .Select(o => new { o.PausedAutomatically, o.PausedReason }).ToListAsync(ct);
        if (paused.Count(p => p.PausedAutomatically) is > 0 and var auto)
            items.Add(new AttentionItem("orders_auto_paused", auto, paused.First(p => p.PausedAutomatically).PausedReason, Urgent: true));
        if (paused.Count(p => !p.PausedAutomatically) is > 0 and var manual)
            items.Add(new AttentionItem("orders_paused", manual, null, Urgent: false));
        var webhook = await db.BuyerWebhooks.AsNoTracking().Where(w => w.AdvertiserId == me)
            .Select(w => new { w.Enabled, w.DisabledAt, w.DisabledReason, w.FailingSince, w.ConsecutiveFailures }).FirstOrDefaultAsync(ct);
        if (webhook is { DisabledAt: not null, Enabled: false })
            items.Add(new AttentionItem("webhook_disabled", webhook.ConsecutiveFailures, webhook.DisabledReason, Urgent: true));
        else if (webhook is { FailingSince: not null })
            items.Add(new AttentionItem("webhook_failing", webhook.ConsecutiveFailures, null, Urgent: false));
        var pending = await db.OfferParticipations.CountAsync(p => p.Status == ParticipationStatus.Pending
                                                                    && db.Offers.Any(o => o.Id == p.OfferId && o.AdvertiserId == me), ct);
        if (pending > 0) items.Add(new AttentionItem("participations_pending", pending, null, Urgent: false));
        var openDisputes = await db.Disputes.CountAsync(d => d.BuyerId == me && d.Status == DisputeStatus.Open, ct);
        if (openDisputes > 0) items.Add(new AttentionItem("disputes_open", openDisputes, null, Urgent: false));
        return items;
    }

    private async Task<List<AttentionItem>> WebmasterAttentionAsync(string me, CancellationToken ct)
    {
        var items = new List<AttentionItem>();
        var since = clock.UtcNow.AddDays(-7);
        var rejected = await db.Leads.CountAsync(l => l.SellerId == me && l.Status == LeadStatus.Rejected && l.CreatedAt >= since, ct);
        if (rejected > 0) items.Add(new AttentionItem("leads_rejected", rejected, null, Urgent: false));
        var postback = await db.WebmasterPostbackSettings.AsNoTracking().Where(p => p.WebmasterId == me)
            .Select(p => new { p.Enabled, p.DisabledAt, p.DisabledReason }).FirstOrDefaultAsync(ct);
        if (postback is { Enabled: false, DisabledAt: not null })
            items.Add(new AttentionItem("postback_disabled", 1, postback.DisabledReason, Urgent: true));
        var payout = await db.Payouts.AsNoTracking().Where(p => p.WebmasterId == me).OrderByDescending(p => p.CreatedAt)
            .Select(p => new { p.Status, p.Amount, p.Currency, p.FailureReason }).FirstOrDefaultAsync(ct);
        if (payout is not null)
            items.Add(new AttentionItem("payout_" + payout.Status.ToString().ToLowerInvariant(), payout.Amount,
                payout.Status == Domain.Payments.PayoutStatus.Failed ? payout.FailureReason : payout.Currency, Urgent: payout.Status == Domain.Payments.PayoutStatus.Failed));
        var pending = await db.OfferParticipations.CountAsync(p => p.WebmasterId == me && p.Status == ParticipationStatus.Pending, ct);
        if (pending > 0) items.Add(new AttentionItem("participations_waiting", pending, null, Urgent: false));
        var disputes = await db.Disputes.CountAsync(d => d.SellerId == me && d.Status == DisputeStatus.Open, ct);
        if (disputes > 0) items.Add(new AttentionItem("disputes_against_you", disputes, null, Urgent: false));
        return items;
    }

    private async Task<List<AttentionItem>> PlatformAttentionAsync(CancellationToken ct)
    {
        var now = clock.UtcNow;
        var items = new List<AttentionItem>();
        var overdue = await db.Disputes.CountAsync(d => d.Status == DisputeStatus.Open && d.DueAt < now, ct);
        if (overdue > 0) items.Add(new AttentionItem("disputes_overdue", overdue, null, Urgent: true));
        var open = await db.Disputes.CountAsync(d => d.Status == DisputeStatus.Open, ct);
        if (open > 0) items.Add(new AttentionItem("disputes_open_queue", open, null, Urgent: false));
        var review = await db.Conversions.CountAsync(c => c.ReviewRequired && c.Status == ConversionStatus.Pending, ct);
        if (review > 0) items.Add(new AttentionItem("conversions_review", review, null, Urgent: false));
        var since = now.AddDays(-7);
        var flaggedLeads = await db.Leads.CountAsync(l => l.FraudFlags != null && l.CreatedAt >= since, ct);
        if (flaggedLeads > 0) items.Add(new AttentionItem("leads_flagged", flaggedLeads, null, Urgent: false));
        if (user.IsInRole(Roles.Admin))
        {
            var payouts = await db.Payouts.CountAsync(p => p.Status == Domain.Payments.PayoutStatus.AwaitingManual, ct);
            if (payouts > 0) items.Add(new AttentionItem("payouts_manual", payouts, null, Urgent: false));
        }
        return items;
    }
}
