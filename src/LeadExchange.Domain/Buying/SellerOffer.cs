using LeadExchange.Domain.Common;
using LeadExchange.Domain.Reference;

namespace LeadExchange.Domain.Buying;

public enum SellerOfferStatus { Active, Paused, Closed }

/// <summary>How a seller offer prices its leads: a fixed price per lead, or whatever the exchange price of each lead is.</summary>
public enum SellerOfferPricing { Fixed, Exchange }

/// <summary>What a webmaster fills in to publish (and edit) a seller offer.</summary>
public sealed record SellerOfferTerms(
    string Title, string NicheCode, IReadOnlyList<string> RegionCodes, IReadOnlyList<string> TrafficSources, int ExpectedPerDay, bool Exclusive,
    SellerOfferPricing Pricing, long? FixedPrice, IReadOnlyList<string> DeliveredFields, string? Description, IReadOnlyDictionary<string, string>? Sample);

/// <summary>
/// "I will sell leads": a webmaster's standing offer on the exchange: niche,
/// regions, traffic sources, expected volume, exclusive or shared, a price (fixed or the exchange's), the
/// lead fields delivered and a masked sample. Advertisers subscribe with a lead order bound to the offer; the
/// seller's matching leads go to those subscribers first, at the offer's price.
/// </summary>
public sealed class SellerOffer
{
    public const int TitleMaxLength = 120;
    public const int DescriptionMaxLength = 4000;
    public const int SampleValueMaxLength = 100;
    public static readonly IReadOnlyList<string> KnownTrafficSources = ["contextual", "seo", "social", "targeted", "email", "cpa-network", "offline", "other"];

    private SellerOffer() { }

    public Guid Id { get; private set; }
    public string SellerId { get; private set; } = "";
    public string Title { get; private set; } = "";
    public string NicheCode { get; private set; } = "";
    /// <summary>Comma-separated region codes; empty = every region.</summary>
    public string RegionCodes { get; private set; } = "";
    public string TrafficSources { get; private set; } = "";
    public int ExpectedPerDay { get; private set; }
    public bool Exclusive { get; private set; }
    public SellerOfferPricing Pricing { get; private set; }
    /// <summary>Price per lead in minor units when <see cref="Pricing"/> is Fixed.</summary>
    public long? FixedPrice { get; private set; }
    public string Currency { get; private set; } = "";
    /// <summary>Comma-separated niche field keys the seller's leads carry.</summary>
    public string DeliveredFields { get; private set; } = "";
    public string? Description { get; private set; }
    /// <summary>A sample lead's niche fields (JSON object), shown to advertisers; never contact data.</summary>
    public string SampleJson { get; private set; } = "{}";
    public SellerOfferStatus Status { get; private set; }
    public DateTime CreatedAt { get; private set; }
    public DateTime UpdatedAt { get; private set; }
    public DateTime? ClosedAt { get; private set; }

    public IReadOnlyList<string> Regions => RegionCodes.Split(',', StringSplitOptions.RemoveEmptyEntries);

    public IReadOnlyList<string> Sources => TrafficSources.Split(',', StringSplitOptions.RemoveEmptyEntries);

    public IReadOnlyList<string> Fields => DeliveredFields.Split(',', StringSplitOptions.RemoveEmptyEntries);

    public static SellerOffer Publish(string sellerId, string currency, SellerOfferTerms terms, Niche niche, DateTime now)
    {
        var offer = new SellerOffer { Id = Guid.NewGuid(), SellerId = sellerId, Currency = currency, Status = SellerOfferStatus.Active, CreatedAt = now };
        offer.Apply(terms, niche, now);
        return offer;
    }

    public void Update(SellerOfferTerms terms, Niche niche, DateTime now)
    {
        if (Status == SellerOfferStatus.Closed) throw new DomainException("offer_closed", "A closed offer cannot be edited.");
        if (terms.NicheCode != NicheCode) throw new DomainException("niche_fixed", "The niche of an offer cannot change; publish a new offer.", "niche");
        Apply(terms, niche, now);
    }

    private void Apply(SellerOfferTerms t, Niche niche, DateTime now)
    {
        var errors = Validate(t, niche).ToList();
        if (errors.Count > 0) throw new SellerOfferInvalidException(errors);
        Title = t.Title.Trim();
        NicheCode = niche.Code;
        RegionCodes = string.Join(",", t.RegionCodes.Select(r => r.Trim().ToUpperInvariant()).Distinct().OrderBy(r => r, StringComparer.Ordinal));
        TrafficSources = string.Join(",", t.TrafficSources.Select(s => s.Trim().ToLowerInvariant()).Distinct());
        ExpectedPerDay = t.ExpectedPerDay;
        Exclusive = t.Exclusive;
        Pricing = t.Pricing;
        FixedPrice = t.Pricing == SellerOfferPricing.Fixed ? t.FixedPrice : null;
        DeliveredFields = string.Join(",", t.DeliveredFields.Select(f => f.Trim()).Distinct());
        Description = string.IsNullOrWhiteSpace(t.Description) ? null : t.Description.Trim();
        SampleJson = System.Text.Json.JsonSerializer.Serialize(t.Sample ?? new Dictionary<string, string>());
        UpdatedAt = now;
    }

