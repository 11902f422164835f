using System.Net;
using System.Text.RegularExpressions;
using LeadExchange.IntegrationTests.Infrastructure;

namespace LeadExchange.IntegrationTests.Mvc;

/// <summary>
/// The browser sign-in without a browser: the agreed route /account/login with fields Email and Password,
/// protected by the antiforgery field __RequestVerificationToken, signing in with the lx.auth cookie.
/// </summary>
public abstract partial class MvcSmokeTests(LeadExchangeFactory factory)
{
    [GeneratedRegex("<input[^>]*name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"", RegexOptions.IgnoreCase)]
    private static partial Regex AntiforgeryField();

    [Fact]
    public async Task LoginPage_WhenRequested_ContainsTheFormWithAnAntiforgeryToken()
    {
        using var browser = factory.CreateAnonymousClient();

        var html = await (await browser.GetAsync("/account/login")).ExpectStatusAsync(HttpStatusCode.OK);

        Assert.Matches(AntiforgeryField(), html);
        Assert.Contains("name=\"Email\"", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("name=\"Password\"", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Login_WhenPostedWithoutAntiforgeryToken_Returns400AndSetsNoAuthCookie()
    {
        using var browser = factory.CreateAnonymousClient();

        var response = await browser.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Email"] = "advertiser@demo.test",
            ["Password"] = LeadExchangeFactory.DemoPassword,
        }));

        await response.ExpectStatusAsync(HttpStatusCode.BadRequest);
        Assert.DoesNotContain(SetCookies(response), c => c.StartsWith("lx.auth=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Login_WhenTokenAndDemoCredentialsPosted_RedirectsWithAuthCookie()
    {
        using var browser = factory.CreateAnonymousClient(); // keeps the antiforgery cookie between calls
        var page = await (await browser.GetAsync("/account/login")).ExpectStatusAsync(HttpStatusCode.OK);
        var token = WebUtility.HtmlDecode(AntiforgeryField().Match(page).Groups[1].Value);
        Assert.False(string.IsNullOrEmpty(token), "No antiforgery token on the login page.");

        var response = await browser.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Email"] = "advertiser@demo.test",
            ["Password"] = LeadExchangeFactory.DemoPassword,
            ["__RequestVerificationToken"] = token,
        }));

        Assert.True(response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.SeeOther or HttpStatusCode.Found,
            $"Expected a redirect after signing in, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        Assert.Contains(SetCookies(response), c => c.StartsWith("lx.auth=", StringComparison.Ordinal));
    }

    private static IEnumerable<string> SetCookies(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values) ? values : [];
}

public sealed class MvcSmokeTests_Sqlite(SqliteFactory factory) : MvcSmokeTests(factory), IClassFixture<SqliteFactory>;

public sealed class MvcSmokeTests_PostgreSql(PostgreSqlFactory factory) : MvcSmokeTests(factory), IClassFixture<PostgreSqlFactory>;
