using LeadExchange.Domain.Common;

namespace LeadExchange.Domain.Offers;

/// <summary>An advertiser's CPA offer: where traffic lands, which events pay and how much.</summary>
public sealed class Offer
{
    public const int TitleMaxLength = 120;
    public const int DescriptionMaxLength = 4000;
    public const int LandingUrlMaxLength = 2000;

    private readonly List<OfferGoal> _goals = [];
    private readonly List<OfferRegion> _regions = [];

    private Offer() { }

    public Guid Id { get; private set; }
    public string AdvertiserId { get; private set; } = "";
    public string NicheCode { get; private set; } = "";
    /// <summary>Navigation for reads; set by the database, not by the domain.</summary>
    public Reference.Niche? Niche { get; private set; }
    public string Title { get; private set; } = "";
    public string Description { get; private set; } = "";
    public string LandingUrl { get; private set; } = "";
    public string Currency { get; private set; } = "RUB";
    public OfferStatus Status { get; private set; }
    public OfferAccess Access { get; private set; }
    public int HoldDays { get; private set; }
    public int? DailyCap { get; private set; }
    public int? MonthlyCap { get; private set; }
    /// <summary>Conversions per webmaster per UTC day (on top of the offer-wide caps).</summary>
    public int? WebmasterDailyCap { get; private set; }
    public int? WebmasterMonthlyCap { get; private set; }
    public DateTime CreatedAt { get; private set; }
    public DateTime UpdatedAt { get; private set; }

    public IReadOnlyList<OfferGoal> Goals => _goals;
    public IReadOnlyList<OfferRegion> Regions => _regions;

    public static Offer Create(string advertiserId, OfferSpec spec, DateTime now)
    {
        var offer = new Offer
        {
            Id = Guid.NewGuid(),
            AdvertiserId = advertiserId,
            Status = OfferStatus.Active,
            CreatedAt = now,
        };
        offer.Update(spec, now);
        return offer;
    }

    public void Update(OfferSpec spec, DateTime now)
    {
        EnsureNotArchived();
        NicheCode = spec.NicheCode;
        Title = spec.Title.Trim();
        Description = spec.Description?.Trim() ?? "";
        LandingUrl = spec.LandingUrl.Trim();
        Currency = spec.Currency;
        Access = spec.Access;
        HoldDays = spec.HoldDays;
        DailyCap = spec.DailyCap;
        MonthlyCap = spec.MonthlyCap;
        WebmasterDailyCap = spec.WebmasterDailyCap;
        WebmasterMonthlyCap = spec.WebmasterMonthlyCap;

        _regions.RemoveAll(r => !spec.RegionCodes.Contains(r.RegionCode));
        foreach (var code in spec.RegionCodes.Where(c => _regions.All(r => r.RegionCode != c)))
            _regions.Add(new OfferRegion(Id, code));

        // Goals keep their ids when their code stays, so later conversions keep pointing at them.
        var wanted = spec.Goals.ToDictionary(g => g.Code.Trim().ToLowerInvariant());
        _goals.RemoveAll(g => !wanted.ContainsKey(g.Code));
        foreach (var (code, goalSpec) in wanted)
        {
            var existing = _goals.FirstOrDefault(g => g.Code == code);
            if (existing is null) _goals.Add(new OfferGoal(goalSpec));
            else existing.Apply(goalSpec);
        }
        if (!_goals.Any(g => g.IsDefault) && _goals.Count > 0)
        {
            var first = _goals[0];
            first.Apply(spec.Goals.First(g => g.Code.Trim().ToLowerInvariant() == first.Code) with { IsDefault = true });
        }
        UpdatedAt = now;
    }

    public void Pause(DateTime now)
    {
        EnsureNotArchived();
        Status = OfferStatus.Paused;
        UpdatedAt = now;
    }

    public void Activate(DateTime now)
    {
        EnsureNotArchived();
        Status = OfferStatus.Active;
        UpdatedAt = now;
    }

    public void Archive(DateTime now)
    {
        Status = OfferStatus.Archived;
        UpdatedAt = now;
    }

    public OfferGoal? DefaultGoal => _goals.FirstOrDefault(g => g.IsDefault) ?? _goals.FirstOrDefault();

    private void EnsureNotArchived()
    {
        if (Status == OfferStatus.Archived)
            throw new DomainException("offer_archived", "An archived offer cannot be changed.");
    }
}

public sealed class OfferRegion
{
    private OfferRegion() { }

    public OfferRegion(Guid offerId, string regionCode)
    {
        OfferId = offerId;
        RegionCode = regionCode;
    }

    public Guid OfferId { get; private set; }
    public string RegionCode { get; private set; } = "";
}
