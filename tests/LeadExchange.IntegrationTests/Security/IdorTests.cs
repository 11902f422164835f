using System.Net;
using System.Text.Json;
using LeadExchange.IntegrationTests.Buying;
using LeadExchange.IntegrationTests.Conversions;
using LeadExchange.IntegrationTests.Disputes;
using LeadExchange.IntegrationTests.Infrastructure;
using LeadExchange.IntegrationTests.Ledger;
using LeadExchange.IntegrationTests.SellerOffers;
using static LeadExchange.IntegrationTests.LeadForms.LeadFormHarness;

namespace LeadExchange.IntegrationTests.Security;

/// <summary>
/// Insecure direct object references: a second user of the same role addresses the first one's resources by id, in the API
/// and on the pages, and gets 404 and none of the data; lists and filters never show them; nothing changes. Existing
/// per-feature tests prove parts of this (OwnershipTests, InboxTests, LeadOrderTests, DisputeTests, WebhookTests,
/// SubscriptionTests, ApiKeyAuthTests, HostedLeadFormTests); these cover every resource kind in one place, pages included.
/// </summary>
public abstract class IdorTests(PostbackFactory app)
{
    [Fact]
    public async Task AdvertiserResources_WhenAddressedByAnotherAdvertiser_Are404WithoutDataAndUnchanged()
    {
        var w = await AdvertiserWorldAsync();
        var intruder = await app.RegisterAsync("advertiser");
        using var browser = await SignInAsync(app, intruder.Email);
        var (_, token) = await PageAsync(browser, "/account/apikeys");
        var secrets = new[] { w.OfferTitle, w.Phone, w.OrderName, w.Token, w.WebhookSecret };

        // API: every route that takes one of these ids.
        var api = intruder.Client;
        foreach (var (method, url, body) in new (string, string, object?)[]
                 {
                     ("GET", $"/api/v1/offers/{w.OfferId}", null),
                     ("PUT", $"/api/v1/offers/{w.OfferId}", OfferApi.ValidBody("Hijacked")),
                     ("POST", $"/api/v1/offers/{w.OfferId}/status", new { action = "pause" }),
                     ("GET", $"/api/v1/offers/{w.OfferId}/postback-url", null),
                     ("POST", $"/api/v1/participations/{w.ParticipationId}/decision", new { approve = false, note = "x" }),
                     ("POST", $"/api/v1/conversions/{w.ConversionId}/status", new { status = "rejected", note = "x" }),
                     ("GET", $"/api/v1/lead-orders/{w.OrderId}", null),
                     ("PUT", $"/api/v1/lead-orders/{w.OrderId}", BuyingApi.OrderBody("real-estate", 100, active: true)),
                     ("GET", $"/api/v1/purchases/{w.Purchase.SaleId}", null),
                     ("PATCH", $"/api/v1/purchases/{w.Purchase.SaleId}", new { status = "refused", reason = "x" }),
                     ("POST", $"/api/v1/purchases/{w.Purchase.SaleId}/resend", null),
                     ("POST", $"/api/v1/purchases/{w.Purchase.SaleId}/dispute", new { reason = "invalid_phone", comment = "x" }),
                     ("GET", $"/api/v1/disputes/{w.DisputeId}", null),
                     ("GET", $"/api/v1/disputes/{w.DisputeId}/evidence/{w.EvidenceId}", null),
                     ("POST", $"/api/v1/subscriptions/{w.SubscriptionId}", new { action = "end" }),
                     ("DELETE", $"/api/v1/api-keys/{w.ApiKeyId}", null),
                 })
        {
            using var response = await SendJsonAsync(api, method, url, body);
            await AssertNotFoundWithoutAsync(response, secrets);
        }

        // API lists and filters: none of the owner's rows, even when asked for by id.
        foreach (var url in new[]
                 {
                     "/api/v1/offers?pageSize=100", "/api/v1/participations?pageSize=100", $"/api/v1/participations?offerId={w.OfferId}",
                     $"/api/v1/offers/{w.OfferId}/participations",
                     "/api/v1/conversions?pageSize=100", "/api/v1/lead-orders?pageSize=100", "/api/v1/purchases?pageSize=100",
                     "/api/v1/disputes?pageSize=100", $"/api/v1/webhook/deliveries?saleId={w.Purchase.SaleId}", "/api/v1/postback-log?pageSize=100",
                     $"/api/v1/ledger?ownerId={w.Owner.UserId}&pageSize=100", "/api/v1/top-ups", "/api/v1/notifications?pageSize=100",
                     "/api/v1/api-keys", "/api/v1/postback-settings", "/api/v1/webhook",
                 })
        {
            using var response = await api.GetAsync(url);
            var body = await response.ExpectStatusAsync(HttpStatusCode.OK);
            AssertAbsent(url, body, [.. secrets, w.OfferId, w.ParticipationId, w.ConversionId, w.OrderId, w.Purchase.SaleId.ToString(),
                w.DisputeId, w.SubscriptionId, w.ApiKeyId, w.Owner.UserId]);
        }

        // Pages: the same ids in the advertiser area (GET pages and button POSTs with a valid antiforgery token).
        foreach (var url in new[]
                 {
                     $"/Advertiser/Offers/Details/{w.OfferId}", $"/Advertiser/Offers/Edit/{w.OfferId}", $"/Advertiser/Integration/Offer/{w.OfferId}",
                     $"/Advertiser/Purchases/Details/{w.Purchase.SaleId}", $"/Advertiser/Disputes/Open/{w.Purchase.SaleId}",
                     $"/Advertiser/LeadOrders/Edit/{w.OrderId}",
                 })
            await AssertNotFoundWithoutAsync(await browser.GetAsync(url), secrets);
        foreach (var (url, fields) in new (string, (string, string)[])[]
                 {
                     ($"/Advertiser/Offers/Status/{w.OfferId}", [("change", "Archive")]),
                     ($"/Advertiser/Conversions/Status/{w.ConversionId}", [("status", "Rejected"), ("note", "x")]),
                     ($"/Advertiser/Participations/Decide/{w.ParticipationId}", [("approve", "false")]),
                     ($"/Advertiser/LeadOrders/Active/{w.OrderId}", [("active", "true")]),
                     ($"/Advertiser/Purchases/Resend/{w.Purchase.SaleId}", []),
                     ($"/Advertiser/SellerOffers/Subscription/{w.SubscriptionId}", [("change", "end")]),
                     ($"/account/apikeys/{w.ApiKeyId}/revoke", []),
                 })
        {
            var response = await browser.PostAsync(url, Form([.. fields, ("__RequestVerificationToken", token)]));
            await AssertNotFoundWithoutAsync(response, secrets);
        }

        await AssertAdvertiserWorldUnchangedAsync(w);
    }

