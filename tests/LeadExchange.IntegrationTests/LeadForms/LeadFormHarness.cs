using System.Net;
using System.Text.RegularExpressions;
using LeadExchange.IntegrationTests.Conversions;
using LeadExchange.IntegrationTests.Infrastructure;
using LeadExchange.IntegrationTests.Tracking;
using Microsoft.EntityFrameworkCore;

namespace LeadExchange.IntegrationTests.LeadForms;

/// <summary>A browser without a browser: cookie sign-in, the MVC forms with their antiforgery token, and the hosted lead form.</summary>
public static partial class LeadFormHarness
{
    public const string RegisteredPassword = "Passw0rd!";

    [GeneratedRegex("<input[^>]*name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"", RegexOptions.IgnoreCase)]
    internal static partial Regex AntiforgeryField();

    [GeneratedRegex("<input[^>]*name=\"Ticket\"[^>]*value=\"([^\"]*)\"", RegexOptions.IgnoreCase)]
    private static partial Regex TicketField();

    /// <summary>A cookie-signed-in client (no redirects followed) for an account and its password.</summary>
    public static Task<HttpClient> SignInAsync(LeadExchangeFactory app, string email, string password = RegisteredPassword) =>
        TwoFactorCodes.SignInAsync(app, email, password);

    /// <summary>GETs a page (200 asserted) and returns its HTML and the antiforgery token of its first form.</summary>
    public static async Task<(string Html, string Token)> PageAsync(HttpClient browser, string url)
    {
        var html = await (await browser.GetAsync(url)).ExpectStatusAsync(HttpStatusCode.OK);
        var token = WebUtility.HtmlDecode(AntiforgeryField().Match(html).Groups[1].Value);
        Assert.False(string.IsNullOrEmpty(token), $"No antiforgery token on {url}.");
        return (html, token);
    }

    public static string Ticket(string html) => WebUtility.HtmlDecode(TicketField().Match(html).Groups[1].Value);

    public static FormUrlEncodedContent Form(params (string Name, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)));

    /// <summary>The webmaster creates a form on the Lead forms page and gets its code.</summary>
    public static async Task<string> CreateFormAsync(LeadExchangeFactory app, HttpClient webmaster, string webmasterId, string niche = "real-estate",
        string? offerId = null, string title = "")
    {
        var (_, token) = await PageAsync(webmaster, "/Webmaster/LeadForms");
        var before = await app.WithDbAsync(db => db.LeadForms.Where(f => f.WebmasterId == webmasterId).Select(f => f.Code).ToListAsync());
        var response = await webmaster.PostAsync("/Webmaster/LeadForms", Form(("Form.Niche", niche), ("Form.OfferId", offerId ?? ""),
            ("Form.Title", title), ("__RequestVerificationToken", token)));
        await response.ExpectStatusAsync(HttpStatusCode.Redirect);
        return await app.WithDbAsync(db => db.LeadForms.Where(f => f.WebmasterId == webmasterId && !before.Contains(f.Code)).Select(f => f.Code).SingleAsync());
    }

    /// <summary>A fresh webmaster with one real-estate form (no offer): the account and the form's code.</summary>
    public static async Task<(TestUser Webmaster, string Code)> NewFormAsync(LeadExchangeFactory app)
    {
        var webmaster = await app.RegisterAsync("webmaster");
        return (webmaster, await CreateFormAsync(app, await SignInAsync(app, webmaster.Email), webmaster.UserId));
    }

    /// <summary>A visitor of the hosted form: own cookies, own address (the app trusts X-Forwarded-For in these tests).</summary>
    public static HttpClient Visitor(LeadExchangeFactory app, string? ip = null)
    {
        var client = app.CreateAnonymousClient();
        client.DefaultRequestHeaders.Add("X-Forwarded-For", ip ?? ClickFactory.NextIp());
        return client;
    }

    /// <summary>A complete real-estate request as a person types it (a fresh email: dedup also matches on it), plus the page's token and ticket.</summary>
    public static List<(string Name, string Value)> RealEstateRequest(string token, string ticket, string phone, string name = "Anna Smirnova") =>
    [
        ("__RequestVerificationToken", token), ("Ticket", ticket), ("Website", ""),
        ("Name", name), ("Phone", phone), ("Email", $"anna.{new string(phone.Where(char.IsDigit).ToArray())}@example.com"), ("Region", "RU-MOW"),
        ("Fields[deal_type]", "buy"), ("Fields[rooms]", "2"), ("Fields[budget]", "9000000"), ("Fields[timeframe]", "now"), ("Fields[mortgage]", "true"),
        ("Consent", "true"),
    ];

    public static List<(string Name, string Value)> With(this List<(string Name, string Value)> fields, string name, string? value)
    {
        var copy = fields.Where(f => f.Name != name).ToList();
        if (value is not null) copy.Add((name, value));
        return copy;
    }

    /// <summary>The message shown beside an input (data-valmsg-for), or "" when there is none.</summary>
    public static string ErrorBeside(string html, string input)
    {
        var match = Regex.Match(html, $"data-valmsg-for=\"{Regex.Escape(input)}\"[^>]*>([^<]*)<");
        return WebUtility.HtmlDecode(match.Groups[1].Value).Trim();
    }

    public static Task<PostbackSetup> OfferAsync(LeadExchangeFactory app) => PostbackHarness.SetupAsync(app, topUp: 0);
}
