using LeadExchange.Domain.Pricing;
using LeadExchange.Domain.Reference;

namespace LeadExchange.Domain.Tests.Pricing;

public sealed class PriceCalculatorTests
{
    /// <summary>
    /// base (RUB minor units), geo, season, temperature, demand, floor, ceiling -> unclamped, price, clamped.
    /// Rows 1-2 are the seed article's legal services example with the seeded factors: 600 RUB in Moscow, 100 in Murmansk.
    /// </summary>
    public static TheoryData<long, decimal, decimal, decimal, decimal, long, long, long, long, bool> Table => new()
    {
        // legal, Moscow (legal-only factor 2.4), warm, average month: 250 x 2.4 = 600 RUB
        { 250_00, 2.4m, 1.0m, 1.0m, 1.0m, 50_00, 3_000_00, 600_00, 600_00, false },
        // legal, Murmansk (legal-only factor 0.4): 250 x 0.4 = 100 RUB, a sixth of Moscow
        { 250_00, 0.4m, 1.0m, 1.0m, 1.0m, 50_00, 3_000_00, 100_00, 100_00, false },
        // credit, Russia average (0.9), December peak (1.3), hot (1.5): 750 x 0.9 x 1.3 x 1.5 = 1,316.25 RUB, inside 500-1,500
        { 750_00, 0.9m, 1.3m, 1.5m, 1.0m, 300_00, 3_000_00, 1_316_25, 1_316_25, false },
        // real estate, Moscow (2.0), April (1.2), cold (0.6): 2,500 x 2.0 x 1.2 x 0.6 = 3,600 RUB
        { 2_500_00, 2.0m, 1.2m, 0.6m, 1.0m, 500_00, 10_000_00, 3_600_00, 3_600_00, false },
        // real estate, New York (5.0), hot: 18,750 RUB, capped at the 10,000 RUB ceiling
        { 2_500_00, 5.0m, 1.0m, 1.5m, 1.0m, 500_00, 10_000_00, 18_750_00, 10_000_00, true },
        // legal, Murmansk, cold, July (0.9) with demand at its 0.8 minimum: 43.20 RUB, raised to the 50 RUB floor
        { 250_00, 0.4m, 0.9m, 0.6m, 0.8m, 50_00, 3_000_00, 43_20, 50_00, true },
        // demand 1.5 (the maximum) multiplies in full
        { 1_000_00, 1.0m, 1.0m, 1.0m, 1.5m, 10_00, 10_000_00, 1_500_00, 1_500_00, false },
        // demand outside the bounds is bounded: 3.0 counts as 1.5, 0.1 as 0.8
        { 1_000_00, 1.0m, 1.0m, 1.0m, 3.0m, 10_00, 10_000_00, 1_500_00, 1_500_00, false },
        { 1_000_00, 1.0m, 1.0m, 1.0m, 0.1m, 10_00, 10_000_00, 800_00, 800_00, false },
        // rounding: 333 x 1.5 = 499.5 minor units -> 500 (halves away from zero)
        { 333, 1.5m, 1.0m, 1.0m, 1.0m, 1, 10_000_00, 500, 500, false },
        // rounding: 101 x 0.333 = 33.633 -> 34; 101 x 0.3 = 30.3 -> 30
        { 101, 0.333m, 1.0m, 1.0m, 1.0m, 1, 10_000_00, 34, 34, false },
        { 101, 0.3m, 1.0m, 1.0m, 1.0m, 1, 10_000_00, 30, 30, false },
        // exactly at the floor and the ceiling is not clamping
        { 100_00, 1.0m, 1.0m, 1.0m, 1.0m, 100_00, 100_00, 100_00, 100_00, false },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void Calculate_WhenGivenTheFactors_MultipliesRoundsAndClamps(long basePrice, decimal geo, decimal season, decimal temperature,
        decimal demand, long floor, long ceiling, long unclamped, long price, bool clamped)
    {
        var result = PriceCalculator.Calculate(new PriceInputs("RUB", basePrice, floor, ceiling, geo, season, temperature, demand));

        Assert.Equal(unclamped, result.Unclamped);
        Assert.Equal(price, result.Price);
        Assert.Equal(clamped, result.Clamped);
        Assert.Equal(basePrice, result.Base);
        Assert.Equal(geo, result.Geo);
        Assert.Equal(season, result.Season);
        Assert.Equal(temperature, result.Temperature);
        Assert.Equal(DemandCalculator.Bound(demand), result.Demand);
        Assert.Equal("RUB", result.Currency);
    }

    [Fact]
    public void Calculate_WhenSeedLegalMoscowAndMurmansk_MoscowCostsSixTimesMurmanskInEveryMonthAndTemperature()
    {
        var legal = new NichePriceSettings("legal")
        {
            BasePrice = 250_00, FloorPrice = 50_00, CeilingPrice = 3_000_00,
            SeasonFactors = [0.95m, 1.0m, 1.05m, 1.05m, 1.0m, 0.95m, 0.9m, 0.9m, 1.05m, 1.05m, 1.05m, 1.0m],
        };
        foreach (var temperature in Enum.GetValues<Temperature>())
            for (var month = 1; month <= 12; month++)
            {
                var moscow = PriceCalculator.Calculate(legal, "RUB", 2.4m, month, temperature, 1.0m).Price;
                var murmansk = PriceCalculator.Calculate(legal, "RUB", 0.4m, month, temperature, 1.0m).Price;
                Assert.Equal(6.0m, decimal.Round(moscow / (decimal)murmansk, 2));
            }
    }

    [Theory]
    [InlineData(Temperature.Hot, 1_500_00)]
    [InlineData(Temperature.Warm, 1_000_00)]
    [InlineData(Temperature.Cold, 600_00)]
    public void Calculate_WhenSettingsAndTemperature_UsesTheNichesMultiplier(Temperature temperature, long expected)
    {
        var settings = NichePriceSettings.Defaults("x");
        settings.BasePrice = 1_000_00;

        Assert.Equal(expected, PriceCalculator.Calculate(settings, "RUB", 1.0m, 6, temperature, 1.0m).Price);
    }

    [Fact]
    public void Calculate_WhenSettingsHaveASeasonCurve_UsesTheFactorOfTheMonth()
    {
        var settings = NichePriceSettings.Defaults("x");
        settings.BasePrice = 1_000_00;
        settings.SeasonFactors = [0.5m, 0.6m, 0.7m, 0.8m, 0.9m, 1.0m, 1.1m, 1.2m, 1.3m, 1.4m, 1.5m, 1.6m];

        Assert.Equal(500_00, PriceCalculator.Calculate(settings, "RUB", 1.0m, 1, Temperature.Warm, 1.0m).Price);
        Assert.Equal(1_600_00, PriceCalculator.Calculate(settings, "RUB", 1.0m, 12, Temperature.Warm, 1.0m).Price);
    }

    [Theory]
    [InlineData(0.5, 1)]
    [InlineData(0.4999, 0)]
    [InlineData(1.5, 2)]
    [InlineData(2.5, 3)]
    [InlineData(2.4999, 2)]
    [InlineData(-0.5, -1)]
    public void RoundToMinor_WhenHalfway_RoundsAwayFromZero(double value, long expected) =>
        Assert.Equal(expected, PriceCalculator.RoundToMinor((decimal)value));
}
