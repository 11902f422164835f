using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using LeadExchange.IntegrationTests.Infrastructure;
using static LeadExchange.IntegrationTests.LeadForms.LeadFormHarness;

namespace LeadExchange.IntegrationTests.Mvc;

/// <summary>
/// The integration guides in the UI: the lead webhook page shows how to check its signature in C#, PHP, Node.js and
/// Python; the webmaster's Lead API page, in the menu, has a curl example per niche whose body the API accepts as it is.
/// (Buying/WebhookVerifyExamplesTests runs the snippets themselves where their interpreter is installed.)
/// </summary>
public abstract partial class IntegrationGuideTests(LeadExchangeFactory app)
{
    [GeneratedRegex("<option value=\"([^\"]+)\"")]
    private static partial Regex NicheOption();

    /// <summary>The curl example's here-document: the JSON between <c>&lt;&lt;'JSON'</c> and the closing <c>JSON</c>.</summary>
    [GeneratedRegex(@"<<'JSON'\n(.*?)\nJSON", RegexOptions.Singleline)]
    private static partial Regex HereDocument();

    [Fact]
    public async Task WebhookPage_WhenAdvertiserOpensIt_ShowsTheSignatureCheckInCSharpPhpNodeAndPython()
    {
        var advertiser = await app.RegisterAsync("advertiser");
        using var browser = await SignInAsync(app, advertiser.Email);

        var html = WebUtility.HtmlDecode(await (await browser.GetAsync("/Advertiser/Webhook")).ExpectStatusAsync(HttpStatusCode.OK));

        foreach (var id in new[] { "verify-csharp", "verify-php", "verify-node", "verify-python" })
            Assert.Contains($"id=\"{id}\"", html);
        // The PHP check follows the product's scheme: hex HMAC-SHA256 of "<t>.<raw body>", compared in constant time,
        // the header as PHP names it, the raw body from php://input.
        Assert.Contains("hash_hmac('sha256', $t . '.' . $rawBody, $secret)", html);
        Assert.Contains("hash_equals($expected, $v1)", html);
        Assert.Contains("$_SERVER['HTTP_X_LEADEXCHANGE_SIGNATURE']", html);
        Assert.Contains("file_get_contents('php://input')", html);
    }

    [Fact]
    public async Task LeadApiPage_WhenWebmasterRunsTheCurlExampleOfEachNiche_TheApiAcceptsItsBody()
    {
        var webmaster = await app.RegisterAsync("webmaster");
        using var browser = await SignInAsync(app, webmaster.Email);

        var first = await (await browser.GetAsync("/Webmaster/LeadApi")).ExpectStatusAsync(HttpStatusCode.OK);
        Assert.Contains("href=\"/Webmaster/LeadApi\"", first); // in the menu (Leads)
        var niches = NicheOption().Matches(first).Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(niches);

        foreach (var niche in niches)
        {
            var html = WebUtility.HtmlDecode(await (await browser.GetAsync($"/Webmaster/LeadApi?niche={niche}")).ExpectStatusAsync(HttpStatusCode.OK));
            Assert.Matches("curl -s -X POST \"https?://[^\"]+/api/v1/leads\"", html);
            Assert.Contains("-H \"X-Api-Key: $LEADEX_API_KEY\"", html);
            var body = HereDocument().Match(html);
            Assert.True(body.Success, $"{niche}: no JSON here-document in the curl example.");
            Assert.Contains($"\"niche\": \"{niche}\"", body.Groups[1].Value);

            using var content = new StringContent(body.Groups[1].Value, Encoding.UTF8, "application/json");
            var response = await webmaster.Client.PostAsync("/api/v1/leads", content);
            var answer = await response.Content.ReadAsStringAsync();
            // Valid as it is: accepted, or (the example's person sent before in this niche) a duplicate, never 422.
            Assert.True(response.StatusCode == HttpStatusCode.Created || (response.StatusCode == HttpStatusCode.Conflict && answer.Contains("\"duplicate\"")),
                $"{niche}: the example's body got {(int)response.StatusCode}: {answer}");
        }
    }
}

public sealed class IntegrationGuideTests_Sqlite(SqliteFactory app) : IntegrationGuideTests(app), IClassFixture<SqliteFactory>;

public sealed class IntegrationGuideTests_PostgreSql(PostgreSqlFactory app) : IntegrationGuideTests(app), IClassFixture<PostgreSqlFactory>;
