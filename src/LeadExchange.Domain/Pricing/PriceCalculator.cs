namespace LeadExchange.Domain.Pricing;

/// <summary>
/// Everything one price depends on. Money in minor units of <paramref name="Currency"/>; factors as decimals
/// (1.0 = no change).
/// </summary>
public sealed record PriceInputs(
    string Currency, long BasePrice, long FloorPrice, long CeilingPrice,
    decimal Geo, decimal Season, decimal Temperature, decimal Demand);

/// <summary>
/// How a price came about: base x geo x season x temperature x demand = <see cref="Unclamped"/> (rounded to the
/// minor unit), then kept within [<see cref="Floor"/>, <see cref="Ceiling"/>] = <see cref="Price"/>.
/// Stored with a sold lead and shown to its buyer and seller.
/// </summary>
public sealed record PriceBreakdown(
    string Currency, long Base, decimal Geo, decimal Season, decimal Temperature, decimal Demand,
    long Unclamped, long Floor, long Ceiling, long Price, bool Clamped);

/// <summary>
/// price = clamp(base x geo x season x temperature x demand, floor, ceiling), rounded to the minor unit.
/// Rounding: to the nearest minor unit, halves away from zero (250.005 RUB -> 250.01 RUB), once, on the full
/// product; the clamp comes after the rounding (floor and ceiling are whole minor units already).
/// Demand is bounded again here, so a bad stored value can never move a price by more than the bounds.
/// </summary>
public static class PriceCalculator
{
    public static PriceBreakdown Calculate(PriceInputs input)
    {
        var demand = DemandCalculator.Bound(input.Demand);
        var unclamped = RoundToMinor(input.BasePrice * input.Geo * input.Season * input.Temperature * demand);
        var price = Math.Clamp(unclamped, input.FloorPrice, Math.Max(input.FloorPrice, input.CeilingPrice));
        return new PriceBreakdown(input.Currency, input.BasePrice, input.Geo, input.Season, input.Temperature, demand,
            unclamped, input.FloorPrice, input.CeilingPrice, price, price != unclamped);
    }

    /// <summary>The price of a niche's settings with the geo and demand factors found for a region.</summary>
    public static PriceBreakdown Calculate(NichePriceSettings settings, string currency, decimal geo, int month,
        Reference.Temperature temperature, decimal demand) =>
        Calculate(new PriceInputs(currency, settings.BasePrice, settings.FloorPrice, settings.CeilingPrice,
            geo, settings.Season(month), settings.Multiplier(temperature), demand));

    /// <summary>Nearest whole minor unit, halves away from zero.</summary>
    public static long RoundToMinor(decimal minorUnits) => (long)decimal.Round(minorUnits, 0, MidpointRounding.AwayFromZero);
}
