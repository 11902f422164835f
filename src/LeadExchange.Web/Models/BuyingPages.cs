using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text.Json;
using LeadExchange.Application.Buying;
using LeadExchange.Application.Common.Models;
using LeadExchange.Application.Reference;
using LeadExchange.Domain.Common;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace LeadExchange.Web.Models;

// ---------- Advertiser: lead orders ----------

public sealed class LeadOrderFilter
{
    public string? Status { get; set; }
    public string? Niche { get; set; }
    public int? Page { get; set; }

    public bool IsFiltered => !string.IsNullOrWhiteSpace(Status) || !string.IsNullOrWhiteSpace(Niche);

    public ListLeadOrdersQuery ToQuery() =>
        new(string.IsNullOrWhiteSpace(Status) ? null : Status, string.IsNullOrWhiteSpace(Niche) ? null : Niche.Trim(), Page);
}

public sealed record LeadOrdersPage(LeadOrderFilter Filter, PagedResult<LeadOrderDto> Items, IReadOnlyList<NicheDto> Niches)
{
    public string NicheName(string code) => Niches.FirstOrDefault(n => n.Code == code)?.Name ?? code;
}

/// <summary>
/// The lead order form. Max price and budget are typed in major units of the niche's currency and sent in minor
/// units; field names are the application's camelCase names in PascalCase, so its errors land beside the fields.
/// </summary>
public sealed class LeadOrderFormModel
{
    [Display(Name = "Name")]
    public string? Name { get; set; }

    [Display(Name = "Niche")]
    public string? Niche { get; set; }

    [Display(Name = "Regions")]
    public List<string> Regions { get; set; } = [];

    [Display(Name = "Max price per lead")]
    public string? MaxPrice { get; set; }

    [Display(Name = "Minimum temperature")]
    public string MinTemperature { get; set; } = "cold";

    [Display(Name = "Exclusive")]
    public bool Exclusive { get; set; }

    [Display(Name = "Daily cap")]
    public int? DailyCap { get; set; }

    [Display(Name = "Monthly cap")]
    public int? MonthlyCap { get; set; }

    [Display(Name = "Total budget")]
    public string? Budget { get; set; }

    /// <summary>Empty by default so that unticking every box posts an empty list (the binder keeps initial values otherwise).</summary>
    [Display(Name = "Days")]
    public List<string> Days { get; set; } = [];

    [Display(Name = "From hour")]
    public int HourFrom { get; set; }

    [Display(Name = "To hour")]
    public int HourTo { get; set; } = 24;

    [Display(Name = "Time zone")]
    public string TimeZone { get; set; } = "Europe/Moscow";

    [Display(Name = "Start buying at once")]
    public bool Active { get; set; } = true;

    public static LeadOrderFormModel New() => new() { Days = BuyingDisplay.Days.Select(d => d.Code).ToList() };

    public static LeadOrderFormModel From(LeadOrderDto o) => new()
    {
        Name = o.Name,
        Niche = o.Niche,
        Regions = o.Regions.ToList(),
        MaxPrice = Display.Major(o.MaxPrice, o.Currency),
        MinTemperature = o.MinTemperature,
        Exclusive = o.Exclusive,
        DailyCap = o.DailyCap,
        MonthlyCap = o.MonthlyCap,
        Budget = o.Budget is { } b ? Display.Major(b, o.Currency) : null,
        Days = o.Days.ToList(),
        HourFrom = o.HourFrom,
        HourTo = o.HourTo,
        TimeZone = o.TimeZone,
        Active = o.Status == "active",
    };

