using System.Net;
using System.Text.Json;
using LeadExchange.IntegrationTests.Infrastructure;

namespace LeadExchange.IntegrationTests.Pricing;

/// <summary>
/// Admins edit base/floor/ceiling, season curves, temperature multipliers and geo factors; each edit changes the
/// next quote at once and is audited. Tests work on a niche of their own, priced with the defaults (500 RUB base,
/// 10..10,000, flat season, 1.5/1.0/0.6), in RU-UD, which inherits Russia's seeded 0.9.
/// </summary>
public abstract class PricingAdminTests(LeadExchangeFactory factory)
{
    private Task<HttpClient> AdminAsync() => factory.DemoClientAsync("admin");

    [Fact]
    public async Task SeededNiches_WhenListed_HaveTheSeedPriceRangesInRub()
    {
        var admin = await AdminAsync();

        var niches = (await (await admin.GetAsync("/api/v1/admin/pricing/niches")).ExpectJsonAsync(HttpStatusCode.OK))
            .EnumerateArray().ToDictionary(n => n.Str("niche"));

        foreach (var code in new[] { "real-estate", "credit", "legal", "insurance", "education", "auto", "medical", "renovation", "b2b-services", "travel" })
        {
            var n = niches[code];
            Assert.True(n.GetProperty("hasOwnSettings").GetBoolean(), code);
            Assert.Equal("RUB", n.Str("currency"));
            Assert.InRange(n.GetProperty("floorPrice").GetInt64(), 10_00, 10_000_00);
            Assert.InRange(n.GetProperty("ceilingPrice").GetInt64(), 10_00, 10_000_00);
            Assert.Equal(12, n.GetProperty("seasonFactors").GetArrayLength());
            Assert.Equal(1.5m, n.Factor("hotMultiplier"));
            Assert.Equal(0.6m, n.Factor("coldMultiplier"));
        }
        Assert.InRange(niches["credit"].GetProperty("basePrice").GetInt64(), 500_00, 1_500_00);
        Assert.InRange(niches["real-estate"].GetProperty("basePrice").GetInt64(), 1_000_00, 5_000_00);
        // Real estate peaks in spring and autumn, credit in December.
        var realEstate = niches["real-estate"].GetProperty("seasonFactors").EnumerateArray().Select(f => f.GetDecimal()).ToList();
        Assert.True(realEstate[3] > realEstate[6] && realEstate[9] > realEstate[0]);
        var credit = niches["credit"].GetProperty("seasonFactors").EnumerateArray().Select(f => f.GetDecimal()).ToList();
        Assert.Equal(credit.Max(), credit[11]);
    }

    [Fact]
    public async Task UpdatePrices_WhenAdmin_ChangesTheNextQuoteAndIsAudited()
    {
        var admin = await AdminAsync();
        var niche = await PricingApi.CreateNicheAsync(admin);
        Assert.Equal(450_00, (await PricingApi.QuoteAsync(admin, niche, "RU-UD", "warm", 6)).Price()); // defaults: 500 x 0.9

        var saved = await (await admin.PutJsonAsync($"/api/v1/admin/pricing/niches/{niche}/prices",
            new { basePrice = 1_000_00, floorPrice = 200_00, ceilingPrice = 2_000_00 })).ExpectJsonAsync(HttpStatusCode.OK);

        Assert.True(saved.GetProperty("hasOwnSettings").GetBoolean());
        Assert.Equal(1_000_00, saved.GetProperty("basePrice").GetInt64());
        Assert.Equal(900_00, (await PricingApi.QuoteAsync(admin, niche, "RU-UD", "warm", 6)).Price());
        Assert.Equal(2_000_00, (await PricingApi.QuoteAsync(admin, niche, "US", "hot", 6)).Price()); // 6,000 capped at the new ceiling

        var change = await SingleChangeAsync(admin, niche, "prices");
        Assert.Equal("admin@demo.test", change.Str("userEmail"));
        Assert.Equal(500_00, Json(change, "before").GetProperty("basePrice").GetInt64());
        Assert.Equal(1_000_00, Json(change, "after").GetProperty("basePrice").GetInt64());
        Assert.Equal(200_00, Json(change, "after").GetProperty("floorPrice").GetInt64());
    }

