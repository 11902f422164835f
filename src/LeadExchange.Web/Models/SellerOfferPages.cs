using System.ComponentModel.DataAnnotations;
using System.Globalization;
using LeadExchange.Application.Buying;
using LeadExchange.Application.Common.Models;
using LeadExchange.Application.Reference;
using LeadExchange.Domain.Buying;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace LeadExchange.Web.Models;

// ---------- Webmaster: my seller offers ----------

public sealed class SellerOfferFilter
{
    public string? Status { get; set; }
    public int? Page { get; set; }

    public bool IsFiltered => !string.IsNullOrWhiteSpace(Status);

    public ListSellerOffersQuery ToQuery() => new(Status: string.IsNullOrWhiteSpace(Status) ? null : Status.Trim(), Page: Page);
}

public sealed record SellerOffersPage(SellerOfferFilter Filter, PagedResult<SellerOfferDto> Items, IReadOnlyList<NicheDto> Niches)
{
    public string NicheName(string code) => Niches.FirstOrDefault(n => n.Code == code)?.Name ?? code;
}

/// <summary>
/// The seller offer form. The fixed price is typed in major units of the niche's currency and sent in minor units;
/// property names are the application's camelCase field names in PascalCase, so its errors land beside the fields.
/// </summary>
public sealed class SellerOfferFormModel
{
    [Display(Name = "Title")]
    public string? Title { get; set; }

    [Display(Name = "Niche")]
    public string? Niche { get; set; }

    [Display(Name = "Regions")]
    public List<string> Regions { get; set; } = [];

    /// <summary>Empty by default so that unticking every box posts an empty list.</summary>
    [Display(Name = "Traffic sources")]
    public List<string> TrafficSources { get; set; } = [];

    [Display(Name = "Expected leads a day")]
    public int? ExpectedPerDay { get; set; }

    [Display(Name = "Exclusive")]
    public bool Exclusive { get; set; }

    [Display(Name = "Pricing")]
    public string Pricing { get; set; } = "fixed";

    [Display(Name = "Price per lead")]
    public string? FixedPrice { get; set; }

    [Display(Name = "Delivered fields")]
    public List<string> DeliveredFields { get; set; } = [];

    [Display(Name = "Description")]
    public string? Description { get; set; }

    /// <summary>Niche field key → example value; empty values are left out of the sample.</summary>
    [Display(Name = "Sample lead")]
    public Dictionary<string, string?> Sample { get; set; } = [];

    public static SellerOfferFormModel New() => new() { ExpectedPerDay = 10 };

    public static SellerOfferFormModel From(SellerOfferDto o) => new()
    {
        Title = o.Title,
        Niche = o.Niche,
        Regions = o.Regions.ToList(),
        TrafficSources = o.TrafficSources.ToList(),
        ExpectedPerDay = o.ExpectedPerDay,
        Exclusive = o.Exclusive,
        Pricing = o.Pricing,
        FixedPrice = o.FixedPrice is { } p ? Display.Major(p, o.Currency) : null,
        DeliveredFields = o.DeliveredFields.ToList(),
        Description = o.Description,
        Sample = o.Sample.ToDictionary(kv => kv.Key, kv => (string?)kv.Value),
    };

    /// <summary>
    /// The application input in minor units of <paramref name="currency"/>; the niche's required fields are always
    /// delivered (their boxes are ticked and disabled). An unparseable price becomes a field error and the answer is null.
    /// </summary>
    public SellerOfferInput? ToInput(ModelStateDictionary modelState, string prefix, string currency, NicheDto? niche)
    {
        long? price = null;
        if (Pricing != "exchange" && !MajorUnits.TryParseMoney(FixedPrice, currency, out price, out var error))
        {
            modelState.AddModelError($"{prefix}.{nameof(FixedPrice)}", error!);
            return null;
        }
        var required = niche?.Fields.Where(f => f.Required).Select(f => f.Key) ?? [];
        var keys = niche?.Fields.Select(f => f.Key).ToHashSet() ?? [];
        return new SellerOfferInput(Title, Niche, Regions.Where(r => !string.IsNullOrWhiteSpace(r)).ToList(), TrafficSources, ExpectedPerDay, Exclusive,
            Pricing, Pricing == "exchange" ? null : price, required.Union(DeliveredFields).ToList(), Description,
            Sample.Where(kv => !string.IsNullOrWhiteSpace(kv.Value) && (keys.Count == 0 || keys.Contains(kv.Key)))
                .ToDictionary(kv => kv.Key, kv => kv.Value!.Trim()));
    }
}