    /// <summary>
    /// The application input in minor units of <paramref name="currency"/>; unparseable amounts become field errors under
    /// <paramref name="prefix"/> and the answer is null. <paramref name="create"/>: the Active box is sent (on edit the
    /// pause / resume buttons decide).
    /// </summary>
    public LeadOrderInput? ToInput(ModelStateDictionary modelState, string prefix, string currency, bool create)
    {
        var ok = true;
        var maxPrice = Money(MaxPrice, nameof(MaxPrice));
        var budget = Money(Budget, nameof(Budget));
        if (!ok) return null;
        return new LeadOrderInput(Name, Niche, Regions.Where(r => !string.IsNullOrWhiteSpace(r)).ToList(), maxPrice, MinTemperature, Exclusive,
            DailyCap, MonthlyCap, budget, Days, HourFrom, HourTo, TimeZone, create ? Active : null);

        long? Money(string? text, string field)
        {
            if (MajorUnits.TryParseMoney(text, currency, out var minor, out var error)) return minor;
            modelState.AddModelError($"{prefix}.{field}", error!);
            ok = false;
            return null;
        }
    }
}

/// <summary>
/// The lead order form page, or (<paramref name="Offer"/> set) the subscribe form on a seller offer's page: the same
/// regions, caps, budget and schedule sections (Areas/Advertiser/Views/Shared/_LeadOrder*.cshtml), the niche and
/// exclusivity taken from the offer and the max price asked only when the offer sells at the exchange price.
/// </summary>
public sealed record LeadOrderFormPage(LeadOrderDto? Saved, LeadOrderFormModel Form, IReadOnlyList<NicheDto> Niches, IReadOnlyList<RegionDto> Regions,
    SellerOfferDto? Offer = null)
{
    public Guid? Id => Saved?.Id;

    public bool IsNew => Saved is null;

    public bool ShowMaxPrice => Offer is null || Offer.Pricing == "exchange";

    /// <summary>The common zones, plus the saved one if it is not among them.</summary>
    public IReadOnlyList<string> TimeZones =>
        BuyingDisplay.TimeZones.Contains(Form.TimeZone) || string.IsNullOrWhiteSpace(Form.TimeZone)
            ? BuyingDisplay.TimeZones
            : [Form.TimeZone, .. BuyingDisplay.TimeZones];
}

// ---------- Advertiser: lead catalog ----------

public sealed class LeadCatalogFilter
{
    public static readonly IReadOnlyList<(string Value, string Text)> Sorts =
        [("newest", "Newest first"), ("oldest", "Oldest first"), ("price", "Cheapest first"), ("-price", "Most expensive first"), ("score", "Best score first")];

    public string? Niche { get; set; }
    public string? Region { get; set; }
    public string? MinTemperature { get; set; }
    /// <summary>Highest price in major units, as typed.</summary>
    public string? MaxPrice { get; set; }
    public int? MinScore { get; set; }
    public string? Sort { get; set; }
    public int? Page { get; set; }

    public bool IsFiltered => !string.IsNullOrWhiteSpace(Niche) || !string.IsNullOrWhiteSpace(Region) || !string.IsNullOrWhiteSpace(MinTemperature)
                              || !string.IsNullOrWhiteSpace(MaxPrice) || MinScore is not null;

