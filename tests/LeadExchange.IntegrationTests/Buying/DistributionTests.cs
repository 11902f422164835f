using System.Net;
using LeadExchange.IntegrationTests.Conversions;
using LeadExchange.IntegrationTests.Infrastructure;
using LeadExchange.IntegrationTests.Ledger;
using static LeadExchange.IntegrationTests.Buying.BuyingApi;

namespace LeadExchange.IntegrationTests.Buying;

/// <summary>docs/api.md "Buying leads", distribution on intake: who gets a new lead (price, round robin, region, temperature, exclusive, shared).</summary>
public abstract class DistributionTests(PostbackFactory app)
{
    /// <summary>The lead ids in the advertiser's inbox, with the order that bought each.</summary>
    private static async Task<Dictionary<Guid, string>> BoughtAsync(TestUser advertiser) =>
        (await PurchasesAsync(advertiser.Client, "?pageSize=200")).Items()
        .ToDictionary(p => Guid.Parse(p.Str("leadId")), p => p.Str("orderId"));

    [Fact]
    public async Task Distribute_SeveralOrders_TheHighestMaxPriceWins()
    {
        var niche = await NicheAsync(app);
        var webmaster = await app.RegisterAsync("webmaster");
        var low = await AdvertiserAsync(app);
        var high = await AdvertiserAsync(app);
        await CreateOrderAsync(low.Client, OrderBody(niche, High, exclusive: true));
        var highOrder = (await CreateOrderAsync(high.Client, OrderBody(niche, High + 1, exclusive: true))).Str("id");

        var lead = await SubmitLeadAsync(webmaster.Client, niche);

        Assert.Equal(("sold", 1), (lead.Status, lead.SoldTo));
        Assert.Equal(highOrder, (await BoughtAsync(high))[lead.Id]);
        Assert.Empty(await BoughtAsync(low));
        Assert.Equal((RichTopUp - lead.Price, lead.Price), await BalanceAsync(high));
        Assert.Equal([-lead.Price], await SaleChargesAsync(high));
        Assert.Equal((RichTopUp, 0L), await BalanceAsync(low));
        Assert.Empty(await SaleChargesAsync(low));
        await LedgerHarness.AssertReconciledAsync(app);
    }

    [Fact]
    public async Task Distribute_EqualMaxPrice_AlternatesBetweenTheOrdersRoundRobin()
    {
        var niche = await NicheAsync(app);
        var webmaster = await app.RegisterAsync("webmaster");
        var first = await AdvertiserAsync(app);
        var second = await AdvertiserAsync(app);
        await CreateOrderAsync(first.Client, OrderBody(niche, High, exclusive: true));
        await CreateOrderAsync(second.Client, OrderBody(niche, High, exclusive: true));

        var winners = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            var lead = await SubmitLeadAsync(webmaster.Client, niche);
            Assert.Equal(1, lead.SoldTo);
            winners.Add((await BoughtAsync(first)).ContainsKey(lead.Id) ? "first" : (await BoughtAsync(second)).ContainsKey(lead.Id) ? "second" : "nobody");
        }

