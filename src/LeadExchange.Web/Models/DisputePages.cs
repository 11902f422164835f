using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text.Json;
using LeadExchange.Application.Buying;
using LeadExchange.Application.Common.Models;
using LeadExchange.Application.Disputes;
using LeadExchange.Application.Reference;
using LeadExchange.Domain.Common;
using LeadExchange.Domain.Disputes;

namespace LeadExchange.Web.Models;

// ---------- Moderation: the queue ----------

/// <summary>Queue filters: status, niche, reason, seller and buyer (user ids), overdue only.</summary>
public sealed class DisputeFilter
{
    public string? Status { get; set; }
    public string? Niche { get; set; }
    public string? Reason { get; set; }
    public string? Seller { get; set; }
    public string? Buyer { get; set; }
    public bool Overdue { get; set; }
    public int? Page { get; set; }

    public bool IsFiltered => RouteValues().Count > 0;

    /// <summary>One page as shown, or page <paramref name="page"/> of <paramref name="pageSize"/> rows (CSV).</summary>
    public ListDisputesQuery ToQuery(int? page = null, int? pageSize = null) =>
        new(Clean(Status), Clean(Niche), Clean(Reason), Clean(Seller), Clean(Buyer), Overdue ? true : null, page ?? Page, pageSize);

    /// <summary>The filters as route values (no page): the CSV link exports exactly what is shown.</summary>
    public Dictionary<string, string> RouteValues()
    {
        var values = new Dictionary<string, string>();
        foreach (var (name, value) in new[] { ("status", Status), ("niche", Niche), ("reason", Reason), ("seller", Seller), ("buyer", Buyer) })
            if (Clean(value) is { } v) values[name] = v;
        if (Overdue) values["overdue"] = "true";
        return values;
    }

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

public sealed record DisputeQueuePage(DisputeFilter Filter, PagedResult<DisputeDto> Items, IReadOnlyList<NicheDto> Niches, string MyId)
{
    public string NicheName(string code) => Niches.FirstOrDefault(n => n.Code == code)?.Name ?? code;
}

public static class DisputeCsv
{
    private static string Major(long minor, string currency) => Currencies.ToMajor(minor, currency).ToString("0.00", CultureInfo.InvariantCulture);

    public static readonly IReadOnlyList<CsvColumn<DisputeDto>> Columns =
    [
        CsvColumn<DisputeDto>.Text("Opened (UTC)", d => MoneyDisplay.CsvDate(d.OpenedAt)),
        CsvColumn<DisputeDto>.Text("Due (UTC)", d => MoneyDisplay.CsvDate(d.DueAt)),
        CsvColumn<DisputeDto>.Text("Overdue", d => d.Overdue ? "yes" : "no"),
        CsvColumn<DisputeDto>.Text("Status", d => d.Status),
        CsvColumn<DisputeDto>.Text("Niche", d => d.Niche),
        CsvColumn<DisputeDto>.Text("Reason", d => d.Reason),
        CsvColumn<DisputeDto>.Text("Comment", d => d.Comment),
        CsvColumn<DisputeDto>.Text("Amount", d => Major(d.Amount, d.Currency)),
        CsvColumn<DisputeDto>.Text("Currency", d => d.Currency),
        CsvColumn<DisputeDto>.Text("Seller", d => d.SellerId),
        CsvColumn<DisputeDto>.Text("Buyer", d => d.BuyerId),
        CsvColumn<DisputeDto>.Text("Claimed by", d => d.ClaimedBy),
        CsvColumn<DisputeDto>.Text("Decided by", d => d.DecidedBy),
        CsvColumn<DisputeDto>.Text("Decided (UTC)", d => d.DecidedAt is { } at ? MoneyDisplay.CsvDate(at) : ""),
        CsvColumn<DisputeDto>.Text("Decision note", d => d.DecisionNote),
        CsvColumn<DisputeDto>.Text("Refunded from escrow", d => Major(d.RefundedFromEscrow, d.Currency)),
        CsvColumn<DisputeDto>.Text("Clawed back", d => Major(d.ClawedBack, d.Currency)),
        CsvColumn<DisputeDto>.Text("Owed by seller", d => Major(d.ChargedToReceivable, d.Currency)),
        CsvColumn<DisputeDto>.Text("Commission returned", d => Major(d.CommissionReturned, d.Currency)),
        CsvColumn<DisputeDto>.Text("Dispute id", d => d.Id.ToString()),
        CsvColumn<DisputeDto>.Text("Sale id", d => d.SaleId.ToString()),
        CsvColumn<DisputeDto>.Text("Lead id", d => d.LeadId.ToString()),
    ];
}

// ---------- Moderation: the case ----------

/// <summary>The decision as typed; field names match DecideDisputeCommand's, so its errors land beside them.</summary>
public sealed class DecisionFormModel
{
    [Display(Name = "Decision")]
    public string? Decision { get; set; }

