using System.ComponentModel.DataAnnotations;
using LeadExchange.Application.Common.Models;
using LeadExchange.Application.Leads;
using LeadExchange.Application.Reference;
using LeadExchange.Domain.Common;
using LeadExchange.Domain.Leads;

namespace LeadExchange.Web.Models;

// ---------- Webmaster: lead forms ----------

/// <summary>A new hosted form as typed; field names match CreateLeadFormCommand's, so its errors land beside them.</summary>
public sealed class LeadFormFormModel
{
    [Display(Name = "Niche")]
    public string? Niche { get; set; }

    [Display(Name = "Offer (optional)")]
    public Guid? OfferId { get; set; }

    [Display(Name = "Title (optional)")]
    public string? Title { get; set; }

    public CreateLeadFormCommand ToCommand() => new(Niche, OfferId, Title);
}

public sealed record LeadFormsPage(LeadFormFormModel Form, IReadOnlyList<NicheDto> Niches, IReadOnlyList<LeadFormOfferOption> Offers,
    IReadOnlyList<LeadFormDto> Forms)
{
    public string NicheName(string code) => Niches.FirstOrDefault(n => n.Code == code)?.Name ?? code;

    /// <summary>The HTML a webmaster pastes into their site: the form framed, full width on phones.</summary>
    public static string EmbedSnippet(LeadFormDto form) =>
        $"<iframe src=\"{form.Url}?embed=1\" title=\"{System.Net.WebUtility.HtmlEncode(form.Title ?? form.NicheName)}\" " +
        "style=\"width:100%;max-width:560px;height:900px;border:0\" loading=\"lazy\"></iframe>";
}

// ---------- Webmaster: my leads ----------

/// <summary>My leads filters: status, niche and a date range.</summary>
public sealed class MyLeadsFilter : DateRangeFilter
{
    public LeadStatus? Status { get; set; }
    public string? Niche { get; set; }

    public override bool IsFiltered => base.IsFiltered || Status is not null || !string.IsNullOrWhiteSpace(Niche);

    /// <summary>One page as shown, or page <paramref name="page"/> of <paramref name="pageSize"/> rows (CSV).</summary>
    public ListMyLeadsQuery ToQuery(int? page = null, int? pageSize = null) =>
        new(Status, string.IsNullOrWhiteSpace(Niche) ? null : Niche.Trim(), FromUtc, ToUtc, page ?? Page, pageSize);

    public override Dictionary<string, string> RouteValues()
    {
        var values = base.RouteValues();
        if (Status is { } status) values["status"] = status.ToString();
        if (!string.IsNullOrWhiteSpace(Niche)) values["niche"] = Niche.Trim();
        return values;
    }
}

/// <summary>My leads; <paramref name="HasForms"/> lets the empty state say whether a form exists yet.</summary>
public sealed record MyLeadsPage(MyLeadsFilter Filter, PagedResult<MyLeadDto> Items, IReadOnlyList<NicheDto> Niches, bool HasForms);

/// <summary>How lead values are shown.</summary>
public static class LeadDisplay
{
    public static string Status(LeadStatus status) => status switch
    {
        LeadStatus.OnSale => "On sale",
        LeadStatus.Sold => "Sold",
        LeadStatus.Rejected => "Rejected",
        _ => "Expired",
    };

    /// <summary>The API's status names ("on_sale") as words.</summary>
    public static string Status(string status) => status switch
    {
        "on_sale" => "On sale",
        "sold" => "Sold",
        "rejected" => "Rejected",
        _ => "Expired",
    };

    public static string Badge(string status) => status switch
    {
        "on_sale" => "text-bg-primary",
        "sold" => "text-bg-success",
        "rejected" => "text-bg-danger",
        _ => "text-bg-secondary",
    };

    public static string TemperatureBadge(string? temperature) => temperature switch
    {
        "hot" => "text-bg-danger",
        "warm" => "text-bg-warning",
        _ => "text-bg-info",
    };

    public static string Price(MyLeadDto lead) => lead.Price is { } price ? Display.Money(price, lead.Currency) : "—";

    public static string Source(string source) => source == "form" ? "Hosted form" : "API";
}

public static class MyLeadsCsv
{
    public static readonly IReadOnlyList<CsvColumn<MyLeadDto>> Columns =
    [
        CsvColumn<MyLeadDto>.Text("Date (UTC)", l => MoneyDisplay.CsvDate(l.CreatedAt)),
        CsvColumn<MyLeadDto>.Text("Niche", l => l.NicheName),
        CsvColumn<MyLeadDto>.Text("Region", l => l.RegionCode),
        CsvColumn<MyLeadDto>.Text("Status", l => l.Status),
        CsvColumn<MyLeadDto>.Text("Reject reason", l => l.RejectReason),
        CsvColumn<MyLeadDto>.Text("Temperature", l => l.Temperature),
        CsvColumn<MyLeadDto>.Text("Score", l => l.Score?.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        CsvColumn<MyLeadDto>.Text("Price", l => l.Price is { } price ? Currencies.ToMajor(price, l.Currency).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) : ""),
        CsvColumn<MyLeadDto>.Text("Currency", l => l.Currency),
        CsvColumn<MyLeadDto>.Number("Sold to", l => l.SoldCount, "0"),
        CsvColumn<MyLeadDto>.Text("Name (masked)", l => l.MaskedName),
        CsvColumn<MyLeadDto>.Text("Phone (masked)", l => l.MaskedPhone),
        CsvColumn<MyLeadDto>.Text("Email (masked)", l => l.MaskedEmail),
        CsvColumn<MyLeadDto>.Text("Source", l => l.Source),
        CsvColumn<MyLeadDto>.Text("Sub1", l => l.Sub1),
        CsvColumn<MyLeadDto>.Text("Sub2", l => l.Sub2),
        CsvColumn<MyLeadDto>.Text("Sub3", l => l.Sub3),
        CsvColumn<MyLeadDto>.Text("Sub4", l => l.Sub4),
        CsvColumn<MyLeadDto>.Text("Sub5", l => l.Sub5),
        CsvColumn<MyLeadDto>.Text("Lead id", l => l.Id.ToString()),
    ];
}

// ---------- Admin: blocklist ----------

/// <summary>A blocklist entry as typed; field names match AddBlocklistEntryCommand's, so its errors land beside them.</summary>
public sealed class BlocklistFormModel
{
    [Display(Name = "What to block")]
    public BlocklistKind Kind { get; set; } = BlocklistKind.Phone;

    [Display(Name = "Phone, email, webmaster or IP address")]
    public string? Value { get; set; }

    [Display(Name = "Reason (optional)")]
    public string? Reason { get; set; }

    public AddBlocklistEntryCommand ToCommand() => new(Kind, Value, Reason);
}

public sealed record BlocklistPage(BlocklistFormModel Form, PagedResult<BlocklistEntryDto> Items, BlocklistKind? Kind, string? Search)
{
    public static string KindName(BlocklistKind kind) => kind switch
    {
        BlocklistKind.Phone => "Phone",
        BlocklistKind.Email => "Email",
        BlocklistKind.Ip => "IP address",
        _ => "Seller (webmaster)",
    };
}
