namespace LeadExchange.Domain.Reference;

public enum LeadFieldType { Text, Integer, Decimal, Boolean, Choice }

/// <summary>A niche-specific lead field (real estate: rooms, budget; credit: amount, term).</summary>
public sealed record NicheField(string Key, string Label, LeadFieldType Type, bool Required, IReadOnlyList<string>? Choices = null);

/// <summary>A market vertical leads are bought and sold in. Code is a stable URL-safe key, e.g. "real-estate".</summary>
public sealed class Niche
{
    public const int CodeMaxLength = 40;

    private Niche() { }

    public Niche(string code, string name, string currency)
    {
        Code = code;
        Name = name;
        Currency = currency;
    }

    public string Code { get; private set; } = "";
    public string Name { get; set; } = "";
    public string? Description { get; set; }
    /// <summary>Currency its prices are quoted in.</summary>
    public string Currency { get; set; } = "RUB";
    /// <summary>Same person in the same niche within this many days is a duplicate.</summary>
    public int DedupWindowDays { get; set; } = 30;
    /// <summary>A buyer may dispute a bought lead within this many hours.</summary>
    public int DisputeWindowHours { get; set; } = 72;
    /// <summary>Unsold leads leave the catalog after this many days.</summary>
    public int LeadExpiryDays { get; set; } = 14;
    /// <summary>A shared lead is sold to at most this many distinct buyers.</summary>
    public int MaxSharedBuyers { get; set; } = 3;
    /// <summary>Score at or above which a lead is hot.</summary>
    public int HotThreshold { get; set; } = 70;
    /// <summary>Score at or above which a lead is warm (below: cold).</summary>
    public int WarmThreshold { get; set; } = 40;
    public string ConsentText { get; set; } = "";
    public List<NicheField> Fields { get; set; } = [];
    public bool IsActive { get; set; } = true;
    /// <summary>Platform commission for this niche in basis points; null = the platform default.</summary>
    public int? CommissionBp { get; set; }
    /// <summary>Scoring weights of this niche; null = <see cref="Leads.ScoringWeights.Default"/>.</summary>
    public Leads.ScoringWeights? ScoringWeights { get; set; }

    public Leads.ScoringWeights Weights => ScoringWeights ?? Leads.ScoringWeights.Default;

    public Temperature TemperatureFor(int score) =>
        score >= HotThreshold ? Temperature.Hot : score >= WarmThreshold ? Temperature.Warm : Temperature.Cold;

    /// <summary>Checks the invariants an admin edit must keep; returns (field, message) pairs.</summary>
    public IEnumerable<(string Field, string Message)> Validate()
    {
        if (DedupWindowDays is < 1 or > 365) yield return (nameof(DedupWindowDays), "Dedup window must be 1 to 365 days.");
        if (DisputeWindowHours is < 1 or > 720) yield return (nameof(DisputeWindowHours), "Dispute window must be 1 to 720 hours.");
        if (LeadExpiryDays is < 1 or > 365) yield return (nameof(LeadExpiryDays), "Lead expiry must be 1 to 365 days.");
        if (MaxSharedBuyers is < 1 or > 10) yield return (nameof(MaxSharedBuyers), "Shared leads go to 1 to 10 buyers.");
        if (CommissionBp is < 0 or > 10_000) yield return (nameof(CommissionBp), "Commission is 0% to 100%.");
        if (HotThreshold is < 1 or > 100) yield return (nameof(HotThreshold), "Hot threshold must be 1 to 100.");
        if (WarmThreshold < 0 || WarmThreshold >= HotThreshold) yield return (nameof(WarmThreshold), "Warm threshold must be at least 0 and below the hot threshold.");
        if (ScoringWeights is { } w)
        {
            foreach (var (name, value) in w.All().Where(x => x.Value is < 0 or > 100))
                yield return ($"Weights.{name}", "A weight is 0 to 100 points.");
            if (w.MaxTotal < HotThreshold)
                yield return ("Weights", $"With these weights a lead scores at most {w.MaxTotal}, so none could be hot (from {HotThreshold}).");
        }
        var dupes = Fields.GroupBy(f => f.Key, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (dupes.Count > 0) yield return (nameof(Fields), $"Field keys must be unique: {string.Join(", ", dupes)}.");
        foreach (var f in Fields.Where(f => f.Type == LeadFieldType.Choice && (f.Choices is null || f.Choices.Count == 0)))
            yield return (nameof(Fields), $"Field '{f.Key}' is a choice and needs at least one choice.");
    }
}

public enum Temperature { Cold, Warm, Hot }