    [Fact]
    public async Task WebmasterResources_WhenAddressedByAnotherWebmaster_Are404WithoutDataAndUnchanged()
    {
        var w = await AdvertiserWorldAsync();
        var payer = await LedgerHarness.WebmasterWithEarningsAsync(app, 100_000);
        var payout = await (await payer.Client.PostJsonAsync("/api/v1/payouts", new { amount = 60_000, currency = "RUB" })).ExpectJsonAsync(HttpStatusCode.Created);
        var payoutId = payout.Str("id");
        var intruder = await app.RegisterAsync("webmaster");
        using var browser = await SignInAsync(app, intruder.Email);
        var (_, token) = await PageAsync(browser, "/account/apikeys");
        var secrets = new[] { w.Phone, w.SellerOfferTitle };

        foreach (var (method, url, body) in new (string, string, object?)[]
                 {
                     ("GET", $"/api/v1/seller-offers/{w.SellerOfferId}/subscriptions", null),
                     ("PUT", $"/api/v1/seller-offers/{w.SellerOfferId}", SellerOfferApi.OfferBody(w.Niche)),
                     ("POST", $"/api/v1/seller-offers/{w.SellerOfferId}/status", new { action = "pause" }),
                     ("POST", $"/api/v1/subscriptions/{w.SubscriptionId}", new { action = "pause" }),
                     ("GET", $"/api/v1/disputes/{w.DisputeId}", null),
                 })
        {
            using var response = await SendJsonAsync(intruder.Client, method, url, body);
            await AssertNotFoundWithoutAsync(response, secrets);
        }

        // The seller's own lists show these rows; another webmaster's never do.
        foreach (var (url, owner, ids) in new (string, TestUser, string[])[]
                 {
                     ("/api/v1/conversions?pageSize=100", w.Seller, [w.ConversionId]),
                     ("/api/v1/disputes?pageSize=100", w.Seller, [w.DisputeId]),
                     ("/api/v1/participations?pageSize=100", w.Seller, [w.ParticipationId]),
                     ("/api/v1/payouts?pageSize=100", payer, [payoutId]),
                     ($"/api/v1/ledger?ownerId={payer.UserId}&pageSize=100", payer, [payer.UserId]),
                     ("/api/v1/notifications?pageSize=100", w.Seller, [w.NotificationId]),
                 })
        {
            var own = await (await owner.Client.GetAsync(url)).ExpectStatusAsync(HttpStatusCode.OK);
            Assert.All(ids, id => Assert.Contains(id, own, StringComparison.OrdinalIgnoreCase));
            var theirs = await (await intruder.Client.GetAsync(url)).ExpectStatusAsync(HttpStatusCode.OK);
            AssertAbsent(url, theirs, [.. ids, .. secrets]);
        }

        // Pages: the seller offer and subscription by id, and the seller's lead list and CSV.
        foreach (var url in new[] { $"/Webmaster/SellerOffers/Details/{w.SellerOfferId}", $"/Webmaster/SellerOffers/Edit/{w.SellerOfferId}" })
            await AssertNotFoundWithoutAsync(await browser.GetAsync(url), secrets);
        foreach (var (url, fields) in new (string, (string, string)[])[]
                 {
                     ($"/Webmaster/SellerOffers/Status/{w.SellerOfferId}", [("change", "pause")]),
                     ($"/Webmaster/SellerOffers/Subscription/{w.SubscriptionId}", [("change", "pause")]),
                 })
            await AssertNotFoundWithoutAsync(await browser.PostAsync(url, Form([.. fields, ("__RequestVerificationToken", token)])), secrets);
        using var sellerBrowser = await SignInAsync(app, w.Seller.Email);
        foreach (var url in new[] { "/Webmaster/Leads/Csv", "/Webmaster/SellerOffers/Index" })
        {
            var own = await (await sellerBrowser.GetAsync(url)).ExpectStatusAsync(HttpStatusCode.OK);
            var marker = url.EndsWith("Csv", StringComparison.Ordinal) ? w.Purchase.LeadId.ToString() : w.SellerOfferTitle;
            Assert.Contains(marker, own, StringComparison.OrdinalIgnoreCase);
            AssertAbsent(url, await (await browser.GetAsync(url)).ExpectStatusAsync(HttpStatusCode.OK), [marker]);
        }

        await AssertAdvertiserWorldUnchangedAsync(w);
    }

