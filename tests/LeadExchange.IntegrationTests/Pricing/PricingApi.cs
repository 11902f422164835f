using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using LeadExchange.IntegrationTests.Infrastructure;

namespace LeadExchange.IntegrationTests.Pricing;

/// <summary>Calls of the pricing API and pages that several test classes make.</summary>
public static partial class PricingApi
{
    [GeneratedRegex("<input[^>]*name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"", RegexOptions.IgnoreCase)]
    private static partial Regex AntiforgeryField();

    public static async Task<JsonElement> QuoteAsync(HttpClient client, string niche, string region, string? temperature = "warm", int? month = null)
    {
        var query = $"/api/v1/pricing/quote?niche={Uri.EscapeDataString(niche)}&region={Uri.EscapeDataString(region)}";
        if (temperature is not null) query += $"&temperature={temperature}";
        if (month is not null) query += $"&month={month}";
        return await (await client.GetAsync(query)).ExpectJsonAsync(HttpStatusCode.OK);
    }

    public static long Price(this JsonElement quote) => quote.GetProperty("price").GetInt64();

    public static JsonElement Breakdown(this JsonElement quote) => quote.GetProperty("breakdown");

    public static decimal Factor(this JsonElement element, string property) => element.GetProperty(property).GetDecimal();

    /// <summary>A fresh niche (no price settings: priced with the defaults, 500 RUB base).</summary>
    public static async Task<string> CreateNicheAsync(HttpClient admin)
    {
        var code = "price-" + TestServices.ShortId().ToLowerInvariant();
        var body = new
        {
            code, name = $"Pricing test {code}", description = "Created by a pricing test.", currency = "RUB",
            dedupWindowDays = 30, disputeWindowHours = 72, leadExpiryDays = 14, maxSharedBuyers = 3, hotThreshold = 70, warmThreshold = 40,
            consentText = "I consent.", fields = Array.Empty<object>(), isActive = true,
        };
        await (await admin.PostJsonAsync("/api/v1/admin/niches", body)).ExpectJsonAsync(HttpStatusCode.Created);
        return code;
    }

    /// <summary>A cookie-signed-in browser-like client (no redirects followed) for a demo account.</summary>
    public static Task<HttpClient> SignInAsync(LeadExchangeFactory factory, string email) =>
        TwoFactorCodes.SignInAsync(factory, email, LeadExchangeFactory.DemoPassword);

    /// <summary>The antiforgery token of the form on a page.</summary>
    public static async Task<string> TokenAsync(HttpClient browser, string url)
    {
        var html = await (await browser.GetAsync(url)).ExpectStatusAsync(HttpStatusCode.OK);
        var token = WebUtility.HtmlDecode(AntiforgeryField().Match(html).Groups[1].Value);
        Assert.False(string.IsNullOrEmpty(token), $"No antiforgery token on {url}.");
        return token;
    }
}
