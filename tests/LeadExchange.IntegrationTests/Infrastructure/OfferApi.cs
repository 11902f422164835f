using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LeadExchange.IntegrationTests.Infrastructure;

/// <summary>Offer request bodies as JSON (so tests can break single fields) and the calls the tests repeat.</summary>
public static class OfferApi
{
    public static JsonObject Goal(string code, string model, long advertiserAmount, long webmasterAmount, bool isDefault = false) => new()
    {
        ["code"] = code,
        ["name"] = $"Goal {code}",
        ["model"] = model,
        ["advertiserAmount"] = advertiserAmount,
        ["webmasterAmount"] = webmasterAmount,
        ["isDefault"] = isDefault,
    };

    public static JsonObject PercentGoal(string code, decimal advertiserPercent, decimal webmasterPercent, bool isDefault = false) => new()
    {
        ["code"] = code,
        ["name"] = $"Goal {code}",
        ["model"] = "cps",
        ["advertiserAmount"] = 0,
        ["webmasterAmount"] = 0,
        ["advertiserPercent"] = advertiserPercent,
        ["webmasterPercent"] = webmasterPercent,
        ["isDefault"] = isDefault,
    };

    /// <summary>A valid offer body: real-estate, RU-MOW, one CPL goal, public.</summary>
    public static JsonObject ValidBody(
        string? title = null, string niche = "real-estate", string[]? regions = null, string access = "public",
        string currency = "RUB", params JsonObject[] goals) => new()
    {
        ["nicheCode"] = niche,
        ["title"] = title ?? $"Offer {TestServices.ShortId()}",
        ["description"] = "Integration test offer.",
        ["landingUrl"] = "https://landing.example/?cid={click_id}&s1={sub1}",
        ["currency"] = currency,
        ["access"] = access,
        ["holdDays"] = 14,
        ["dailyCap"] = 100,
        ["monthlyCap"] = 2000,
        ["regions"] = new JsonArray((regions ?? ["RU-MOW"]).Select(r => (JsonNode)JsonValue.Create(r)!).ToArray()),
        ["goals"] = new JsonArray((goals.Length > 0 ? goals : [Goal("lead", "cpl", 250_000, 180_000, isDefault: true)])
            .Select(g => (JsonNode)g).ToArray()),
    };

    /// <summary>Creates an offer and returns its body (201 asserted).</summary>
    public static async Task<JsonElement> CreateAsync(HttpClient advertiser, JsonObject body)
    {
        var response = await advertiser.PostJsonAsync("/api/v1/offers", body);
        return await response.ExpectJsonAsync(HttpStatusCode.Created);
    }

    public static async Task<string> CreateIdAsync(HttpClient advertiser, JsonObject body) =>
        (await CreateAsync(advertiser, body)).Str("id");

    public static async Task SetStatusAsync(HttpClient advertiser, string offerId, string action, string expectedStatus)
    {
        var response = await advertiser.PostJsonAsync($"/api/v1/offers/{offerId}/status", new { action });
        var body = await response.ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal(expectedStatus, body.Str("status"));
    }

    public static async Task<JsonElement> JoinAsync(HttpClient webmaster, string offerId)
    {
        var response = await webmaster.PostAsync($"/api/v1/offers/{offerId}/join", null);
        return await response.ExpectJsonAsync(HttpStatusCode.OK);
    }

    public static async Task<JsonElement> GetAsync(HttpClient client, string offerId) =>
        await (await client.GetAsync($"/api/v1/offers/{offerId}")).ExpectJsonAsync(HttpStatusCode.OK);

    /// <summary>The ids of a paged offer list answer, after asserting 200.</summary>
    public static async Task<(List<string> Ids, int Total, JsonElement Body)> ListAsync(HttpClient client, string query = "")
    {
        var body = await (await client.GetAsync("/api/v1/offers" + query)).ExpectJsonAsync(HttpStatusCode.OK);
        var ids = body.GetProperty("items").EnumerateArray().Select(i => i.Str("id")).ToList();
        return (ids, body.GetProperty("total").GetInt32(), body);
    }

    public static IEnumerable<JsonElement> Items(this JsonElement pagedBody) => pagedBody.GetProperty("items").EnumerateArray();

    public static JsonElement GoalByCode(this JsonElement offer, string code) =>
        offer.GetProperty("goals").EnumerateArray().Single(g => g.Str("code") == code);

    public static string[] Regions(this JsonElement offer) =>
        offer.GetProperty("regions").EnumerateArray().Select(r => r.GetString()!).OrderBy(r => r, StringComparer.Ordinal).ToArray();

    public static bool IsNull(this JsonElement element, string property) =>
        !element.TryGetProperty(property, out var value) || value.ValueKind == JsonValueKind.Null;
}
