using LeadExchange.Domain.Pricing;

namespace LeadExchange.Domain.Tests.Pricing;

public sealed class GeoResolverTests
{
    private static readonly Dictionary<string, string?> Parents = new()
    {
        ["RU"] = null, ["RU-MOW"] = "RU", ["RU-MUR"] = "RU", ["RU-UD"] = "RU", ["US"] = null, ["US-TX"] = "US", ["KZ"] = null,
    };

    private static readonly Dictionary<(string Niche, string Region), decimal> Factors = new()
    {
        [("*", "RU")] = 0.9m,
        [("*", "RU-MOW")] = 2.0m,
        [("*", "RU-MUR")] = 0.7m,
        [("legal", "RU-MOW")] = 2.4m,
        [("legal", "RU-MUR")] = 0.4m,
        [("credit", "RU")] = 0.8m,
        [("*", "US")] = 4.0m,
    };

    /// <summary>niche, region -> factor, the region and niche of the row used (null: none, 1.0).</summary>
    [Theory]
    [InlineData("legal", "RU-MOW", 2.4, "RU-MOW", "legal")]      // the niche's own factor beats the all-niches one
    [InlineData("legal", "RU-MUR", 0.4, "RU-MUR", "legal")]
    [InlineData("auto", "RU-MOW", 2.0, "RU-MOW", "*")]           // no own factor: the region's all-niches factor
    [InlineData("auto", "RU-UD", 0.9, "RU", "*")]                // no factor for the region: inherited from the country
    [InlineData("credit", "RU-UD", 0.8, "RU", "credit")]         // inherited: the country's niche factor beats its all-niches one
    [InlineData("credit", "RU-MOW", 2.0, "RU-MOW", "*")]         // the nearest level decides: Moscow's all-niches beats Russia's credit factor
    [InlineData("auto", "US-TX", 4.0, "US", "*")]
    [InlineData("auto", "KZ", 1.0, null, null)]                  // nothing anywhere: 1.0
    [InlineData("auto", "XX-NEW", 1.0, null, null)]              // unknown region without parents: 1.0
    public void Resolve_WhenWalkingUpTheHierarchy_UsesTheNearestFactor(string niche, string region, double factor, string? fromRegion, string? fromNiche)
    {
        var match = GeoResolver.Resolve(region, niche, c => Parents.GetValueOrDefault(c),
            (n, r) => Factors.TryGetValue((n, r), out var f) ? f : null);

        Assert.Equal((decimal)factor, match.Factor);
        Assert.Equal(fromRegion, match.RegionCode);
        Assert.Equal(fromNiche, match.NicheCode);
    }

    [Fact]
    public void Resolve_WhenParentsFormACycle_StopsAndAnswersOne()
    {
        var match = GeoResolver.Resolve("A-1", "x", c => c == "A-1" ? "A-2" : "A-1", (_, _) => null);
        Assert.Equal(GeoMatch.None, match);
    }

    [Fact]
    public void Inherited_WhenTheFactorCameFromAParent_IsTrue()
    {
        Assert.True(new GeoMatch(0.9m, "RU", "*").Inherited("RU-UD"));
        Assert.False(new GeoMatch(2.0m, "RU-MOW", "*").Inherited("RU-MOW"));
        Assert.False(GeoMatch.None.Inherited("RU-UD"));
    }
}

public sealed class NichePriceSettingsTests
{
    [Theory]
    [InlineData(500_00, 10_00, 10_000_00, null)]
    [InlineData(0, 0, 10_000_00, "BasePrice")]
    [InlineData(500_00, -1, 10_000_00, "FloorPrice")]
    [InlineData(500_00, 600_00, 10_000_00, "BasePrice")]     // base below the floor
    [InlineData(500_00, 10_00, 400_00, "BasePrice")]         // base above the ceiling
    [InlineData(500_00, 600_00, 550_00, "CeilingPrice")]     // ceiling below the floor
    [InlineData(500_00, 10_00, 2_000_000_00, "CeilingPrice")]
    public void ValidatePrices_WhenChecked_NamesTheBadField(long basePrice, long floor, long ceiling, string? field)
    {
        var settings = new NichePriceSettings("x") { BasePrice = basePrice, FloorPrice = floor, CeilingPrice = ceiling };
        var errors = settings.ValidatePrices().ToList();
        if (field is null) Assert.Empty(errors);
        else Assert.Contains(errors, e => e.Field == field);
    }

    [Fact]
    public void ValidateSeason_WhenNotTwelveFactors_FlagsTheCurve()
    {
        var settings = new NichePriceSettings("x") { SeasonFactors = [1.0m, 1.0m] };
        Assert.Equal("SeasonFactors", Assert.Single(settings.ValidateSeason()).Field);
    }

    [Fact]
    public void ValidateSeason_WhenAMonthIsOutOfRangeOrTooPrecise_FlagsThatMonth()
    {
        var settings = new NichePriceSettings("x");
        settings.SeasonFactors[2] = 0m;
        settings.SeasonFactors[11] = 1.00001m;
        Assert.Equal(["SeasonFactors[2]", "SeasonFactors[11]"], settings.ValidateSeason().Select(e => e.Field));
    }