    /// <summary>Every broken rule as (field, message) with the API's camelCase field names.</summary>
    public static IEnumerable<(string Field, string Message)> Validate(SellerOfferTerms t, Niche niche)
    {
        var title = t.Title?.Trim() ?? "";
        if (title.Length == 0) yield return ("title", "Title is required.");
        else if (title.Length > TitleMaxLength) yield return ("title", $"Title is at most {TitleMaxLength} characters.");
        else if (DisplayText.HasHiddenCharacters(title)) yield return ("title", DisplayText.HiddenCharactersMessage("Title"));
        if (t.RegionCodes.Count > LeadOrder.MaxRegions) yield return ("regions", $"At most {LeadOrder.MaxRegions} regions.");
        foreach (var r in t.RegionCodes.Where(r => !Region.IsWellFormedCode(r?.Trim().ToUpperInvariant())))
            yield return ("regions", $"'{r}' is not a region code (e.g. RU or RU-MOW).");
        if (t.TrafficSources.Count == 0) yield return ("trafficSources", "Name at least one traffic source.");
        foreach (var s in t.TrafficSources.Where(s => !KnownTrafficSources.Contains(s?.Trim().ToLowerInvariant())))
            yield return ("trafficSources", $"'{s}' is not a traffic source ({string.Join(", ", KnownTrafficSources)}).");
        if (t.ExpectedPerDay is < 1 or > 100_000) yield return ("expectedPerDay", "Expected volume is 1 to 100000 leads a day.");
        if (t.Pricing == SellerOfferPricing.Fixed && t.FixedPrice is null or <= 0)
            yield return ("fixedPrice", "A fixed-price offer needs a positive price per lead (minor units).");
        if (t.Pricing == SellerOfferPricing.Exchange && t.FixedPrice is not null)
            yield return ("fixedPrice", "An offer at the exchange price has no fixed price.");
        var keys = niche.Fields.Select(f => f.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var f in t.DeliveredFields.Where(f => !keys.Contains(f?.Trim() ?? "")))
            yield return ("deliveredFields", $"'{f}' is not a field of the niche {niche.Code}.");
        foreach (var required in niche.Fields.Where(f => f.Required && !t.DeliveredFields.Contains(f.Key)))
            yield return ("deliveredFields", $"The niche requires '{required.Key}'; every lead carries it.");
        if (t.Description is { Length: > DescriptionMaxLength }) yield return ("description", $"Description is at most {DescriptionMaxLength} characters.");
        foreach (var (key, value) in t.Sample ?? new Dictionary<string, string>())
        {
            if (!keys.Contains(key)) yield return ("sample", $"'{key}' is not a field of the niche {niche.Code}; the sample shows niche fields only, never contacts.");
            else if (value.Length > SampleValueMaxLength) yield return ("sample", $"Sample values are at most {SampleValueMaxLength} characters.");
        }
    }

    /// <summary>True when the offer sells leads of this region (its list is empty, or names the region or one containing it).</summary>
    public bool Covers(string regionCode, Func<string, string?> parentOf) =>
        RegionCodes.Length == 0 || Regions.Any(r => Region.Covers(r, regionCode, parentOf));

    /// <summary>A subscriber's order terms bound to this offer: its niche and exclusivity; a fixed price as the max price.</summary>
    public LeadOrderTerms Bind(LeadOrderTerms terms) => terms with
    {
        NicheCode = NicheCode,
        Exclusive = Exclusive,
        MaxPrice = Pricing == SellerOfferPricing.Fixed && FixedPrice is { } fixedPrice ? fixedPrice : terms.MaxPrice,
    };

    /// <summary>What a subscriber pays for one lead: the fixed price, or the lead's exchange price.</summary>
    public long PriceFor(long exchangePrice) => Pricing == SellerOfferPricing.Fixed && FixedPrice is { } p ? p : exchangePrice;

    public void SetStatus(SellerOfferStatus status, DateTime now)
    {
        if (Status == SellerOfferStatus.Closed) throw new DomainException("offer_closed", "The offer is closed.");
        Status = status;
        if (status == SellerOfferStatus.Closed) ClosedAt = now;
        UpdatedAt = now;
    }
}

public sealed class SellerOfferInvalidException(IReadOnlyList<(string Field, string Message)> errors)
    : DomainException("invalid_offer", errors[0].Message, errors[0].Field)
{
    public IReadOnlyList<(string Field, string Message)> Errors { get; } = errors;
}
