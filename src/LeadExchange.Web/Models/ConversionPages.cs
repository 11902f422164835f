using System.ComponentModel.DataAnnotations;
using System.Globalization;
using LeadExchange.Application.Common.Models;
using LeadExchange.Application.Conversions;
using LeadExchange.Application.Offers.Dtos;
using LeadExchange.Domain.Common;
using LeadExchange.Domain.Conversions;
using LeadExchange.Domain.Tracking;

namespace LeadExchange.Web.Models;

/// <summary>
/// A list filter with a date range from the query string. Dates are calendar days in UTC and both ends
/// are included (To goes to the application as the next midnight, exclusive), as on the statement.
/// </summary>
public abstract class DateRangeFilter
{
    public DateOnly? From { get; set; }
    public DateOnly? To { get; set; }
    public int? Page { get; set; }

    protected DateTime? FromUtc => From?.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
    protected DateTime? ToUtc => To?.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);

    public virtual bool IsFiltered => From is not null || To is not null;

    /// <summary>The filters as route values (no page): the CSV link exports exactly what is shown.</summary>
    public virtual Dictionary<string, string> RouteValues()
    {
        var values = new Dictionary<string, string>();
        if (DateRangeInputs.Iso(From) is { } from) values["from"] = from;
        if (DateRangeInputs.Iso(To) is { } to) values["to"] = to;
        return values;
    }
}