    /// <summary>The query, or null with the reason when the typed max price is not a number.</summary>
    public (CatalogQuery? Query, string? Error) ToQuery(string currency)
    {
        if (!MajorUnits.TryParseMoney(MaxPrice, currency, out var maxPrice, out var error)) return (null, "Max price: " + error);
        return (new CatalogQuery(Blank(Niche), Blank(Region), Blank(MinTemperature), maxPrice, MinScore, Blank(Sort), Page), null);
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

public sealed record LeadCatalogPage(LeadCatalogFilter Filter, PagedResult<CatalogItemDto> Items, IReadOnlyList<NicheDto> Niches,
    IReadOnlyList<RegionDto> Regions, string? FilterError)
{
    public string NicheName(string code) => Niches.FirstOrDefault(n => n.Code == code)?.Name ?? code;

    public string RegionName(string code) => Regions.FirstOrDefault(r => r.Code == code)?.Name ?? code;
}

// ---------- Advertiser: inbox (bought leads) ----------

public sealed class PurchaseFilter : DateRangeFilter
{
    public string? Status { get; set; }
    public string? Niche { get; set; }
    public string? Region { get; set; }
    public string? Search { get; set; }

    public override bool IsFiltered => base.IsFiltered || !string.IsNullOrWhiteSpace(Status) || !string.IsNullOrWhiteSpace(Niche)
                                       || !string.IsNullOrWhiteSpace(Region) || !string.IsNullOrWhiteSpace(Search);

    /// <summary>One page as shown, or page <paramref name="page"/> of <paramref name="pageSize"/> rows (CSV).</summary>
    public ListPurchasesQuery ToQuery(int? page = null, int? pageSize = null) =>
        new(Blank(Status), Blank(Niche), Blank(Region), FromUtc, ToUtc, Blank(Search), page ?? Page, pageSize);

    public override Dictionary<string, string> RouteValues()
    {
        var values = base.RouteValues();
        foreach (var (key, value) in new[] { ("status", Status), ("niche", Niche), ("region", Region), ("search", Search) })
            if (Blank(value) is { } v) values[key] = v;
        return values;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

public sealed record PurchasesPage(PurchaseFilter Filter, PagedResult<PurchaseDto> Items, IReadOnlyList<NicheDto> Niches)
{
    public string NicheName(string code) => Niches.FirstOrDefault(n => n.Code == code)?.Name ?? code;
}

/// <summary>The purchase update form; the sale amount is typed in major units. Field names match UpdatePurchaseInput's.</summary>
public sealed class PurchaseFormModel
{
    [Display(Name = "Status")]
    public string? Status { get; set; }

    [Display(Name = "Sale amount")]
    public string? SaleAmount { get; set; }

    [Display(Name = "Why refused")]
    public string? Reason { get; set; }

    [Display(Name = "Deferred until")]
    public DateOnly? DeferredUntil { get; set; }

    [Display(Name = "Note")]
    public string? Note { get; set; }

    [Display(Name = "Assignee")]
    public string? Assignee { get; set; }

    public static PurchaseFormModel From(PurchaseDto p) => new()
    {
        Status = p.Status,
        SaleAmount = p.SaleAmount is { } a ? Display.Major(a, p.Currency) : null,
        Reason = p.RefuseReason,
        DeferredUntil = p.DeferredUntil is { } d ? DateOnly.FromDateTime(d) : null,
        Note = p.Note,
        Assignee = p.Assignee,
    };

    /// <summary>
    /// What to send: only the details of the chosen status (a sale amount only when it becomes converted), note and
    /// assignee always (empty clears them). Null with a field error when the amount is not a number.
    /// </summary>
    public UpdatePurchaseInput? ToInput(PurchaseDto current, ModelStateDictionary modelState, string prefix)
    {
        var status = string.IsNullOrWhiteSpace(Status) || Status == current.Status ? null : Status;
        long? amount = null;
        if (status == "converted")
        {
            if (!MajorUnits.TryParseMoney(SaleAmount, current.Currency, out amount, out var error))
            {
                modelState.AddModelError($"{prefix}.{nameof(SaleAmount)}", error!);
                return null;
            }
        }
        return new UpdatePurchaseInput(status, amount, status == "refused" ? Reason : null,
            status == "deferred" ? DeferredUntil?.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc) : null, Note ?? "", Assignee ?? "");
    }
}

public sealed record PurchasePage(PurchaseDto Purchase, PurchaseFormModel Form, PagedResult<WebhookDeliveryDto> Deliveries, BuyerWebhookDto Webhook,
    string NicheName)
{
    /// <summary>The price breakdown at intake as (label, value) lines; empty when it cannot be read.</summary>
    public IReadOnlyList<(string Label, string Value)> PriceLines => BuyingDisplay.PriceLines(Purchase.PriceBreakdownJson, Purchase.Currency);

    public IReadOnlyList<(string Signal, string Points, string Why)> ScoreLines => BuyingDisplay.ScoreLines(Purchase.ScoreBreakdownJson);
}

public static class PurchaseCsv
{
    private static string Major(long minor, string currency) => Currencies.ToMajor(minor, currency).ToString("0.00", CultureInfo.InvariantCulture);

    public static readonly IReadOnlyList<CsvColumn<PurchaseDto>> Columns =
    [
        CsvColumn<PurchaseDto>.Text("Bought (UTC)", p => MoneyDisplay.CsvDate(p.SoldAt)),
        CsvColumn<PurchaseDto>.Text("Status", p => BuyingDisplay.SaleStatus(p.Status)),
        CsvColumn<PurchaseDto>.Text("Name", p => p.Contact.Name),
        CsvColumn<PurchaseDto>.Text("Phone", p => p.Contact.Phone),
        CsvColumn<PurchaseDto>.Text("Email", p => p.Contact.Email),
        CsvColumn<PurchaseDto>.Text("Niche", p => p.Niche),
        CsvColumn<PurchaseDto>.Text("Region", p => p.Region),
        CsvColumn<PurchaseDto>.Text("Temperature", p => p.Temperature),
        CsvColumn<PurchaseDto>.Number("Score", p => p.Score, "0"),
        CsvColumn<PurchaseDto>.Number("Price", p => Currencies.ToMajor(p.Price, p.Currency)),
        CsvColumn<PurchaseDto>.Text("Currency", p => p.Currency),
        CsvColumn<PurchaseDto>.Text("Exclusive", p => p.Exclusive ? "yes" : "no"),
        CsvColumn<PurchaseDto>.Text("Bought via", p => p.Channel),
        CsvColumn<PurchaseDto>.Text("Sale amount", p => p.SaleAmount is { } a ? Major(a, p.Currency) : ""),
        CsvColumn<PurchaseDto>.Text("Refuse reason", p => p.RefuseReason),
        CsvColumn<PurchaseDto>.Text("Deferred until (UTC)", p => p.DeferredUntil is { } d ? MoneyDisplay.CsvDate(d) : ""),
        CsvColumn<PurchaseDto>.Text("Note", p => p.Note),
        CsvColumn<PurchaseDto>.Text("Assignee", p => p.Assignee),
        CsvColumn<PurchaseDto>.Text("Fields", p => string.Join("; ", p.Fields.Select(f => $"{f.Key}={f.Value}"))),
        CsvColumn<PurchaseDto>.Text("Dispute until (UTC)", p => MoneyDisplay.CsvDate(p.DisputeUntil)),
        CsvColumn<PurchaseDto>.Text("Lead id", p => p.LeadId.ToString()),
        CsvColumn<PurchaseDto>.Text("Purchase id", p => p.SaleId.ToString()),
    ];
}

// ---------- Advertiser: buyer webhook ----------

public sealed class BuyerWebhookFormModel
{
    [Display(Name = "Webhook URL")]
    public string? Url { get; set; }

    [Display(Name = "Deliver bought leads to this URL")]
    public bool Enabled { get; set; }

    public static BuyerWebhookFormModel From(BuyerWebhookDto saved) =>
        // A fresh form offers to switch delivery on; a switched-off one stays off until the buyer turns it on.
        new() { Url = saved.Url, Enabled = saved.Enabled || saved.Url is null };
}

public sealed record BuyerWebhookPage(BuyerWebhookFormModel Form, BuyerWebhookDto Saved);

public sealed record WebhookDeliveriesPage(bool Failed, PagedResult<WebhookDeliveryDto> Items);

/// <summary>What Areas/Advertiser/Views/Shared/_WebhookDeliveries.cshtml shows: delivery attempts, with the purchase column or without (one purchase's page).</summary>
public sealed record WebhookDeliveriesTable(IReadOnlyList<WebhookDeliveryDto> Items, bool ShowPurchase);

public static class WebhookDeliveryCsv
{
    public static readonly IReadOnlyList<CsvColumn<WebhookDeliveryDto>> Columns =
    [
        CsvColumn<WebhookDeliveryDto>.Text("Date (UTC)", d => MoneyDisplay.CsvDate(d.At)),
        CsvColumn<WebhookDeliveryDto>.Text("Purchase id", d => d.SaleId.ToString()),
        CsvColumn<WebhookDeliveryDto>.Text("Delivery id", d => d.DeliveryId.ToString()),
        CsvColumn<WebhookDeliveryDto>.Number("Attempt", d => d.Attempt, "0"),
        CsvColumn<WebhookDeliveryDto>.Text("URL", d => d.Url),
        CsvColumn<WebhookDeliveryDto>.Text("HTTP status", d => d.StatusCode?.ToString(CultureInfo.InvariantCulture)),
        CsvColumn<WebhookDeliveryDto>.Text("Error", d => d.Error),
        CsvColumn<WebhookDeliveryDto>.Number("Duration, ms", d => d.DurationMs, "0"),
        CsvColumn<WebhookDeliveryDto>.Text("Success", d => d.Succeeded ? "yes" : "no"),
    ];
}

/// <summary>How a receiver checks X-LeadExchange-Signature (t=unix,v1=hex HMAC-SHA256 of "t.body"), in a few languages.</summary>
public static class WebhookVerifyExamples
{
    public const string Header = "X-LeadExchange-Signature: t=1735689600,v1=5f2b…(64 hex digits)";

    public const string CSharp = """
        using System.Security.Cryptography;
        using System.Text;

        // body: the raw request body exactly as received (read it before any JSON parsing).
        static bool Verify(string secret, string header, string body, long toleranceSeconds = 300)
        {
            var parts = header.Split(',').Select(p => p.Trim().Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
            if (!parts.TryGetValue("t", out var t) || !parts.TryGetValue("v1", out var v1) || !long.TryParse(t, out var ts)) return false;
            if (Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - ts) > toleranceSeconds) return false; // replayed or stale
            var expected = Convert.ToHexStringLower(
                HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(t + "." + body)));
            return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(v1));
        }

        // var ok = Verify(Environment.GetEnvironmentVariable("LEADEX_WEBHOOK_SECRET")!,
        //                 Request.Headers["X-LeadExchange-Signature"]!, rawBody);
        """;

    public const string Php = """
        <?php
        // $rawBody: the request body exactly as received, before any json_decode: file_get_contents('php://input').
        function leadexchange_verify(string $secret, string $header, string $rawBody, int $tolerance = 300): bool
        {
            $parts = [];
            foreach (explode(',', $header) as $part) {
                $pair = explode('=', trim($part), 2);
                if (count($pair) === 2) {
                    $parts[$pair[0]] = $pair[1];
                }
            }
            $t = $parts['t'] ?? '';
            $v1 = $parts['v1'] ?? '';
            if (!ctype_digit($t) || $v1 === '' || abs(time() - (int) $t) > $tolerance) {
                return false; // malformed, replayed or stale
            }
            $expected = hash_hmac('sha256', $t . '.' . $rawBody, $secret); // lower-case hex
            return hash_equals($expected, $v1);
        }

        // $ok = leadexchange_verify(getenv('LEADEX_WEBHOOK_SECRET'),
        //     $_SERVER['HTTP_X_LEADEXCHANGE_SIGNATURE'] ?? '', file_get_contents('php://input'));
        """;

    public const string Node = """
        const crypto = require("crypto");

        // rawBody: the request body as received (e.g. express.raw({ type: "application/json" })).
        function verify(secret, header, rawBody, toleranceSeconds = 300) {
          const parts = Object.fromEntries(header.split(",").map(p => p.trim().split("=", 2)));
          const t = Number(parts.t);
          if (!parts.v1 || !Number.isInteger(t)) return false;
          if (Math.abs(Date.now() / 1000 - t) > toleranceSeconds) return false; // replayed or stale
          const expected = crypto.createHmac("sha256", secret).update(`${parts.t}.${rawBody}`).digest("hex");
          return expected.length === parts.v1.length &&
            crypto.timingSafeEqual(Buffer.from(expected), Buffer.from(parts.v1));
        }

        // verify(process.env.LEADEX_WEBHOOK_SECRET, req.get("X-LeadExchange-Signature"), req.body.toString("utf8"))
        """;

    public const string Python = """
        import hashlib, hmac, time

        # raw_body: the request body bytes as received (e.g. request.get_data() in Flask).
        def verify(secret: str, header: str, raw_body: bytes, tolerance: int = 300) -> bool:
            parts = dict(p.strip().split("=", 1) for p in header.split(",") if "=" in p)
            t, v1 = parts.get("t", ""), parts.get("v1", "")
            if not t.isdigit() or not v1 or abs(time.time() - int(t)) > tolerance:
                return False  # malformed, replayed or stale
            expected = hmac.new(secret.encode(), t.encode() + b"." + raw_body, hashlib.sha256).hexdigest()
            return hmac.compare_digest(expected, v1)
        """;
}

// ---------- Display ----------

/// <summary>How buying values are shown.</summary>
public static class BuyingDisplay
{
    public static readonly IReadOnlyList<(string Code, string Name)> Days =
        [("mon", "Mon"), ("tue", "Tue"), ("wed", "Wed"), ("thu", "Thu"), ("fri", "Fri"), ("sat", "Sat"), ("sun", "Sun")];

    public static readonly IReadOnlyList<string> Temperatures = ["cold", "warm", "hot"];

    /// <summary>Common IANA zones: Russia's from west to east, then a few abroad.</summary>
    public static readonly IReadOnlyList<string> TimeZones =
    [
        "Europe/Kaliningrad", "Europe/Moscow", "Europe/Samara", "Asia/Yekaterinburg", "Asia/Omsk", "Asia/Novosibirsk", "Asia/Krasnoyarsk",
        "Asia/Irkutsk", "Asia/Yakutsk", "Asia/Vladivostok", "Asia/Magadan", "Asia/Kamchatka", "Europe/Minsk", "Asia/Almaty", "Asia/Tashkent",
        "Asia/Dubai", "Europe/Istanbul", "Europe/London", "Europe/Berlin", "America/New_York", "America/Chicago", "America/Denver",
        "America/Los_Angeles", "UTC",
    ];

    /// <summary>The inbox statuses (API names) a buyer can set or filter by.</summary>
    public static readonly IReadOnlyList<string> SaleStatuses = ["new", "in_work", "converted", "refused", "deferred"];

    public static string SaleStatus(string status) => status switch
    {
        "new" => "New",
        "in_work" => "In work",
        "converted" => "Converted",
        "refused" => "Refused",
        "deferred" => "Deferred",
        _ => status,
    };

    public static string SaleBadge(string status) => status switch
    {
        "new" => "text-bg-primary",
        "in_work" => "text-bg-info",
        "converted" => "text-bg-success",
        "refused" => "text-bg-danger",
        _ => "text-bg-secondary",
    };

    public static string OrderBadge(LeadOrderDto o) => o.Status == "active" ? "text-bg-success" : o.PausedAutomatically ? "text-bg-danger" : "text-bg-warning";

    public static string OrderStatus(LeadOrderDto o) => o.Status == "active" ? "Active" : o.PausedAutomatically ? "Paused automatically" : "Paused";

    public static string Temperature(string t) => t.Length == 0 ? t : char.ToUpperInvariant(t[0]) + t[1..];

    /// <summary>"3 / 10" against a cap, or "3 (no cap)".</summary>
    public static string AgainstCap(int count, int? cap) => cap is { } c ? $"{count} / {c}" : $"{count} (no cap)";

    public static string DayList(IReadOnlyList<string> days) =>
        days.Count == 7 ? "Every day" : string.Join(", ", BuyingDisplay.Days.Where(d => days.Contains(d.Code)).Select(d => d.Name));

    public static string Hours(int from, int to) => from == 0 && to == 24 ? "all day" : $"{from:00}:00–{to:00}:00";

    public static string Age(double hours) => hours switch
    {
        < 1 => $"{Math.Max(1, (int)(hours * 60))} min",
        < 48 => $"{(int)hours} h",
        _ => $"{(int)(hours / 24)} d",
    };

    public static string Percent(decimal share) => (share * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%";

    /// <summary>Application messages mention minor units; here people type major units, so that aside is dropped.</summary>
    public static Application.Common.Exceptions.ValidationException ForPeople(Application.Common.Exceptions.ValidationException e) =>
        new(e.Errors.ToDictionary(kv => kv.Key, kv => kv.Value.Select(m => m.Replace(" (minor units, positive)", " (positive)", StringComparison.Ordinal)
            .Replace(" (minor units)", "", StringComparison.Ordinal)).ToArray()));

    /// <summary>The application's camelCase field ("maxPrice") as the form's property ("MaxPrice").</summary>
    public static string FormField(string applicationField) =>
        applicationField.Length == 0 ? applicationField : char.ToUpperInvariant(applicationField[0]) + applicationField[1..];

    private static readonly IReadOnlyList<(string Key, string Label, bool Money)> PriceParts =
    [
        ("base", "Base price", true), ("geo", "Region factor", false), ("season", "Season factor", false),
        ("temperature", "Temperature factor", false), ("demand", "Demand factor", false), ("unclamped", "Before floor / ceiling", true),
        ("floor", "Floor", true), ("ceiling", "Ceiling", true), ("price", "Price", true),
    ];

    /// <summary>The price breakdown stored at intake (base × factors, clamped) as lines; empty when it cannot be read.</summary>
    public static IReadOnlyList<(string Label, string Value)> PriceLines(string json, string currency)
    {
        var lines = new List<(string, string)>();
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind != JsonValueKind.Object) return lines;
            var props = doc.RootElement.EnumerateObject().ToDictionary(p => p.Name.ToLowerInvariant(), p => p.Value);
            foreach (var (key, label, money) in PriceParts)
            {
                if (!props.TryGetValue(key, out var value) || value.ValueKind != JsonValueKind.Number) continue;
                lines.Add((label, money && value.TryGetInt64(out var minor)
                    ? Display.Money(minor, currency)
                    : "× " + value.GetDecimal().ToString("0.###", CultureInfo.InvariantCulture)));
            }
            if (props.TryGetValue("clamped", out var clamped) && clamped.ValueKind == JsonValueKind.True)
                lines.Add(("Clamped", "yes: the product was outside the niche's floor / ceiling"));
        }
        catch (JsonException)
        {
            // Shown as "no breakdown": an unreadable breakdown must not break the purchase page.
        }
        return lines;
    }

    /// <summary>The score lines (signal, points, why) stored at intake.</summary>
    public static IReadOnlyList<(string Signal, string Points, string Why)> ScoreLines(string json)
    {
        var lines = new List<(string, string, string)>();
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind != JsonValueKind.Array) return lines;
            foreach (var line in doc.RootElement.EnumerateArray())
            {
                if (line.ValueKind != JsonValueKind.Object) continue;
                string Prop(string name) => line.EnumerateObject().FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)) is
                    { Value.ValueKind: not JsonValueKind.Undefined } found
                    ? found.Value.ValueKind == JsonValueKind.String ? found.Value.GetString() ?? "" : found.Value.GetRawText()
                    : "";
                lines.Add((Prop("Signal"), Prop("Points"), Prop("Why")));
            }
        }
        catch (JsonException)
        {
            // As above: no breakdown rather than an error page.
        }
        return lines;
    }
}
