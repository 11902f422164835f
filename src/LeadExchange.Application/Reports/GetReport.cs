using System.Globalization;
using System.Linq.Expressions;
using LeadExchange.Application.Common.Exceptions;
using LeadExchange.Application.Common.Interfaces;
using LeadExchange.Domain.Identity;
using LeadExchange.Domain.Reports;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace LeadExchange.Application.Reports;

/// <summary>
/// A report from the rollups (API.md <c>GET /api/v1/reports</c>). <paramref name="From"/>..<paramref name="To"/> are
/// calendar days in the caller's stored time zone (inclusive; default the last 7 days). Perspective: advertiser
/// (own offers and purchases), webmaster (own traffic and leads) or platform (moderators and admins: everyone);
/// default by role. Money columns are for one currency (default the one with most activity).
/// </summary>
public sealed record GetReportQuery(
    string? GroupBy = null, DateOnly? From = null, DateOnly? To = null, string? Perspective = null, Guid? OfferId = null,
    string? Niche = null, string? Region = null, string? Currency = null, string? Sort = null, bool Descending = true,
    int Page = 1, int PageSize = 100, int? Days = null, string? Preset = null) : IRequest<ReportDto>;

public sealed record ReportRowDto(string Key, string Label, ReportFigures Figures);

public sealed record ReportDto(
    string GroupBy, string Perspective, DateOnly From, DateOnly To, string TimeZone, string Currency, IReadOnlyList<string> Currencies,
    DateTime? UpdatedAt, ReportFigures Totals, IReadOnlyList<ReportRowDto> Rows, int Page, int PageSize, int TotalRows);

public static class ReportGroupings
{
    public const string Day = "day";
    public static readonly IReadOnlyList<string> All = ["day", "offer", "niche", "region", "goal", "order", "sub1", "sub2", "sub3", "sub4", "sub5"];
    public static readonly IReadOnlyList<string> Sorts =
        ["key", "clicks", "uniqueClicks", "leads", "leadsSold", "conversions", "spend", "earnings", "revenue", "conversionRate", "epc", "returnRate", "roi"];
    public const int MaxDays = 732;

    public static readonly IReadOnlyList<string> Presets = ["today", "yesterday", "last7", "last30", "thisMonth", "lastMonth", "thisYear", "last365"];

    /// <summary>The days of a preset, relative to the user's <paramref name="today"/>; null for no (or an unknown) preset.</summary>
    public static (DateOnly From, DateOnly To)? Range(string? preset, DateOnly today) => preset switch
    {
        "today" => (today, today),
        "yesterday" => (today.AddDays(-1), today.AddDays(-1)),
        "last7" => (today.AddDays(-6), today),
        "last30" => (today.AddDays(-29), today),
        "thisMonth" => (new DateOnly(today.Year, today.Month, 1), today),
        "lastMonth" => (new DateOnly(today.Year, today.Month, 1).AddMonths(-1), new DateOnly(today.Year, today.Month, 1).AddDays(-1)),
        "thisYear" => (new DateOnly(today.Year, 1, 1), today),
        "last365" => (today.AddDays(-364), today),
        _ => null,
    };

    public static int SubSlot(string groupBy) => groupBy.StartsWith("sub", StringComparison.Ordinal) ? groupBy[3] - '0' : 0;

    public static string PerspectiveName(ReportPerspective p) => p.ToString().ToLowerInvariant();
}

public sealed class GetReportHandler(ReportReader reader) : IRequestHandler<GetReportQuery, ReportDto>
{
    public Task<ReportDto> Handle(GetReportQuery request, CancellationToken ct) => reader.ReadAsync(request, ct);
}

/// <summary>The caller's report (the API's, the report pages' and the dashboards' figures): shared so a dashboard reads several at once.</summary>
public sealed class ReportReader(IAppDbContext db, ICurrentUser user, IIdentityService identity, IClock clock)
{
    public async Task<ReportDto> ReadAsync(GetReportQuery request, CancellationToken cancellationToken)
    {
        var me = user.RequireUserId();
        var perspective = ResolvePerspective(request.Perspective);
        var zoneId = (await identity.FindByIdAsync(me, cancellationToken))?.TimeZone ?? "UTC";
        var zone = TimeZoneInfo.TryFindSystemTimeZoneById(zoneId, out var z) ? z : TimeZoneInfo.Utc;
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(clock.UtcNow, zone));
        var groupBy = (request.GroupBy ?? ReportGroupings.Day).Trim();
        var (from, to) = ReportGroupings.Range(request.Preset, today) ?? (request.From ?? (request.To ?? today).AddDays(-((request.Days ?? 7) - 1)),
            request.To ?? today);
        Validate(request, groupBy, perspective, from, to);

