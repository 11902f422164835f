using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using LeadExchange.IntegrationTests.Infrastructure;

namespace LeadExchange.IntegrationTests.Reference;

/// <summary>Seeded niches and regions, and what an admin may change: regions, niches, user roles.</summary>
public abstract class ReferenceAdminTests(LeadExchangeFactory factory)
{
    private Task<HttpClient> AdminAsync() => factory.DemoClientAsync("admin");

    [Fact]
    public async Task ListNiches_WhenSeeded_ContainsTheCoreNichesWithSettings()
    {
        var webmaster = await factory.RegisterAsync("webmaster");

        var niches = await (await webmaster.Client.GetAsync("/api/v1/niches")).ExpectJsonAsync(HttpStatusCode.OK);

        var byCode = niches.EnumerateArray().ToDictionary(n => n.Str("code"));
        Assert.True(byCode.Count >= 8, $"Expected at least 8 niches, got {byCode.Count}.");
        foreach (var code in new[] { "real-estate", "credit", "legal", "insurance", "education", "auto", "medical", "renovation" })
            Assert.True(byCode.ContainsKey(code), $"Niche '{code}' is missing.");
        var realEstate = byCode["real-estate"];
        Assert.Equal("Real estate", realEstate.Str("name"));
        Assert.InRange(realEstate.GetProperty("dedupWindowDays").GetInt32(), 1, 365);
        Assert.True(realEstate.GetProperty("warmThreshold").GetInt32() < realEstate.GetProperty("hotThreshold").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(realEstate.Str("consentText")));
        Assert.Contains(realEstate.GetProperty("fields").EnumerateArray(), f => f.Str("key") == "budget");
    }

    [Fact]
    public async Task ListRegions_WhenSeeded_ContainsSubdivisionsLinkedToTheirCountries()
    {
        var webmaster = await factory.RegisterAsync("webmaster");

        var regions = await (await webmaster.Client.GetAsync("/api/v1/regions")).ExpectJsonAsync(HttpStatusCode.OK);

        var byCode = regions.EnumerateArray().ToDictionary(r => r.Str("code"));
        Assert.Equal("RU", byCode["RU-MOW"].Str("parentCode"));
        Assert.Equal("US", byCode["US-CA"].Str("parentCode"));
        Assert.Equal("DE", byCode["DE-BY"].Str("parentCode"));
        Assert.True(byCode["RU"].IsNull("parentCode"));
        Assert.Equal("RU", byCode["RU-MOW"].Str("countryCode"));

        var germany = await (await webmaster.Client.GetAsync("/api/v1/regions?country=de")).ExpectJsonAsync(HttpStatusCode.OK);
        var codes = germany.EnumerateArray().Select(r => r.Str("code")).ToList();
        Assert.Contains("DE-BY", codes);
        Assert.All(codes, c => Assert.True(c == "DE" || c.StartsWith("DE-", StringComparison.Ordinal), c));
    }

    [Fact]
    public async Task CreateRegion_WhenAdminAndValid_Returns201AndOffersCanUseIt()
    {
        var admin = await AdminAsync();
        var code = "DE-" + RandomSuffix();

        var created = await (await admin.PostJsonAsync("/api/v1/admin/regions", new { code, name = "Test Land", parentCode = "DE" }))
            .ExpectJsonAsync(HttpStatusCode.Created);
        Assert.Equal(code, created.Str("code"));

        var regions = await (await admin.GetAsync("/api/v1/regions?country=DE")).ExpectJsonAsync(HttpStatusCode.OK);
        var region = regions.EnumerateArray().Single(r => r.Str("code") == code);
        Assert.Equal("DE", region.Str("parentCode"));
        Assert.Equal("Test Land", region.Str("name"));
        var advertiser = await factory.RegisterAsync("advertiser");
        var offer = await OfferApi.CreateAsync(advertiser.Client, OfferApi.ValidBody(regions: [code]));
        Assert.Equal([code], offer.Regions());
    }

    [Theory]
    [InlineData("moscow-1")]
    [InlineData("RUS")]
    [InlineData("R1-AB")]
    public async Task CreateRegion_WhenCodeMalformed_Returns422WithCodeError(string code)
    {
        var admin = await AdminAsync();

        var errors = await (await admin.PostJsonAsync("/api/v1/admin/regions", new { code, name = "Bad", parentCode = (string?)null }))
            .ExpectValidationErrorsAsync();

        errors.AssertHasError("code");
    }

    [Fact]
    public async Task CreateRegion_WhenCodeExists_Returns422WithCodeError()
    {
        var admin = await AdminAsync();
        var errors = await (await admin.PostJsonAsync("/api/v1/admin/regions", new { code = "RU-MOW", name = "Moscow again", parentCode = "RU" }))
            .ExpectValidationErrorsAsync();
        errors.AssertHasError("code");
    }

