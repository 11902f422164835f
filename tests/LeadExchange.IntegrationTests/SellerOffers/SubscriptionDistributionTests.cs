using System.Net;
using System.Text.Json;
using LeadExchange.IntegrationTests.Conversions;
using LeadExchange.IntegrationTests.Infrastructure;
using LeadExchange.IntegrationTests.Ledger;
using static LeadExchange.IntegrationTests.Buying.BuyingApi;
using static LeadExchange.IntegrationTests.SellerOffers.SellerOfferApi;

namespace LeadExchange.IntegrationTests.SellerOffers;

/// <summary>
/// docs/api.md "Seller offers": the seller's matching leads go to the offer's subscribers first, at the offer's price,
/// then to the open exchange; the subscription's own caps, budget and regions hold.
/// </summary>
public abstract class SubscriptionDistributionTests(PostbackFactory app)
{
    /// <summary>The advertiser's purchases by lead id.</summary>
    private static async Task<Dictionary<Guid, JsonElement>> PurchasedAsync(TestUser advertiser) =>
        (await PurchasesAsync(advertiser.Client, "?pageSize=200")).Items().ToDictionary(p => Guid.Parse(p.Str("leadId")));

    [Fact]
    public async Task Distribute_WhenTheSellerHasASubscriber_ItBuysFirstAtTheOffersFixedPrice()
    {
        var niche = await NicheAsync(app);
        var webmaster = await app.RegisterAsync("webmaster");
        var subscriber = await AdvertiserAsync(app);
        var open = await AdvertiserAsync(app);
        var offerId = await PublishIdAsync(webmaster.Client, OfferBody(niche, exclusive: true));
        // The open order pays far more than the offer's price: the subscription still comes first.
        await CreateOrderAsync(open.Client, OrderBody(niche, High * 2, exclusive: true));
        var subscription = await SubscribeIdAsync(subscriber.Client, offerId, OrderBody(niche, High));

        var lead = await SubmitLeadAsync(webmaster.Client, niche);

        Assert.NotEqual(FixedPrice, lead.Price);
        Assert.Equal(("sold", 1), (lead.Status, lead.SoldTo));
        var purchase = Assert.Single(await PurchasedAsync(subscriber)).Value;
        Assert.Equal((lead.Id.ToString(), subscription, FixedPrice, true),
            (purchase.Str("leadId"), purchase.Str("orderId"), purchase.GetProperty("price").GetInt64(), purchase.GetProperty("exclusive").GetBoolean()));
        Assert.Equal((RichTopUp - FixedPrice, FixedPrice), await BalanceAsync(subscriber));
        Assert.Equal([-FixedPrice], await SaleChargesAsync(subscriber));
        Assert.Empty(await PurchasedAsync(open));
        Assert.Equal((RichTopUp, 0L), await BalanceAsync(open));
        var order = await GetOrderAsync(subscriber.Client, subscription);
        Assert.Equal((FixedPrice, 1), (order.GetProperty("spent").GetInt64(), order.GetProperty("leadsBought").GetInt32()));
        await LedgerHarness.AssertReconciledAsync(app);
    }

    [Fact]
    public async Task Distribute_WhenAnotherSellersLead_TheSubscriptionDoesNotBuyIt()
    {
        var niche = await NicheAsync(app);
        var seller = await app.RegisterAsync("webmaster");
        var otherSeller = await app.RegisterAsync("webmaster");
        var subscriber = await AdvertiserAsync(app);
        var open = await AdvertiserAsync(app);
        var offerId = await PublishIdAsync(seller.Client, OfferBody(niche));
        await SubscribeOkAsync(subscriber.Client, offerId, OrderBody(niche, High));
        await CreateOrderAsync(open.Client, OrderBody(niche, High, exclusive: true));

        var lead = await SubmitLeadAsync(otherSeller.Client, niche);

        Assert.Equal(1, lead.SoldTo);
        Assert.Empty(await PurchasedAsync(subscriber));
        Assert.Equal(lead.Price, (await PurchasedAsync(open))[lead.Id].GetProperty("price").GetInt64());
        Assert.Equal((RichTopUp - lead.Price, lead.Price), await BalanceAsync(open));
    }