        var slot = ReportGroupings.SubSlot(groupBy);
        var (start, end) = LocalDays.HourRange(from, to, zone);
        var state = await db.ReportRollupStates.AsNoTracking().FirstOrDefaultAsync(cancellationToken);
        var parts = slot == 0
            ? await AggregateAsync(Owned(db.ReportRollups.AsNoTracking().Where(r => r.HourUtc >= start && r.HourUtc < end && r.SubSlot == 0),
                perspective, me, slot, request), groupBy, zone, cancellationToken)
            : await SubIdPartsAsync(start, end, slot, perspective, me, request, state?.ScannedUntil, cancellationToken);

        // Money columns are for one currency: the requested one, or the one with most sales and conversions.
        var currencies = parts.Where(p => p.Currency != "").GroupBy(p => p.Currency)
            .Select(g => (g.Key, Activity: g.Sum(p => p.Counters.Sales + p.Counters.ConversionsApproved + p.Counters.ConversionsPending + p.Counters.ConversionsRejected)))
            .OrderByDescending(g => g.Activity).ThenBy(g => g.Key, StringComparer.Ordinal).Select(g => g.Key).ToList();
        var currency = string.IsNullOrWhiteSpace(request.Currency) ? currencies.FirstOrDefault() ?? "RUB" : request.Currency.Trim().ToUpperInvariant();
        var grouped = new Dictionary<string, ReportCounters>();
        foreach (var (key, _, counters) in parts.Where(p => p.Currency == "" || p.Currency == currency))
        {
            if (grouped.TryGetValue(key, out var existing)) existing.Add(counters);
            else grouped[key] = counters;
        }
        if (groupBy == ReportGroupings.Day)
        {
            // Every day of the range, empty ones too: a chart needs them.
            for (var d = from; d <= to; d = d.AddDays(1))
            {
                var key = d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                if (!grouped.ContainsKey(key)) grouped[key] = new ReportCounters();
            }
        }
        var labels = await LabelsAsync(groupBy, grouped.Keys, cancellationToken);
        var total = new ReportCounters();
        foreach (var c in grouped.Values) total.Add(c);