    [Fact]
    public async Task CreateRegion_WhenParentIsAnotherCountry_Returns422WithParentCodeErrorAndCreatesNothing()
    {
        var admin = await AdminAsync();
        var code = "DE-" + RandomSuffix();

        var errors = await (await admin.PostJsonAsync("/api/v1/admin/regions", new { code, name = "Misplaced", parentCode = "RU" }))
            .ExpectValidationErrorsAsync();

        errors.AssertHasError("parentCode");
        var regions = await (await admin.GetAsync("/api/v1/regions")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.DoesNotContain(regions.EnumerateArray(), r => r.Str("code") == code);
    }

    [Fact]
    public async Task CreateRegion_WhenSubdivisionHasNoParent_Returns422WithParentCodeError()
    {
        var admin = await AdminAsync();
        var errors = await (await admin.PostJsonAsync("/api/v1/admin/regions", new { code = "DE-" + RandomSuffix(), name = "Orphan", parentCode = (string?)null }))
            .ExpectValidationErrorsAsync();
        errors.AssertHasError("parentCode");
    }

    [Fact]
    public async Task UpdateNiche_WhenAdminChangesDedupWindow_PersistsTheChange()
    {
        var admin = await AdminAsync();
        var niche = await CreateNicheAsync(admin);
        var code = niche["code"]!.GetValue<string>();
        niche["dedupWindowDays"] = 90;

        var updated = await (await admin.PutJsonAsync($"/api/v1/admin/niches/{code}", niche)).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal(90, updated.GetProperty("dedupWindowDays").GetInt32());

        var fetched = await (await admin.GetAsync($"/api/v1/niches/{code}")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal(90, fetched.GetProperty("dedupWindowDays").GetInt32());
        Assert.Equal(niche["name"]!.GetValue<string>(), fetched.Str("name"));
        Assert.Equal(2, fetched.GetProperty("fields").GetArrayLength());
    }

    [Fact]
    public async Task UpdateNiche_WhenAdminEditsSeededNiche_KeepsOtherSettings()
    {
        var admin = await AdminAsync();
        var before = (await (await admin.GetAsync("/api/v1/niches/legal")).ExpectJsonAsync(HttpStatusCode.OK)).ToNode();
        var edited = before.DeepClone().AsObject();
        edited["dedupWindowDays"] = 120;

        var after = await (await admin.PutJsonAsync("/api/v1/admin/niches/legal", edited)).ExpectJsonAsync(HttpStatusCode.OK);

        Assert.Equal(120, after.GetProperty("dedupWindowDays").GetInt32());
        edited["dedupWindowDays"] = before["dedupWindowDays"]!.GetValue<int>();
        var restored = await (await admin.PutJsonAsync("/api/v1/admin/niches/legal", edited)).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.True(JsonNode.DeepEquals(before, restored.ToNode()), $"Round trip changed the niche: {restored}");
    }

    [Fact]
    public async Task UpdateNiche_WhenWarmThresholdNotBelowHot_Returns422AndKeepsOldValues()
    {
        var admin = await AdminAsync();
        var niche = await CreateNicheAsync(admin);
        var code = niche["code"]!.GetValue<string>();
        niche["hotThreshold"] = 60;
        niche["warmThreshold"] = 60;

        var errors = await (await admin.PutJsonAsync($"/api/v1/admin/niches/{code}", niche)).ExpectValidationErrorsAsync();

        errors.AssertHasError("warmThreshold");
        var fetched = await (await admin.GetAsync($"/api/v1/niches/{code}")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal(70, fetched.GetProperty("hotThreshold").GetInt32());
        Assert.Equal(40, fetched.GetProperty("warmThreshold").GetInt32());
    }

    [Fact]
    public async Task SetRole_WhenAdminGrantsModerator_UsersKeyGainsModeratorAccessOnlyOnceTwoFactorIsOn()
    {
        var admin = await AdminAsync();
        var user = await factory.RegisterAsync("advertiser");
        var demoOffer = await DemoAdvertiserOfferIdAsync(admin);
        await (await user.Client.GetAsync($"/api/v1/offers/{demoOffer}")).ExpectProblemAsync(HttpStatusCode.NotFound);

        await (await admin.PostJsonAsync($"/api/v1/admin/users/{user.UserId}/roles", new { role = "moderator", granted = true }))
            .ExpectStatusAsync(HttpStatusCode.NoContent);
        // A moderator's key works only with two-factor sign-in on: refused until the new moderator turns it on.
        var refused = await (await user.Client.GetAsync($"/api/v1/offers/{demoOffer}")).ExpectProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("two_factor_required", refused.Str("code"));
        await TwoFactorCodes.TurnOnAsync(factory, user);

        // The same key now carries the Moderator role: moderators see every offer...
        var offer = await OfferApi.GetAsync(user.Client, demoOffer);
        Assert.Equal(demoOffer, offer.Str("id"));
        // ...but remain no admins.
        await (await user.Client.GetAsync("/api/v1/admin/users")).ExpectProblemAsync(HttpStatusCode.Forbidden);
        var listed = await (await admin.GetAsync($"/api/v1/admin/users?search={Uri.EscapeDataString(user.Email)}")).ExpectJsonAsync(HttpStatusCode.OK);
        var summary = Assert.Single(listed.Items());
        Assert.Equal(user.UserId, summary.Str("id"));
        Assert.Equal(["Advertiser", "Moderator"], summary.GetProperty("roles").EnumerateArray().Select(r => r.GetString()!).Order(StringComparer.Ordinal).ToArray());

        await (await admin.PostJsonAsync($"/api/v1/admin/users/{user.UserId}/roles", new { role = "Moderator", granted = false }))
            .ExpectStatusAsync(HttpStatusCode.NoContent);
        await (await user.Client.GetAsync($"/api/v1/offers/{demoOffer}")).ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task SetRole_WhenRoleIsSelfService_Returns422WithRoleError()
    {
        var admin = await AdminAsync();
        var user = await factory.RegisterAsync("webmaster");

        var errors = await (await admin.PostJsonAsync($"/api/v1/admin/users/{user.UserId}/roles", new { role = "Advertiser", granted = true }))
            .ExpectValidationErrorsAsync();

        errors.AssertHasError("role");
    }

    [Fact]
    public async Task SetRole_WhenUserUnknown_Returns404()
    {
        var admin = await AdminAsync();
        await (await admin.PostJsonAsync($"/api/v1/admin/users/{Guid.NewGuid()}/roles", new { role = "Moderator", granted = true }))
            .ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task SetRole_WhenAdminRemovesOwnAdmin_Returns409AndStaysAdmin()
    {
        var admin = await AdminAsync();
        var users = await (await admin.GetAsync("/api/v1/admin/users?search=admin@demo.test")).ExpectJsonAsync(HttpStatusCode.OK);
        var adminId = Assert.Single(users.Items()).Str("id");

        var problem = await (await admin.PostJsonAsync($"/api/v1/admin/users/{adminId}/roles", new { role = "Admin", granted = false }))
            .ExpectProblemAsync(HttpStatusCode.Conflict);

        Assert.Equal("self_demotion", problem.Str("code"));
        await (await admin.GetAsync("/api/v1/admin/users")).ExpectStatusAsync(HttpStatusCode.OK);
    }

    private static string RandomSuffix() => new(Enumerable.Range(0, 3).Select(_ => (char)('A' + Random.Shared.Next(26))).ToArray());

    /// <summary>Creates a niche (201 asserted) and returns its body for editing.</summary>
    private static async Task<JsonObject> CreateNicheAsync(HttpClient admin)
    {
        var code = "test-" + TestServices.ShortId();
        var body = new JsonObject
        {
            ["code"] = code,
            ["name"] = $"Test niche {code}",
            ["description"] = "Created by an integration test.",
            ["currency"] = "RUB",
            ["dedupWindowDays"] = 30,
            ["disputeWindowHours"] = 72,
            ["leadExpiryDays"] = 14,
            ["maxSharedBuyers"] = 3,
            ["hotThreshold"] = 70,
            ["warmThreshold"] = 40,
            ["consentText"] = "I consent to being contacted.",
            ["fields"] = new JsonArray(
                new JsonObject { ["key"] = "budget", ["label"] = "Budget", ["type"] = "integer", ["required"] = true },
                new JsonObject { ["key"] = "timeframe", ["label"] = "When", ["type"] = "choice", ["required"] = false, ["choices"] = new JsonArray("now", "later") }),
            ["isActive"] = true,
        };
        var created = await (await admin.PostJsonAsync("/api/v1/admin/niches", body)).ExpectJsonAsync(HttpStatusCode.Created);
        Assert.Equal(code, created.Str("code"));
        return created.ToNode();
    }

    private static async Task<string> DemoAdvertiserOfferIdAsync(HttpClient admin)
    {
        var (_, _, body) = await OfferApi.ListAsync(admin, "?search=Consumer%20loans");
        return body.Items().First().Str("id");
    }
}

public sealed class ReferenceAdminTests_Sqlite(SqliteFactory factory) : ReferenceAdminTests(factory), IClassFixture<SqliteFactory>;

public sealed class ReferenceAdminTests_PostgreSql(PostgreSqlFactory factory) : ReferenceAdminTests(factory), IClassFixture<PostgreSqlFactory>;
