using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using LeadExchange.IntegrationTests.Infrastructure;
using LeadExchange.IntegrationTests.LeadForms;

namespace LeadExchange.IntegrationTests.SellerOffers;

/// <summary>
/// Calls the seller-offer tests repeat. Like the buying tests, every test trades in a niche of its own
/// (<see cref="Buying.BuyingApi.NicheAsync"/>: fields budget (required) and timeframe), so one test's subscriptions
/// and orders never buy another test's leads and an advertiser's list filtered by niche shows one test's offers.
/// </summary>
public static class SellerOfferApi
{
    /// <summary>A fixed price no lead of the test niches is priced at: a sale at it can only be the offer's price.</summary>
    public const long FixedPrice = 12_345;

    /// <summary>A valid offer body: shared, fixed price, all regions, delivers budget and timeframe, a sample.</summary>
    public static JsonObject OfferBody(string niche, string pricing = "fixed", long? fixedPrice = FixedPrice, bool exclusive = false,
        string[]? regions = null, int expectedPerDay = 20, string[]? deliveredFields = null, string? title = null) => new()
    {
        ["title"] = title ?? $"Leads {TestServices.ShortId()}",
        ["niche"] = niche,
        ["regions"] = new JsonArray((regions ?? []).Select(r => (JsonNode)JsonValue.Create(r)!).ToArray()),
        ["trafficSources"] = new JsonArray("seo", "contextual"),
        ["expectedPerDay"] = expectedPerDay,
        ["exclusive"] = exclusive,
        ["pricing"] = pricing,
        ["fixedPrice"] = pricing == "fixed" ? fixedPrice : null,
        ["deliveredFields"] = new JsonArray((deliveredFields ?? ["budget", "timeframe"]).Select(f => (JsonNode)JsonValue.Create(f)!).ToArray()),
        ["description"] = "Organic search traffic, phone-verified.",
        ["sample"] = new JsonObject { ["budget"] = "5000000", ["timeframe"] = "now" },
    };

    /// <summary>A fresh niche, a webmaster who published an offer in it (<paramref name="offer"/> builds the body from the niche code; the default body if null) and a funded advertiser.</summary>
    public static async Task<(string Niche, TestUser Seller, TestUser Buyer, string OfferId)> SellerAndBuyerAsync(LeadExchangeFactory app,
        Func<string, JsonObject>? offer = null)
    {
        var niche = await Buying.BuyingApi.NicheAsync(app);
        var seller = await app.RegisterAsync("webmaster");
        var buyer = await Buying.BuyingApi.AdvertiserAsync(app);
        return (niche, seller, buyer, await PublishIdAsync(seller.Client, offer?.Invoke(niche) ?? OfferBody(niche)));
    }

    /// <summary>POST /api/v1/seller-offers (201 asserted) and the offer.</summary>
    public static async Task<JsonElement> PublishAsync(HttpClient webmaster, JsonObject body) =>
        await (await webmaster.PostJsonAsync("/api/v1/seller-offers", body)).ExpectJsonAsync(HttpStatusCode.Created);

    public static async Task<string> PublishIdAsync(HttpClient webmaster, JsonObject body) => (await PublishAsync(webmaster, body)).Str("id");

    public static Task<HttpResponseMessage> SetStatusAsync(HttpClient webmaster, string offerId, string action) =>
        webmaster.PostJsonAsync($"/api/v1/seller-offers/{offerId}/status", new { action });

    public static Task<HttpResponseMessage> SubscribeAsync(HttpClient advertiser, string offerId, JsonObject body) =>
        advertiser.PostJsonAsync($"/api/v1/seller-offers/{offerId}/subscribe", body);

    /// <summary>POST /api/v1/seller-offers/{id}/subscribe (201 asserted) and the subscription (a lead order).</summary>
    public static async Task<JsonElement> SubscribeOkAsync(HttpClient advertiser, string offerId, JsonObject body) =>
        await (await SubscribeAsync(advertiser, offerId, body)).ExpectJsonAsync(HttpStatusCode.Created);

    public static async Task<string> SubscribeIdAsync(HttpClient advertiser, string offerId, JsonObject body) =>
        (await SubscribeOkAsync(advertiser, offerId, body)).Str("id");

    public static Task<HttpResponseMessage> ChangeSubscriptionAsync(HttpClient client, string subscriptionId, string action) =>
        client.PostJsonAsync($"/api/v1/subscriptions/{subscriptionId}", new { action });

    /// <summary>The seller's view of an offer's subscriptions (200 asserted).</summary>
    public static async Task<List<JsonElement>> SubscriptionsAsync(HttpClient webmaster, string offerId) =>
        (await (await webmaster.GetAsync($"/api/v1/seller-offers/{offerId}/subscriptions")).ExpectJsonAsync(HttpStatusCode.OK)).EnumerateArray().ToList();

    /// <summary>The user's notification texts, newest first.</summary>
    public static async Task<List<string>> NotificationsAsync(HttpClient client, bool unreadOnly = false) =>
        (await (await client.GetAsync($"/api/v1/notifications?pageSize=100{(unreadOnly ? "&unread=true" : "")}")).ExpectJsonAsync(HttpStatusCode.OK))
        .Items().Select(n => n.Str("text")).ToList();

    /// <summary>The offer ids the list answers for the query (200 asserted), in the answer's order.</summary>
    public static async Task<List<string>> ListIdsAsync(HttpClient client, string query) =>
        (await (await client.GetAsync("/api/v1/seller-offers?pageSize=100&" + query)).ExpectJsonAsync(HttpStatusCode.OK)).Items().Select(o => o.Str("id")).ToList();

    /// <summary>The problem's code extension after asserting the status.</summary>
    public static async Task<string?> ProblemCodeAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        var problem = await response.ExpectProblemAsync(status);
        return problem.TryGetProperty("code", out var code) ? code.GetString() : null;
    }

    /// <summary>The admin suspends a seller on the admin blocklist page (Kind Seller, by the seller's email); 302 asserted.</summary>
    public static async Task BlockSellerAsync(LeadExchangeFactory app, string sellerEmail)
    {
        var admin = await LeadFormHarness.SignInAsync(app, "admin@demo.test", LeadExchangeFactory.DemoPassword);
        var (_, token) = await LeadFormHarness.PageAsync(admin, "/Admin/Blocklist");
        var response = await admin.PostAsync("/Admin/Blocklist", LeadFormHarness.Form(("Form.Kind", "Seller"), ("Form.Value", sellerEmail),
            ("Form.Reason", "lead quality"), ("__RequestVerificationToken", token)));
        await response.ExpectStatusAsync(HttpStatusCode.Redirect);
    }
}