    [Fact]
    public async Task UpdateSeasonAndMultipliers_WhenAdmin_ChangeTheQuoteAndAreAudited()
    {
        var admin = await AdminAsync();
        var niche = await PricingApi.CreateNicheAsync(admin);
        decimal[] season = [0.5m, 0.6m, 0.7m, 0.8m, 0.9m, 1.0m, 1.1m, 1.2m, 1.3m, 1.4m, 1.5m, 2.0m];

        await (await admin.PutJsonAsync($"/api/v1/admin/pricing/niches/{niche}/season", new { seasonFactors = season })).ExpectJsonAsync(HttpStatusCode.OK);
        await (await admin.PutJsonAsync($"/api/v1/admin/pricing/niches/{niche}/temperature",
            new { hotMultiplier = 2.0m, warmMultiplier = 1.2m, coldMultiplier = 0.5m })).ExpectJsonAsync(HttpStatusCode.OK);

        // 500 x 0.9 x 2.0 (December) x 2.0 (hot) = 1,800 RUB; January cold: 500 x 0.9 x 0.5 x 0.5 = 112.50 RUB
        var december = await PricingApi.QuoteAsync(admin, niche, "RU-UD", "hot", 12);
        Assert.Equal(1_800_00, december.Price());
        Assert.Equal(2.0m, december.Breakdown().Factor("season"));
        Assert.Equal(2.0m, december.Breakdown().Factor("temperature"));
        Assert.Equal(112_50, (await PricingApi.QuoteAsync(admin, niche, "RU-UD", "cold", 1)).Price());

        var seasonChange = await SingleChangeAsync(admin, niche, "season");
        Assert.Equal(season, Json(seasonChange, "after").GetProperty("seasonFactors").EnumerateArray().Select(f => f.GetDecimal()));
        var temperatureChange = await SingleChangeAsync(admin, niche, "temperature");
        Assert.Equal(1.5m, Json(temperatureChange, "before").GetProperty("hotMultiplier").GetDecimal());
        Assert.Equal(2.0m, Json(temperatureChange, "after").GetProperty("hotMultiplier").GetDecimal());
    }

    [Fact]
    public async Task GeoFactor_WhenSetForOneNicheThenRemoved_OverridesThenInheritsAgainAndIsAudited()
    {
        var admin = await AdminAsync();
        var niche = await PricingApi.CreateNicheAsync(admin);

        var set = await (await admin.PutJsonAsync("/api/v1/admin/pricing/geo/RU-UD", new { niche, factor = 1.7m })).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.True(set.GetProperty("changed").GetBoolean());

        var own = await PricingApi.QuoteAsync(admin, niche, "RU-UD", "warm", 6);
        Assert.Equal(850_00, own.Price());
        Assert.Equal("RU-UD", own.Breakdown().Str("geoRegion"));
        Assert.Equal(niche, own.Breakdown().Str("geoNiche"));
        Assert.False(own.Breakdown().GetProperty("geoInherited").GetBoolean());
        // Other niches in the region still inherit Russia's all-niches factor.
        Assert.Equal(0.9m, (await PricingApi.QuoteAsync(admin, "auto", "RU-UD", "warm", 6)).Breakdown().Factor("geo"));
        var listed = await (await admin.GetAsync($"/api/v1/admin/pricing/geo?niche={niche}")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Contains(listed.EnumerateArray(), g => g.Str("region") == "RU-UD" && g.Str("niche") == niche && g.Factor("factor") == 1.7m);

        var removed = await admin.DeleteAsync($"/api/v1/admin/pricing/geo/RU-UD?niche={niche}");
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);

        var inherited = await PricingApi.QuoteAsync(admin, niche, "RU-UD", "warm", 6);
        Assert.Equal(450_00, inherited.Price());
        Assert.True(inherited.Breakdown().GetProperty("geoInherited").GetBoolean());
        var changes = await ChangesAsync(admin, niche, "geoFactor");
        Assert.Equal(2, changes.Count);
        Assert.Equal(JsonValueKind.Null, changes[0].GetProperty("after").ValueKind); // newest first: the removal
        Assert.Equal(1.7m, Json(changes[1], "after").GetProperty("factor").GetDecimal());
        Assert.All(changes, c => Assert.Equal("RU-UD", c.Str("region")));
    }

