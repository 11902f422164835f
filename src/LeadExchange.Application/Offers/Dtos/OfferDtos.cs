using LeadExchange.Domain.Offers;

namespace LeadExchange.Application.Offers.Dtos;

/// <summary>A goal as the API and pages show it. Percents are in percent (12.5 = 12.5%).</summary>
public sealed record GoalDto
{
    public Guid Id { get; init; }
    public string Code { get; init; } = "";
    public string Name { get; init; } = "";
    public PayoutModel Model { get; init; }
    public long AdvertiserAmount { get; init; }
    public long WebmasterAmount { get; init; }
    public decimal? AdvertiserPercent { get; init; }
    public decimal? WebmasterPercent { get; init; }
    public bool IsDefault { get; init; }
}

public sealed record OfferDto
{
    public Guid Id { get; init; }
    public string AdvertiserId { get; init; } = "";
    public string NicheCode { get; init; } = "";
    public string NicheName { get; init; } = "";
    public string Title { get; init; } = "";
    public string Description { get; init; } = "";
    public string LandingUrl { get; init; } = "";
    public string Currency { get; init; } = "";
    public OfferStatus Status { get; init; }
    public OfferAccess Access { get; init; }
    public int HoldDays { get; init; }
    public int? DailyCap { get; init; }
    public int? MonthlyCap { get; init; }
    /// <summary>Conversions per webmaster per UTC day / month, on top of the offer-wide caps.</summary>
    public int? WebmasterDailyCap { get; init; }
    public int? WebmasterMonthlyCap { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; init; }
    public IReadOnlyList<string> Regions { get; init; } = [];
    public IReadOnlyList<GoalDto> Goals { get; init; } = [];
    /// <summary>For a webmaster: their participation in this offer, if any.</summary>
    public ParticipationDto? MyParticipation { get; init; }
}

public sealed record ParticipationDto
{
    public Guid Id { get; init; }
    public Guid OfferId { get; init; }
    public string OfferTitle { get; init; } = "";
    public string WebmasterId { get; init; } = "";
    public string WebmasterName { get; init; } = "";
    public ParticipationStatus Status { get; init; }
    /// <summary>Only for the webmaster who owns it and only once approved.</summary>
    public string? LinkCode { get; init; }
    public string? TrackingUrl { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime? DecidedAt { get; init; }
    public string? DecisionNote { get; init; }
}

public sealed record JoinOfferResult(Guid ParticipationId, string Status, string? LinkCode, string? TrackingUrl);

/// <summary>What a person submits for a goal. Percent goals (CPS) give percents instead of amounts.</summary>
public sealed record GoalInput
{
    public string Code { get; init; } = "";
    public string Name { get; init; } = "";
    public PayoutModel Model { get; init; }
    public long AdvertiserAmount { get; init; }
    public long WebmasterAmount { get; init; }
    public decimal? AdvertiserPercent { get; init; }
    public decimal? WebmasterPercent { get; init; }
    public bool IsDefault { get; init; }
}

public sealed record OfferInput
{
    public string NicheCode { get; init; } = "";
    public string Title { get; init; } = "";
    public string? Description { get; init; }
    public string LandingUrl { get; init; } = "";
    public string Currency { get; init; } = "RUB";
    public OfferAccess Access { get; init; }
    public int HoldDays { get; init; }
    public int? DailyCap { get; init; }
    public int? MonthlyCap { get; init; }
    /// <summary>Conversions per webmaster per UTC day / month, on top of the offer-wide caps.</summary>
    public int? WebmasterDailyCap { get; init; }
    public int? WebmasterMonthlyCap { get; init; }
    public IReadOnlyList<string> Regions { get; init; } = [];
    public IReadOnlyList<GoalInput> Goals { get; init; } = [];
}
