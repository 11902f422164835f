using System.Net;
using LeadExchange.IntegrationTests.Buying;
using LeadExchange.IntegrationTests.Disputes;
using LeadExchange.IntegrationTests.Infrastructure;
using LeadExchange.IntegrationTests.Leads;
using static LeadExchange.IntegrationTests.LeadForms.LeadFormHarness;

namespace LeadExchange.IntegrationTests.Security;

/// <summary>
/// SQL and HTML injection strings are data: stored and answered byte for byte by the API, matched literally by searches,
/// and HTML-encoded on every page that shows them (the lead's name to its buyer, an offer's title to advertisers and
/// webmasters, a note, a display name).
/// </summary>
public abstract class InjectionTests(LeadExchangeFactory app)
{
    private const string Script = "<script>alert('lx')</script>";
    private const string SqlTitle = "Title' OR '1'='1'; DROP TABLE \"Offers\"; -- " + Script;
    private const string HtmlName = "Robert'); DROP TABLE \"Leads\";-- <b onmouseover=alert(1)>x</b>";

    [Fact]
    public async Task OfferTitle_WithSqlAndHtml_RoundTripsAsDataAndIsEncodedOnPages()
    {
        var advertiser = await app.RegisterAsync("advertiser");
        var id = await OfferApi.CreateIdAsync(advertiser.Client, OfferApi.ValidBody(SqlTitle));

        Assert.Equal(SqlTitle, (await OfferApi.GetAsync(advertiser.Client, id)).Str("title"));
        using var owner = await SignInAsync(app, advertiser.Email);
        var webmaster = await app.RegisterAsync("webmaster");
        using var browser = await SignInAsync(app, webmaster.Email);
        foreach (var (client, url) in new[] { (owner, "/Advertiser/Offers/Index"), (owner, $"/Advertiser/Offers/Details/{id}"), (browser, $"/Webmaster/Offers/Details/{id}") })
        {
            var html = await (await client.GetAsync(url)).ExpectStatusAsync(HttpStatusCode.OK);
            AssertEncoded(url, html, Script);
        }
        // The tables are still there and a search for the payload matches it literally, nothing else.
        var (ids, _, _) = await OfferApi.ListAsync(advertiser.Client, "?search=" + Uri.EscapeDataString("' OR '1'='1"));
        Assert.Equal([id], ids);
        var (none, total, _) = await OfferApi.ListAsync(advertiser.Client, "?search=" + Uri.EscapeDataString("%' OR 1=1 --"));
        Assert.Empty(none);
        Assert.Equal(0, total);
    }

    [Fact]
    public async Task LeadNameAndNote_WithSqlAndHtml_ReachTheBuyerAsDataAndAreEncodedOnItsPage()
    {
        var seller = await app.RegisterAsync("webmaster");
        var buyer = await DisputeHarness.FundedBuyerAsync(app);
        var phone = LeadIntakeTests.NextPhone();
        var body = LeadIntakeTests.Body(phone);
        body["name"] = HtmlName;
        var lead = await (await seller.Client.PostJsonAsync("/api/v1/leads", body)).ExpectJsonAsync(HttpStatusCode.Created);
        var purchase = await DisputeHarness.BuyAsync(app, buyer, seller, Guid.Parse(lead.Str("leadId")), phone);
        await (await buyer.Client.SendAsync(new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/purchases/{purchase.SaleId}")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { status = "in_work", note = Script }),
        })).ExpectStatusAsync(HttpStatusCode.OK);

        var api = await (await buyer.Client.GetAsync($"/api/v1/purchases/{purchase.SaleId}")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal(HtmlName, api.GetProperty("contact").Str("name"));
        Assert.Equal(Script, api.Str("note"));
        using var browser = await SignInAsync(app, buyer.Email);
        foreach (var url in new[] { $"/Advertiser/Purchases/Details/{purchase.SaleId}", "/Advertiser/Purchases/Index" })
        {
            var html = await (await browser.GetAsync(url)).ExpectStatusAsync(HttpStatusCode.OK);
            AssertEncoded(url, html, "<b onmouseover=alert(1)>");
            Assert.DoesNotContain(Script, html);
        }
    }

    [Fact]
    public async Task DisplayName_WithHtml_IsEncodedInTheMenu()
    {
        var user = await app.RegisterAsync("advertiser", displayName: "Eve " + Script);
        using var browser = await SignInAsync(app, user.Email);

        var html = await (await browser.GetAsync("/account/profile")).ExpectStatusAsync(HttpStatusCode.OK);

        AssertEncoded("/account/profile", html, Script);
    }

    /// <summary>The markup never appears raw; its encoded form (as Razor writes it) does.</summary>
    private static void AssertEncoded(string url, string html, string markup)
    {
        Assert.False(html.Contains(markup, StringComparison.OrdinalIgnoreCase), $"{url} renders {markup} as markup.");
        var encoded = System.Text.Encodings.Web.HtmlEncoder.Default.Encode(markup);
        Assert.True(html.Contains(encoded, StringComparison.Ordinal) || html.Contains(WebUtility.HtmlEncode(markup), StringComparison.Ordinal),
            $"{url} does not show the text {markup} (encoded {encoded}).");
    }
}

public sealed class InjectionTests_Sqlite(SqliteFactory app) : InjectionTests(app), IClassFixture<SqliteFactory>;

public sealed class InjectionTests_PostgreSql(PostgreSqlFactory app) : InjectionTests(app), IClassFixture<PostgreSqlFactory>;
