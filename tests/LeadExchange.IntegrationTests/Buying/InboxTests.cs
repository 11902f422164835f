using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using LeadExchange.IntegrationTests.Conversions;
using LeadExchange.IntegrationTests.Infrastructure;
using static LeadExchange.IntegrationTests.Buying.BuyingApi;

namespace LeadExchange.IntegrationTests.Buying;

/// <summary>API.md /api/v1/purchases: the buyer's inbox (statuses, filters, paging), who may see a contact, and converted leads feeding CPS.</summary>
public abstract class InboxTests(PostbackFactory app)
{
    /// <summary>A lead bought from the catalog by <paramref name="buyer"/>: (lead, saleId).</summary>
    private static async Task<(SubmittedLead Lead, string SaleId)> BoughtLeadAsync(TestUser webmaster, TestUser buyer, string niche, string region = "RU-MOW",
        JsonObject? body = null)
    {
        var lead = await SubmitAsync(webmaster.Client, body ?? LeadBody(niche, region));
        var purchase = await (await BuyAsync(buyer.Client, lead.Id, exclusive: true)).ExpectJsonAsync(HttpStatusCode.Created);
        return (lead, purchase.Str("saleId"));
    }

    private static Task<HttpResponseMessage> PatchAsync(HttpClient client, string saleId, object body) =>
        client.PatchAsync($"/api/v1/purchases/{saleId}", JsonContent(body));

    private static StringContent JsonContent(object body) =>
        new(JsonSerializer.Serialize(body), System.Text.Encoding.UTF8, "application/json");

