using System.Net;
using LeadExchange.IntegrationTests.Conversions;
using LeadExchange.IntegrationTests.Infrastructure;
using LeadExchange.IntegrationTests.Ledger;
using static LeadExchange.IntegrationTests.Buying.BuyingApi;

namespace LeadExchange.IntegrationTests.Buying;

/// <summary>What stops an order buying: its daily cap (also under parallel intake), its schedule in its time zone, its budget, the buyer's balance.</summary>
public abstract class OrderLimitsTests(PostbackFactory app)
{
    [Fact]
    public async Task Distribute_DailyCapReached_StopsBuyingForTheDay()
    {
        var niche = await NicheAsync(app);
        var webmaster = await app.RegisterAsync("webmaster");
        var advertiser = await AdvertiserAsync(app);
        var id = (await CreateOrderAsync(advertiser.Client, OrderBody(niche, High, exclusive: true, dailyCap: 2))).Str("id");

        var leads = new List<SubmittedLead>();
        for (var i = 0; i < 3; i++) leads.Add(await SubmitLeadAsync(webmaster.Client, niche));

        Assert.Equal([1, 1, 0], leads.Select(l => l.SoldTo));
        Assert.Equal("on_sale", leads[2].Status);
        var order = await GetOrderAsync(advertiser.Client, id);
        Assert.Equal(2, order.GetProperty("boughtToday").GetInt32());
        Assert.Equal("active", order.Str("status")); // a full day skips the order; it is not paused
        Assert.Equal(2, (await SaleChargesAsync(advertiser)).Count);
    }

