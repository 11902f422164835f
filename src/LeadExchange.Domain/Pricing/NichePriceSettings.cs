using System.Globalization;
using LeadExchange.Domain.Reference;

namespace LeadExchange.Domain.Pricing;

/// <summary>
/// A niche's price list: base, floor and ceiling in minor units of the niche's currency, a factor per calendar
/// month and a multiplier per lead temperature. A niche without a saved row is priced with <see cref="Defaults"/>.
/// </summary>
public sealed class NichePriceSettings
{
    public const int Months = 12;
    /// <summary>1,000,000.00 in any supported currency: far above any lead price, far below overflow.</summary>
    public const long MaxPrice = 1_000_000_00;
    public const decimal MinSeason = 0.1m, MaxSeason = 5m;
    public const decimal MinMultiplier = 0.1m, MaxMultiplier = 5m;
    /// <summary>Factors keep at most this many decimals (the database column's scale).</summary>
    public const int FactorDecimals = 4;

    private NichePriceSettings() { }

    public NichePriceSettings(string nicheCode) => NicheCode = nicheCode;

    public string NicheCode { get; private set; } = "";
    public long BasePrice { get; set; } = 500_00;
    public long FloorPrice { get; set; } = 10_00;
    public long CeilingPrice { get; set; } = 10_000_00;
    /// <summary>January first; 1.0 = an average month.</summary>
    public List<decimal> SeasonFactors { get; set; } = Flat();
    public decimal HotMultiplier { get; set; } = 1.5m;
    public decimal WarmMultiplier { get; set; } = 1.0m;
    public decimal ColdMultiplier { get; set; } = 0.6m;
    public DateTime? UpdatedAt { get; set; }

    /// <summary>What a niche nobody priced yet costs: 500 (10..10,000) in its currency, no season, hot 1.5 / warm 1.0 / cold 0.6.</summary>
    public static NichePriceSettings Defaults(string nicheCode) => new(nicheCode);

    public static List<decimal> Flat() => Enumerable.Repeat(1.0m, Months).ToList();

    public decimal Season(int month) =>
        month is >= 1 and <= Months && SeasonFactors.Count == Months ? SeasonFactors[month - 1] : 1.0m;

    public decimal Multiplier(Temperature temperature) => temperature switch
    {
        Temperature.Hot => HotMultiplier,
        Temperature.Warm => WarmMultiplier,
        _ => ColdMultiplier,
    };

    public IEnumerable<(string Field, string Message)> ValidatePrices()
    {
        if (BasePrice is < 1 or > MaxPrice) yield return (nameof(BasePrice), "Base price must be above 0 and at most 1,000,000.00.");
        if (FloorPrice is < 0 or > MaxPrice) yield return (nameof(FloorPrice), "Floor must be 0 to 1,000,000.00.");
        if (CeilingPrice is < 1 or > MaxPrice) yield return (nameof(CeilingPrice), "Ceiling must be above 0 and at most 1,000,000.00.");
        else if (CeilingPrice < FloorPrice) yield return (nameof(CeilingPrice), "Ceiling must not be below the floor.");
        else if (BasePrice < FloorPrice || BasePrice > CeilingPrice) yield return (nameof(BasePrice), "Base price must lie between the floor and the ceiling.");
    }

    public IEnumerable<(string Field, string Message)> ValidateSeason()
    {
        if (SeasonFactors.Count != Months)
        {
            yield return (nameof(SeasonFactors), "Give one factor for each of the 12 months.");
            yield break;
        }
        for (var i = 0; i < Months; i++)
            if (Factor(SeasonFactors[i], MinSeason, MaxSeason) is { } message)
                yield return ($"{nameof(SeasonFactors)}[{i}]", message);
    }

    public IEnumerable<(string Field, string Message)> ValidateMultipliers()
    {
        var hot = Factor(HotMultiplier, MinMultiplier, MaxMultiplier);
        var warm = Factor(WarmMultiplier, MinMultiplier, MaxMultiplier);
        var cold = Factor(ColdMultiplier, MinMultiplier, MaxMultiplier);
        if (hot is not null) yield return (nameof(HotMultiplier), hot);
        if (warm is not null) yield return (nameof(WarmMultiplier), warm);
        if (cold is not null) yield return (nameof(ColdMultiplier), cold);
        if (hot is null && warm is null && HotMultiplier < WarmMultiplier)
            yield return (nameof(HotMultiplier), "A hot lead must not cost less than a warm one.");
        if (warm is null && cold is null && WarmMultiplier < ColdMultiplier)
            yield return (nameof(ColdMultiplier), "A cold lead must not cost more than a warm one.");
    }

    /// <summary>The same value without trailing zeros (1.50 -> 1.5), so equal factors also read and audit the same.</summary>
    public static decimal Normalize(decimal value) => value / 1.0000000000000000000000000000m;

    /// <summary>The message when <paramref name="value"/> is outside [min, max] or more precise than the stored scale; else null.</summary>
    public static string? Factor(decimal value, decimal min, decimal max)
    {
        if (value < min || value > max) return string.Create(CultureInfo.InvariantCulture, $"Must be {min:0.0###} to {max:0.0###}.");
        if (decimal.Round(value, FactorDecimals) != value) return $"Use at most {FactorDecimals} decimals.";
        return null;
    }
}
