using System.Net;
using LeadExchange.IntegrationTests.Infrastructure;
using static LeadExchange.IntegrationTests.LeadForms.LeadFormHarness;

namespace LeadExchange.IntegrationTests.Mvc;

/// <summary>
/// The integration guides in the UI: the lead webhook page shows how to check its signature in C#, PHP, Node.js and
/// Python. (Buying/WebhookVerifyExamplesTests runs the snippets themselves where their interpreter is installed.)
/// </summary>
public abstract class IntegrationGuideTests(LeadExchangeFactory app)
{
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
}

public sealed class IntegrationGuideTests_Sqlite(SqliteFactory app) : IntegrationGuideTests(app), IClassFixture<SqliteFactory>;

public sealed class IntegrationGuideTests_PostgreSql(PostgreSqlFactory app) : IntegrationGuideTests(app), IClassFixture<PostgreSqlFactory>;
