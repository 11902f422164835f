using System.Net;
using System.Text.Json.Nodes;
using LeadExchange.IntegrationTests.Buying;
using LeadExchange.IntegrationTests.Conversions;
using LeadExchange.IntegrationTests.Infrastructure;

namespace LeadExchange.IntegrationTests.Leads;

/// <summary>Scoring weights per niche, edited by admins: intake scores with them; bad weights are refused by field.</summary>
public abstract class NicheWeightsTests(PostbackFactory app)
{
    private async Task<int> ScoreAsync(string niche)
    {
        var webmaster = await app.RegisterAsync("webmaster");
        var answer = await (await webmaster.Client.PostJsonAsync("/api/v1/leads", BuyingApi.LeadBody(niche))).ExpectJsonAsync(HttpStatusCode.Created);
        return answer.GetProperty("score").GetInt32();
    }

    [Fact]
    public async Task SaveNiche_WhenAdminChangesWeights_IntakeScoresWithThemAndTheyRoundTrip()
    {
        var niche = await BuyingApi.NicheAsync(app);
        var admin = await app.DemoClientAsync("admin");
        var defaultScore = await ScoreAsync(niche);

        var body = (await (await admin.GetAsync($"/api/v1/niches/{niche}")).ExpectJsonAsync(HttpStatusCode.OK)).ToNode();
        Assert.Equal(25, body["weights"]!["mobilePhone"]!.GetValue<int>()); // the defaults are shown
        body["weights"] = new JsonObject
        {
            ["mobilePhone"] = 80, ["landlinePhone"] = 40, ["email"] = 0, ["completeness"] = 0, ["consentEvidence"] = 0, ["timeframeNow"] = 0,
            ["timeframeSoon"] = 0, ["budget"] = 0, ["humanFillTime"] = 0, ["sellerQuality"] = 20,
        };
        var saved = await (await admin.PutJsonAsync($"/api/v1/admin/niches/{niche}", body)).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal(80, saved.GetProperty("weights").GetProperty("mobilePhone").GetInt32());

        // A mobile phone (80) and half the seller-quality points for a new seller (10): nothing else counts now.
        var weighted = await ScoreAsync(niche);
        Assert.Equal(90, weighted);
        Assert.NotEqual(defaultScore, weighted);
    }

    [Fact]
    public async Task SaveNiche_WhenWeightsAreOutOfRangeOrCannotReachHot_Returns422ByField()
    {
        var niche = await BuyingApi.NicheAsync(app);
        var admin = await app.DemoClientAsync("admin");
        var body = (await (await admin.GetAsync($"/api/v1/niches/{niche}")).ExpectJsonAsync(HttpStatusCode.OK)).ToNode();

        body["weights"]!["mobilePhone"] = 101;
        var errors = await (await admin.PutJsonAsync($"/api/v1/admin/niches/{niche}", body)).ExpectValidationErrorsAsync();
        errors.AssertHasError("weights.mobilePhone");

        foreach (var w in body["weights"]!.AsObject().Select(p => p.Key).ToList()) body["weights"]![w] = 1;
        errors = await (await admin.PutJsonAsync($"/api/v1/admin/niches/{niche}", body)).ExpectValidationErrorsAsync();
        errors.AssertHasError("weights");

        var unchanged = await (await admin.GetAsync($"/api/v1/niches/{niche}")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal(25, unchanged.GetProperty("weights").GetProperty("mobilePhone").GetInt32());
    }
}

public sealed class NicheWeightsTests_Sqlite(PostbackSqliteFactory app) : NicheWeightsTests(app), IClassFixture<PostbackSqliteFactory>;

public sealed class NicheWeightsTests_PostgreSql(PostbackPostgreSqlFactory app) : NicheWeightsTests(app), IClassFixture<PostbackPostgreSqlFactory>;
