using LeadExchange.IntegrationTests.Infrastructure;

namespace LeadExchange.IntegrationTests.Offers;

/// <summary>
/// The webmaster catalog's filters. Each test creates its own three offers whose titles share a random
/// token and narrows every query with search=token, so demo offers and other tests' offers never interfere.
/// </summary>
public abstract class CatalogFilterTests(LeadExchangeFactory factory)
{
    private sealed record Catalog(string Token, string Russia, string Moscow, string Usa, HttpClient Webmaster);

    /// <summary>
    /// Russia: credit, region RU, CPL paying the webmaster 50,000. Moscow: real-estate, region RU-MOW, CPS 12.5%.
    /// Usa: insurance, region US, USD, CPA paying the webmaster 1,000.
    /// </summary>
    private async Task<Catalog> SeedAsync()
    {
        var advertiser = await factory.RegisterAsync("advertiser");
        var webmaster = await factory.RegisterAsync("webmaster");
        var token = "cat" + TestServices.ShortId();
        var russia = await OfferApi.CreateIdAsync(advertiser.Client, OfferApi.ValidBody($"Loans {token}", niche: "credit", regions: ["RU"],
            goals: [OfferApi.Goal("application", "cpl", 80_000, 50_000, isDefault: true)]));
        var moscow = await OfferApi.CreateIdAsync(advertiser.Client, OfferApi.ValidBody($"Flats {token}", niche: "real-estate", regions: ["RU-MOW"],
            goals: [OfferApi.PercentGoal("sale", 12.5m, 10m, isDefault: true)]));
        var usa = await OfferApi.CreateIdAsync(advertiser.Client, OfferApi.ValidBody($"Car insurance {token}", niche: "insurance", regions: ["US"],
            currency: "USD", goals: [OfferApi.Goal("quote", "cpa", 2_000, 1_000, isDefault: true)]));
        return new Catalog(token, russia, moscow, usa, webmaster.Client);
    }

    private static async Task<List<string>> IdsAsync(Catalog catalog, string filters)
    {
        var (ids, total, _) = await OfferApi.ListAsync(catalog.Webmaster, $"?search={catalog.Token}&pageSize=50{filters}");
        Assert.Equal(ids.Count, total);
        return ids;
    }

    [Fact]
    public async Task ListOffers_WhenNoFilter_ShowsAllThreeActiveOffers()
    {
        var c = await SeedAsync();
        Assert.Equal(new[] { c.Russia, c.Moscow, c.Usa }.Order(), (await IdsAsync(c, "")).Order());
    }

    [Fact]
    public async Task ListOffers_WhenRegionIsSubdivision_MatchesItsCountryAndItselfButNotOtherCountries()
    {
        var c = await SeedAsync();

        var ids = await IdsAsync(c, "&region=RU-MOW");

        Assert.Equal(new[] { c.Russia, c.Moscow }.Order(), ids.Order());
        Assert.DoesNotContain(c.Usa, ids);
    }

    [Fact]
    public async Task ListOffers_WhenRegionIsCountry_MatchesOffersInsideIt()
    {
        var c = await SeedAsync();
        Assert.Equal(new[] { c.Russia, c.Moscow }.Order(), (await IdsAsync(c, "&region=RU")).Order());
    }

    [Fact]
    public async Task ListOffers_WhenRegionIsSiblingSubdivision_MatchesOnlyTheCountryWideOffer()
    {
        var c = await SeedAsync();
        Assert.Equal([c.Russia], await IdsAsync(c, "&region=ru-spe"));
        Assert.Equal([c.Usa], await IdsAsync(c, "&region=US-CA"));
    }

    [Fact]
    public async Task ListOffers_WhenNicheFilter_ReturnsOnlyThatNiche()
    {
        var c = await SeedAsync();
        Assert.Equal([c.Russia], await IdsAsync(c, "&niche=credit"));
        Assert.Equal([c.Usa], await IdsAsync(c, "&niche=insurance"));
        Assert.Empty(await IdsAsync(c, "&niche=legal"));
    }

    [Fact]
    public async Task ListOffers_WhenModelCps_ReturnsOnlyOffersWithACpsGoal()
    {
        var c = await SeedAsync();
        Assert.Equal([c.Moscow], await IdsAsync(c, "&model=cps"));
        Assert.Equal([c.Russia], await IdsAsync(c, "&model=cpl"));
    }

    [Fact]
    public async Task ListOffers_WhenMinPayout_ReturnsOffersPayingTheWebmasterAtLeastThat()
    {
        var c = await SeedAsync();
        Assert.Equal([c.Russia], await IdsAsync(c, "&minPayout=20000"));
        Assert.Equal(new[] { c.Russia, c.Usa }.Order(), (await IdsAsync(c, "&minPayout=1000")).Order());
        Assert.Empty(await IdsAsync(c, "&minPayout=50001"));
    }

    [Fact]
    public async Task ListOffers_WhenFiltersCombine_AppliesAllOfThem()
    {
        var c = await SeedAsync();
        Assert.Equal([c.Moscow], await IdsAsync(c, "&region=RU-MOW&niche=real-estate&model=cps"));
        Assert.Empty(await IdsAsync(c, "&region=US&niche=credit"));
    }

    [Fact]
    public async Task ListOffers_WhenPageSizeOne_ReportsTotalAndPagesThroughEveryOffer()
    {
        var c = await SeedAsync();
        var seen = new List<string>();
        for (var page = 1; page <= 3; page++)
        {
            var (ids, total, body) = await OfferApi.ListAsync(c.Webmaster, $"?search={c.Token}&pageSize=1&page={page}");
            Assert.Equal(3, total);
            Assert.Equal(page, body.GetProperty("page").GetInt32());
            Assert.Equal(1, body.GetProperty("pageSize").GetInt32());
            Assert.Equal(3, body.GetProperty("totalPages").GetInt32());
            seen.Add(Assert.Single(ids));
        }
        Assert.Equal(new[] { c.Russia, c.Moscow, c.Usa }.Order(), seen.Order());
        var (beyond, beyondTotal, _) = await OfferApi.ListAsync(c.Webmaster, $"?search={c.Token}&pageSize=1&page=4");
        Assert.Empty(beyond);
        Assert.Equal(3, beyondTotal);
    }
}

public sealed class CatalogFilterTests_Sqlite(SqliteFactory factory) : CatalogFilterTests(factory), IClassFixture<SqliteFactory>;

public sealed class CatalogFilterTests_PostgreSql(PostgreSqlFactory factory) : CatalogFilterTests(factory), IClassFixture<PostgreSqlFactory>;
