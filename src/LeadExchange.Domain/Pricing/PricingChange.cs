namespace LeadExchange.Domain.Pricing;

public enum PricingChangeKind { Prices, Season, Temperature, GeoFactor }

/// <summary>One admin edit of the price tables: who, when, what (JSON before and after; null = did not exist / removed).</summary>
public sealed class PricingChange
{
    public const int JsonMaxLength = 4000;

    private PricingChange() { }

    public PricingChange(PricingChangeKind kind, string? nicheCode, string? regionCode, string userId, string? userEmail,
        string? before, string? after, DateTime at)
    {
        Id = Guid.NewGuid();
        Kind = kind;
        NicheCode = nicheCode;
        RegionCode = regionCode;
        UserId = userId;
        UserEmail = userEmail;
        Before = before;
        After = after;
        At = at;
    }

    public Guid Id { get; private set; }
    public PricingChangeKind Kind { get; private set; }
    /// <summary>The niche, or <see cref="GeoFactor.AllNiches"/> for an all-niches geo factor.</summary>
    public string? NicheCode { get; private set; }
    public string? RegionCode { get; private set; }
    public string UserId { get; private set; } = "";
    /// <summary>The admin's email at the time, so the log reads without a user lookup and survives renames.</summary>
    public string? UserEmail { get; private set; }
    public string? Before { get; private set; }
    public string? After { get; private set; }
    public DateTime At { get; private set; }
}