    [Theory]
    [InlineData(1.5, 1.0, 0.6, null)]
    [InlineData(1.0, 1.0, 1.0, null)]
    [InlineData(0.9, 1.0, 0.6, "HotMultiplier")]   // hot below warm
    [InlineData(1.5, 1.0, 1.2, "ColdMultiplier")]  // cold above warm
    [InlineData(6.0, 1.0, 0.6, "HotMultiplier")]   // out of range
    [InlineData(1.5, 1.0, 0.0, "ColdMultiplier")]
    public void ValidateMultipliers_WhenChecked_KeepsHotAtLeastWarmAtLeastCold(double hot, double warm, double cold, string? field)
    {
        var settings = new NichePriceSettings("x") { HotMultiplier = (decimal)hot, WarmMultiplier = (decimal)warm, ColdMultiplier = (decimal)cold };
        var errors = settings.ValidateMultipliers().ToList();
        if (field is null) Assert.Empty(errors);
        else Assert.Contains(errors, e => e.Field == field);
    }

    [Theory]
    [InlineData(13)]
    [InlineData(0)]
    public void Season_WhenMonthOutsideTheYear_IsNeutral(int month) =>
        Assert.Equal(1.0m, NichePriceSettings.Defaults("x").Season(month));

    [Fact]
    public void Normalize_WhenTrailingZeros_DropsThem() =>
        Assert.Equal("1.5", NichePriceSettings.Normalize(1.5000m).ToString(System.Globalization.CultureInfo.InvariantCulture));

    [Theory]
    [InlineData(0.05, null)]
    [InlineData(20, null)]
    [InlineData(0.04, "range")]
    [InlineData(20.5, "range")]
    public void GeoFactorValidate_WhenOutOfRange_Refuses(double factor, string? problem) =>
        Assert.Equal(problem is null, GeoFactor.Validate((decimal)factor) is null);
}

public sealed class DemandCalculatorTests
{
    private static BuyOrderSignal[] Orders(int count, long maxPrice, int? dailyCap) =>
        Enumerable.Range(0, count).Select(_ => new BuyOrderSignal(maxPrice, dailyCap)).ToArray();

    [Fact]
    public void Compute_WhenNoOrdersAndNoSupply_IsNeutral() =>
        Assert.Equal(1.0m, DemandCalculator.Compute([], 0, 7, 500_00));

    [Fact]
    public void Compute_WhenOrdersWantWhatIsSuppliedAtTheListPrice_IsNeutral() =>
        Assert.Equal(1.0m, DemandCalculator.Compute(Orders(2, 500_00, 5), 70, 7, 500_00));

    [Fact]
    public void Compute_WhenManyOrdersBidHighAndNothingIsSupplied_IsBoundedAtTheMaximum() =>
        Assert.Equal(1.5m, DemandCalculator.Compute(Orders(20, 5_000_00, null), 0, 7, 500_00));

    [Fact]
    public void Compute_WhenPlentyOfSupplyAndNoOrders_IsBoundedAtTheMinimum() =>
        Assert.Equal(0.8m, DemandCalculator.Compute([], 10_000, 7, 500_00));

    [Fact]
    public void Compute_WhenBidsAreAboveTheListPrice_RaisesThePrice()
    {
        var demand = DemandCalculator.Compute(Orders(1, 600_00, 10), 70, 7, 500_00);
        Assert.InRange(demand, 1.01m, 1.49m);
        Assert.Equal(decimal.Round(demand, 2), demand);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 1)]
    [InlineData(50, 0)]
    [InlineData(1000, 100_000)]
    public void Compute_WhateverTheInput_StaysWithinTheBounds(int orders, int supply)
    {
        foreach (var maxPrice in new long[] { 0, 1, 500_00, 1_000_000_00 })
            Assert.InRange(DemandCalculator.Compute(Orders(orders, maxPrice, orders % 3 == 0 ? null : orders), supply, 7, 500_00), 0.8m, 1.5m);
    }
}

public sealed class FunnelCalculatorTests
{
    [Fact]
    public void Calculate_WhenSeedExample_50000VisitsGive5000LeadsAnd500Clients()
    {
        // Seeds: 50,000 visits x 10% -> 5,000 leads x 10% -> 500 clients; at 50 RUB a lead a client costs 500 RUB,
        // and with 2,000 RUB earned per client each brings 1,500 RUB net.
        var result = FunnelCalculator.Calculate(new FunnelInputs(50_000, 10m, 10m, 50_00, 2_000_00));

        Assert.Equal(5_000, result.Leads);
        Assert.Equal(500, result.Clients);
        Assert.Equal(250_000_00, result.LeadSpend);
        Assert.Equal(500_00, result.CostPerClient);
        Assert.Equal(1_000_000_00, result.Margin);
        Assert.Equal(750_000_00, result.Profit);
        Assert.Equal(1_500_00, (result.Margin - result.LeadSpend) / result.Clients);
        Assert.Equal(300m, result.RoiPercent);
    }

    [Fact]
    public void Calculate_WhenFractionsOfPeople_RoundsDown()
    {
        var result = FunnelCalculator.Calculate(new FunnelInputs(999, 2.5m, 33m, 100_00, 0));
        Assert.Equal(24, result.Leads);   // 24.975
        Assert.Equal(7, result.Clients);  // 7.92
    }

    [Fact]
    public void Calculate_WhenNoClientsOrNoSpend_LeavesCostPerClientAndRoiEmpty()
    {
        var result = FunnelCalculator.Calculate(new FunnelInputs(100, 1m, 10m, 0, 1_000_00));
        Assert.Equal(1, result.Leads);
        Assert.Equal(0, result.Clients);
        Assert.Null(result.CostPerClient);
        Assert.Null(result.RoiPercent);
    }

    [Fact]
    public void Validate_WhenPercentAbove100_NamesTheField() =>
        Assert.Contains(FunnelCalculator.Validate(new FunnelInputs(1, 101m, 10m, 1, 1)), e => e.Field == nameof(FunnelInputs.SiteConversionPercent));
}