public sealed record SellerOfferFormPage(SellerOfferDto? Saved, SellerOfferFormModel Form, IReadOnlyList<NicheDto> Niches, IReadOnlyList<RegionDto> Regions)
{
    public Guid? Id => Saved?.Id;
}

public sealed record SellerOfferDetailsPage(SellerOfferDto Offer, IReadOnlyList<OfferSubscriptionDto> Subscriptions, NicheDto? Niche,
    IReadOnlyList<RegionDto> Regions)
{
    public string RegionNames => SellerOfferDisplay.RegionNames(Offer.Regions, Regions);
}

// ---------- Advertiser: browsing seller offers ----------

public sealed class SellerOfferBrowseFilter
{
    public static readonly IReadOnlyList<(string Value, string Text)> Sorts =
        [("newest", "Newest first"), ("price", "Cheapest first"), ("volume", "Most leads a day first"), ("quality", "Best quality first")];

    public string? Niche { get; set; }
    public string? Region { get; set; }
    /// <summary>Highest fixed price in major units, as typed.</summary>
    public string? MaxPrice { get; set; }
    public int? MinVolume { get; set; }
    /// <summary>"true", "false" or empty (either).</summary>
    public string? Exclusive { get; set; }
    /// <summary>Highest seller return rate in percent, as typed.</summary>
    public string? MaxReturnRate { get; set; }
    public string? Sort { get; set; }
    public int? Page { get; set; }

    public bool IsFiltered => !string.IsNullOrWhiteSpace(Niche) || !string.IsNullOrWhiteSpace(Region) || !string.IsNullOrWhiteSpace(MaxPrice)
                              || MinVolume is not null || !string.IsNullOrWhiteSpace(Exclusive) || !string.IsNullOrWhiteSpace(MaxReturnRate);