    // ---- the world: one advertiser's and one webmaster's resources of every kind ----

    private sealed record World(
        TestUser Owner, TestUser Seller, string OfferId, string OfferTitle, string ParticipationId, string ConversionId, string Token,
        string WebhookSecret, Purchase Purchase, string Phone, string DisputeId, string EvidenceId, string OrderId, string OrderName,
        string Niche, string SellerOfferId, string SellerOfferTitle, string SubscriptionId, string ApiKeyId, string NotificationId);

    private async Task<World> AdvertiserWorldAsync()
    {
        var title = $"Secret offer {TestServices.ShortId()}";
        var offer = PostbackHarness.OfferBody();
        offer["title"] = title;
        var s = await PostbackHarness.SetupAsync(app, offer);
        var participationId = (await (await s.Advertiser.Client.GetAsync($"/api/v1/participations?offerId={s.OfferId}")).ExpectJsonAsync(HttpStatusCode.OK))
            .Items().Single().Str("id");
        var clickId = await PostbackHarness.ClickAsync(app, s.LinkCode);
        var (conversionId, _, _) = await (await PostbackHarness.GetAsync(app, PostbackHarness.Query(("click_id", clickId), ("token", s.Token), ("goal", "deposit"))))
            .ExpectOkAsync();
        var webhookSecret = (await (await s.Advertiser.Client.GetAsync("/api/v1/webhook")).ExpectJsonAsync(HttpStatusCode.OK)).Str("secret") ?? "";

        var purchase = await DisputeHarness.PurchaseAsync(app, s.Advertiser, s.Webmaster);
        var dispute = await DisputeHarness.OpenAsync(purchase, "invalid_phone", DisputeHarness.Comment,
            DisputeHarness.Evidence("call.png", "image/png", DisputeHarness.Png));
        var order = await BuyingApi.CreateOrderAsync(s.Advertiser.Client, BuyingApi.OrderBody("real-estate", 100, active: false));

        var niche = await BuyingApi.NicheAsync(app);
        var sellerOfferTitle = $"Secret seller offer {TestServices.ShortId()}";
        var sellerOffer = SellerOfferApi.OfferBody(niche);
        sellerOffer["title"] = sellerOfferTitle;
        var sellerOfferId = await SellerOfferApi.PublishIdAsync(s.Webmaster.Client, sellerOffer);
        await LedgerHarness.TopUpAsync(app, s.Advertiser.Email, BuyingApi.RichTopUp);
        var subscriptionId = await SellerOfferApi.SubscribeIdAsync(s.Advertiser.Client, sellerOfferId, BuyingApi.OrderBody(niche, BuyingApi.High));
        var notificationId = (await (await s.Webmaster.Client.GetAsync("/api/v1/notifications?pageSize=100")).ExpectJsonAsync(HttpStatusCode.OK))
            .Items().First().Str("id");

        var apiKeyId = (await (await s.Advertiser.Client.GetAsync("/api/v1/api-keys")).ExpectJsonAsync(HttpStatusCode.OK)).EnumerateArray().First().Str("id");
        return new World(s.Advertiser, s.Webmaster, s.OfferId, title, participationId, conversionId, s.Token, webhookSecret, purchase,
            BuyingApi.Digits(purchase.Phone), dispute.Str("id"), dispute.GetProperty("evidence")[0].Str("id"), order.Str("id"), order.Str("name"),
            niche, sellerOfferId, sellerOfferTitle, subscriptionId, apiKeyId, notificationId);
    }