    [Display(Name = "Note (both parties see it)")]
    public string? Note { get; set; }
}

/// <summary>
/// A case as the moderator works it. <paramref name="Conflict"/> is why a decision or claim just failed
/// (another moderator was first); the page then shows the case as it is now.
/// </summary>
public sealed record DisputeCasePage(DisputeCaseDto Case, DecisionFormModel Form, string MyId, string NicheName, DateTime Now, string? Conflict = null)
{
    public DisputeDto Dispute => Case.Dispute;
    public bool IsOpen => Dispute.Status == "open";
    public bool ClaimedByMe => Dispute.ClaimedBy == MyId && Dispute.ClaimedUntil > Now;
    public bool ClaimedByOther => Dispute.ClaimedBy is not null && Dispute.ClaimedBy != MyId && Dispute.ClaimedUntil > Now;
}

// ---------- Advertiser ----------

/// <summary>The dispute form as typed; field names match OpenDisputeCommand's, so its errors land beside them.</summary>
public sealed class OpenDisputeFormModel
{
    [Display(Name = "Reason")]
    public string? Reason { get; set; }

    [Display(Name = "What is wrong with the lead")]
    public string? Comment { get; set; }

    [Display(Name = "Evidence (optional)")]
    public List<IFormFile>? Evidence { get; set; }
}

/// <summary>The form for one purchase; <paramref name="Closed"/> says why it cannot be disputed (window closed, already disputed).</summary>
public sealed record OpenDisputePage(PurchaseDto Purchase, OpenDisputeFormModel Form, string? Closed = null);

/// <summary>The buyer's disputes, and recent purchases still inside their dispute window.</summary>
public sealed record BuyerDisputesPage(PagedResult<DisputeDto> Items, IReadOnlyList<PurchaseDto> Disputable, IReadOnlyList<NicheDto> Niches);

/// <summary>Disputes about the seller's leads.</summary>
public sealed record SellerDisputesPage(PagedResult<DisputeDto> Items, IReadOnlyList<NicheDto> Niches);

/// <summary>What Views/Shared/_DisputeList.cshtml shows: a buyer's or a seller's disputes.</summary>
public sealed record DisputeListView(PagedResult<DisputeDto> Items, bool ForBuyer, IReadOnlyList<NicheDto> Niches)
{
    public string NicheName(string code) => Niches.FirstOrDefault(n => n.Code == code)?.Name ?? code;
}

/// <summary>What Views/Shared/_DisputeMoney.cshtml shows: the money a decision moved, worded for the moderator and buyer or for the seller.</summary>
public sealed record DisputeMoneyView(DisputeDto Dispute, bool ForSeller);

// ---------- Display ----------

public static class DisputeDisplay
{
    /// <summary>The API's reason names with what a person reads, in the order the form offers them.</summary>
    public static readonly IReadOnlyList<(string Value, string Label)> Reasons =
    [
        ("invalid_phone", "Invalid phone number"),
        ("wrong_region", "Wrong region"),
        ("duplicate", "Duplicate (I already had this person)"),
        ("fake_or_not_interested", "Fake, or not interested"),
        ("wrong_niche", "Wrong niche"),
        ("no_consent", "No consent to be contacted"),
        ("other", "Other (say what in the comment)"),
    ];

    public static readonly IReadOnlyList<(string Value, string Label)> Statuses = [("open", "Open"), ("upheld", "Upheld"), ("rejected", "Rejected")];