    [Fact]
    public async Task Patch_ValidStatuses_AreStoredWithTheirDetails()
    {
        var niche = await NicheAsync(app);
        var webmaster = await app.RegisterAsync("webmaster");
        var buyer = await AdvertiserAsync(app);
        var (_, saleId) = await BoughtLeadAsync(webmaster, buyer, niche);
        Assert.Equal("new", (await (await buyer.Client.GetAsync($"/api/v1/purchases/{saleId}")).ExpectJsonAsync(HttpStatusCode.OK)).Str("status"));

        var inWork = await (await PatchAsync(buyer.Client, saleId, new { status = "in_work", note = "Called, call back", assignee = "Olga" }))
            .ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal(("in_work", "Called, call back", "Olga"), (inWork.Str("status"), inWork.Str("note"), inWork.Str("assignee")));

        var until = app.Clock.UtcNow.AddDays(3);
        var deferred = await (await PatchAsync(buyer.Client, saleId, new { status = "deferred", deferredUntil = until })).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal("deferred", deferred.Str("status"));
        Assert.InRange(deferred.GetProperty("deferredUntil").GetDateTime().ToUniversalTime(), until.AddSeconds(-1), until.AddSeconds(1));

        var refused = await (await PatchAsync(buyer.Client, saleId, new { status = "refused", reason = "Wrong number" })).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal(("refused", "Wrong number"), (refused.Str("status"), refused.Str("refuseReason")));

        var converted = await (await PatchAsync(buyer.Client, saleId, new { status = "converted", saleAmount = 1_500_000 })).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal(("converted", 1_500_000L), (converted.Str("status"), converted.GetProperty("saleAmount").GetInt64()));
        Assert.Null(converted.Str("refuseReason"));

        (await (await PatchAsync(buyer.Client, saleId, new { status = "in_work" })).ExpectValidationErrorsAsync()).AssertHasError("status");
        var stored = await (await buyer.Client.GetAsync($"/api/v1/purchases/{saleId}")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal(("converted", "Called, call back"), (stored.Str("status"), stored.Str("note")));
    }

    public static TheoryData<string, string> BadUpdates => new()
    {
        { """{"status":"refused"}""", "reason" },
        { """{"status":"refused","reason":"   "}""", "reason" },
        { """{"status":"deferred"}""", "deferredUntil" },
        { """{"status":"deferred","deferredUntil":"2020-01-01T00:00:00Z"}""", "deferredUntil" },
        { """{"status":"converted"}""", "saleAmount" },
        { """{"status":"converted","saleAmount":0}""", "saleAmount" },
        { """{"status":"converted","saleAmount":-100}""", "saleAmount" },
        { """{"status":"sold_out"}""", "status" },
        { """{"saleAmount":1000}""", "saleAmount" },
    };

    [Theory]
    [MemberData(nameof(BadUpdates))]
    public async Task Patch_StatusWithoutItsRequiredField_Answers422NamingTheField_AndChangesNothing(string json, string field)
    {
        var niche = await NicheAsync(app);
        var webmaster = await app.RegisterAsync("webmaster");
        var buyer = await AdvertiserAsync(app);
        var (_, saleId) = await BoughtLeadAsync(webmaster, buyer, niche);

        var response = await buyer.Client.PatchAsync($"/api/v1/purchases/{saleId}", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

        (await response.ExpectValidationErrorsAsync()).AssertHasError(field);
        var stored = await (await buyer.Client.GetAsync($"/api/v1/purchases/{saleId}")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal("new", stored.Str("status"));
        Assert.Null(stored.Str("saleAmount"));
    }

    [Fact]
    public async Task Purchases_FiltersAndPages_TheBuyersOwnOnly()
    {
        var niche = await NicheAsync(app);
        var webmaster = await app.RegisterAsync("webmaster");
        var buyer = await AdvertiserAsync(app);
        var other = await AdvertiserAsync(app);
        var (moscow1, sale1) = await BoughtLeadAsync(webmaster, buyer, niche, "RU-MOW");
        var (_, sale2) = await BoughtLeadAsync(webmaster, buyer, niche, "RU-MOW");
        var (petersburg, _) = await BoughtLeadAsync(webmaster, buyer, niche, "RU-SPE");
        await BoughtLeadAsync(webmaster, other, niche);
        await (await PatchAsync(buyer.Client, sale1, new { status = "in_work", note = "VIP client" })).ExpectStatusAsync(HttpStatusCode.OK);
        await (await PatchAsync(buyer.Client, sale2, new { status = "refused", reason = "Not interested" })).ExpectStatusAsync(HttpStatusCode.OK);

        static List<string> Leads(JsonElement page) => page.Items().Select(i => i.Str("leadId")).ToList();

        var all = await PurchasesAsync(buyer.Client);
        Assert.Equal(3, all.GetProperty("total").GetInt32());
        Assert.Equal([moscow1.Id.ToString()], Leads(await PurchasesAsync(buyer.Client, "?status=in_work")));
        Assert.Single((await PurchasesAsync(buyer.Client, "?status=refused")).Items());
        Assert.Equal([petersburg.Id.ToString()], Leads(await PurchasesAsync(buyer.Client, "?region=RU-SPE")));
        Assert.Equal(3, (await PurchasesAsync(buyer.Client, "?region=RU")).GetProperty("total").GetInt32());
        Assert.Equal(3, (await PurchasesAsync(buyer.Client, $"?niche={niche}")).GetProperty("total").GetInt32());
        Assert.Equal(0, (await PurchasesAsync(buyer.Client, "?niche=credit")).GetProperty("total").GetInt32());
        Assert.Equal([moscow1.Id.ToString()], Leads(await PurchasesAsync(buyer.Client, "?search=VIP")));
        var future = Uri.EscapeDataString(app.Clock.UtcNow.AddDays(1).ToString("O"));
        Assert.Equal(0, (await PurchasesAsync(buyer.Client, $"?from={future}")).GetProperty("total").GetInt32());

        var page1 = await PurchasesAsync(buyer.Client, "?pageSize=2&page=1");
        var page2 = await PurchasesAsync(buyer.Client, "?pageSize=2&page=2");
        Assert.Equal((2, 1), (page1.Items().Count(), page2.Items().Count()));
        Assert.Equal(3, page2.GetProperty("total").GetInt32());
        Assert.Equal(3, Leads(page1).Concat(Leads(page2)).Distinct().Count());
        Assert.Equal(1, (await PurchasesAsync(other.Client)).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Purchase_OfAnotherAdvertiser_Is404ForGetAndPatch()
    {
        var niche = await NicheAsync(app);
        var webmaster = await app.RegisterAsync("webmaster");
        var buyer = await AdvertiserAsync(app);
        var stranger = await AdvertiserAsync(app, topUp: 0);
        var (_, saleId) = await BoughtLeadAsync(webmaster, buyer, niche);

        await (await stranger.Client.GetAsync($"/api/v1/purchases/{saleId}")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await PatchAsync(stranger.Client, saleId, new { status = "in_work" })).ExpectProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(0, (await PurchasesAsync(stranger.Client)).GetProperty("total").GetInt32());
        Assert.Equal("new", (await (await buyer.Client.GetAsync($"/api/v1/purchases/{saleId}")).ExpectJsonAsync(HttpStatusCode.OK)).Str("status"));
    }

    [Fact]
    public async Task Contact_IsRevealedToTheBuyerOnly_NoOtherApiRouteShowsIt()
    {
        var niche = await NicheAsync(app);
        var seller = await app.RegisterAsync("webmaster");
        var buyer = await AdvertiserAsync(app);
        var email = $"secret.{TestServices.ShortId()}@example.com";
        var (lead, saleId) = await BoughtLeadAsync(seller, buyer, niche, body: LeadBody(niche, email: email, name: "Evlampiy Zhuravlyov"));
        // A second, unsold lead in the catalog, so the catalog has something to (mis)show.
        var unsold = await SubmitAsync(seller.Client, LeadBody(niche, name: "Evlampiy Zhuravlyov"));
        var secrets = new[] { Digits(lead.Phone)[^7..], Digits(unsold.Phone)[^7..], email, "Zhuravlyov" };

        var mine = await (await buyer.Client.GetAsync($"/api/v1/purchases/{saleId}")).ExpectStatusAsync(HttpStatusCode.OK);
        Assert.Contains(secrets[0], Digits(mine));
        Assert.Contains(email, mine);
        Assert.Contains("Zhuravlyov", mine);

        var swagger = await (await buyer.Client.GetAsync("/swagger/v1/swagger.json")).ExpectJsonAsync(HttpStatusCode.OK);
        var getPaths = swagger.GetProperty("paths").EnumerateObject()
            .Where(p => p.Name.StartsWith("/api/v1/", StringComparison.Ordinal) && p.Value.TryGetProperty("get", out _))
            .Select(p => p.Name).ToList();
        Assert.Contains("/api/v1/purchases/{saleId}", getPaths);
        var ids = new[] { lead.Id.ToString(), saleId, unsold.Id.ToString() };
        var urls = getPaths.SelectMany(p => p.Contains('{') ? ids.Select(id => System.Text.RegularExpressions.Regex.Replace(p, "{[^}]+}", id)) : [p])
            .Distinct().ToList();

        var outsiders = new[] { await app.RegisterAsync("webmaster"), await AdvertiserAsync(app, topUp: 0) };
        var checkedBodies = 0;
        foreach (var outsider in outsiders)
        foreach (var url in urls)
        {
            using var response = await outsider.Client.GetAsync(url + (url.Contains('?') ? "&" : "?") + "pageSize=200");
            var body = await response.Content.ReadAsStringAsync();
            foreach (var secret in secrets)
                Assert.False(body.Contains(secret, StringComparison.OrdinalIgnoreCase), $"GET {url} as {outsider.Email} ({(int)response.StatusCode}) shows '{secret}'.");
            checkedBodies++;
        }
        Assert.True(checkedBodies >= 2 * 10, $"only {checkedBodies} GET routes checked");
    }

    [Fact]
    public async Task ContactAnswers_OfTheApiAndThePages_AreMarkedNoStore()
    {
        // Issue "Trust": answers with a lead's contact must not stay in a proxy's or the browser's cache after sign-out.
        var niche = await NicheAsync(app);
        var seller = await app.RegisterAsync("webmaster");
        var buyer = await AdvertiserAsync(app);
        var lead = await SubmitAsync(seller.Client, LeadBody(niche));
        using var bought = await BuyAsync(buyer.Client, lead.Id, exclusive: true);
        var saleId = (await bought.ExpectJsonAsync(HttpStatusCode.Created)).Str("saleId");
        using var browser = await LeadForms.LeadFormHarness.SignInAsync(app, buyer.Email, buyer.Password);
        var answers = new List<(string What, HttpResponseMessage Response)>
        {
            ("POST catalog/{id}/buy", bought),
            ("GET /api/v1/purchases", await buyer.Client.GetAsync("/api/v1/purchases")),
            ("GET /api/v1/purchases/{id}", await buyer.Client.GetAsync($"/api/v1/purchases/{saleId}")),
            ("PATCH /api/v1/purchases/{id}", await PatchAsync(buyer.Client, saleId, new { status = "in_work" })),
            ("bought leads CSV", await browser.GetAsync("/Advertiser/Purchases/Csv")),
            ("inbox page", await browser.GetAsync("/Advertiser/Purchases")),
            ("purchase page", await browser.GetAsync($"/Advertiser/Purchases/Details/{saleId}")),
        };

        foreach (var (what, response) in answers)
        {
            Assert.True(response.IsSuccessStatusCode, $"{what}: {(int)response.StatusCode}");
            Assert.True(response.Headers.CacheControl?.NoStore == true, $"{what}: Cache-Control is '{response.Headers.CacheControl}'");
        }
        // Lists and answers without contacts keep their usual caching.
        using var catalog = await buyer.Client.GetAsync($"/api/v1/catalog?niche={niche}");
        Assert.NotEqual(true, catalog.Headers.CacheControl?.NoStore);
    }

    [Fact]
    public async Task Patch_ConvertedLeadFromOwnCpsOffersLink_RecordsTheCpsConversionOnce()
    {
        var niche = await NicheAsync(app);
        var s = await PostbackHarness.SetupAsync(app); // offer with goals lead (CPL), deposit (CPA), sale (CPS 10%)
        var clickId = await PostbackHarness.ClickAsync(app, s.LinkCode);
        var body = LeadBody(niche);
        body["clickId"] = clickId;
        var (lead, saleId) = await BoughtLeadAsync(s.Webmaster, s.Advertiser, niche, body: body);
        var (_, organicSale) = await BoughtLeadAsync(s.Webmaster, s.Advertiser, niche); // no click: no CPS conversion to record
        var before = await BalanceAsync(s.Advertiser);

        await (await PatchAsync(s.Advertiser.Client, saleId, new { status = "converted", saleAmount = 1_000_000 })).ExpectStatusAsync(HttpStatusCode.OK);
        await (await PatchAsync(s.Advertiser.Client, saleId, new { status = "converted", saleAmount = 1_000_000 })).ExpectStatusAsync(HttpStatusCode.OK);
        await (await PatchAsync(s.Advertiser.Client, organicSale, new { status = "converted", saleAmount = 2_000_000 })).ExpectStatusAsync(HttpStatusCode.OK);

        var conversions = await (await s.Advertiser.Client.GetAsync($"/api/v1/conversions?offerId={s.OfferId}")).ExpectJsonAsync(HttpStatusCode.OK);
        var cps = Assert.Single(conversions.Items(), c => c.Str("goal") == "sale");
        Assert.Equal(clickId, cps.Str("clickId"));
        Assert.Equal(1_000_000, cps.GetProperty("saleAmount").GetInt64());
        Assert.Equal(100_000, cps.GetProperty("advertiserAmount").GetInt64()); // 10% of the sale
        Assert.Equal("pending", cps.Str("status"));
        Assert.Single(conversions.Items(), c => c.Str("goal") == "lead"); // the CPL conversion of the intake, nothing else
        Assert.Equal(2, conversions.GetProperty("total").GetInt32());
        var after = await BalanceAsync(s.Advertiser);
        Assert.Equal((before.Available - 100_000, before.Held + 100_000), after);
        Assert.Equal(lead.Id.ToString(), (await (await s.Advertiser.Client.GetAsync($"/api/v1/purchases/{saleId}")).ExpectJsonAsync(HttpStatusCode.OK)).Str("leadId"));
        await Ledger.LedgerHarness.AssertReconciledAsync(app);
    }
}

public sealed class InboxTests_Sqlite(PostbackSqliteFactory app) : InboxTests(app), IClassFixture<PostbackSqliteFactory>;

public sealed class InboxTests_PostgreSql(PostbackPostgreSqlFactory app) : InboxTests(app), IClassFixture<PostbackPostgreSqlFactory>;