        // Neither has won before: the older order goes first, then they take turns.
        Assert.Equal(["first", "second", "first", "second"], winners);
        Assert.Equal(2, (await SaleChargesAsync(first)).Count);
        Assert.Equal(2, (await SaleChargesAsync(second)).Count);
    }

    [Fact]
    public async Task Distribute_LeadPriceAboveMaxPrice_IsNotBought_AtMaxPriceItIs()
    {
        var niche = await NicheAsync(app);
        var webmaster = await app.RegisterAsync("webmaster");
        var advertiser = await AdvertiserAsync(app);
        var price = (await SubmitLeadAsync(webmaster.Client, niche)).Price; // no orders yet: learns the price of such a lead
        var body = OrderBody(niche, price - 1, exclusive: true);
        var id = (await CreateOrderAsync(advertiser.Client, body)).Str("id");

        var tooDear = await SubmitLeadAsync(webmaster.Client, niche);

        Assert.Equal(price, tooDear.Price);
        Assert.Equal(("on_sale", 0), (tooDear.Status, tooDear.SoldTo));
        Assert.Equal((RichTopUp, 0L), await BalanceAsync(advertiser));
        Assert.Contains(tooDear.Id, await CatalogLeadIdsAsync(advertiser.Client, niche));

        body["maxPrice"] = price;
        await (await advertiser.Client.PutJsonAsync($"/api/v1/lead-orders/{id}", body)).ExpectStatusAsync(HttpStatusCode.OK);
        var affordable = await SubmitLeadAsync(webmaster.Client, niche);
        Assert.Equal(("sold", 1), (affordable.Status, affordable.SoldTo));
        Assert.Equal((RichTopUp - price, price), await BalanceAsync(advertiser));
    }

    [Fact]
    public async Task Distribute_LeadBelowMinTemperature_IsNotBought()
    {
        var niche = await NicheAsync(app);
        var webmaster = await app.RegisterAsync("webmaster");
        var advertiser = await AdvertiserAsync(app);
        await CreateOrderAsync(advertiser.Client, OrderBody(niche, High, minTemperature: "hot"));

        var poor = await SubmitLeadAsync(webmaster.Client, niche, rich: false);
        var rich = await SubmitLeadAsync(webmaster.Client, niche, rich: true);

        Assert.NotEqual("hot", poor.Temperature);
        Assert.Equal(0, poor.SoldTo);
        Assert.Equal("hot", rich.Temperature);
        Assert.Equal(1, rich.SoldTo);
        Assert.Equal([rich.Id], (await BoughtAsync(advertiser)).Keys);
        Assert.Equal((RichTopUp - rich.Price, rich.Price), await BalanceAsync(advertiser));
    }

    [Fact]
    public async Task Distribute_CountryOrder_BuysItsSubdivisionsLeads_AnotherRegionsOrderDoesNot()
    {
        var niche = await NicheAsync(app);
        var webmaster = await app.RegisterAsync("webmaster");
        var country = await AdvertiserAsync(app);
        var elsewhere = await AdvertiserAsync(app);
        var countryOrder = (await CreateOrderAsync(country.Client, OrderBody(niche, High, exclusive: true, regions: ["RU"]))).Str("id");
        // Pays more, but only for Saint Petersburg and Kazakhstan.
        await CreateOrderAsync(elsewhere.Client, OrderBody(niche, High * 2, exclusive: true, regions: ["RU-SPE", "KZ"]));

        var moscow = await SubmitLeadAsync(webmaster.Client, niche, region: "RU-MOW");

        Assert.Equal(1, moscow.SoldTo);
        Assert.Equal(countryOrder, (await BoughtAsync(country))[moscow.Id]);
        Assert.Empty(await BoughtAsync(elsewhere));

        var petersburg = await SubmitLeadAsync(webmaster.Client, niche, region: "RU-SPE");
        Assert.Equal(1, petersburg.SoldTo);
        Assert.Contains(petersburg.Id, (await BoughtAsync(elsewhere)).Keys);
        Assert.Equal((RichTopUp - petersburg.Price, petersburg.Price), await BalanceAsync(elsewhere));
    }

    [Fact]
    public async Task Distribute_ExclusiveOrderFirst_TakesTheLeadAlone()
    {
        var niche = await NicheAsync(app, maxSharedBuyers: 3);
        var webmaster = await app.RegisterAsync("webmaster");
        var exclusive = await AdvertiserAsync(app);
        var shared = await AdvertisersAsync(app, 2);
        await CreateOrderAsync(exclusive.Client, OrderBody(niche, High + 1, exclusive: true));
        foreach (var s in shared) await CreateOrderAsync(s.Client, OrderBody(niche, High));

        var lead = await SubmitLeadAsync(webmaster.Client, niche);

        Assert.Equal(("sold", 1), (lead.Status, lead.SoldTo));
        var purchase = Assert.Single((await PurchasesAsync(exclusive.Client)).Items());
        Assert.True(purchase.GetProperty("exclusive").GetBoolean());
        foreach (var s in shared)
        {
            Assert.Empty(await BoughtAsync(s));
            Assert.Equal((RichTopUp, 0L), await BalanceAsync(s));
            Assert.DoesNotContain(lead.Id, await CatalogLeadIdsAsync(s.Client, niche));
        }
    }

    [Fact]
    public async Task Distribute_SharedOrders_SellToAtMostMaxSharedDistinctBuyers()
    {
        var niche = await NicheAsync(app, maxSharedBuyers: 2);
        var webmaster = await app.RegisterAsync("webmaster");
        var buyers = await AdvertisersAsync(app, 4);
        // The first buyer has two orders at the top of the ranking: it still counts as one buyer and buys once.
        await CreateOrderAsync(buyers[0].Client, OrderBody(niche, High + 3));
        await CreateOrderAsync(buyers[0].Client, OrderBody(niche, High + 2));
        for (var i = 1; i < buyers.Count; i++) await CreateOrderAsync(buyers[i].Client, OrderBody(niche, High + 1 - i));

        var lead = await SubmitLeadAsync(webmaster.Client, niche);

        Assert.Equal(("sold", 2), (lead.Status, lead.SoldTo));
        Assert.Equal([-lead.Price], await SaleChargesAsync(buyers[0]));
        Assert.Equal([-lead.Price], await SaleChargesAsync(buyers[1]));
        Assert.Empty(await SaleChargesAsync(buyers[2]));
        Assert.Empty(await SaleChargesAsync(buyers[3]));
        foreach (var buyer in buyers.Take(2))
            Assert.False(Assert.Single((await PurchasesAsync(buyer.Client)).Items()).GetProperty("exclusive").GetBoolean());
        Assert.DoesNotContain(lead.Id, await CatalogLeadIdsAsync(buyers[3].Client, niche));
        Assert.Equal(2, await SaleChargesForLeadAsync(app, lead.Id));
        await LedgerHarness.AssertReconciledAsync(app);
    }
}

public sealed class DistributionTests_Sqlite(PostbackSqliteFactory app) : DistributionTests(app), IClassFixture<PostbackSqliteFactory>;

public sealed class DistributionTests_PostgreSql(PostbackPostgreSqlFactory app) : DistributionTests(app), IClassFixture<PostbackPostgreSqlFactory>;