    /// <summary>The query, or null with the reason when a typed number is not one.</summary>
    public (ListSellerOffersQuery? Query, string? Error) ToQuery(string currency)
    {
        if (!MajorUnits.TryParseMoney(MaxPrice, currency, out var maxPrice, out var error)) return (null, "Max price: " + error);
        if (!MajorUnits.TryParse(MaxReturnRate, out var maxReturn, out error)) return (null, "Max return rate: " + error);
        bool? exclusive = bool.TryParse(Exclusive, out var e) ? e : null;
        return (new ListSellerOffersQuery(Blank(Niche), Blank(Region), maxPrice, MinVolume, exclusive, maxReturn is { } r ? (double)(r / 100m) : null,
            Blank(Sort), null, Page), null);
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

public sealed record SellerOfferBrowsePage(SellerOfferBrowseFilter Filter, PagedResult<SellerOfferDto> Items, IReadOnlyList<NicheDto> Niches,
    IReadOnlyList<RegionDto> Regions, string? FilterError)
{
    public string NicheName(string code) => Niches.FirstOrDefault(n => n.Code == code)?.Name ?? code;

    public string RegionNames(IReadOnlyList<string> codes) => SellerOfferDisplay.RegionNames(codes, Regions);
}

/// <summary>An offer as a buyer sees it, with the subscribe form (a lead order form without niche, exclusivity and, for fixed prices, max price).</summary>
public sealed record SellerOfferBuyerPage(SellerOfferDto Offer, NicheDto? Niche, LeadOrderFormPage Subscribe, LeadOrderDto? Subscription)
{
    public string RegionNames => SellerOfferDisplay.RegionNames(Offer.Regions, Subscribe.Regions);
}

/// <summary>What Views/Shared/_SubscriptionButtons.cshtml needs: Pause/Resume/End of one subscription, posted to the area's controller.</summary>
public sealed record SubscriptionButtons(string Area, Guid SubscriptionId, string Name, bool Paused, bool Ended);

/// <summary>What Views/Shared/_SellerQuality.cshtml shows: the seller's record a buyer judges an offer by.</summary>
public sealed record SellerQualityView(SellerQualityDto Seller, double? ReturnRate, bool Compact);

/// <summary>What Views/Shared/_SellerOfferTerms.cshtml shows: description, sample, fields and traffic sources of an offer.</summary>
public sealed record SellerOfferTermsView(SellerOfferDto Offer, NicheDto? Niche, string RegionNames);

// ---------- Display ----------

public static class SellerOfferDisplay
{
    public static readonly IReadOnlyList<(string Code, string Name)> TrafficSources =
    [
        ("contextual", "Contextual ads"), ("seo", "SEO"), ("social", "Social networks"), ("targeted", "Targeted ads"), ("email", "Email"),
        ("cpa-network", "CPA networks"), ("offline", "Offline"), ("other", "Other"),
    ];

    public static readonly IReadOnlyList<string> Statuses = ["active", "paused", "closed"];

    public static string TrafficSource(string code) => TrafficSources.FirstOrDefault(s => s.Code == code).Name ?? code;

    public static string Sources(IReadOnlyList<string> codes) => string.Join(", ", codes.Select(TrafficSource));

    public static string Status(string status) => status switch
    {
        "active" => "Active",
        "paused" => "Paused",
        "closed" => "Closed",
        _ => status,
    };

    public static string Badge(string status) => status switch
    {
        "active" => "text-bg-success",
        "paused" => "text-bg-warning",
        _ => "text-bg-secondary",
    };

    public static string Price(SellerOfferDto o) => o.Pricing == "fixed" && o.FixedPrice is { } p ? Display.Money(p, o.Currency) : "Exchange price";

    /// <summary>A return rate (share of sales disputed and upheld) as a percent, "—" without sales.</summary>
    public static string Rate(double? rate) => rate is { } r ? (r * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%" : "—";

    public static string RegionNames(IReadOnlyList<string> codes, IReadOnlyList<RegionDto> regions) =>
        codes.Count == 0 ? "All regions" : string.Join(", ", codes.Select(c => regions.FirstOrDefault(r => r.Code == c)?.Name ?? c));

    public static string FieldLabel(NicheDto? niche, string key) => niche?.Fields.FirstOrDefault(f => f.Key == key)?.Label ?? key;

    /// <summary>A subscription's state for either side: ended, paused by the seller, paused (by the buyer or automatically), active.</summary>
    public static (string Text, string Badge) SubscriptionState(string status, bool sellerPaused, bool ended) =>
        ended ? ("Ended", "text-bg-secondary")
        : sellerPaused ? ("Paused by the seller", "text-bg-warning")
        : status == "paused" ? ("Paused by the buyer", "text-bg-warning")
        : ("Active", "text-bg-success");

    public static int MaxTitle => SellerOffer.TitleMaxLength;

    public static int MaxDescription => SellerOffer.DescriptionMaxLength;

    public static int MaxSampleValue => SellerOffer.SampleValueMaxLength;
}

// ---------- Notifications (every role) ----------

public sealed record NotificationsPage(PagedResult<NotificationDto> Items)
{
    /// <summary>A notification's link only when it stays on this site.</summary>
    public string? LocalLink(string? link, Microsoft.AspNetCore.Mvc.IUrlHelper url) => !string.IsNullOrEmpty(link) && url.IsLocalUrl(link) ? link : null;
}
