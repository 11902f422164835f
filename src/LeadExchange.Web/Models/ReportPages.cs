using System.Globalization;
using LeadExchange.Application.Common.Exceptions;
using LeadExchange.Application.Reference;
using LeadExchange.Application.Reports;
using LeadExchange.Domain.Common;
using LeadExchange.Domain.Reports;
using MediatR;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Routing;

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
/// One report page: the form, the report, what the form offers for this perspective, and for a report by day every day of
/// the period for the charts (the table shows one page of them).
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

    public static string Percent(decimal? value) => value is { } v ? v.ToString("0.##", CultureInfo.InvariantCulture) + "%" : "—";

    public PagerModel Pager => new(Report.Page, Math.Max(1, (Report.TotalRows + Report.PageSize - 1) / Report.PageSize), Report.TotalRows, Report.PageSize);

    public bool IsEmpty => Report.Totals is { Clicks: 0, Leads: 0, LeadsSold: 0, Conversions: 0, ConversionsRejected: 0, LeadsRejected: 0 };

    public static async Task<ReportPage> BuildAsync(IMediator mediator, string area, string? perspective, ReportForm form, ModelStateDictionary modelState,
        CancellationToken ct)
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
                modelState.AddModelError(char.ToUpperInvariant(field[0]) + field[1..], message);
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

    public string MoneyLabel => Perspective == ReportPerspective.Webmaster ? "Earnings" : "Spend";

    public static string Delta(long today, long yesterday)
    {
        if (today == yesterday) return "same as yesterday";
        if (yesterday == 0) return "none yesterday";
        var change = (today - yesterday) * 100m / yesterday;
        return (change > 0 ? "▲ " : "▼ ") + Math.Abs(change).ToString("0", CultureInfo.InvariantCulture) + "% vs yesterday";
    }

    public IReadOnlyList<string> Days => Dashboard.Trend.Select(r => r.Key[5..]).ToList();
}

/// <summary>How a dashboard words an <see cref="AttentionItem"/> and where it sends the user.</summary>
public static class AttentionText
{
    public sealed record Line(string Text, string Area, string Controller, object? Route = null);

    public static Line For(AttentionItem item, string currency) => item.Kind switch
    {
        "low_balance" => new($"Low balance: {Display.Money(item.Count, item.Detail ?? currency)} available. Top up so orders and offers keep buying.",
            "Advertiser", "Balance"),
        "orders_auto_paused" => new($"{item.Count} lead order(s) paused automatically{(item.Detail is { } d ? $" ({d})" : "")}.", "Advertiser", "LeadOrders"),
        "orders_paused" => new($"{item.Count} lead order(s) paused by you.", "Advertiser", "LeadOrders"),
        "webhook_disabled" => new($"Your lead webhook was switched off after {item.Count} failures{(item.Detail is { } d ? $": {d}" : "")}.", "Advertiser", "Webhook"),
        "webhook_failing" => new($"Your lead webhook is failing ({item.Count} in a row); deliveries are being retried.", "Advertiser", "Webhook"),
        "participations_pending" => new($"{item.Count} webmaster request(s) to join your offers wait for you.", "Advertiser", "Participations",
            new { status = "Pending" }),
        "disputes_open" => new($"{item.Count} of your disputes wait for a moderator.", "Advertiser", "Disputes"),
        "leads_rejected" => new($"{item.Count} lead(s) rejected in the last 7 days: see why.", "Webmaster", "Leads", new { status = "rejected" }),
        "postback_disabled" => new($"Your postback was switched off{(item.Detail is { } d ? $": {d}" : "")}. Fix the URL and switch it on.", "Webmaster", "Postback"),
        "payout_requested" => new($"Payout of {Display.Money(item.Count, item.Detail ?? currency)} requested: on its way.", "Webmaster", "Payouts"),
        "payout_awaitingmanual" => new($"Payout of {Display.Money(item.Count, item.Detail ?? currency)} awaits the bank transfer.", "Webmaster", "Payouts"),
        "payout_paid" => new($"Last payout of {Display.Money(item.Count, item.Detail ?? currency)} was paid.", "Webmaster", "Payouts"),
        "payout_failed" => new($"Your last payout failed{(item.Detail is { } d ? $": {d}" : "")}; the money is back in your balance.", "Webmaster", "Payouts"),
        "participations_waiting" => new($"{item.Count} offer request(s) wait for the advertiser's approval.", "Webmaster", "Links"),
        "disputes_against_you" => new($"{item.Count} dispute(s) about your leads are open.", "Webmaster", "Disputes"),
        "disputes_overdue" => new($"{item.Count} dispute(s) are past their deadline.", "Moderation", "Disputes", new { overdue = true }),
        "disputes_open_queue" => new($"{item.Count} dispute(s) in the queue.", "Moderation", "Disputes", new { status = "open" }),
        "conversions_review" => new($"{item.Count} conversion(s) flagged for fraud review wait for their advertisers.", "Moderation", "Home"),
        "leads_flagged" => new($"{item.Count} lead(s) with fraud flags in the last 7 days.", "Moderation", "Home"),
        "payouts_manual" => new($"{item.Count} payout(s) wait for a manual bank transfer.", "Admin", "Payouts"),
        _ => new(item.Kind, "", "Home"),
    };
}
