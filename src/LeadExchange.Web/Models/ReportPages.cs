using System.Globalization;
using LeadExchange.Application.Common.Exceptions;
using LeadExchange.Application.Reference;
using LeadExchange.Application.Reports;
using LeadExchange.Domain.Common;
using LeadExchange.Domain.Reports;
using MediatR;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Localization;

namespace LeadExchange.Web.Models;

/// <summary>The report page's filter form (query string).</summary>
public sealed class ReportForm
{
    public string? GroupBy { get; set; }
    public string? Preset { get; set; }
    public DateOnly? From { get; set; }
    public DateOnly? To { get; set; }
    public Guid? OfferId { get; set; }
    public string? Niche { get; set; }
    public string? Region { get; set; }
    public string? Currency { get; set; }
    public string? Sort { get; set; }
    public bool? Desc { get; set; }
    public int? Page { get; set; }

    public const int PageSize = 50;

    /// <summary>Whether the form narrows the report to an offer, niche or region (an empty report then says to clear them).</summary>
    public bool HasFilters => OfferId is not null || !string.IsNullOrWhiteSpace(Niche) || !string.IsNullOrWhiteSpace(Region);

    // Region codes are stored upper case (RU-MOW); the field is typed, so "ru-mow" means the same region.
    public GetReportQuery ToQuery(string? perspective, bool all = false) => new(
        GroupBy, Preset is null ? From : null, Preset is null ? To : null, perspective, OfferId, Blank(Niche), Blank(Region)?.ToUpperInvariant(), Blank(Currency), Blank(Sort),
        Desc ?? true, all ? 1 : Page ?? 1, all ? 5000 : PageSize, Preset: Blank(Preset) ?? (From is null && To is null ? "last30" : null));

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    /// <summary>This form's query as route values for links in <paramref name="area"/>, with some values replaced (null removes one).</summary>
    public RouteValueDictionary RouteValues(string area, params (string Key, string? Value)[] overrides)
    {
        var route = new RouteValueDictionary { ["area"] = area };
        void Set(string key, string? value)
        {
            if (!string.IsNullOrEmpty(value)) route[key] = value;
        }
        Set("groupBy", GroupBy);
        Set("preset", Preset);
        Set("from", From?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Set("to", To?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Set("offerId", OfferId?.ToString());
        Set("niche", Niche);
        Set("region", Region);
        Set("currency", Currency);
        Set("sort", Sort);
        Set("desc", Desc?.ToString().ToLowerInvariant());
        foreach (var (key, value) in overrides)
        {
            route.Remove(key);
            Set(key, value);
        }
        return route;
    }
}

/// <summary>
/// One column of the report table: a stable id (the cells' data-col), its header (an English key of the localizer), the
/// sort key it orders by (null: the report cannot sort by it) and how a row's figures become its cell.
/// </summary>
public sealed record ReportColumn(string Id, string Header, string? Sort, Func<ReportFigures, string> Cell);

/// <summary>
/// One report page: the form, the report, what the form offers for this perspective, and for a report by day every day of
/// the period for the charts (the table shows one page of them). Labels are English keys, translated through the localizer.
/// </summary>
public sealed record ReportPage(string Area, ReportForm Form, ReportDto Report, IReadOnlyList<NicheDto> Niches, IReadOnlyList<ReportRowDto> ChartDays)
{
    public ReportPerspective Perspective => Enum.Parse<ReportPerspective>(Report.Perspective, ignoreCase: true);

    public IEnumerable<string> Groupings => ReportGroupings.All.Where(g => Perspective switch
    {
        ReportPerspective.Advertiser => ReportGroupings.SubSlot(g) == 0,
        ReportPerspective.Webmaster => g != "order",
        _ => true,
    });

    public string Money(long minor) => Display.Money(minor, Report.Currency);

    public string MoneyRatio(decimal? minor) => minor is { } v ? Display.Money((long)Math.Round(v, MidpointRounding.AwayFromZero), Report.Currency) : "—";

    public static string Percent(decimal? value) => value is { } v ? v.ToString("0.##", CultureInfo.CurrentCulture) + "%" : "—";

    public PagerModel Pager => new(Report.Page, Math.Max(1, (Report.TotalRows + Report.PageSize - 1) / Report.PageSize), Report.TotalRows, Report.PageSize);

    public bool IsEmpty => Report.Totals is { Clicks: 0, Leads: 0, LeadsSold: 0, Conversions: 0, ConversionsRejected: 0, LeadsRejected: 0 };

    public static string GroupLabel(IStringLocalizer l, string groupBy) => groupBy switch
    {
        "day" => l["Day"], "offer" => l["Offer"], "niche" => l["Niche"], "region" => l["Region"], "goal" => l["Goal"], "order" => l["Lead order"],
        _ => l["Sub-id {0}", groupBy[3..]],
    };

    public static string PresetLabel(IStringLocalizer l, string preset) => preset switch
    {
        "today" => l["Today"], "yesterday" => l["Yesterday"], "last7" => l["Last 7 days"], "last30" => l["Last 30 days"], "thisMonth" => l["This month"],
        "lastMonth" => l["Last month"], "thisYear" => l["This year"], _ => l["Last 365 days"],
    };

    /// <summary>A row's label: names from the data as they are; the report's own words for "none" ("No niche") translated.</summary>
    public static string RowLabel(IStringLocalizer l, ReportRowDto row) => row.Key == "" ? l[row.Label] : row.Label;

    /// <summary>The table's columns for this perspective.</summary>
    public IReadOnlyList<ReportColumn> Columns(IStringLocalizer l)
    {
        static string Count(long n) => n.ToString("N0", CultureInfo.CurrentCulture);
        var columns = new List<ReportColumn>
        {
            new("clicks", "Clicks", "clicks", x => Count(x.Clicks)),
            new("unique", "Unique", "uniqueClicks", x => Count(x.UniqueClicks)),
        };
        if (Perspective == ReportPerspective.Advertiser)
        {
            columns.AddRange(
            [
                new("leads", "Leads bought", "leads", x => Count(x.Leads)),
                new("returns", "Returns", "returnRate", x => $"{Count(x.Returns)} ({Percent(x.ReturnRate)})"),
                new("conversions", "Conversions", "conversions", x => Count(x.Conversions)),
                new("cr", "CR", "conversionRate", x => Percent(x.ConversionRate)),
                new("cpl", "CPL", null, x => MoneyRatio(x.Cpl)),
                new("cpa", "CPA", null, x => MoneyRatio(x.Cpa)),
                new("spend", "Spend", "spend", x => Money(x.Spend)),
                new("revenue", "Revenue", "revenue", x => Money(x.Revenue)),
                new("roi", "ROI", "roi", x => Percent(x.Roi)),
            ]);
            return columns;
        }
        columns.AddRange(
        [
            new("leads", "Leads", "leads", x => Count(x.Leads)),
            new("rejected", "Rejected leads", null, x => Count(x.LeadsRejected)),
            new("sold", "Sold", "leadsSold", x => Count(x.LeadsSold)),
            new("returnRate", "Return rate", "returnRate", x => Percent(x.ReturnRate)),
            new("conversions", "Conversions", "conversions", x => l["{0} ({1} appr.)", Count(x.Conversions), Count(x.ConversionsApproved)]),
            new("cr", "CR", "conversionRate", x => Percent(x.ConversionRate)),
        ]);
        if (Perspective == ReportPerspective.Platform) columns.Add(new("spend", "Spend", "spend", x => Money(x.Spend)));
        columns.Add(new("epc", "EPC", "epc", x => Perspective == ReportPerspective.Platform ? "—" : MoneyRatio(x.Epc)));
        columns.Add(new("earnings", "Earnings", "earnings", x => Money(x.Earnings)));
        return columns;
    }

    /// <summary>
    /// Application messages built from constants (the longest period, the lists of choices): recognised by their English
    /// text and translated from a template, so no translation file copies the constants and goes stale when one changes.
    /// </summary>
    private static readonly (string Template, string Argument)[] ComposedMessages =
    [
        ("A report covers at most {0} days.", ReportGroupings.MaxDays.ToString(CultureInfo.InvariantCulture)),
        ("Group by one of: {0}.", string.Join(", ", ReportGroupings.All)),
        ("Sort by one of: {0}.", string.Join(", ", ReportGroupings.Sorts)),
        ("Preset is one of: {0}.", string.Join(", ", ReportGroupings.Presets)),
    ];

    private static string Translate(IStringLocalizer l, string message)
    {
        foreach (var (template, argument) in ComposedMessages)
            if (message == string.Format(CultureInfo.InvariantCulture, template, argument))
                return l[template, argument];
        return message; // the other messages are fixed texts: TranslateModelErrorsFilter translates them
    }

    public static async Task<ReportPage> BuildAsync(IMediator mediator, IStringLocalizer l, string area, string? perspective, ReportForm form,
        ModelStateDictionary modelState, CancellationToken ct)
    {
        var query = form.ToQuery(perspective);
        ReportDto report;
        try
        {
            report = await mediator.Send(query, ct);
        }
        catch (ValidationException e)
        {
            foreach (var (field, messages) in e.Errors)
            foreach (var message in messages)
                modelState.AddModelError(char.ToUpperInvariant(field[0]) + field[1..], Translate(l, message));
            // The page still shows something: the default report, with the errors beside the fields.
            query = new ReportForm().ToQuery(perspective);
            report = await mediator.Send(query, ct);
        }
        IReadOnlyList<ReportRowDto> days = report.GroupBy != ReportGroupings.Day ? []
            : report.TotalRows > report.Rows.Count ? (await mediator.Send(query with { Page = 1, PageSize = ReportGroupings.MaxDays }, ct)).Rows
            : report.Rows;
        var niches = await mediator.Send(new ListNichesQuery(), ct);
        return new ReportPage(area, form, report, niches, days);
    }
}

/// <summary>The dashboard of a role: the dashboard query plus the balance tile area.</summary>
public sealed record DashboardPage(string Area, DashboardDto Dashboard)
{
    public ReportPerspective Perspective => Enum.Parse<ReportPerspective>(Dashboard.Perspective, ignoreCase: true);

    public string Money(long minor) => Display.Money(minor, Dashboard.Currency);

    /// <summary>The tile's money figure: spend for advertisers and the platform, earnings for webmasters.</summary>
    public long MoneyOf(ReportFigures f) => Perspective == ReportPerspective.Webmaster ? f.Earnings : f.Spend;

    /// <summary>The money figure's name (an English key).</summary>
    public string MoneyLabel => Perspective == ReportPerspective.Webmaster ? "Earnings" : "Spend";

    /// <summary>The heading of the top lists (an English key).</summary>
    public string TopTitle => Perspective == ReportPerspective.Webmaster ? "Top of the last 30 days by earnings" : "Top of the last 30 days by spend";

    public static string Delta(IStringLocalizer l, long today, long yesterday)
    {
        if (today == yesterday) return l["same as yesterday"];
        if (yesterday == 0) return l["none yesterday"];
        var change = (today - yesterday) * 100m / yesterday;
        return (change > 0 ? "▲ " : "▼ ") + l["{0}% vs yesterday", Math.Abs(change).ToString("0", CultureInfo.CurrentCulture)];
    }

    public IReadOnlyList<string> Days => Dashboard.Trend.Select(r => r.Key[5..]).ToList();
}

/// <summary>How a dashboard words an <see cref="AttentionItem"/> (in the request's language) and where it sends the user.</summary>
public static class AttentionText
{
    public sealed record Line(string Text, string Area, string Controller, object? Route = null);

    public static Line For(AttentionItem item, string currency, IStringLocalizer l)
    {
        string Amount() => Display.Money(item.Count, item.Detail ?? currency);
        // Details are the application's English words (a pause reason, why a payout failed): translated when there is a translation.
        var detail = item.Detail is { } d ? l[d].Value : null;
        var count = item.Count;
        return item.Kind switch
        {
            "low_balance" => new(l["Low balance: {0} available. Top up so orders and offers keep buying.", Amount()], "Advertiser", "Balance"),
            "orders_auto_paused" => new(detail is null
                ? l["{0} lead order(s) paused automatically.", count]
                : l["{0} lead order(s) paused automatically ({1}).", count, detail], "Advertiser", "LeadOrders"),
            "orders_paused" => new(l["{0} lead order(s) paused by you.", count], "Advertiser", "LeadOrders"),
            "webhook_disabled" => new(detail is null
                ? l["Your lead webhook was switched off after {0} failures.", count]
                : l["Your lead webhook was switched off after {0} failures: {1}.", count, detail], "Advertiser", "Webhook"),
            "webhook_failing" => new(l["Your lead webhook is failing ({0} in a row); deliveries are being retried.", count], "Advertiser", "Webhook"),
            "participations_pending" => new(l["{0} webmaster request(s) to join your offers wait for you.", count], "Advertiser", "Participations",
                new { status = "Pending" }),
            "disputes_open" => new(l["{0} of your disputes wait for a moderator.", count], "Advertiser", "Disputes"),
            "leads_rejected" => new(l["{0} lead(s) rejected in the last 7 days: see why.", count], "Webmaster", "Leads", new { status = "rejected" }),
            "postback_disabled" => new(detail is null
                ? l["Your postback was switched off. Fix the URL and switch it on."]
                : l["Your postback was switched off: {0}. Fix the URL and switch it on.", detail], "Webmaster", "Postback"),
            "payout_requested" => new(l["Payout of {0} requested: on its way.", Amount()], "Webmaster", "Payouts"),
            "payout_awaitingmanual" => new(l["Payout of {0} awaits the bank transfer.", Amount()], "Webmaster", "Payouts"),
            "payout_paid" => new(l["Last payout of {0} was paid.", Amount()], "Webmaster", "Payouts"),
            "payout_failed" => new(detail is null
                ? l["Your last payout failed; the money is back in your balance."]
                : l["Your last payout failed: {0}; the money is back in your balance.", detail], "Webmaster", "Payouts"),
            "participations_waiting" => new(l["{0} offer request(s) wait for the advertiser's approval.", count], "Webmaster", "Links"),
            "disputes_against_you" => new(l["{0} dispute(s) about your leads are open.", count], "Webmaster", "Disputes"),
            "disputes_overdue" => new(l["{0} dispute(s) are past their deadline.", count], "Moderation", "Disputes", new { overdue = true }),
            "disputes_open_queue" => new(l["{0} dispute(s) in the queue.", count], "Moderation", "Disputes", new { status = "open" }),
            "conversions_review" => new(l["{0} conversion(s) flagged for fraud review wait for their advertisers.", count], "Moderation", "Home"),
            "leads_flagged" => new(l["{0} lead(s) with fraud flags in the last 7 days.", count], "Moderation", "Home"),
            "payouts_manual" => new(l["{0} payout(s) wait for a manual bank transfer.", count], "Admin", "Payouts"),
            _ => new(item.Kind, "", "Home"),
        };
    }
}