    [Fact]
    public async Task Distribute_WhenOfferIsExchangePriced_ChargesTheLeadsPriceWithinTheSubscribersMaxPrice()
    {
        var niche = await NicheAsync(app);
        var webmaster = await app.RegisterAsync("webmaster");
        var subscriber = await AdvertiserAsync(app);
        var stingy = await AdvertiserAsync(app);
        var price = (await SubmitLeadAsync(webmaster.Client, niche)).Price; // nobody buys yet: learns what such a lead costs
        var offerId = await PublishIdAsync(webmaster.Client, OfferBody(niche, pricing: "exchange"));
        await SubscribeOkAsync(subscriber.Client, offerId, OrderBody(niche, High));
        await SubscribeOkAsync(stingy.Client, offerId, OrderBody(niche, price - 1));

        var lead = await SubmitLeadAsync(webmaster.Client, niche);

        Assert.Equal((price, 1), (lead.Price, lead.SoldTo));
        Assert.Equal(price, (await PurchasedAsync(subscriber))[lead.Id].GetProperty("price").GetInt64());
        Assert.Equal((RichTopUp - price, price), await BalanceAsync(subscriber));
        Assert.Empty(await PurchasedAsync(stingy));
        Assert.Equal((RichTopUp, 0L), await BalanceAsync(stingy));
    }

    [Fact]
    public async Task Distribute_WhenOfferIsExclusive_EachLeadGoesToOneSubscriberInTurn()
    {
        var niche = await NicheAsync(app, maxSharedBuyers: 3);
        var webmaster = await app.RegisterAsync("webmaster");
        var subscribers = await AdvertisersAsync(app, 2);
        var open = await AdvertiserAsync(app);
        var offerId = await PublishIdAsync(webmaster.Client, OfferBody(niche, exclusive: true));
        foreach (var s in subscribers) await SubscribeOkAsync(s.Client, offerId, OrderBody(niche, High));
        await CreateOrderAsync(open.Client, OrderBody(niche, High));

        var first = await SubmitLeadAsync(webmaster.Client, niche);
        var second = await SubmitLeadAsync(webmaster.Client, niche);

        Assert.Equal((1, 1), (first.SoldTo, second.SoldTo));
        var firstBought = await PurchasedAsync(subscribers[0]);
        var secondBought = await PurchasedAsync(subscribers[1]);
        Assert.Equal([first.Id], firstBought.Keys);
        Assert.Equal([second.Id], secondBought.Keys);
        Assert.True(firstBought[first.Id].GetProperty("exclusive").GetBoolean());
        Assert.True(secondBought[second.Id].GetProperty("exclusive").GetBoolean());
        Assert.Empty(await PurchasedAsync(open));
        Assert.Equal(1, await SaleChargesForLeadAsync(app, first.Id));
    }

    [Fact]
    public async Task Distribute_WhenOfferIsShared_SubscribersFirstThenOpenOrdersFillTheRemainingSeats()
    {
        var niche = await NicheAsync(app, maxSharedBuyers: 3);
        var webmaster = await app.RegisterAsync("webmaster");
        var subscribers = await AdvertisersAsync(app, 2);
        var openHigh = await AdvertiserAsync(app);
        var openLow = await AdvertiserAsync(app);
        var offerId = await PublishIdAsync(webmaster.Client, OfferBody(niche));
        await CreateOrderAsync(openHigh.Client, OrderBody(niche, High + 1));
        await CreateOrderAsync(openLow.Client, OrderBody(niche, High));
        foreach (var s in subscribers) await SubscribeOkAsync(s.Client, offerId, OrderBody(niche, High));

        var lead = await SubmitLeadAsync(webmaster.Client, niche);

        Assert.Equal(("sold", 3), (lead.Status, lead.SoldTo));
        foreach (var s in subscribers)
        {
            var purchase = Assert.Single(await PurchasedAsync(s)).Value;
            Assert.Equal((FixedPrice, false), (purchase.GetProperty("price").GetInt64(), purchase.GetProperty("exclusive").GetBoolean()));
            Assert.Equal((RichTopUp - FixedPrice, FixedPrice), await BalanceAsync(s));
        }
        Assert.Equal(lead.Price, Assert.Single(await PurchasedAsync(openHigh)).Value.GetProperty("price").GetInt64());
        Assert.Equal((RichTopUp - lead.Price, lead.Price), await BalanceAsync(openHigh));
        Assert.Empty(await PurchasedAsync(openLow));
        Assert.Equal(3, await SaleChargesForLeadAsync(app, lead.Id));
        await LedgerHarness.AssertReconciledAsync(app);
    }

