using System.Net;
using LeadExchange.IntegrationTests.Conversions;
using LeadExchange.IntegrationTests.Infrastructure;
using static LeadExchange.IntegrationTests.Buying.BuyingApi;
using static LeadExchange.IntegrationTests.SellerOffers.SellerOfferApi;

namespace LeadExchange.IntegrationTests.SellerOffers;

/// <summary>
/// docs/api.md "Seller offers": advertisers subscribe (a lead order bound to the offer); either side pauses or ends a
/// subscription and the other is notified; the seller sees the subscriptions anonymously; contacts stay hidden until bought.
/// </summary>
public abstract class SubscriptionTests(PostbackFactory app)
{
    /// <summary>The lead ids in the advertiser's inbox.</summary>
    private static async Task<List<Guid>> BoughtAsync(TestUser advertiser) =>
        (await PurchasesAsync(advertiser.Client, "?pageSize=200")).Items().Select(p => Guid.Parse(p.Str("leadId"))).ToList();

    [Fact]
    public async Task Subscribe_WhenOfferActive_CreatesAnOrderBoundToTheOfferAndNotifiesTheSeller()
    {
        var (niche, webmaster, advertiser, offerId) = await SellerAndBuyerAsync(app, n => OfferBody(n, exclusive: true));
        var body = OrderBody("some-other-niche", High, exclusive: false, regions: ["RU-MOW"], dailyCap: 5, budget: 1_000_000);

        var response = await SubscribeAsync(advertiser.Client, offerId, body);
        var order = await response.ExpectJsonAsync(HttpStatusCode.Created);

        Assert.EndsWith($"/api/v1/lead-orders/{order.Str("id")}", response.Headers.Location!.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(offerId, order.Str("sellerOfferId"));
        Assert.Equal(niche, order.Str("niche"));
        Assert.Equal(FixedPrice, order.GetProperty("maxPrice").GetInt64());
        Assert.True(order.GetProperty("exclusive").GetBoolean());
        Assert.Equal(["RU-MOW"], order.Regions());
        Assert.Equal((5, 1_000_000L), (order.GetProperty("dailyCap").GetInt32(), order.GetProperty("budget").GetInt64()));
        Assert.Equal(("active", false), (order.Str("status"), order.GetProperty("sellerPaused").GetBoolean()));
        Assert.True(order.IsNull("endedAt"));
        Assert.Equal(order.Str("id"), (await GetOrderAsync(advertiser.Client, order.Str("id"))).Str("id"));
        var offer = await (await advertiser.Client.GetAsync($"/api/v1/seller-offers/{offerId}")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal(order.Str("id"), offer.Str("mySubscriptionId"));
        Assert.Contains(await NotificationsAsync(webmaster.Client, unreadOnly: true), n => n.Contains("new subscriber", StringComparison.OrdinalIgnoreCase));
        Assert.Empty(await NotificationsAsync(advertiser.Client));
    }

    [Fact]
    public async Task Subscribe_WhenExchangePriced_KeepsTheBuyersMaxPriceAndNeedsOne()
    {
        var (niche, webmaster, advertiser, offerId) = await SellerAndBuyerAsync(app, n => OfferBody(n, pricing: "exchange"));
        var noMaxPrice = OrderBody(niche, High);
        noMaxPrice["maxPrice"] = null;

        (await (await SubscribeAsync(advertiser.Client, offerId, noMaxPrice)).ExpectValidationErrorsAsync()).AssertHasError("maxPrice");
        var order = await SubscribeOkAsync(advertiser.Client, offerId, OrderBody(niche, 77_777, exclusive: true));

        Assert.Equal(77_777, order.GetProperty("maxPrice").GetInt64());
        Assert.False(order.GetProperty("exclusive").GetBoolean());
    }

    [Fact]
    public async Task Subscribe_WhenAlreadySubscribed_Answers409AlreadySubscribed()
    {
        var (niche, webmaster, advertiser, offerId) = await SellerAndBuyerAsync(app);
        await SubscribeOkAsync(advertiser.Client, offerId, OrderBody(niche, High));

        var again = await SubscribeAsync(advertiser.Client, offerId, OrderBody(niche, High));

        Assert.Equal("already_subscribed", await again.ProblemCodeAsync(HttpStatusCode.Conflict));
        Assert.Single((await (await advertiser.Client.GetAsync($"/api/v1/lead-orders?niche={niche}")).ExpectJsonAsync(HttpStatusCode.OK)).Items());
    }

    [Fact]
    public async Task Subscribe_WhenOfferPaused_Answers409_AsAWebmasterAnswers403()
    {
        var (niche, webmaster, advertiser, offerId) = await SellerAndBuyerAsync(app);
        var otherWebmaster = await app.RegisterAsync("webmaster");
        await (await SubscribeAsync(otherWebmaster.Client, offerId, OrderBody(niche, High))).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await SetStatusAsync(webmaster.Client, offerId, "pause")).ExpectStatusAsync(HttpStatusCode.OK);

        var paused = await SubscribeAsync(advertiser.Client, offerId, OrderBody(niche, High));

        Assert.Equal("offer_paused", await paused.ProblemCodeAsync(HttpStatusCode.Conflict));
        Assert.Empty((await (await advertiser.Client.GetAsync($"/api/v1/lead-orders?niche={niche}")).ExpectJsonAsync(HttpStatusCode.OK)).Items());
        Assert.DoesNotContain(await NotificationsAsync(webmaster.Client), n => n.Contains("new subscriber", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Notifications_WhenMarkedRead_LeaveTheUnreadList()
    {
        var (niche, webmaster, advertiser, offerId) = await SellerAndBuyerAsync(app);
        await SubscribeOkAsync(advertiser.Client, offerId, OrderBody(niche, High));
        Assert.Single(await NotificationsAsync(webmaster.Client, unreadOnly: true));

        var marked = await (await webmaster.Client.PostJsonAsync("/api/v1/notifications/read", new { })).ExpectJsonAsync(HttpStatusCode.OK);

        Assert.Equal(1, marked.GetProperty("marked").GetInt32());
        Assert.Empty(await NotificationsAsync(webmaster.Client, unreadOnly: true));
        Assert.Single(await NotificationsAsync(webmaster.Client));
    }

    [Fact]
    public async Task ChangeSubscription_WhenSellerPauses_StopsBuyingNotifiesTheBuyerWhoCannotResumeIt()
    {
        var (niche, webmaster, advertiser, offerId) = await SellerAndBuyerAsync(app);
        var orderBody = OrderBody(niche, High);
        var subscription = await SubscribeIdAsync(advertiser.Client, offerId, orderBody);

        var paused = await (await ChangeSubscriptionAsync(webmaster.Client, subscription, "pause")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.True(paused.GetProperty("sellerPaused").GetBoolean());
        Assert.Contains(await NotificationsAsync(advertiser.Client, unreadOnly: true), n => n.Contains("seller paused", StringComparison.OrdinalIgnoreCase));
        var whilePaused = await SubmitLeadAsync(webmaster.Client, niche);
        Assert.Equal(("on_sale", 0), (whilePaused.Status, whilePaused.SoldTo));

        // The buyer cannot lift the seller's pause: not through the subscription, nor by resuming the order itself.
        Assert.Equal("seller_paused", await (await ChangeSubscriptionAsync(advertiser.Client, subscription, "resume")).ProblemCodeAsync(HttpStatusCode.Conflict));
        orderBody["active"] = true;
        var resumedOrder = await (await advertiser.Client.PutJsonAsync($"/api/v1/lead-orders/{subscription}", orderBody)).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal((true, false), (resumedOrder.GetProperty("sellerPaused").GetBoolean(), resumedOrder.GetProperty("openNow").GetBoolean()));
        var stillPaused = await SubmitLeadAsync(webmaster.Client, niche);
        Assert.Equal(0, stillPaused.SoldTo);
        Assert.Empty(await BoughtAsync(advertiser));
        Assert.Equal((RichTopUp, 0L), await BalanceAsync(advertiser));

        var resumed = await (await ChangeSubscriptionAsync(webmaster.Client, subscription, "resume")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.False(resumed.GetProperty("sellerPaused").GetBoolean());
        Assert.Contains(await NotificationsAsync(advertiser.Client), n => n.Contains("seller resumed", StringComparison.OrdinalIgnoreCase));
        var afterResume = await SubmitLeadAsync(webmaster.Client, niche);
        Assert.Equal(1, afterResume.SoldTo);
        Assert.Equal([afterResume.Id], await BoughtAsync(advertiser));
        Assert.True((await GetOrderAsync(advertiser.Client, subscription)).GetProperty("openNow").GetBoolean());
    }

    [Fact]
    public async Task ChangeSubscription_WhenBuyerPausesAndResumes_NotifiesTheSellerEachTime()
    {
        var (niche, webmaster, advertiser, offerId) = await SellerAndBuyerAsync(app);
        var subscription = await SubscribeIdAsync(advertiser.Client, offerId, OrderBody(niche, High));
        await (await webmaster.Client.PostJsonAsync("/api/v1/notifications/read", new { })).ExpectStatusAsync(HttpStatusCode.OK);

        var paused = await (await ChangeSubscriptionAsync(advertiser.Client, subscription, "pause")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal("paused", paused.Str("status"));
        Assert.Contains(await NotificationsAsync(webmaster.Client, unreadOnly: true), n => n.Contains("subscriber paused", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(0, (await SubmitLeadAsync(webmaster.Client, niche)).SoldTo);

        await (await ChangeSubscriptionAsync(advertiser.Client, subscription, "resume")).ExpectStatusAsync(HttpStatusCode.OK);
        Assert.Contains(await NotificationsAsync(webmaster.Client, unreadOnly: true), n => n.Contains("subscriber resumed", StringComparison.OrdinalIgnoreCase));
        var bought = await SubmitLeadAsync(webmaster.Client, niche);
        Assert.Equal(1, bought.SoldTo);
        Assert.Equal([bought.Id], await BoughtAsync(advertiser));
        // Nobody but the two sides can touch it.
        var stranger = await AdvertiserAsync(app, topUp: 0);
        await (await ChangeSubscriptionAsync(stranger.Client, subscription, "end")).ExpectProblemAsync(HttpStatusCode.NotFound);
        (await (await ChangeSubscriptionAsync(advertiser.Client, subscription, "cancel")).ExpectValidationErrorsAsync()).AssertHasError("action");
    }

    [Theory]
    [InlineData("buyer")]
    [InlineData("seller")]
    public async Task ChangeSubscription_WhenEnded_NeverBuysAgainAndCannotBeResumed(string endedBy)
    {
        var (niche, webmaster, advertiser, offerId) = await SellerAndBuyerAsync(app);
        var orderBody = OrderBody(niche, High);
        var subscription = await SubscribeIdAsync(advertiser.Client, offerId, orderBody);
        var (ender, other) = endedBy == "buyer" ? (advertiser, webmaster) : (webmaster, advertiser);

        var ended = await (await ChangeSubscriptionAsync(ender.Client, subscription, "end")).ExpectJsonAsync(HttpStatusCode.OK);

        Assert.True(ended.GetProperty("ended").GetBoolean());
        Assert.Contains(await NotificationsAsync(other.Client, unreadOnly: true), n => n.Contains("ended", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(0, (await SubmitLeadAsync(webmaster.Client, niche)).SoldTo);
        Assert.Equal("ended", await (await ChangeSubscriptionAsync(advertiser.Client, subscription, "resume")).ProblemCodeAsync(HttpStatusCode.Conflict));
        Assert.Equal("ended", await (await ChangeSubscriptionAsync(webmaster.Client, subscription, "resume")).ProblemCodeAsync(HttpStatusCode.Conflict));
        orderBody["active"] = true;
        Assert.Equal("ended", await (await advertiser.Client.PutJsonAsync($"/api/v1/lead-orders/{subscription}", orderBody)).ProblemCodeAsync(HttpStatusCode.Conflict));
        var order = await GetOrderAsync(advertiser.Client, subscription);
        Assert.False(order.IsNull("endedAt"));
        Assert.Equal(("paused", false), (order.Str("status"), order.GetProperty("openNow").GetBoolean()));
        Assert.Equal(0, (await SubmitLeadAsync(webmaster.Client, niche)).SoldTo);
        Assert.Empty(await BoughtAsync(advertiser));
        // An ended subscription no longer counts as one: the buyer who ended it may subscribe afresh.
        if (endedBy == "buyer") await SubscribeOkAsync(advertiser.Client, offerId, OrderBody(niche, High));
    }

    [Fact]
    public async Task SetStatus_WhenOfferClosed_EndsEverySubscriptionAndNotifiesTheSubscribers()
    {
        var niche = await NicheAsync(app);
        var webmaster = await app.RegisterAsync("webmaster");
        var subscribers = await AdvertisersAsync(app, 2);
        var offerId = await PublishIdAsync(webmaster.Client, OfferBody(niche));
        var ids = new List<string>();
        foreach (var s in subscribers) ids.Add(await SubscribeIdAsync(s.Client, offerId, OrderBody(niche, High)));

        await (await SetStatusAsync(webmaster.Client, offerId, "close")).ExpectStatusAsync(HttpStatusCode.OK);

        for (var i = 0; i < subscribers.Count; i++)
        {
            var order = await GetOrderAsync(subscribers[i].Client, ids[i]);
            Assert.False(order.IsNull("endedAt"));
            Assert.Equal("paused", order.Str("status"));
            Assert.Contains(await NotificationsAsync(subscribers[i].Client, unreadOnly: true), n => n.Contains("closed", StringComparison.OrdinalIgnoreCase));
            Assert.Equal("ended", await (await ChangeSubscriptionAsync(subscribers[i].Client, ids[i], "resume")).ProblemCodeAsync(HttpStatusCode.Conflict));
        }
        Assert.All(await SubscriptionsAsync(webmaster.Client, offerId), s => Assert.True(s.GetProperty("ended").GetBoolean()));
        Assert.Equal(0, (await SubmitLeadAsync(webmaster.Client, niche)).SoldTo);
        foreach (var s in subscribers) Assert.Empty(await BoughtAsync(s));
    }

    [Fact]
    public async Task ListSubscriptions_WhenSeller_ShowsAnonymousSubscribersWithDeliveredAndSpend()
    {
        var niche = await NicheAsync(app);
        var webmaster = await app.RegisterAsync("webmaster");
        var subscribers = await AdvertisersAsync(app, 2);
        var offerId = await PublishIdAsync(webmaster.Client, OfferBody(niche));
        var first = await SubscribeIdAsync(subscribers[0].Client, offerId, OrderBody(niche, High, dailyCap: 3));
        var second = await SubscribeIdAsync(subscribers[1].Client, offerId, OrderBody(niche, High));
        await SubmitLeadAsync(webmaster.Client, niche);
        await SubmitLeadAsync(webmaster.Client, niche);
        await (await ChangeSubscriptionAsync(subscribers[1].Client, second, "pause")).ExpectStatusAsync(HttpStatusCode.OK);
        await SubmitLeadAsync(webmaster.Client, niche);

        var response = await webmaster.Client.GetAsync($"/api/v1/seller-offers/{offerId}/subscriptions");
        var json = await response.ExpectStatusAsync(HttpStatusCode.OK);
        var list = await SubscriptionsAsync(webmaster.Client, offerId);

        Assert.Equal(["Subscriber 1", "Subscriber 2"], list.Select(s => s.Str("subscriber")));
        Assert.Equal([first, second], list.Select(s => s.Str("subscriptionId")));
        Assert.Equal((3, 3 * FixedPrice, 3), (list[0].GetProperty("delivered").GetInt32(), list[0].GetProperty("spend").GetInt64(), list[0].GetProperty("dailyCap").GetInt32()));
        Assert.Equal((2, 2 * FixedPrice, "paused"), (list[1].GetProperty("delivered").GetInt32(), list[1].GetProperty("spend").GetInt64(), list[1].Str("status")));
        foreach (var s in subscribers)
        {
            Assert.DoesNotContain(s.UserId, json, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(s.Email, json, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("advertiser", json, StringComparison.OrdinalIgnoreCase);
        }
        var offer = await (await webmaster.Client.GetAsync($"/api/v1/seller-offers/{offerId}")).ExpectJsonAsync(HttpStatusCode.OK);
        var stats = offer.GetProperty("stats");
        Assert.Equal((2, 1, 5, 5 * FixedPrice), (stats.GetProperty("subscribers").GetInt32(), stats.GetProperty("activeSubscribers").GetInt32(),
            stats.GetProperty("delivered").GetInt32(), stats.GetProperty("volume").GetInt64()));
        var notices = await (await webmaster.Client.GetAsync("/api/v1/notifications?pageSize=100")).ExpectStatusAsync(HttpStatusCode.OK);
        foreach (var s in subscribers)
        {
            Assert.DoesNotContain(s.UserId, offer.GetRawText(), StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(s.UserId, notices, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(s.Email, notices, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task ListSubscriptions_WhenAnotherWebmasterOrABuyer_Answers404Or403()
    {
        var niche = await NicheAsync(app);
        var webmaster = await app.RegisterAsync("webmaster");
        var other = await app.RegisterAsync("webmaster");
        var advertiser = await AdvertiserAsync(app);
        var offerId = await PublishIdAsync(webmaster.Client, OfferBody(niche));
        var subscription = await SubscribeIdAsync(advertiser.Client, offerId, OrderBody(niche, High));

        await (await other.Client.GetAsync($"/api/v1/seller-offers/{offerId}/subscriptions")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await advertiser.Client.GetAsync($"/api/v1/seller-offers/{offerId}/subscriptions")).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await other.Client.PostJsonAsync($"/api/v1/subscriptions/{subscription}", new { action = "pause" })).ExpectProblemAsync(HttpStatusCode.NotFound);
        Assert.Single(await SubscriptionsAsync(webmaster.Client, offerId));
    }

    [Fact]
    public async Task Catalog_WhenSubscriberBrowsesTheSellersUnsoldLead_ContactsAreMaskedUntilBought()
    {
        var (niche, webmaster, advertiser, offerId) = await SellerAndBuyerAsync(app);
        var subscription = await SubscribeIdAsync(advertiser.Client, offerId, OrderBody(niche, High));
        await (await ChangeSubscriptionAsync(webmaster.Client, subscription, "pause")).ExpectStatusAsync(HttpStatusCode.OK);
        var lead = await SubmitLeadAsync(webmaster.Client, niche);
        var phoneDigits = Digits(lead.Phone);

        var catalog = await (await advertiser.Client.GetAsync($"/api/v1/catalog?niche={niche}")).ExpectJsonAsync(HttpStatusCode.OK);
        var offer = await (await advertiser.Client.GetAsync($"/api/v1/seller-offers/{offerId}")).ExpectJsonAsync(HttpStatusCode.OK);

        var item = Assert.Single(catalog.Items());
        Assert.Equal(lead.Id.ToString(), item.Str("leadId"));
        Assert.DoesNotContain(phoneDigits, Digits(item.GetRawText()), StringComparison.Ordinal);
        Assert.DoesNotContain(lead.Email!, item.GetRawText(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Petrov", item.GetRawText(), StringComparison.Ordinal);
        Assert.All(offer.GetProperty("sample").EnumerateObject(), p => Assert.Contains(p.Name, new[] { "budget", "timeframe" }));
        Assert.DoesNotContain("phone", offer.GetProperty("sample").GetRawText(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("email", offer.GetProperty("sample").GetRawText(), StringComparison.OrdinalIgnoreCase);

        var purchase = await (await BuyAsync(advertiser.Client, lead.Id, exclusive: true)).ExpectJsonAsync(HttpStatusCode.Created);
        Assert.Equal(phoneDigits[^10..], Digits(purchase.GetProperty("contact").Str("phone"))[^10..]);
    }
}

public sealed class SubscriptionTests_Sqlite(PostbackSqliteFactory app) : SubscriptionTests(app), IClassFixture<PostbackSqliteFactory>;

public sealed class SubscriptionTests_PostgreSql(PostbackPostgreSqlFactory app) : SubscriptionTests(app), IClassFixture<PostbackPostgreSqlFactory>;