/// <summary>What Views/Shared/_DateRangeInputs.cshtml shows: the From and To inputs of a filter form; ids start with <paramref name="IdPrefix"/>.</summary>
public sealed record DateRangeInputs(DateRangeFilter Filter, string IdPrefix)
{
    public static string? Iso(DateOnly? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

/// <summary>
/// What Views/Shared/_FilterActions.cshtml shows at the end of a list's filter form: Filter, Clear (when
/// filtered) and the CSV link exporting every row the filters match.
/// </summary>
public sealed record FilterActions(string Area, string Controller, string Action, string CsvAction, bool IsFiltered, IDictionary<string, string> CsvRoute);

/// <summary>What Views/Shared/_Tabs.cshtml shows: tabs linking actions of one controller, <paramref name="Current"/> marked.</summary>
public sealed record TabsView(string Area, string Controller, string Current, IReadOnlyList<(string Action, string Text)> Tabs);

/// <summary>Conversions filters; Review (advertiser) keeps only conversions waiting for a person, Sub1 (webmaster) one traffic source.</summary>
public sealed class ConversionFilter : DateRangeFilter
{
    public ConversionStatus? Status { get; set; }
    public Guid? OfferId { get; set; }
    public bool Review { get; set; }
    public string? Sub1 { get; set; }

    public override bool IsFiltered => base.IsFiltered || Status is not null || OfferId is not null || Review || !string.IsNullOrWhiteSpace(Sub1);

    /// <summary>One page as shown, or page <paramref name="page"/> of <paramref name="pageSize"/> rows (CSV).</summary>
    public ListConversionsQuery ToQuery(int? page = null, int? pageSize = null) =>
        new(Status, OfferId, Review ? true : null, FromUtc, ToUtc, string.IsNullOrWhiteSpace(Sub1) ? null : Sub1.Trim(), page ?? Page, pageSize);

    public override Dictionary<string, string> RouteValues()
    {
        var values = base.RouteValues();
        if (Status is { } status) values["status"] = status.ToString();
        if (OfferId is { } offerId) values["offerId"] = offerId.ToString();
        if (Review) values["review"] = "true";
        if (!string.IsNullOrWhiteSpace(Sub1)) values["sub1"] = Sub1.Trim();
        return values;
    }
}

/// <summary>Postback log filters: refused calls only, one result code, a date range.</summary>
public sealed class PostbackLogFilter : DateRangeFilter
{
    /// <summary>The result codes the postback answers with (API.md "Postback"), for the filter's list.</summary>
    public static readonly IReadOnlyList<string> ResultCodes =
    [
        "ok", "duplicate", "unknown_click", "bad_token", "ip_not_allowed", "unknown_goal", "bad_amount", "bad_status", "bad_txid",
        "cap_reached", "insufficient_funds", "rejected_fraud", "status_locked", "bad_request",
    ];

    public bool Failed { get; set; }
    public string? Result { get; set; }

    public override bool IsFiltered => base.IsFiltered || Failed || !string.IsNullOrWhiteSpace(Result);

    public ListPostbackLogQuery ToQuery(int? page = null, int? pageSize = null) =>
        new(Failed ? true : null, string.IsNullOrWhiteSpace(Result) ? null : Result.Trim(), FromUtc, ToUtc, page ?? Page, pageSize);

    public override Dictionary<string, string> RouteValues()
    {
        var values = base.RouteValues();
        if (Failed) values["failed"] = "true";
        if (!string.IsNullOrWhiteSpace(Result)) values["result"] = Result.Trim();
        return values;
    }
}

/// <summary>Fetches every page of a list for a CSV export (the conversion queries page at most <see cref="Paging.MaxPageSize"/> rows).</summary>
public static class PagedExport
{
    /// <summary>More rows than anyone opens in a spreadsheet; the export stops there instead of loading without end.</summary>
    public const int MaxRows = 100_000;

    public static async Task<IReadOnlyList<T>> AllAsync<T>(Func<int, Task<PagedResult<T>>> fetchPage)
    {
        var rows = new List<T>();
        for (var page = 1; rows.Count < MaxRows; page++)
        {
            var result = await fetchPage(page);
            rows.AddRange(result.Items);
            if (result.Items.Count == 0 || page >= result.TotalPages) break;
        }
        return rows;
    }
}

/// <summary>How conversion and postback values are shown.</summary>
public static class ConversionDisplay
{
    public static string Badge(string status) => status switch
    {
        "approved" => "text-bg-success",
        "pending" => "text-bg-warning",
        "rejected" => "text-bg-danger",
        _ => "text-bg-secondary",
    };

    public static string Status(string status) => status.Length == 0 ? status : char.ToUpperInvariant(status[0]) + status[1..];

    /// <summary>The fraud reasons of a conversion in words.</summary>
    public static string Reasons(IReadOnlyList<string> flags) => string.Join("; ", flags.Select(ConversionFraud.Describe));

    public static string Money(long? minor, string currency) => minor is { } value ? Display.Money(value, currency) : "—";

    /// <summary>The result code of a postback log line: ok and duplicate are green, anything else is a refusal.</summary>
    public static string ResultBadge(string result) => result switch
    {
        "ok" => "text-bg-success",
        "duplicate" => "text-bg-info",
        _ => "text-bg-danger",
    };
}

/// <summary>An offer in a filter's list.</summary>
public sealed record OfferOption(Guid Id, string Title);

/// <summary>
/// What Views/Shared/_Conversions.cshtml shows, for the advertiser (webmaster, fraud review, both payouts,
/// approve/reject) or the webmaster (their payout, sub-ids, click id). <paramref name="Area"/> names the
/// area of the page; its controller is Conversions with actions Index and Csv.
/// </summary>
public sealed record ConversionsView(
    ConversionFilter Filter, PagedResult<ConversionDto> Items, IReadOnlyList<OfferOption> Offers, string Area, bool ForAdvertiser,
    IReadOnlyDictionary<string, string>? WebmasterNames = null)
{
    public string Webmaster(string id) => WebmasterNames?.GetValueOrDefault(id) is { Length: > 0 } name ? name : id;
}

/// <summary>The conversions CSV; the advertiser also gets the webmaster, the review state and what they pay.</summary>
public static class ConversionCsv
{
    public static IReadOnlyList<CsvColumn<ConversionDto>> Columns(bool forAdvertiser, Func<string, string> webmaster)
    {
        var columns = new List<CsvColumn<ConversionDto>>
        {
            CsvColumn<ConversionDto>.Text("Date (UTC)", c => MoneyDisplay.CsvDate(c.CreatedAt)),
            CsvColumn<ConversionDto>.Text("Offer", c => c.OfferTitle),
            CsvColumn<ConversionDto>.Text("Goal", c => c.Goal),
        };
        if (forAdvertiser) columns.Add(CsvColumn<ConversionDto>.Text("Webmaster", c => webmaster(c.WebmasterId)));
        columns.Add(CsvColumn<ConversionDto>.Text("Status", c => c.Status));
        if (forAdvertiser)
        {
            columns.Add(CsvColumn<ConversionDto>.Text("Needs review", c => c.ReviewRequired ? "yes" : "no"));
            columns.Add(CsvColumn<ConversionDto>.Text("Fraud reasons", c => ConversionDisplay.Reasons(c.FraudFlags)));
            columns.Add(CsvColumn<ConversionDto>.Text("Sale amount", c => c.SaleAmount is { } sale ? Major(sale, c.Currency) : ""));
            columns.Add(CsvColumn<ConversionDto>.Number("Advertiser payout", c => Currencies.ToMajor(c.AdvertiserAmount, c.Currency)));
        }
        columns.AddRange(
        [
            CsvColumn<ConversionDto>.Number("Webmaster payout", c => Currencies.ToMajor(c.WebmasterAmount, c.Currency)),
            CsvColumn<ConversionDto>.Text("Currency", c => c.Currency),
            CsvColumn<ConversionDto>.Text("Txid", c => c.TxId),
            CsvColumn<ConversionDto>.Text("Sub1", c => c.Sub1),
            CsvColumn<ConversionDto>.Text("Sub2", c => c.Sub2),
            CsvColumn<ConversionDto>.Text("Sub3", c => c.Sub3),
            CsvColumn<ConversionDto>.Text("Sub4", c => c.Sub4),
            CsvColumn<ConversionDto>.Text("Sub5", c => c.Sub5),
            CsvColumn<ConversionDto>.Text("Click id", c => c.ClickId),
            CsvColumn<ConversionDto>.Text("Clicked (UTC)", c => MoneyDisplay.CsvDate(c.ClickedAt)),
            CsvColumn<ConversionDto>.Text("Hold until (UTC)", c => MoneyDisplay.CsvDate(c.HoldUntil)),
            CsvColumn<ConversionDto>.Text("Note", c => c.Note),
            CsvColumn<ConversionDto>.Text("Conversion id", c => c.Id.ToString()),
        ]);
        return columns;
    }

    /// <summary>An optional amount as a plain number ("1250.50"); empty when there is none.</summary>
    private static string Major(long minor, string currency) =>
        Currencies.ToMajor(minor, currency).ToString("0.00", CultureInfo.InvariantCulture);
}

public static class PostbackLogCsv
{
    public static readonly IReadOnlyList<CsvColumn<PostbackLogDto>> Columns =
    [
        CsvColumn<PostbackLogDto>.Text("Date (UTC)", e => MoneyDisplay.CsvDate(e.ReceivedAt)),
        CsvColumn<PostbackLogDto>.Text("Source", e => e.Source),
        CsvColumn<PostbackLogDto>.Text("Method", e => e.Method),
        CsvColumn<PostbackLogDto>.Text("Result", e => e.Result),
        CsvColumn<PostbackLogDto>.Number("HTTP status", e => e.HttpStatus, "0"),
        CsvColumn<PostbackLogDto>.Text("Message", e => e.Message),
        CsvColumn<PostbackLogDto>.Text("Click id", e => e.ClickId),
        CsvColumn<PostbackLogDto>.Text("Conversion id", e => e.ConversionId?.ToString()),
        CsvColumn<PostbackLogDto>.Text("IP", e => e.Ip),
        CsvColumn<PostbackLogDto>.Text("Query (token redacted)", e => e.Query),
    ];
}

public static class PostbackDeliveryCsv
{
    public static readonly IReadOnlyList<CsvColumn<PostbackDeliveryDto>> Columns =
    [
        CsvColumn<PostbackDeliveryDto>.Text("Date (UTC)", d => MoneyDisplay.CsvDate(d.CreatedAt)),
        CsvColumn<PostbackDeliveryDto>.Text("Conversion id", d => d.ConversionId.ToString()),
        CsvColumn<PostbackDeliveryDto>.Number("Attempt", d => d.Attempt, "0"),
        CsvColumn<PostbackDeliveryDto>.Text("Status sent", d => d.ConversionStatus),
        CsvColumn<PostbackDeliveryDto>.Text("URL", d => d.Url),
        CsvColumn<PostbackDeliveryDto>.Text("HTTP status", d => d.HttpStatus?.ToString(CultureInfo.InvariantCulture)),
        CsvColumn<PostbackDeliveryDto>.Text("Error", d => d.Error),
        CsvColumn<PostbackDeliveryDto>.Number("Duration, ms", d => d.DurationMs, "0"),
        CsvColumn<PostbackDeliveryDto>.Text("Success", d => d.Success ? "yes" : "no"),
    ];
}

// ---------- Advertiser ----------

/// <summary>An offer's integration page: its postback and pixel URLs, the parameters, examples and the test button.</summary>
public sealed record OfferIntegrationPage(OfferDto Offer, OfferPostbackUrlDto Urls, PostbackSettingsDto Settings, string BaseUrl, string? YourIp)
{
    /// <summary>What each canonical parameter means (API.md "Postback").</summary>
    public static readonly IReadOnlyDictionary<string, string> Meanings = new Dictionary<string, string>
    {
        ["click_id"] = "Required. The click id your landing page received in {click_id}.",
        ["goal"] = "The goal code; without it, the offer's default goal.",
        ["amount"] = "The sale amount for CPS goals, a decimal with a dot (1250.50), in the currency.",
        ["currency"] = "ISO 4217 code; default the offer's currency (only the offer's currency is accepted).",
        ["txid"] = "Your order or transaction id. (click_id, goal, txid) is unique: a repeat changes nothing.",
        ["status"] = "approved, pending or rejected (1, 2, 3). Send the same postback again with a new status to change it.",
        ["token"] = "Required. Your postback token; it is in every URL on this page.",
    };
}

/// <summary>A titled code sample with a Copy button (Areas/Advertiser/Views/Shared/_CodeSample.cshtml).</summary>
public sealed record CodeSampleView(string Id, string Title, string Code);

/// <summary>The advertiser's postback settings as typed: the allow-list is one address a line.</summary>
public sealed class PostbackSettingsFormModel
{
    [Display(Name = "Require a signature (X-Signature) on every postback")]
    public bool RequireSignature { get; set; }

    [Display(Name = "Allowed IP addresses")]
    public string? AllowedIps { get; set; }

    public static PostbackSettingsFormModel From(PostbackSettingsDto settings) =>
        new() { RequireSignature = settings.RequireSignature, AllowedIps = string.Join("\n", settings.AllowedIps) };

    public UpdatePostbackSettingsCommand ToCommand() => new(RequireSignature, [AllowedIps ?? ""]);
}

public sealed record PostbackSettingsPage(PostbackSettingsFormModel Form, PostbackSettingsDto Saved, string? YourIp);

/// <summary>The postback log; <paramref name="FirstOfferId"/> lets the empty state link straight to an integration page.</summary>
public sealed record PostbackLogPage(PostbackLogFilter Filter, PagedResult<PostbackLogDto> Items, Guid? FirstOfferId);

// ---------- Webmaster ----------

public sealed class WebmasterPostbackFormModel
{
    [Display(Name = "Postback URL")]
    public string? UrlTemplate { get; set; }

    [Display(Name = "Send postbacks")]
    public bool Enabled { get; set; }

    public static WebmasterPostbackFormModel From(WebmasterPostbackDto saved) =>
        // A fresh form offers to switch sending on; a switched-off one stays off until the webmaster turns it on.
        new() { UrlTemplate = saved.UrlTemplate, Enabled = saved.Enabled || saved.UrlTemplate.Length == 0 };
}

public sealed record WebmasterPostbackPage(WebmasterPostbackFormModel Form, WebmasterPostbackDto Saved)
{
    /// <summary>What each macro is filled with (API.md "Webmaster outbound postback").</summary>
    public static readonly IReadOnlyDictionary<string, string> Meanings = new Dictionary<string, string>
    {
        ["{click_id}"] = "our click id",
        ["{sub1}"] = "sub1 of your tracking link (sub2…sub5 likewise)",
        ["{offer_id}"] = "the offer's id",
        ["{goal}"] = "the goal code",
        ["{payout}"] = "your payout, e.g. 1800.50",
        ["{currency}"] = "the payout's currency",
        ["{status}"] = "pending, approved or rejected",
        ["{conversion_id}"] = "our conversion id",
        ["{lead_id}"] = "the lead id, for lead sales",
        ["{txid}"] = "the advertiser's transaction id",
    };
}

public sealed record PostbackDeliveriesPage(bool Failed, PagedResult<PostbackDeliveryDto> Items);