    [Fact]
    public async Task Distribute_WhenMoreSubscribersThanSharedSeats_AtMostTheNichesLimitBuy()
    {
        var niche = await NicheAsync(app, maxSharedBuyers: 2);
        var webmaster = await app.RegisterAsync("webmaster");
        var subscribers = await AdvertisersAsync(app, 3);
        var open = await AdvertiserAsync(app);
        var offerId = await PublishIdAsync(webmaster.Client, OfferBody(niche));
        await CreateOrderAsync(open.Client, OrderBody(niche, High * 2));
        foreach (var s in subscribers) await SubscribeOkAsync(s.Client, offerId, OrderBody(niche, High));

        var first = await SubmitLeadAsync(webmaster.Client, niche);
        var second = await SubmitLeadAsync(webmaster.Client, niche);

        Assert.Equal((2, 2), (first.SoldTo, second.SoldTo));
        var bought = new List<Dictionary<Guid, JsonElement>>();
        foreach (var s in subscribers) bought.Add(await PurchasedAsync(s));
        Assert.Equal(2, bought.Count(b => b.ContainsKey(first.Id)));
        Assert.Equal(2, bought.Count(b => b.ContainsKey(second.Id)));
        // Round robin: the subscriber left out of the first lead is served on the second.
        Assert.All(bought, b => Assert.NotEmpty(b));
        Assert.Empty(await PurchasedAsync(open));
    }

    [Fact]
    public async Task Distribute_WhenSubscriptionDailyCapReached_TheLeadGoesToTheOpenExchange()
    {
        var niche = await NicheAsync(app);
        var webmaster = await app.RegisterAsync("webmaster");
        var subscriber = await AdvertiserAsync(app);
        var open = await AdvertiserAsync(app);
        var offerId = await PublishIdAsync(webmaster.Client, OfferBody(niche, exclusive: true));
        await SubscribeOkAsync(subscriber.Client, offerId, OrderBody(niche, High, dailyCap: 1));
        await CreateOrderAsync(open.Client, OrderBody(niche, High, exclusive: true));

        var first = await SubmitLeadAsync(webmaster.Client, niche);
        var second = await SubmitLeadAsync(webmaster.Client, niche);

        Assert.Equal([first.Id], (await PurchasedAsync(subscriber)).Keys);
        Assert.Equal([second.Id], (await PurchasedAsync(open)).Keys);
        Assert.Equal((RichTopUp - FixedPrice, FixedPrice), await BalanceAsync(subscriber));
        Assert.Equal((RichTopUp - second.Price, second.Price), await BalanceAsync(open));
    }

    [Fact]
    public async Task Distribute_WhenSubscriptionBudgetSpent_TheLeadGoesToTheOpenExchangeAndTheSubscriptionPauses()
    {
        var niche = await NicheAsync(app);
        var webmaster = await app.RegisterAsync("webmaster");
        var subscriber = await AdvertiserAsync(app);
        var open = await AdvertiserAsync(app);
        var offerId = await PublishIdAsync(webmaster.Client, OfferBody(niche, exclusive: true));
        var subscription = await SubscribeIdAsync(subscriber.Client, offerId, OrderBody(niche, High, budget: FixedPrice + FixedPrice / 2));
        await CreateOrderAsync(open.Client, OrderBody(niche, High, exclusive: true));

        var first = await SubmitLeadAsync(webmaster.Client, niche);
        var second = await SubmitLeadAsync(webmaster.Client, niche);

        Assert.Equal([first.Id], (await PurchasedAsync(subscriber)).Keys);
        Assert.Equal([second.Id], (await PurchasedAsync(open)).Keys);
        var order = await GetOrderAsync(subscriber.Client, subscription);
        Assert.Equal(("paused", FixedPrice), (order.Str("status"), order.GetProperty("spent").GetInt64()));
        Assert.Contains("budget", order.Str("pausedReason"), StringComparison.OrdinalIgnoreCase);
        Assert.Equal((RichTopUp - FixedPrice, FixedPrice), await BalanceAsync(subscriber));
    }