    [Fact]
    public async Task UpdatePrices_WhenNothingChanges_WritesNoSecondAuditRow()
    {
        var admin = await AdminAsync();
        var niche = await PricingApi.CreateNicheAsync(admin);
        var body = new { basePrice = 700_00, floorPrice = 100_00, ceilingPrice = 1_000_00 };

        await (await admin.PutJsonAsync($"/api/v1/admin/pricing/niches/{niche}/prices", body)).ExpectJsonAsync(HttpStatusCode.OK);
        await (await admin.PutJsonAsync($"/api/v1/admin/pricing/niches/{niche}/prices", body)).ExpectJsonAsync(HttpStatusCode.OK);

        Assert.Single(await ChangesAsync(admin, niche, "prices"));
    }

    [Theory]
    [InlineData("prices", """{"basePrice":50000,"floorPrice":60000,"ceilingPrice":55000}""", "ceilingPrice")]
    [InlineData("prices", """{"basePrice":0,"floorPrice":0,"ceilingPrice":100000}""", "basePrice")]
    [InlineData("prices", """{"basePrice":"lots","floorPrice":0,"ceilingPrice":100000}""", "basePrice")]
    [InlineData("season", """{"seasonFactors":[1,1,1]}""", "seasonFactors")]
    [InlineData("season", """{"seasonFactors":[1,1,1,9,1,1,1,1,1,1,1,1]}""", "seasonFactors[3]")]
    [InlineData("temperature", """{"hotMultiplier":0.9,"warmMultiplier":1.0,"coldMultiplier":0.6}""", "hotMultiplier")]
    [InlineData("temperature", """{"hotMultiplier":1.5,"warmMultiplier":1.0,"coldMultiplier":0}""", "coldMultiplier")]
    public async Task NicheEdits_WhenInvalid_Return422ForTheFieldAndChangeNothing(string what, string json, string field)
    {
        var admin = await AdminAsync();
        var niche = await PricingApi.CreateNicheAsync(admin);

        var response = await admin.PutAsync($"/api/v1/admin/pricing/niches/{niche}/{what}",
            new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

        (await response.ExpectValidationErrorsAsync()).AssertHasError(field);
        var settings = await (await admin.GetAsync($"/api/v1/admin/pricing/niches/{niche}")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.False(settings.GetProperty("hasOwnSettings").GetBoolean());
        Assert.Empty(await ChangesAsync(admin, niche, null));
    }

    [Theory]
    [InlineData("RU-UD", """{"factor":0}""", "factor")]
    [InlineData("RU-UD", """{"factor":25}""", "factor")]
    [InlineData("XX-ZZZ", """{"factor":1.2}""", "region")]
    [InlineData("RU-UD", """{"niche":"no-such-niche","factor":1.2}""", "niche")]
    public async Task GeoFactor_WhenInvalid_Returns422ForTheField(string region, string json, string field)
    {
        var admin = await AdminAsync();

        var response = await admin.PutAsync($"/api/v1/admin/pricing/geo/{region}", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

        (await response.ExpectValidationErrorsAsync()).AssertHasError(field);
    }

    [Fact]
    public async Task PricingAdminRoutes_WhenNotAdmin_Return403AndChangeNothing()
    {
        var advertiser = await factory.RegisterAsync("advertiser");
        var webmaster = await factory.RegisterAsync("webmaster");
        var moderator = await factory.DemoClientAsync("moderator");

        foreach (var client in new[] { advertiser.Client, webmaster.Client, moderator })
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await client.PutJsonAsync("/api/v1/admin/pricing/niches/legal/prices",
                new { basePrice = 1_00, floorPrice = 1_00, ceilingPrice = 1_00 })).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.PutJsonAsync("/api/v1/admin/pricing/geo/RU-MOW", new { factor = 0.1m })).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/v1/admin/pricing/changes")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsync("/api/v1/admin/pricing/demand/recompute", null)).StatusCode);
        }
        Assert.Equal(600_00, (await PricingApi.QuoteAsync(webmaster.Client, "legal", "RU-MOW", "warm", 5)).Price());
    }