        var all = grouped.Select(g => new ReportRowDto(g.Key, labels.GetValueOrDefault(g.Key, g.Key), ReportFigures.From(g.Value, perspective)));
        var sorted = Sort(all, request.Sort ?? (groupBy == ReportGroupings.Day ? "key" : "clicks"), request.Sort is null && groupBy == ReportGroupings.Day ? false : request.Descending)
            .ToList();
        var pageSize = Math.Clamp(request.PageSize, 1, 5000);
        var page = Math.Max(1, request.Page);
        return new ReportDto(groupBy, ReportGroupings.PerspectiveName(perspective), from, to, zone.Id, currency, currencies,
            state?.ScannedUntil is { } scanned ? DateTime.SpecifyKind(scanned, DateTimeKind.Utc) : null,
            ReportFigures.From(total, perspective), sorted.Skip((page - 1) * pageSize).Take(pageSize).ToList(), page, pageSize, sorted.Count);
    }

    private ReportPerspective ResolvePerspective(string? requested)
    {
        var wanted = requested?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(wanted))
        {
            if (user.IsInRole(Roles.Advertiser)) return ReportPerspective.Advertiser;
            if (user.IsInRole(Roles.Webmaster)) return ReportPerspective.Webmaster;
            wanted = "platform";
        }
        switch (wanted)
        {
            case "advertiser":
                user.RequireRole(Roles.Advertiser);
                return ReportPerspective.Advertiser;
            case "webmaster":
                user.RequireRole(Roles.Webmaster);
                return ReportPerspective.Webmaster;
            case "platform":
                user.RequireRole(Roles.Moderator, Roles.Admin);
                return ReportPerspective.Platform;
            default:
                throw new ValidationException("perspective", "Perspective must be advertiser, webmaster or platform.");
        }
    }

    private static void Validate(GetReportQuery request, string groupBy, ReportPerspective perspective, DateOnly from, DateOnly to)
    {
        var errors = new List<(string, string)>();
        if (!ReportGroupings.All.Contains(groupBy))
            errors.Add(("groupBy", $"Group by one of: {string.Join(", ", ReportGroupings.All)}."));
        else if (ReportGroupings.SubSlot(groupBy) > 0 && perspective == ReportPerspective.Advertiser)
            errors.Add(("groupBy", "Sub-ids are the webmaster's own labels; advertisers group by day, offer, niche, region, goal or order."));
        else if (ReportGroupings.SubSlot(groupBy) > 0 && (!string.IsNullOrWhiteSpace(request.Niche) || !string.IsNullOrWhiteSpace(request.Region)))
            errors.Add(("groupBy", "Niche and region filters do not apply to a sub-id report; filter by offer instead."));
        if (from > to) errors.Add(("from", "The start date must not be after the end date."));
        else if (to.DayNumber - from.DayNumber + 1 > ReportGroupings.MaxDays)
            errors.Add(("to", $"A report covers at most {ReportGroupings.MaxDays} days."));
        if (request.Sort is { } sort && !ReportGroupings.Sorts.Contains(sort))
            errors.Add(("sort", $"Sort by one of: {string.Join(", ", ReportGroupings.Sorts)}."));
        if (!string.IsNullOrWhiteSpace(request.Currency) && request.Currency.Trim().Length != 3)
            errors.Add(("currency", "Currency is a three-letter ISO 4217 code."));
        if (request.PageSize is < 1 or > 5000) errors.Add(("pageSize", "Page size is 1 to 5000."));
        if (!string.IsNullOrEmpty(request.Preset) && !ReportGroupings.Presets.Contains(request.Preset))
            errors.Add(("preset", $"Preset is one of: {string.Join(", ", ReportGroupings.Presets)}."));
        if (request.Days is < 1) errors.Add(("days", "Days must be at least 1."));
        if (errors.Count > 0) throw ValidationException.From(errors);
    }

    /// <summary>The rows a perspective may read, with the request's filters.</summary>
    private static IQueryable<ReportRollup> Owned(IQueryable<ReportRollup> rows, ReportPerspective perspective, string me, int slot, GetReportQuery request)
    {
        // The advertiser view has no webmaster; the webmaster view (and every sub-id slot) has one (ReportRollup).
        rows = perspective switch
        {
            ReportPerspective.Advertiser => rows.Where(r => r.AdvertiserId == me && r.WebmasterId == ""),
            ReportPerspective.Webmaster => rows.Where(r => r.WebmasterId == me),
            _ when slot == 0 => rows.Where(r => r.WebmasterId == ""),
            _ => rows.Where(r => r.WebmasterId != ""),
        };
        if (request.OfferId is { } offerId) rows = rows.Where(r => r.OfferId == offerId);
        if (!string.IsNullOrWhiteSpace(request.Niche)) rows = rows.Where(r => r.NicheCode == request.Niche);
        if (!string.IsNullOrWhiteSpace(request.Region)) rows = rows.Where(r => r.RegionCode == request.Region);
        return rows;
    }

    /// <summary>
    /// A sub-id report: stored daily rows for the whole UTC days of the range the job has stored, and a recount of the raw
    /// rows (the caller's own, or everyone's for the platform) for the partial days at the edges and the days not stored yet.
    /// </summary>
    private async Task<List<Part>> SubIdPartsAsync(
        DateTime start, DateTime end, int slot, ReportPerspective perspective, string me, GetReportQuery request, DateTime? scannedUntil,
        CancellationToken ct)
    {
        var firstDay = start.TimeOfDay == TimeSpan.Zero ? start : start.Date.AddDays(1);
        var storedTo = new[] { end.Date, RefreshReportRollupsHandler.SubIdDaysStoredUntil(scannedUntil) }.Min();
        var parts = new List<Part>();
        var raw = new List<(DateTime From, DateTime To)>();
        if (storedTo > firstDay)
        {
            var from = DateTime.SpecifyKind(firstDay, DateTimeKind.Utc);
            var to = DateTime.SpecifyKind(storedTo, DateTimeKind.Utc);
            parts.AddRange(await SumAsync(Owned(db.ReportRollups.AsNoTracking().Where(r => r.HourUtc >= from && r.HourUtc < to && r.SubSlot == slot),
                perspective, me, slot, request), r => r.SubValue, k => k, ct));
            raw.Add((start, from));
            raw.Add((to, end));
        }
        else
        {
            raw.Add((start, end));
        }
        var source = new ReportRollupSource(db);
        foreach (var (from, to) in raw.Where(r => r.To > r.From))
        {
            var rows = await source.ComputeAsync(from, to, ReportTier.SubIdDaily, webmasterId: perspective == ReportPerspective.Webmaster ? me : null,
                offerId: request.OfferId, ct: ct);
            parts.AddRange(rows.Where(r => r.Key.SubSlot == slot).Select(r => new Part(r.Key.SubValue, r.Key.Currency, r.Value)));
        }
        return parts;
    }

    /// <summary>The sums of one group key in one currency.</summary>
    private sealed record Part(string Key, string Currency, ReportCounters Counters);

    private static async Task<List<Part>> AggregateAsync(
        IQueryable<ReportRollup> rows, string groupBy, TimeZoneInfo zone, CancellationToken ct) => groupBy switch
        {
            "day" => await SumAsync(rows, r => r.HourUtc, h => LocalDays.DayOf(h, zone).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), ct),
            "offer" => await SumAsync(rows, r => r.OfferId, GuidKey, ct),
            "order" => await SumAsync(rows, r => r.LeadOrderId, GuidKey, ct),
            "niche" => await SumAsync(rows, r => r.NicheCode, k => k, ct),
            "region" => await SumAsync(rows, r => r.RegionCode, k => k, ct),
            _ => await SumAsync(rows, r => r.GoalCode, k => k, ct),
        };

    private static string GuidKey(Guid id) => id == Guid.Empty ? "" : id.ToString();

    /// <summary>Sums the rows by one dimension and currency in the database; <paramref name="name"/> turns the dimension into the row key.</summary>
    private static async Task<List<Part>> SumAsync<TKey>(
        IQueryable<ReportRollup> rows, Expression<Func<ReportRollup, TKey>> key, Func<TKey, string> name, CancellationToken ct)
    {
        var byKey = Expression.Lambda<Func<ReportRollup, KeyAndCurrency<TKey>>>(
            Expression.MemberInit(Expression.New(typeof(KeyAndCurrency<TKey>)),
                Expression.Bind(typeof(KeyAndCurrency<TKey>).GetProperty(nameof(KeyAndCurrency<TKey>.Key))!, key.Body),
                Expression.Bind(typeof(KeyAndCurrency<TKey>).GetProperty(nameof(KeyAndCurrency<TKey>.Currency))!,
                    Expression.Property(key.Parameters[0], nameof(ReportRollup.Currency)))),
            key.Parameters);
        var groups = await rows.GroupBy(byKey).Select(g => new
        {
            g.Key.Key,
            g.Key.Currency,
            Clicks = g.Sum(r => r.Counters.Clicks),
            UniqueClicks = g.Sum(r => r.Counters.UniqueClicks),
            Leads = g.Sum(r => r.Counters.Leads),
            LeadsRejected = g.Sum(r => r.Counters.LeadsRejected),
            Sales = g.Sum(r => r.Counters.Sales),
            SalesAmount = g.Sum(r => r.Counters.SalesAmount),
            SellerShare = g.Sum(r => r.Counters.SellerShare),
            Returns = g.Sum(r => r.Counters.Returns),
            ReturnedAmount = g.Sum(r => r.Counters.ReturnedAmount),
            ReturnedSellerShare = g.Sum(r => r.Counters.ReturnedSellerShare),
            SalesConverted = g.Sum(r => r.Counters.SalesConverted),
            SalesRevenue = g.Sum(r => r.Counters.SalesRevenue),
            ConversionsApproved = g.Sum(r => r.Counters.ConversionsApproved),
            ConversionsPending = g.Sum(r => r.Counters.ConversionsPending),
            ConversionsRejected = g.Sum(r => r.Counters.ConversionsRejected),
            ConversionCost = g.Sum(r => r.Counters.ConversionCost),
            ConversionPayout = g.Sum(r => r.Counters.ConversionPayout),
            ConversionRevenue = g.Sum(r => r.Counters.ConversionRevenue),
        }).ToListAsync(ct);
        return groups.Select(g => new Part(name(g.Key), g.Currency, new ReportCounters
        {
            Clicks = g.Clicks, UniqueClicks = g.UniqueClicks, Leads = g.Leads, LeadsRejected = g.LeadsRejected, Sales = g.Sales,
            SalesAmount = g.SalesAmount, SellerShare = g.SellerShare, Returns = g.Returns, ReturnedAmount = g.ReturnedAmount,
            ReturnedSellerShare = g.ReturnedSellerShare, SalesConverted = g.SalesConverted, SalesRevenue = g.SalesRevenue,
            ConversionsApproved = g.ConversionsApproved, ConversionsPending = g.ConversionsPending, ConversionsRejected = g.ConversionsRejected,
            ConversionCost = g.ConversionCost, ConversionPayout = g.ConversionPayout, ConversionRevenue = g.ConversionRevenue,
        })).ToList();
    }

    /// <summary>A group key with the currency (EF groups by a member-initialised class as by an anonymous type).</summary>
    private sealed class KeyAndCurrency<TKey>
    {
        public TKey Key { get; init; } = default!;
        public string Currency { get; init; } = "";
    }

    private async Task<Dictionary<string, string>> LabelsAsync(string groupBy, IEnumerable<string> keys, CancellationToken ct)
    {
        var list = keys.ToList();
        var labels = new Dictionary<string, string>();
        switch (groupBy)
        {
            case "offer":
            {
                var ids = list.Where(k => k != "").Select(Guid.Parse).ToList();
                foreach (var o in await db.Offers.AsNoTracking().Where(o => ids.Contains(o.Id)).Select(o => new { o.Id, o.Title }).ToListAsync(ct))
                    labels[o.Id.ToString()] = o.Title;
                labels[""] = "Lead exchange (no offer)";
                break;
            }
            case "order":
            {
                var ids = list.Where(k => k != "").Select(Guid.Parse).ToList();
                foreach (var o in await db.LeadOrders.AsNoTracking().Where(o => ids.Contains(o.Id)).Select(o => new { o.Id, o.Name }).ToListAsync(ct))
                    labels[o.Id.ToString()] = o.Name;
                labels[""] = "Not from a lead order";
                break;
            }
            case "niche":
                foreach (var n in await db.Niches.AsNoTracking().Where(n => list.Contains(n.Code)).Select(n => new { n.Code, n.Name }).ToListAsync(ct))
                    labels[n.Code] = n.Name;
                labels[""] = "No niche";
                break;
            case "region":
                foreach (var r in await db.Regions.AsNoTracking().Where(r => list.Contains(r.Code)).Select(r => new { r.Code, r.Name }).ToListAsync(ct))
                    labels[r.Code] = $"{r.Name} ({r.Code})";
                labels[""] = "Region unknown (clicks, conversions)";
                break;
            case "goal":
                labels[""] = "No goal (clicks, leads)";
                break;
            case "day":
                break;
            default:
                labels[""] = "(not set)";
                break;
        }
        return labels;
    }

    private static IEnumerable<ReportRowDto> Sort(IEnumerable<ReportRowDto> rows, string sort, bool descending)
    {
        Func<ReportRowDto, IComparable?> key = sort switch
        {
            "clicks" => r => r.Figures.Clicks,
            "uniqueClicks" => r => r.Figures.UniqueClicks,
            "leads" => r => r.Figures.Leads,
            "leadsSold" => r => r.Figures.LeadsSold,
            "conversions" => r => r.Figures.Conversions,
            "spend" => r => r.Figures.Spend,
            "earnings" => r => r.Figures.Earnings,
            "revenue" => r => r.Figures.Revenue,
            "conversionRate" => r => r.Figures.ConversionRate ?? -1m,
            "epc" => r => r.Figures.Epc ?? -1m,
            "returnRate" => r => r.Figures.ReturnRate ?? -1m,
            "roi" => r => r.Figures.Roi ?? decimal.MinValue,
            _ => r => r.Key,
        };
        var ordered = descending ? rows.OrderByDescending(key) : rows.OrderBy(key);
        return ordered.ThenBy(r => r.Key, StringComparer.Ordinal);
    }
}
