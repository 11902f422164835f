using System.Net;
using System.Text.Json.Nodes;
using LeadExchange.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LeadExchange.IntegrationTests.Offers;

/// <summary>An advertiser's offer lifecycle through /api/v1/offers, and its validation.</summary>
public abstract class OfferApiTests(LeadExchangeFactory factory)
{
    [Fact]
    public async Task CreateOffer_WhenValid_Returns201WithLocationAndFullBody()
    {
        var advertiser = await factory.RegisterAsync("advertiser");
        var body = OfferApi.ValidBody("Moscow flats", regions: ["RU-MOW", "ru-spe"], goals:
        [
            OfferApi.Goal("lead", "cpl", 250_000, 180_000, isDefault: true),
            OfferApi.Goal("Sale", "cpa", 900_000, 600_000),
        ]);

        var response = await advertiser.Client.PostJsonAsync("/api/v1/offers", body);
        var offer = await response.ExpectJsonAsync(HttpStatusCode.Created);

        var id = offer.Str("id");
        Assert.NotNull(response.Headers.Location);
        Assert.EndsWith($"/api/v1/offers/{id}", response.Headers.Location!.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(advertiser.UserId, offer.Str("advertiserId"));
        Assert.Equal("Moscow flats", offer.Str("title"));
        Assert.Equal("real-estate", offer.Str("nicheCode"));
        Assert.Equal("Real estate", offer.Str("nicheName"));
        Assert.Equal("https://landing.example/?cid={click_id}&s1={sub1}", offer.Str("landingUrl"));
        Assert.Equal("RUB", offer.Str("currency"));
        Assert.Equal("active", offer.Str("status"));
        Assert.Equal("public", offer.Str("access"));
        Assert.Equal(14, offer.GetProperty("holdDays").GetInt32());
        Assert.Equal(100, offer.GetProperty("dailyCap").GetInt32());
        Assert.Equal(2000, offer.GetProperty("monthlyCap").GetInt32());
        Assert.Equal(["RU-MOW", "RU-SPE"], offer.Regions());
        Assert.Equal(2, offer.GetProperty("goals").GetArrayLength());
        var lead = offer.GoalByCode("lead");
        Assert.Equal("cpl", lead.Str("model"));
        Assert.Equal(250_000, lead.GetProperty("advertiserAmount").GetInt64());
        Assert.Equal(180_000, lead.GetProperty("webmasterAmount").GetInt64());
        Assert.True(lead.GetProperty("isDefault").GetBoolean());
        var sale = offer.GoalByCode("sale"); // codes are stored lower-case
        Assert.Equal("cpa", sale.Str("model"));
        Assert.False(sale.GetProperty("isDefault").GetBoolean());

        // GET by the Location answers the same offer.
        var fetched = await (await advertiser.Client.GetAsync(response.Headers.Location)).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal(id, fetched.Str("id"));
        Assert.Equal(offer.Regions(), fetched.Regions());
        Assert.Equal(lead.Str("id"), fetched.GoalByCode("lead").Str("id"));
    }

    [Fact]
    public async Task UpdateOffer_WhenGoalCodeKept_KeepsGoalIdAndAppliesChanges()
    {
        var advertiser = await factory.RegisterAsync("advertiser");
        var created = await OfferApi.CreateAsync(advertiser.Client, OfferApi.ValidBody(goals:
        [
            OfferApi.Goal("lead", "cpl", 250_000, 180_000, isDefault: true),
            OfferApi.Goal("sale", "cpa", 900_000, 600_000),
        ]));
        var id = created.Str("id");
        var leadId = created.GoalByCode("lead").Str("id");

        var update = OfferApi.ValidBody("Renamed offer", regions: ["RU"], access: "approvalRequired",
            goals: [OfferApi.Goal("lead", "cpl", 300_000, 200_000, isDefault: true)]);
        update["holdDays"] = 30;
        var updated = await (await advertiser.Client.PutJsonAsync($"/api/v1/offers/{id}", update)).ExpectJsonAsync(HttpStatusCode.OK);

        Assert.Equal("Renamed offer", updated.Str("title"));
        Assert.Equal("approvalRequired", updated.Str("access"));
        Assert.Equal(30, updated.GetProperty("holdDays").GetInt32());
        Assert.Equal(["RU"], updated.Regions());
        var lead = Assert.Single(updated.GetProperty("goals").EnumerateArray());
        Assert.Equal(leadId, lead.Str("id"));
        Assert.Equal(300_000, lead.GetProperty("advertiserAmount").GetInt64());
        Assert.Equal(200_000, lead.GetProperty("webmasterAmount").GetInt64());

        var offerGuid = Guid.Parse(id);
        var stored = await factory.WithDbAsync(db => db.OfferGoals.AsNoTracking().Where(g => g.OfferId == offerGuid).ToListAsync());
        Assert.Equal(Guid.Parse(leadId), Assert.Single(stored).Id);
    }

    [Fact]
    public async Task UpdateOffer_WhenGoalAdded_Returns200WithTheNewGoal()
    {
        var advertiser = await factory.RegisterAsync("advertiser");
        var created = await OfferApi.CreateAsync(advertiser.Client, OfferApi.ValidBody());
        var id = created.Str("id");
        var leadId = created.GoalByCode("lead").Str("id");

        var update = OfferApi.ValidBody(goals:
        [
            OfferApi.Goal("lead", "cpl", 250_000, 180_000, isDefault: true),
            OfferApi.Goal("meeting", "cpa", 500_000, 350_000),
        ]);
        var updated = await (await advertiser.Client.PutJsonAsync($"/api/v1/offers/{id}", update)).ExpectJsonAsync(HttpStatusCode.OK);

        Assert.Equal(2, updated.GetProperty("goals").GetArrayLength());
        Assert.Equal(leadId, updated.GoalByCode("lead").Str("id"));
        Assert.Equal(350_000, updated.GoalByCode("meeting").GetProperty("webmasterAmount").GetInt64());
    }

    [Fact]
    public async Task ChangeStatus_WhenPausedActivatedArchived_ReportsEachStatusAndArchivedIsFinal()
    {
        var advertiser = await factory.RegisterAsync("advertiser");
        var id = await OfferApi.CreateIdAsync(advertiser.Client, OfferApi.ValidBody());

        await OfferApi.SetStatusAsync(advertiser.Client, id, "pause", "paused");
        Assert.Equal("paused", (await OfferApi.GetAsync(advertiser.Client, id)).Str("status"));
        await OfferApi.SetStatusAsync(advertiser.Client, id, "activate", "active");
        Assert.Equal("active", (await OfferApi.GetAsync(advertiser.Client, id)).Str("status"));
        await OfferApi.SetStatusAsync(advertiser.Client, id, "archive", "archived");
        Assert.Equal("archived", (await OfferApi.GetAsync(advertiser.Client, id)).Str("status"));

        var reactivate = await advertiser.Client.PostJsonAsync($"/api/v1/offers/{id}/status", new { action = "activate" });
        await reactivate.ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("archived", (await OfferApi.GetAsync(advertiser.Client, id)).Str("status"));
    }

    [Fact]
    public async Task UpdateOffer_WhenArchived_Returns409AndLeavesOfferUnchanged()
    {
        var advertiser = await factory.RegisterAsync("advertiser");
        var id = await OfferApi.CreateIdAsync(advertiser.Client, OfferApi.ValidBody("Before archive"));
        await OfferApi.SetStatusAsync(advertiser.Client, id, "archive", "archived");

        var response = await advertiser.Client.PutJsonAsync($"/api/v1/offers/{id}", OfferApi.ValidBody("After archive"));

        var problem = await response.ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("offer_archived", problem.Str("code"));
        Assert.Equal("Before archive", (await OfferApi.GetAsync(advertiser.Client, id)).Str("title"));
    }

    [Fact]
    public async Task ChangeStatus_WhenActionUnknown_Returns422()
    {
        var advertiser = await factory.RegisterAsync("advertiser");
        var id = await OfferApi.CreateIdAsync(advertiser.Client, OfferApi.ValidBody());

        var response = await advertiser.Client.PostJsonAsync($"/api/v1/offers/{id}/status", new { action = "explode" });
        var errors = await response.ReadValidationErrorsAsync();

        errors.AssertHasError("action");
        Assert.Equal(["action"], errors.Keys.ToArray());
        Assert.Equal("active", (await OfferApi.GetAsync(advertiser.Client, id)).Str("status"));
        response.AssertProblemMediaType();
    }

    [Fact]
    public async Task CreateOffer_WhenManyFieldsInvalid_Returns422WithAnErrorPerField()
    {
        var advertiser = await factory.RegisterAsync("advertiser");
        var body = OfferApi.ValidBody(title: "", niche: "no-such-niche", regions: ["XX-NOPE"], currency: "XYZ",
            goals: [OfferApi.Goal("lead", "cpl", 1_000, 5_000, isDefault: true)]);
        body["landingUrl"] = "not a url";
        body["holdDays"] = 500;

        var errors = await (await advertiser.Client.PostJsonAsync("/api/v1/offers", body)).ExpectValidationErrorsAsync();

        foreach (var field in new[] { "title", "landingUrl", "currency", "holdDays", "nicheCode", "regions", "goals[0].webmasterAmount" })
            errors.AssertHasError(field);
        Assert.False(await factory.WithDbAsync(db => db.Offers.AnyAsync(o => o.AdvertiserId == advertiser.UserId)));
    }

    [Fact]
    public async Task CreateOffer_WhenNoRegionsAndNoGoals_Returns422ForBoth()
    {
        var advertiser = await factory.RegisterAsync("advertiser");
        var body = OfferApi.ValidBody();
        body["regions"] = new JsonArray();
        body["goals"] = new JsonArray();

        var errors = await (await advertiser.Client.PostJsonAsync("/api/v1/offers", body)).ExpectValidationErrorsAsync();

        errors.AssertHasError("regions");
        errors.AssertHasError("goals");
    }

    [Fact]
    public async Task CreateOffer_WhenLandingUrlHasUnknownMacro_Returns422NamingTheMacro()
    {
        var advertiser = await factory.RegisterAsync("advertiser");
        var body = OfferApi.ValidBody();
        body["landingUrl"] = "https://landing.example/?cid={click_id}&x={clickid}";

        var errors = await (await advertiser.Client.PostJsonAsync("/api/v1/offers", body)).ExpectValidationErrorsAsync();

        errors.AssertHasError("landingUrl");
        Assert.Contains(errors["landingUrl"], m => m.Contains("{clickid}", StringComparison.Ordinal));
        Assert.Equal(["landingUrl"], errors.Keys.ToArray());
    }

    [Fact]
    public async Task CreateOffer_WhenCpsPercentGoal_KeepsThePercents()
    {
        var advertiser = await factory.RegisterAsync("advertiser");
        var created = await OfferApi.CreateAsync(advertiser.Client,
            OfferApi.ValidBody(goals: [OfferApi.PercentGoal("sale", 12.5m, 7.25m, isDefault: true)]));

        var sale = (await OfferApi.GetAsync(advertiser.Client, created.Str("id"))).GoalByCode("sale");
        Assert.Equal("cps", sale.Str("model"));
        Assert.Equal(12.5m, sale.GetProperty("advertiserPercent").GetDecimal());
        Assert.Equal(7.25m, sale.GetProperty("webmasterPercent").GetDecimal());
        Assert.Equal(0, sale.GetProperty("advertiserAmount").GetInt64());
        Assert.Equal(0, sale.GetProperty("webmasterAmount").GetInt64());
    }

    [Fact]
    public async Task CreateOffer_WhenPercentOnNonCpsGoal_Returns422KeyedByTheRequestField()
    {
        var advertiser = await factory.RegisterAsync("advertiser");
        var goal = OfferApi.PercentGoal("sale", 12.5m, 10m, isDefault: true);
        goal["model"] = "cpl";

        var errors = await (await advertiser.Client.PostJsonAsync("/api/v1/offers", OfferApi.ValidBody(goals: [goal])))
            .ExpectValidationErrorsAsync();

        // Error keys are the JSON paths of the request's fields; the request field is advertiserPercent
        // (the domain's internal name is AdvertiserPercentBp, which a client never sends).
        errors.AssertHasError("goals[0].advertiserPercent");
    }

    [Fact]
    public async Task CreateOffer_WhenHoldDaysIsNotANumber_Returns422WithHoldDaysError()
    {
        var advertiser = await factory.RegisterAsync("advertiser");
        var body = OfferApi.ValidBody();
        body["holdDays"] = "abc";

        var response = await advertiser.Client.PostRawJsonAsync("/api/v1/offers", body.ToJsonString());
        var errors = await response.ReadValidationErrorsAsync();

        errors.AssertHasError("holdDays");
        // One bad field, one entry: not also the parameter-level "The input field is required."
        Assert.Equal(["holdDays"], errors.Keys.ToArray());
        response.AssertProblemMediaType();
    }

    [Fact]
    public async Task CreateOffer_WhenBodyIsNotJson_Returns422()
    {
        var advertiser = await factory.RegisterAsync("advertiser");

        var response = await advertiser.Client.PostRawJsonAsync("/api/v1/offers", "{ \"title\": ");

        var errors = await response.ReadValidationErrorsAsync();
        Assert.NotEmpty(errors);
        response.AssertProblemMediaType();
    }
}

public sealed class OfferApiTests_Sqlite(SqliteFactory factory) : OfferApiTests(factory), IClassFixture<SqliteFactory>;

public sealed class OfferApiTests_PostgreSql(PostgreSqlFactory factory) : OfferApiTests(factory), IClassFixture<PostgreSqlFactory>;