    [Fact]
    public async Task Distribute_WhenTheSellerChangesTheOffersPriceAndExclusivity_SubscriptionsFollow()
    {
        var niche = await NicheAsync(app);
        var webmaster = await app.RegisterAsync("webmaster");
        var subscribers = await AdvertisersAsync(app, 2);
        var offerId = await PublishIdAsync(webmaster.Client, OfferBody(niche));
        var ids = new List<string>();
        foreach (var s in subscribers) ids.Add(await SubscribeIdAsync(s.Client, offerId, OrderBody(niche, High)));
        const long newPrice = FixedPrice + 1_000;

        await (await webmaster.Client.PutJsonAsync($"/api/v1/seller-offers/{offerId}", OfferBody(niche, fixedPrice: newPrice, exclusive: true)))
            .ExpectStatusAsync(HttpStatusCode.OK);
        var lead = await SubmitLeadAsync(webmaster.Client, niche);

        for (var i = 0; i < subscribers.Count; i++)
        {
            var order = await GetOrderAsync(subscribers[i].Client, ids[i]);
            Assert.Equal((newPrice, true), (order.GetProperty("maxPrice").GetInt64(), order.GetProperty("exclusive").GetBoolean()));
        }
        Assert.Equal(1, lead.SoldTo);
        var purchase = Assert.Single(await PurchasedAsync(subscribers[0])).Value;
        Assert.Equal((newPrice, true), (purchase.GetProperty("price").GetInt64(), purchase.GetProperty("exclusive").GetBoolean()));
        Assert.Empty(await PurchasedAsync(subscribers[1]));
        // The buyer cannot undo the offer's terms by editing the subscription.
        var edited = await (await subscribers[1].Client.PutJsonAsync($"/api/v1/lead-orders/{ids[1]}", OrderBody(niche, 1_000, exclusive: false)))
            .ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal((newPrice, true, offerId), (edited.GetProperty("maxPrice").GetInt64(), edited.GetProperty("exclusive").GetBoolean(), edited.Str("sellerOfferId")));
    }

    [Fact]
    public async Task Distribute_WhenOfferPausedOrOutsideItsRegions_TheLeadGoesToTheOpenExchange()
    {
        var niche = await NicheAsync(app);
        var webmaster = await app.RegisterAsync("webmaster");
        var subscriber = await AdvertiserAsync(app);
        var open = await AdvertiserAsync(app);
        var offerId = await PublishIdAsync(webmaster.Client, OfferBody(niche, exclusive: true, regions: ["RU-SPE"]));
        await SubscribeOkAsync(subscriber.Client, offerId, OrderBody(niche, High));
        await CreateOrderAsync(open.Client, OrderBody(niche, High, exclusive: true));

        var moscow = await SubmitLeadAsync(webmaster.Client, niche, region: "RU-MOW");
        await (await SetStatusAsync(webmaster.Client, offerId, "pause")).ExpectStatusAsync(HttpStatusCode.OK);
        var whilePaused = await SubmitLeadAsync(webmaster.Client, niche, region: "RU-SPE");
        await (await SetStatusAsync(webmaster.Client, offerId, "resume")).ExpectStatusAsync(HttpStatusCode.OK);
        var petersburg = await SubmitLeadAsync(webmaster.Client, niche, region: "RU-SPE");

        Assert.Equal(new[] { moscow.Id, whilePaused.Id }.Order(), (await PurchasedAsync(open)).Keys.Order());
        Assert.Equal([petersburg.Id], (await PurchasedAsync(subscriber)).Keys);
        Assert.Equal((RichTopUp - FixedPrice, FixedPrice), await BalanceAsync(subscriber));
    }
}

public sealed class SubscriptionDistributionTests_Sqlite(PostbackSqliteFactory app) : SubscriptionDistributionTests(app), IClassFixture<PostbackSqliteFactory>;

public sealed class SubscriptionDistributionTests_PostgreSql(PostbackPostgreSqlFactory app)
    : SubscriptionDistributionTests(app), IClassFixture<PostbackPostgreSqlFactory>;
