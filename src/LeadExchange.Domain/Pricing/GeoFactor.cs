namespace LeadExchange.Domain.Pricing;

/// <summary>
/// How much a region's leads cost relative to the base price (Moscow 2.0, Murmansk 0.7). A row for one niche
/// overrides the all-niches row of the same region (<see cref="AllNiches"/>); regions without a row inherit
/// from their parent (see <see cref="GeoResolver"/>).
/// </summary>
public sealed class GeoFactor
{
    /// <summary>The niche code of a factor that applies to every niche without its own.</summary>
    public const string AllNiches = "*";
    public const decimal Min = 0.05m, Max = 20m;

    private GeoFactor() { }

    public GeoFactor(string regionCode, string? nicheCode, decimal factor)
    {
        RegionCode = regionCode;
        NicheCode = string.IsNullOrEmpty(nicheCode) ? AllNiches : nicheCode;
        Factor = factor;
    }

    public string RegionCode { get; private set; } = "";
    public string NicheCode { get; private set; } = AllNiches;
    public decimal Factor { get; set; }
    public DateTime? UpdatedAt { get; set; }

    public bool ForAllNiches => NicheCode == AllNiches;

    /// <summary>The message when the factor is out of range or too precise; else null.</summary>
    public static string? Validate(decimal factor) => NichePriceSettings.Factor(factor, Min, Max);
}

/// <summary>The geo factor a quote used and where it came from; <see cref="RegionCode"/> null = none found (1.0).</summary>
public sealed record GeoMatch(decimal Factor, string? RegionCode, string? NicheCode)
{
    public static readonly GeoMatch None = new(1.0m, null, null);

    public bool Inherited(string quotedRegion) => RegionCode is not null && RegionCode != quotedRegion;
}

public static class GeoResolver
{
    /// <summary>Deeper than any ISO 3166 hierarchy; stops a parent cycle in edited data from looping.</summary>
    private const int MaxDepth = 8;

    /// <summary>
    /// Walks from the region up through its parents (subdivision, then country). At each level the niche's own
    /// factor wins over the all-niches one; the nearest level with any factor decides, so Moscow's all-niches
    /// factor beats a niche-specific factor set for Russia as a whole. Nothing found: 1.0.
    /// </summary>
    public static GeoMatch Resolve(string regionCode, string nicheCode, Func<string, string?> parentOf,
        Func<string, string, decimal?> factorOf)
    {
        var region = regionCode;
        for (var depth = 0; region is not null && depth < MaxDepth; depth++, region = parentOf(region))
        {
            if (factorOf(nicheCode, region) is { } own) return new GeoMatch(own, region, nicheCode);
            if (factorOf(GeoFactor.AllNiches, region) is { } shared) return new GeoMatch(shared, region, GeoFactor.AllNiches);
        }
        return GeoMatch.None;
    }
}