    [Fact]
    public async Task PriceTable_WhenAdminPreviewsANiche_ListsEveryRegionWithHotWarmAndColdPrices()
    {
        var admin = await AdminAsync();

        var table = await (await admin.GetAsync("/api/v1/admin/pricing/niches/legal/table?month=5&country=RU")).ExpectJsonAsync(HttpStatusCode.OK);

        Assert.Equal(5, table.GetProperty("month").GetInt32());
        var rows = table.GetProperty("rows").EnumerateArray().ToDictionary(r => r.Str("region"));
        Assert.All(rows.Keys, r => Assert.StartsWith("RU", r, StringComparison.Ordinal));
        Assert.Equal(900_00, rows["RU-MOW"].GetProperty("hot").GetInt64());
        Assert.Equal(600_00, rows["RU-MOW"].GetProperty("warm").GetInt64());
        Assert.Equal(360_00, rows["RU-MOW"].GetProperty("cold").GetInt64());
        Assert.Equal(100_00, rows["RU-MUR"].GetProperty("warm").GetInt64());
        Assert.True(rows["RU-UD"].GetProperty("geoInherited").GetBoolean());
    }

    [Fact]
    public async Task AdminPricingPage_WhenAFormIsPosted_SavesWithAntiforgeryAndShowsFieldErrorsBesideTheField()
    {
        var admin = await AdminAsync();
        var niche = await PricingApi.CreateNicheAsync(admin);
        using var browser = await PricingApi.SignInAsync(factory, "admin@demo.test");
        var page = $"/Admin/Pricing/Edit/{niche}";

        var noToken = await browser.PostAsync($"/Admin/Pricing/Prices/{niche}", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Prices.BasePrice"] = "800", ["Prices.FloorPrice"] = "100", ["Prices.CeilingPrice"] = "2000",
        }));
        Assert.Equal(HttpStatusCode.BadRequest, noToken.StatusCode);

        var token = await PricingApi.TokenAsync(browser, page);
        var bad = await (await browser.PostAsync($"/Admin/Pricing/Prices/{niche}", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Prices.BasePrice"] = "800", ["Prices.FloorPrice"] = "900", ["Prices.CeilingPrice"] = "abc", ["__RequestVerificationToken"] = token,
        }))).ExpectStatusAsync(HttpStatusCode.OK);
        Assert.Matches("data-valmsg-for=\"Prices.CeilingPrice\"[^>]*>Enter a number", bad);

        var season = new Dictionary<string, string> { ["__RequestVerificationToken"] = token };
        for (var i = 0; i < 12; i++) season[$"Season.SeasonFactors[{i}]"] = i == 11 ? "1,5" : "1";
        var saved = await browser.PostAsync($"/Admin/Pricing/Season/{niche}", new FormUrlEncodedContent(season));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal(1.5m, (await PricingApi.QuoteAsync(admin, niche, "RU-UD", "warm", 12)).Breakdown().Factor("season"));

        var html = await (await browser.GetAsync(page)).ExpectStatusAsync(HttpStatusCode.OK);
        Assert.Contains("Season", html);
        Assert.Contains("admin@demo.test", html); // the audit list on the page
    }

    private static JsonElement Json(JsonElement change, string property) => JsonDocument.Parse(change.Str(property)).RootElement.Clone();

    private static async Task<JsonElement> SingleChangeAsync(HttpClient admin, string niche, string kind) => Assert.Single(await ChangesAsync(admin, niche, kind));

    /// <summary>The niche's own changes of one kind (all kinds: null), newest first.</summary>
    private static async Task<List<JsonElement>> ChangesAsync(HttpClient admin, string niche, string? kind)
    {
        var page = await (await admin.GetAsync($"/api/v1/admin/pricing/changes?niche={niche}&pageSize=200")).ExpectJsonAsync(HttpStatusCode.OK);
        return page.GetProperty("items").EnumerateArray()
            .Where(c => c.Str("niche") == niche && (kind is null || c.Str("kind") == kind)).ToList();
    }
}

public sealed class PricingAdminTests_Sqlite(SqliteFactory factory) : PricingAdminTests(factory), IClassFixture<SqliteFactory>;

public sealed class PricingAdminTests_PostgreSql(PostgreSqlFactory factory) : PricingAdminTests(factory), IClassFixture<PostgreSqlFactory>;