    [Fact]
    public async Task Distribute_TenLeadsInParallel_DailyCapThree_BuysExactlyThree()
    {
        var niche = await NicheAsync(app);
        var webmasters = new[] { await app.RegisterAsync("webmaster"), await app.RegisterAsync("webmaster") };
        var advertiser = await AdvertiserAsync(app);
        var id = (await CreateOrderAsync(advertiser.Client, OrderBody(niche, High, exclusive: true, dailyCap: 3))).Str("id");

        var leads = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Task.Run(() => SubmitLeadAsync(webmasters[i % 2].Client, niche))));

        Assert.Equal(3, leads.Count(l => l.SoldTo == 1));
        Assert.Equal(7, leads.Count(l => l is { SoldTo: 0, Status: "on_sale" }));
        var spent = leads.Where(l => l.SoldTo == 1).Sum(l => l.Price);
        Assert.Equal((RichTopUp - spent, spent), await BalanceAsync(advertiser));
        Assert.Equal(3, (await SaleChargesAsync(advertiser)).Count);
        Assert.Equal(3, (await PurchasesAsync(advertiser.Client)).GetProperty("total").GetInt32());
        var order = await GetOrderAsync(advertiser.Client, id);
        Assert.Equal((3, 3, spent), (order.GetProperty("boughtToday").GetInt32(), order.GetProperty("leadsBought").GetInt32(), order.GetProperty("spent").GetInt64()));
        await LedgerHarness.AssertReconciledAsync(app);
    }

    [Fact]
    public async Task Distribute_ScheduleInOrdersTimeZone_BuysOnlyInsideItsHours()
    {
        var niche = await NicheAsync(app);
        var webmaster = await app.RegisterAsync("webmaster");
        var advertiser = await AdvertiserAsync(app);
        // Mon-Fri 9-18 Moscow time (UTC+3): 20:00 Moscow is 17:00 UTC (inside 9-18 UTC), 10:00 Moscow is 07:00 UTC (outside):
        // an order read in UTC would get both wrong.
        var id = (await CreateOrderAsync(advertiser.Client, OrderBody(niche, High, exclusive: true,
            days: ["mon", "tue", "wed", "thu", "fri"], hourFrom: 9, hourTo: 18, timeZone: "Europe/Moscow"))).Str("id");

        app.Clock.Advance(NextLocal(app.Clock.UtcNow, "Europe/Moscow", 20, Weekdays) - app.Clock.UtcNow);
        var evening = await SubmitLeadAsync(webmaster.Client, niche);
        Assert.Equal(("on_sale", 0), (evening.Status, evening.SoldTo));
        Assert.False((await GetOrderAsync(advertiser.Client, id)).GetProperty("openNow").GetBoolean());

        app.Clock.Advance(NextLocal(app.Clock.UtcNow, "Europe/Moscow", 10, DayOfWeek.Saturday) - app.Clock.UtcNow);
        var saturday = await SubmitLeadAsync(webmaster.Client, niche);
        Assert.Equal(0, saturday.SoldTo);

        app.Clock.Advance(NextLocal(app.Clock.UtcNow, "Europe/Moscow", 10, Weekdays) - app.Clock.UtcNow);
        Assert.True((await GetOrderAsync(advertiser.Client, id)).GetProperty("openNow").GetBoolean());
        var morning = await SubmitLeadAsync(webmaster.Client, niche);
        Assert.Equal(("sold", 1), (morning.Status, morning.SoldTo));
        Assert.Equal((RichTopUp - morning.Price, morning.Price), await BalanceAsync(advertiser));
    }

    [Fact]
    public async Task Distribute_BudgetCannotCoverTheLead_PausesTheOrderWithTheReason_UntilTheBudgetIsRaised()
    {
        var niche = await NicheAsync(app);
        var webmaster = await app.RegisterAsync("webmaster");
        var advertiser = await AdvertiserAsync(app);
        var price = (await SubmitLeadAsync(webmaster.Client, niche)).Price; // no orders yet: learns the price of such a lead
        var body = OrderBody(niche, price, exclusive: true, budget: price + price / 2);
        var id = (await CreateOrderAsync(advertiser.Client, body)).Str("id");

        var first = await SubmitLeadAsync(webmaster.Client, niche);
        var second = await SubmitLeadAsync(webmaster.Client, niche);

        Assert.Equal(1, first.SoldTo);
        Assert.Equal(("on_sale", 0), (second.Status, second.SoldTo));
        var order = await GetOrderAsync(advertiser.Client, id);
        Assert.Equal("paused", order.Str("status"));
        Assert.True(order.GetProperty("pausedAutomatically").GetBoolean());
        Assert.Contains("budget", order.Str("pausedReason"), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(price, order.GetProperty("spent").GetInt64());
        Assert.Equal((RichTopUp - price, price), await BalanceAsync(advertiser));
        Assert.Contains(second.Id, await CatalogLeadIdsAsync(advertiser.Client, niche));

        // More budget lifts the budget pause.
        body["budget"] = price * 3;
        var raised = await (await advertiser.Client.PutJsonAsync($"/api/v1/lead-orders/{id}", body)).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal("active", raised.Str("status"));
        Assert.Equal(1, (await SubmitLeadAsync(webmaster.Client, niche)).SoldTo);
        Assert.Equal(2, (await SaleChargesAsync(advertiser)).Count);
    }

    [Fact]
    public async Task Distribute_BuyerBalanceTooLow_PausesTheOrder_NeverGoesNegative_AndTheNextOrderBuys()
    {
        var niche = await NicheAsync(app);
        var webmaster = await app.RegisterAsync("webmaster");
        var price = (await SubmitLeadAsync(webmaster.Client, niche)).Price;
        var broke = await AdvertiserAsync(app, topUp: price / 2);
        var funded = await AdvertiserAsync(app);
        var brokeOrder = (await CreateOrderAsync(broke.Client, OrderBody(niche, High, exclusive: true))).Str("id");
        await CreateOrderAsync(funded.Client, OrderBody(niche, High - 1, exclusive: true));

        var lead = await SubmitLeadAsync(webmaster.Client, niche);

        var order = await GetOrderAsync(broke.Client, brokeOrder);
        Assert.Equal("paused", order.Str("status"));
        Assert.Contains("balance", order.Str("pausedReason"), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, order.GetProperty("leadsBought").GetInt32());
        Assert.Equal((price / 2, 0L), await BalanceAsync(broke));
        Assert.Empty(await SaleChargesAsync(broke));
        Assert.Equal(1, lead.SoldTo);
        Assert.Equal((RichTopUp - lead.Price, lead.Price), await BalanceAsync(funded));
        await LedgerHarness.AssertReconciledAsync(app);
    }

    [Fact]
    public async Task Distribute_OnlyOrderCannotPay_LeadStaysOnSale()
    {
        var niche = await NicheAsync(app);
        var webmaster = await app.RegisterAsync("webmaster");
        var broke = await AdvertiserAsync(app, topUp: 100);
        var id = (await CreateOrderAsync(broke.Client, OrderBody(niche, High))).Str("id");

        var lead = await SubmitLeadAsync(webmaster.Client, niche);

        Assert.Equal(("on_sale", 0), (lead.Status, lead.SoldTo));
        Assert.Equal((100L, 0L), await BalanceAsync(broke));
        Assert.Equal("paused", (await GetOrderAsync(broke.Client, id)).Str("status"));
        var other = await AdvertiserAsync(app, topUp: 0);
        Assert.Contains(lead.Id, await CatalogLeadIdsAsync(other.Client, niche));
    }
}

public sealed class OrderLimitsTests_Sqlite(PostbackSqliteFactory app) : OrderLimitsTests(app), IClassFixture<PostbackSqliteFactory>;

public sealed class OrderLimitsTests_PostgreSql(PostbackPostgreSqlFactory app) : OrderLimitsTests(app), IClassFixture<PostbackPostgreSqlFactory>;