    public static string Reason(string reason) => reason switch
    {
        "duplicate" => "Duplicate",
        "other" => "Other",
        _ => Reasons.FirstOrDefault(r => r.Value == reason).Label ?? reason,
    };

    public static string Status(string status) => Statuses.FirstOrDefault(s => s.Value == status).Label ?? status;

    public static string Badge(string status) => status switch
    {
        "open" => "text-bg-warning",
        "upheld" => "text-bg-success",
        "rejected" => "text-bg-secondary",
        _ => "text-bg-light",
    };

    /// <summary>Who decided: the system for automatic decisions, "you" for the viewer, else the moderator's id.</summary>
    public static string Decider(DisputeDto d, string? myId) =>
        d.AutoDecided ? "the system (automatic)" : d.DecidedBy is null ? "a moderator" : d.DecidedBy == myId ? "you" : d.DecidedBy;

    /// <summary>A user id short enough for a table cell (the full id is in the title and the filter link).</summary>
    public static string ShortId(string? id) => id is null ? "—" : id.Length > 8 ? id[..8] + "…" : id;

    public static string Percent(double? rate) => rate is { } r ? (r * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%" : "—";

    public static IReadOnlyList<string> FraudFlags(string? flags) =>
        string.IsNullOrWhiteSpace(flags) ? [] : flags.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public static string Size(int bytes) => bytes >= 1024 * 1024
        ? (bytes / 1024d / 1024d).ToString("0.0", CultureInfo.InvariantCulture) + " MB"
        : Math.Max(1, bytes / 1024).ToString(CultureInfo.InvariantCulture) + " KB";

    /// <summary>The money a decision moved, as (label, amount) lines, for the case page and the buyer's list.</summary>
    public static IReadOnlyList<(string Label, long Amount)> Moved(DisputeDto d, bool forSeller)
    {
        var lines = new List<(string, long)>();
        if (d.RefundedFromEscrow > 0) lines.Add(("Refunded to the buyer from escrow", d.RefundedFromEscrow));
        if (d.ClawedBack > 0) lines.Add((forSeller ? "Taken back from your available earnings" : "Clawed back from the seller's earnings", d.ClawedBack));
        if (d.ChargedToReceivable > 0) lines.Add((forSeller ? "Owed by you (repaid from future earnings)" : "Owed by the seller (repaid from future earnings)", d.ChargedToReceivable));
        if (d.CommissionReturned > 0 && !forSeller) lines.Add(("Platform commission returned", d.CommissionReturned));
        return lines;
    }
}

/// <summary>The lead's stored breakdowns (score lines, price factors) as rows; unreadable JSON shows raw.</summary>
public static class BreakdownJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public sealed record ScoreRow(string Signal, int Points, string Why);

    public static IReadOnlyList<ScoreRow> Score(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<List<ScoreRow>>(json, Options) ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    /// <summary>Price factors in minor units, shown as money.</summary>
    private static readonly HashSet<string> MoneyFields = new(StringComparer.OrdinalIgnoreCase) { "price", "base", "amount", "unclamped", "floor", "ceiling" };

    /// <summary>The top-level scalar properties of a JSON object ("base": 150000, "geo": 1.2, ...); amounts as money.</summary>
    public static IReadOnlyList<(string Name, string Value)> Pairs(string json, string currency)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind != JsonValueKind.Object) return [];
            return doc.RootElement.EnumerateObject()
                .Where(p => p.Value.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array))
                .Select(p => (p.Name, p.Value.ValueKind switch
                {
                    JsonValueKind.String => p.Value.GetString() ?? "",
                    JsonValueKind.Number when MoneyFields.Contains(p.Name) && p.Value.TryGetInt64(out var minor) => Display.Money(minor, currency),
                    _ => p.Value.GetRawText(),
                }))
                .ToList();
        }
        catch (JsonException)
        {
            return [];
        }
    }
}

/// <summary>The moderator's dashboard: what waits in the dispute queue, and the oldest open dispute.</summary>
public sealed record ModerationHomePage(int OpenDisputes, int OverdueDisputes, DisputeDto? Oldest, DashboardPage Activity);
