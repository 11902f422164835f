using System.Net;
using System.Text.Json.Nodes;
using LeadExchange.IntegrationTests.Conversions;
using LeadExchange.IntegrationTests.Infrastructure;
using static LeadExchange.IntegrationTests.Buying.BuyingApi;

namespace LeadExchange.IntegrationTests.Buying;

/// <summary>API.md /api/v1/lead-orders: create, list, get, edit, pause and resume; validation per field; ownership and roles.</summary>
public abstract class LeadOrderTests(PostbackFactory app)
{
    [Fact]
    public async Task CreateOrder_ValidTerms_Answers201_AndListAndGetShowIt()
    {
        var niche = await NicheAsync(app);
        var advertiser = await AdvertiserAsync(app, topUp: 0);
        var body = OrderBody(niche, 300_000, exclusive: true, regions: ["ru", "RU-SPE"], minTemperature: "warm", dailyCap: 5, monthlyCap: 50,
            budget: 1_000_000, days: ["mon", "wed", "fri"], hourFrom: 9, hourTo: 18, timeZone: "Europe/Moscow");

        var response = await advertiser.Client.PostJsonAsync("/api/v1/lead-orders", body);

        var order = await response.ExpectJsonAsync(HttpStatusCode.Created);
        var id = order.Str("id");
        Assert.EndsWith($"/api/v1/lead-orders/{id}", response.Headers.Location!.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(niche, order.Str("niche"));
        Assert.Equal(["RU", "RU-SPE"], order.GetProperty("regions").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal("RUB", order.Str("currency"));
        Assert.Equal(300_000, order.GetProperty("maxPrice").GetInt64());
        Assert.Equal("warm", order.Str("minTemperature"));
        Assert.True(order.GetProperty("exclusive").GetBoolean());
        Assert.Equal(5, order.GetProperty("dailyCap").GetInt32());
        Assert.Equal(50, order.GetProperty("monthlyCap").GetInt32());
        Assert.Equal(1_000_000, order.GetProperty("budget").GetInt64());
        Assert.Equal(0, order.GetProperty("spent").GetInt64());
        Assert.Equal(["mon", "wed", "fri"], order.GetProperty("days").EnumerateArray().Select(d => d.GetString()));
        Assert.Equal(9, order.GetProperty("hourFrom").GetInt32());
        Assert.Equal(18, order.GetProperty("hourTo").GetInt32());
        Assert.Equal("Europe/Moscow", order.Str("timeZone"));
        Assert.Equal("active", order.Str("status"));

        var fetched = await GetOrderAsync(advertiser.Client, id);
        Assert.Equal(id, fetched.Str("id"));
        Assert.Equal(300_000, fetched.GetProperty("maxPrice").GetInt64());
        var list = await (await advertiser.Client.GetAsync("/api/v1/lead-orders")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal(id, Assert.Single(list.Items()).Str("id"));
        var paused = await (await advertiser.Client.GetAsync("/api/v1/lead-orders?status=paused")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Empty(paused.Items());
    }

    [Fact]
    public async Task UpdateOrder_NewTermsAndActiveFlag_ChangesTerms_PausesAndResumes_AndOnlyActiveOrdersBuy()
    {
        var niche = await NicheAsync(app);
        var webmaster = await app.RegisterAsync("webmaster");
        var advertiser = await AdvertiserAsync(app);
        var id = (await CreateOrderAsync(advertiser.Client, OrderBody(niche, 10_000_000))).Str("id");

        var paused = await (await advertiser.Client.PutJsonAsync($"/api/v1/lead-orders/{id}", OrderBody(niche, 20_000_000, dailyCap: 7, active: false)))
            .ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal("paused", paused.Str("status"));
        Assert.False(string.IsNullOrWhiteSpace(paused.Str("pausedReason")));
        Assert.Equal(20_000_000, paused.GetProperty("maxPrice").GetInt64());
        Assert.Equal(7, paused.GetProperty("dailyCap").GetInt32());
        var whilePaused = await SubmitLeadAsync(webmaster.Client, niche);
        Assert.Equal(("on_sale", 0), (whilePaused.Status, whilePaused.SoldTo));
        Assert.Equal((RichTopUp, 0L), await BalanceAsync(advertiser));

        var resumed = await (await advertiser.Client.PutJsonAsync($"/api/v1/lead-orders/{id}", OrderBody(niche, 20_000_000, dailyCap: 7, active: true)))
            .ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal("active", resumed.Str("status"));
        Assert.Null(resumed.Str("pausedReason"));
        var afterResume = await SubmitLeadAsync(webmaster.Client, niche);
        Assert.Equal(1, afterResume.SoldTo);
        Assert.Equal((RichTopUp - afterResume.Price, afterResume.Price), await BalanceAsync(advertiser));
        var order = await GetOrderAsync(advertiser.Client, id);
        Assert.Equal(1, order.GetProperty("leadsBought").GetInt32());
        Assert.Equal(afterResume.Price, order.GetProperty("spent").GetInt64());
        Assert.Equal(1, order.GetProperty("boughtToday").GetInt32());
    }

    public static TheoryData<string, string, JsonNode?> BadTerms => new()
    {
        { "niche", "niche", "no-such-niche" },
        { "regions", "regions", new JsonArray("RU-XXX") },
        { "regions", "regions", new JsonArray("not a region") },
        { "maxPrice", "maxPrice", 0 },
        { "maxPrice", "maxPrice", -500 },
        { "maxPrice", "maxPrice", null },
        { "dailyCap", "dailyCap", 0 },
        { "timeZone", "timeZone", "Mars/Olympus_Mons" },
        { "days", "days", new JsonArray() },
        { "days", "days", new JsonArray("funday") },
        { "minTemperature", "minTemperature", "lukewarm" },
        { "hourFrom", "hourFrom", 25 },
        { "name", "name", "" },
    };

    [Theory]
    [MemberData(nameof(BadTerms))]
    public async Task CreateOrder_BadField_Answers422NamingTheField_AndStoresNothing(string expectedField, string property, JsonNode? value)
    {
        var niche = await NicheAsync(app);
        var advertiser = await AdvertiserAsync(app, topUp: 0);
        var body = OrderBody(niche, 500_000);
        body[property] = value?.DeepClone();

        var errors = await (await advertiser.Client.PostJsonAsync("/api/v1/lead-orders", body)).ExpectValidationErrorsAsync();

        errors.AssertHasError(expectedField);
        var list = await (await advertiser.Client.GetAsync("/api/v1/lead-orders")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Empty(list.Items());
    }

    [Fact]
    public async Task CreateOrder_DailyCapAboveMonthlyCapAndBudgetBelowMaxPrice_Answers422ForEachField()
    {
        var niche = await NicheAsync(app);
        var advertiser = await AdvertiserAsync(app, topUp: 0);

        var errors = await (await advertiser.Client.PostJsonAsync("/api/v1/lead-orders",
            OrderBody(niche, 500_000, dailyCap: 10, monthlyCap: 3, budget: 100, timeZone: "Nowhere/Land"))).ExpectValidationErrorsAsync();

        errors.AssertHasError("dailyCap");
        errors.AssertHasError("budget");
        errors.AssertHasError("timeZone");
        Assert.All(errors.Keys, k => Assert.True(char.IsLower(k[0]), $"'{k}' is not camelCase"));
    }

    [Fact]
    public async Task UpdateOrder_InvalidTermsOrAnotherNiche_Answers422_AndKeepsTheOrder()
    {
        var niche = await NicheAsync(app);
        var other = await NicheAsync(app);
        var advertiser = await AdvertiserAsync(app, topUp: 0);
        var id = (await CreateOrderAsync(advertiser.Client, OrderBody(niche, 500_000))).Str("id");

        (await (await advertiser.Client.PutJsonAsync($"/api/v1/lead-orders/{id}", OrderBody(niche, -1))).ExpectValidationErrorsAsync())
            .AssertHasError("maxPrice");
        (await (await advertiser.Client.PutJsonAsync($"/api/v1/lead-orders/{id}", OrderBody(other, 600_000))).ExpectValidationErrorsAsync())
            .AssertHasError("niche");

        var order = await GetOrderAsync(advertiser.Client, id);
        Assert.Equal(500_000, order.GetProperty("maxPrice").GetInt64());
        Assert.Equal(niche, order.Str("niche"));
    }

    [Fact]
    public async Task Order_OfAnotherAdvertiser_Is404ForGetAndPut_AndNotListed()
    {
        var niche = await NicheAsync(app);
        var owner = await AdvertiserAsync(app, topUp: 0);
        var stranger = await AdvertiserAsync(app, topUp: 0);
        var id = (await CreateOrderAsync(owner.Client, OrderBody(niche, 500_000))).Str("id");

        await (await stranger.Client.GetAsync($"/api/v1/lead-orders/{id}")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await stranger.Client.PutJsonAsync($"/api/v1/lead-orders/{id}", OrderBody(niche, 1, active: false))).ExpectProblemAsync(HttpStatusCode.NotFound);
        var list = await (await stranger.Client.GetAsync("/api/v1/lead-orders")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Empty(list.Items());

        var order = await GetOrderAsync(owner.Client, id);
        Assert.Equal(("active", 500_000L), (order.Str("status"), order.GetProperty("maxPrice").GetInt64()));
    }

    [Fact]
    public async Task LeadOrders_AsWebmaster_Answer403()
    {
        var niche = await NicheAsync(app);
        var advertiser = await AdvertiserAsync(app, topUp: 0);
        var id = (await CreateOrderAsync(advertiser.Client, OrderBody(niche, 500_000))).Str("id");
        var webmaster = await app.RegisterAsync("webmaster");

        await (await webmaster.Client.GetAsync("/api/v1/lead-orders")).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await webmaster.Client.PostJsonAsync("/api/v1/lead-orders", OrderBody(niche, 500_000))).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await webmaster.Client.GetAsync($"/api/v1/lead-orders/{id}")).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await webmaster.Client.PutJsonAsync($"/api/v1/lead-orders/{id}", OrderBody(niche, 1))).ExpectProblemAsync(HttpStatusCode.Forbidden);
    }
}

public sealed class LeadOrderTests_Sqlite(PostbackSqliteFactory app) : LeadOrderTests(app), IClassFixture<PostbackSqliteFactory>;

public sealed class LeadOrderTests_PostgreSql(PostbackPostgreSqlFactory app) : LeadOrderTests(app), IClassFixture<PostbackPostgreSqlFactory>;
