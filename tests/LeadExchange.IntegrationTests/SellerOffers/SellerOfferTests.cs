using System.Net;
using System.Text.Json.Nodes;
using LeadExchange.IntegrationTests.Conversions;
using LeadExchange.IntegrationTests.Infrastructure;
using static LeadExchange.IntegrationTests.Buying.BuyingApi;
using static LeadExchange.IntegrationTests.SellerOffers.SellerOfferApi;

namespace LeadExchange.IntegrationTests.SellerOffers;

/// <summary>docs/api.md "Seller offers": a webmaster publishes, edits, pauses and closes offers; advertisers browse and filter them.</summary>
public abstract class SellerOfferTests(PostbackFactory app)
{
    [Fact]
    public async Task Publish_WhenValid_Answers201WithTheOffer()
    {
        var niche = await NicheAsync(app);
        var webmaster = await app.RegisterAsync("webmaster");
        var body = OfferBody(niche, exclusive: true, regions: ["ru-mow", "RU-SPE"], expectedPerDay: 35);

        var response = await webmaster.Client.PostJsonAsync("/api/v1/seller-offers", body);
        var offer = await response.ExpectJsonAsync(HttpStatusCode.Created);

        Assert.EndsWith($"/api/v1/seller-offers/{offer.Str("id")}", response.Headers.Location!.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(body["title"]!.ToString(), offer.Str("title"));
        Assert.Equal(niche, offer.Str("niche"));
        Assert.Equal(["RU-MOW", "RU-SPE"], offer.Regions());
        Assert.Equal(["seo", "contextual"], offer.GetProperty("trafficSources").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(35, offer.GetProperty("expectedPerDay").GetInt32());
        Assert.True(offer.GetProperty("exclusive").GetBoolean());
        Assert.Equal("fixed", offer.Str("pricing"));
        Assert.Equal(FixedPrice, offer.GetProperty("fixedPrice").GetInt64());
        Assert.Equal("RUB", offer.Str("currency"));
        Assert.Equal(["budget", "timeframe"], offer.GetProperty("deliveredFields").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal("now", offer.GetProperty("sample").GetProperty("timeframe").GetString());
        Assert.Equal("active", offer.Str("status"));
        Assert.Equal(webmaster.UserId, offer.Str("sellerId"));
        Assert.Equal(0, offer.GetProperty("stats").GetProperty("subscribers").GetInt32());
    }

    [Fact]
    public async Task Publish_WhenExchangePriced_HasNoFixedPrice()
    {
        var niche = await NicheAsync(app);
        var webmaster = await app.RegisterAsync("webmaster");

        var offer = await PublishAsync(webmaster.Client, OfferBody(niche, pricing: "exchange"));

        Assert.Equal("exchange", offer.Str("pricing"));
        Assert.True(offer.IsNull("fixedPrice"));
    }

    [Theory]
    [InlineData("title", "title")]
    [InlineData("title-too-long", "title")]
    [InlineData("niche-missing", "niche")]
    [InlineData("niche-unknown", "niche")]
    [InlineData("region-malformed", "regions")]
    [InlineData("region-unknown", "regions")]
    [InlineData("traffic-none", "trafficSources")]
    [InlineData("traffic-unknown", "trafficSources")]
    [InlineData("expected-missing", "expectedPerDay")]
    [InlineData("expected-zero", "expectedPerDay")]
    [InlineData("fixed-price-missing", "fixedPrice")]
    [InlineData("fixed-price-zero", "fixedPrice")]
    [InlineData("exchange-with-fixed-price", "fixedPrice")]
    [InlineData("pricing-unknown", "pricing")]
    [InlineData("field-not-in-niche", "deliveredFields")]
    [InlineData("required-field-missing", "deliveredFields")]
    [InlineData("sample-contact", "sample")]
    public async Task Publish_WhenFieldInvalid_Answers422ForThatFieldAndPublishesNothing(string invalid, string field)
    {
        var niche = await NicheAsync(app);
        var webmaster = await app.RegisterAsync("webmaster");
        var body = OfferBody(niche);
        switch (invalid)
        {
            case "title": body["title"] = "  "; break;
            case "title-too-long": body["title"] = new string('t', 121); break;
            case "niche-missing": body["niche"] = null; break;
            case "niche-unknown": body["niche"] = "no-such-niche"; break;
            case "region-malformed": body["regions"] = new JsonArray("Moscow"); break;
            case "region-unknown": body["regions"] = new JsonArray("ZZ"); break;
            case "traffic-none": body["trafficSources"] = new JsonArray(); break;
            case "traffic-unknown": body["trafficSources"] = new JsonArray("seo", "spam"); break;
            case "expected-missing": body["expectedPerDay"] = null; break;
            case "expected-zero": body["expectedPerDay"] = 0; break;
            case "fixed-price-missing": body["fixedPrice"] = null; break;
            case "fixed-price-zero": body["fixedPrice"] = 0; break;
            case "exchange-with-fixed-price": body["pricing"] = "exchange"; body["fixedPrice"] = 10_000; break;
            case "pricing-unknown": body["pricing"] = "auction"; break;
            case "field-not-in-niche": body["deliveredFields"] = new JsonArray("budget", "phone"); break;
            case "required-field-missing": body["deliveredFields"] = new JsonArray("timeframe"); break;
            case "sample-contact": body["sample"] = new JsonObject { ["budget"] = "100", ["phone"] = "+79161234567" }; break;
            default: throw new ArgumentOutOfRangeException(nameof(invalid), invalid, null);
        }

        var errors = await (await webmaster.Client.PostJsonAsync("/api/v1/seller-offers", body)).ExpectValidationErrorsAsync();

        errors.AssertHasError(field);
        Assert.Empty(await ListIdsAsync(webmaster.Client, ""));
    }

    [Fact]
    public async Task Publish_WhenAdvertiser_Answers403()
    {
        var niche = await NicheAsync(app);
        var advertiser = await app.RegisterAsync("advertiser");

        await (await advertiser.Client.PostJsonAsync("/api/v1/seller-offers", OfferBody(niche))).ExpectProblemAsync(HttpStatusCode.Forbidden);

        Assert.Empty(await ListIdsAsync(advertiser.Client, $"niche={niche}"));
    }

    [Fact]
    public async Task Publish_WhenSellerSuspendedOnTheBlocklist_Answers403AndCannotResumeAnOffer()
    {
        var niche = await NicheAsync(app);
        var webmaster = await app.RegisterAsync("webmaster");
        var earlier = await PublishIdAsync(webmaster.Client, OfferBody(niche));
        await (await SetStatusAsync(webmaster.Client, earlier, "pause")).ExpectStatusAsync(HttpStatusCode.OK);

        await BlockSellerAsync(app, webmaster.Email);

        await (await webmaster.Client.PostJsonAsync("/api/v1/seller-offers", OfferBody(niche))).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await SetStatusAsync(webmaster.Client, earlier, "resume")).ExpectProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal([earlier], await ListIdsAsync(webmaster.Client, ""));
    }

    [Fact]
    public async Task Update_WhenOwnOffer_ChangesTheTerms_AnotherWebmasterGets404()
    {
        var niche = await NicheAsync(app);
        var webmaster = await app.RegisterAsync("webmaster");
        var other = await app.RegisterAsync("webmaster");
        var id = await PublishIdAsync(webmaster.Client, OfferBody(niche));
        var body = OfferBody(niche, pricing: "exchange", exclusive: true, regions: ["RU"], expectedPerDay: 7, title: "Moscow mortgages");

        var updated = await (await webmaster.Client.PutJsonAsync($"/api/v1/seller-offers/{id}", body)).ExpectJsonAsync(HttpStatusCode.OK);
        var othersAttempt = await other.Client.PutJsonAsync($"/api/v1/seller-offers/{id}", OfferBody(niche, title: "Hijacked"));

        Assert.Equal(("Moscow mortgages", "exchange", true, 7), (updated.Str("title"), updated.Str("pricing"), updated.GetProperty("exclusive").GetBoolean(),
            updated.GetProperty("expectedPerDay").GetInt32()));
        Assert.True(updated.IsNull("fixedPrice"));
        Assert.Equal(["RU"], updated.Regions());
        await othersAttempt.ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await other.Client.GetAsync($"/api/v1/seller-offers/{id}")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await SetStatusAsync(other.Client, id, "close")).ExpectProblemAsync(HttpStatusCode.NotFound);
        var reread = await (await webmaster.Client.GetAsync($"/api/v1/seller-offers/{id}")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal(("Moscow mortgages", "active"), (reread.Str("title"), reread.Str("status")));
    }

    [Fact]
    public async Task Update_WhenNicheChangesOrFieldInvalid_Answers422()
    {
        var niche = await NicheAsync(app);
        var otherNiche = await NicheAsync(app);
        var webmaster = await app.RegisterAsync("webmaster");
        var id = await PublishIdAsync(webmaster.Client, OfferBody(niche));

        var moved = await webmaster.Client.PutJsonAsync($"/api/v1/seller-offers/{id}", OfferBody(otherNiche));
        var broken = OfferBody(niche);
        broken["expectedPerDay"] = 0;
        var invalid = await webmaster.Client.PutJsonAsync($"/api/v1/seller-offers/{id}", broken);

        (await moved.ExpectValidationErrorsAsync()).AssertHasError("niche");
        (await invalid.ExpectValidationErrorsAsync()).AssertHasError("expectedPerDay");
        var reread = await (await webmaster.Client.GetAsync($"/api/v1/seller-offers/{id}")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal((niche, 20), (reread.Str("niche"), reread.GetProperty("expectedPerDay").GetInt32()));
    }

    [Fact]
    public async Task SetStatus_PauseResumeClose_ChangesTheStatus_AClosedOfferStaysClosed()
    {
        var niche = await NicheAsync(app);
        var webmaster = await app.RegisterAsync("webmaster");
        var id = await PublishIdAsync(webmaster.Client, OfferBody(niche));

        var paused = await (await SetStatusAsync(webmaster.Client, id, "pause")).ExpectJsonAsync(HttpStatusCode.OK);
        var resumed = await (await SetStatusAsync(webmaster.Client, id, "resume")).ExpectJsonAsync(HttpStatusCode.OK);
        var closed = await (await SetStatusAsync(webmaster.Client, id, "close")).ExpectJsonAsync(HttpStatusCode.OK);

        Assert.Equal(("paused", "active", "closed"), (paused.Str("status"), resumed.Str("status"), closed.Str("status")));
        Assert.Equal("offer_closed", await (await SetStatusAsync(webmaster.Client, id, "resume")).ProblemCodeAsync(HttpStatusCode.Conflict));
        await (await webmaster.Client.PutJsonAsync($"/api/v1/seller-offers/{id}", OfferBody(niche))).ExpectProblemAsync(HttpStatusCode.Conflict);
        (await (await SetStatusAsync(webmaster.Client, id, "delete")).ExpectValidationErrorsAsync()).AssertHasError("action");
        Assert.Equal("closed", (await (await webmaster.Client.GetAsync($"/api/v1/seller-offers/{id}")).ExpectJsonAsync(HttpStatusCode.OK)).Str("status"));
    }

    [Fact]
    public async Task List_WhenAdvertiser_ShowsActiveOffersOnly()
    {
        var niche = await NicheAsync(app);
        var webmaster = await app.RegisterAsync("webmaster");
        var advertiser = await app.RegisterAsync("advertiser");
        var active = await PublishIdAsync(webmaster.Client, OfferBody(niche));
        var paused = await PublishIdAsync(webmaster.Client, OfferBody(niche));
        var closed = await PublishIdAsync(webmaster.Client, OfferBody(niche));
        await (await SetStatusAsync(webmaster.Client, paused, "pause")).ExpectStatusAsync(HttpStatusCode.OK);
        await (await SetStatusAsync(webmaster.Client, closed, "close")).ExpectStatusAsync(HttpStatusCode.OK);

        Assert.Equal([active], await ListIdsAsync(advertiser.Client, $"niche={niche}"));
        Assert.Equal([closed, paused, active], await ListIdsAsync(webmaster.Client, $"niche={niche}"));
        Assert.Equal([paused], await ListIdsAsync(webmaster.Client, $"niche={niche}&status=paused"));
    }

    [Fact]
    public async Task List_WhenAdvertiserFilters_AppliesNicheRegionPriceVolumeAndExclusivity()
    {
        var niche = await NicheAsync(app);
        var otherNiche = await NicheAsync(app);
        var webmaster = await app.RegisterAsync("webmaster");
        var advertiser = await app.RegisterAsync("advertiser");
        var moscow = await PublishIdAsync(webmaster.Client, OfferBody(niche, fixedPrice: 10_000, exclusive: true, regions: ["RU-MOW"], expectedPerDay: 50));
        var russia = await PublishIdAsync(webmaster.Client, OfferBody(niche, fixedPrice: 30_000, regions: ["RU"], expectedPerDay: 5));
        var kazakhstan = await PublishIdAsync(webmaster.Client, OfferBody(niche, pricing: "exchange", regions: ["KZ"], expectedPerDay: 100));
        var elsewhere = await PublishIdAsync(webmaster.Client, OfferBody(otherNiche));

        Assert.Equal([elsewhere], await ListIdsAsync(advertiser.Client, $"niche={otherNiche}"));
        // A buyer of Moscow leads sees the Moscow offer and the one for all of Russia (a country covers its regions).
        Assert.Equal([moscow, russia], await ListIdsAsync(advertiser.Client, $"niche={niche}&region=RU-MOW&sort=price"));
        Assert.Equal([kazakhstan], await ListIdsAsync(advertiser.Client, $"niche={niche}&region=kz"));
        Assert.Empty(await ListIdsAsync(advertiser.Client, $"niche={niche}&region=RU-SPE&exclusive=true"));
        // maxPrice keeps fixed prices at most that and exchange-priced offers.
        Assert.Equal([moscow, kazakhstan], await ListIdsAsync(advertiser.Client, $"niche={niche}&maxPrice=20000&sort=price"));
        Assert.Equal([kazakhstan, moscow], await ListIdsAsync(advertiser.Client, $"niche={niche}&minVolume=50&sort=volume"));
        Assert.Equal([moscow], await ListIdsAsync(advertiser.Client, $"niche={niche}&exclusive=true"));
        Assert.Equal([russia, kazakhstan], await ListIdsAsync(advertiser.Client, $"niche={niche}&exclusive=false&sort=price"));
    }

    [Fact]
    public async Task List_WhenSorted_OrdersByPriceVolumeOrNewest()
    {
        var niche = await NicheAsync(app);
        var webmaster = await app.RegisterAsync("webmaster");
        var advertiser = await app.RegisterAsync("advertiser");
        var cheap = await PublishIdAsync(webmaster.Client, OfferBody(niche, fixedPrice: 10_000, expectedPerDay: 10));
        var exchange = await PublishIdAsync(webmaster.Client, OfferBody(niche, pricing: "exchange", expectedPerDay: 30));
        var dear = await PublishIdAsync(webmaster.Client, OfferBody(niche, fixedPrice: 30_000, expectedPerDay: 20));

        Assert.Equal([cheap, dear, exchange], await ListIdsAsync(advertiser.Client, $"niche={niche}&sort=price"));
        Assert.Equal([exchange, dear, cheap], await ListIdsAsync(advertiser.Client, $"niche={niche}&sort=volume"));
        Assert.Equal([dear, exchange, cheap], await ListIdsAsync(advertiser.Client, $"niche={niche}&sort=newest"));
    }

    [Fact]
    public async Task List_WhenWebmaster_ShowsOnlyTheirOwnOffers()
    {
        var niche = await NicheAsync(app);
        var webmaster = await app.RegisterAsync("webmaster");
        var other = await app.RegisterAsync("webmaster");
        var mine = await PublishIdAsync(webmaster.Client, OfferBody(niche));
        var theirs = await PublishIdAsync(other.Client, OfferBody(niche));

        Assert.Equal([mine], await ListIdsAsync(webmaster.Client, ""));
        Assert.Equal([theirs], await ListIdsAsync(other.Client, $"niche={niche}"));
    }

    [Fact]
    public async Task Get_WhenAdvertiser_ShowsSellerQualityAndTheSampleButNotTheSeller()
    {
        var niche = await NicheAsync(app);
        var webmaster = await app.RegisterAsync("webmaster");
        var advertiser = await app.RegisterAsync("advertiser");
        await SubmitLeadAsync(webmaster.Client, niche);
        await SubmitLeadAsync(webmaster.Client, niche);
        var id = await PublishIdAsync(webmaster.Client, OfferBody(niche));

        var offer = await (await advertiser.Client.GetAsync($"/api/v1/seller-offers/{id}")).ExpectJsonAsync(HttpStatusCode.OK);

        var seller = offer.GetProperty("seller");
        Assert.Equal(2, seller.GetProperty("leadsLast90Days").GetInt32());
        Assert.Equal(0, seller.GetProperty("soldLast90Days").GetInt32());
        Assert.Equal(0m, seller.GetProperty("rejectedShare").GetDecimal());
        Assert.True(seller.TryGetProperty("daysActive", out _));
        Assert.True(offer.TryGetProperty("sellerReturnRate", out _));
        Assert.Equal(new Dictionary<string, string> { ["budget"] = "5000000", ["timeframe"] = "now" },
            offer.GetProperty("sample").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!));
        Assert.True(offer.IsNull("sellerId"));
        Assert.True(offer.IsNull("stats"));
        Assert.DoesNotContain(webmaster.UserId, offer.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain(webmaster.Email, offer.GetRawText(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Get_WhenOfferClosed_Answers404ToAdvertisersButNotToTheSeller()
    {
        var niche = await NicheAsync(app);
        var webmaster = await app.RegisterAsync("webmaster");
        var advertiser = await app.RegisterAsync("advertiser");
        var id = await PublishIdAsync(webmaster.Client, OfferBody(niche));
        await (await advertiser.Client.GetAsync($"/api/v1/seller-offers/{id}")).ExpectStatusAsync(HttpStatusCode.OK);

        await (await SetStatusAsync(webmaster.Client, id, "close")).ExpectStatusAsync(HttpStatusCode.OK);

        await (await advertiser.Client.GetAsync($"/api/v1/seller-offers/{id}")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await SubscribeAsync(advertiser.Client, id, OrderBody(niche, High))).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await webmaster.Client.GetAsync($"/api/v1/seller-offers/{id}")).ExpectStatusAsync(HttpStatusCode.OK);
    }
}

public sealed class SellerOfferTests_Sqlite(PostbackSqliteFactory app) : SellerOfferTests(app), IClassFixture<PostbackSqliteFactory>;

public sealed class SellerOfferTests_PostgreSql(PostbackPostgreSqlFactory app) : SellerOfferTests(app), IClassFixture<PostbackPostgreSqlFactory>;