    private async Task AssertAdvertiserWorldUnchangedAsync(World w)
    {
        var owner = w.Owner.Client;
        var offer = await OfferApi.GetAsync(owner, w.OfferId);
        Assert.Equal(w.OfferTitle, offer.Str("title"));
        Assert.Equal("active", offer.Str("status"));
        var participation = (await (await owner.GetAsync($"/api/v1/participations?offerId={w.OfferId}")).ExpectJsonAsync(HttpStatusCode.OK)).Items().Single();
        Assert.Equal("approved", participation.Str("status"));
        var conversion = (await (await owner.GetAsync("/api/v1/conversions?pageSize=100")).ExpectJsonAsync(HttpStatusCode.OK)).Items()
            .Single(c => c.Str("id") == w.ConversionId);
        Assert.NotEqual("rejected", conversion.Str("status"));
        var order = await BuyingApi.GetOrderAsync(owner, w.OrderId);
        Assert.Equal(w.OrderName, order.Str("name"));
        Assert.Equal("paused", order.Str("status"));
        var purchase = await (await owner.GetAsync($"/api/v1/purchases/{w.Purchase.SaleId}")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.NotEqual("refused", purchase.Str("status"));
        var subscription = await (await owner.GetAsync($"/api/v1/lead-orders/{w.SubscriptionId}")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal("active", subscription.Str("status"));
        var sellerOffer = await (await w.Seller.Client.GetAsync($"/api/v1/seller-offers/{w.SellerOfferId}")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal(w.SellerOfferTitle, sellerOffer.Str("title"));
        Assert.Equal("active", sellerOffer.Str("status"));
        var dispute = await (await owner.GetAsync($"/api/v1/disputes/{w.DisputeId}")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal("open", dispute.GetProperty("dispute").Str("status"));
        // The owner's API key still works (nobody revoked it).
        await (await owner.GetAsync("/api/v1/profile")).ExpectStatusAsync(HttpStatusCode.OK);
    }

    // ---- assertions ----

    private static async Task<HttpResponseMessage> SendJsonAsync(HttpClient client, string method, string url, object? body)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (body is not null) request.Content = JsonContent(body);
        return await client.SendAsync(request);
    }

    private static HttpContent JsonContent(object body) => body is System.Text.Json.Nodes.JsonNode node
        ? new StringContent(node.ToJsonString(), System.Text.Encoding.UTF8, "application/json")
        : System.Net.Http.Json.JsonContent.Create(body, options: new JsonSerializerOptions(JsonSerializerDefaults.Web));

    private static async Task AssertNotFoundWithoutAsync(HttpResponseMessage response, IEnumerable<string> secrets)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.NotFound,
            $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: expected 404, got {(int)response.StatusCode}" +
            (response.Headers.Location is { } l ? $" -> {l}" : "") + $". Body: {(body.Length > 500 ? body[..500] : body)}");
        AssertAbsent($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}", body, secrets);
    }

    private static void AssertAbsent(string what, string body, IEnumerable<string> secrets)
    {
        foreach (var secret in secrets.Where(s => !string.IsNullOrEmpty(s)))
            Assert.False(body.Contains(secret, StringComparison.OrdinalIgnoreCase), $"{what} shows another user's data: {secret}");
    }
}

public sealed class IdorTests_Sqlite(PostbackSqliteFactory app) : IdorTests(app), IClassFixture<PostbackSqliteFactory>;

public sealed class IdorTests_PostgreSql(PostbackPostgreSqlFactory app) : IdorTests(app), IClassFixture<PostbackPostgreSqlFactory>;
