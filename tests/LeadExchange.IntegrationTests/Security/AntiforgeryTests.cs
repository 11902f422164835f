using System.Net;
using LeadExchange.IntegrationTests.Infrastructure;
using LeadExchange.IntegrationTests.LeadForms;

namespace LeadExchange.IntegrationTests.Security;

/// <summary>
/// Every MVC form POST, taken from the endpoint data source, refuses a request without the antiforgery token (400) from a
/// browser that is signed in with a role allowed there and holds the antiforgery cookie: exactly what a cross-site form
/// would send. The exceptions are listed and reviewed in <see cref="Exempt"/>.
/// </summary>
public sealed class AntiforgeryTests(SqliteFactory app) : IClassFixture<SqliteFactory>
{
    /// <summary>MVC routes that take POSTs without the token, and why that is safe (docs/security.md).</summary>
    public static readonly IReadOnlyDictionary<string, string> Exempt = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["POST /f/{code}"] = "Hosted lead form: anonymous and framed on other sites; it never acts as a signed-in visitor (the lead " +
                            "is always the form owner's), so there is no session to forge; a protected fill-time ticket, the honeypot, " +
                            "the leads rate limit and intake velocity rules bound abuse.",
        ["* /error"] = "Error page re-executed with the failed request's method; renders a page, changes nothing.",
        ["* /error/{code:int}"] = "Same as /error.",
    };

    [Fact]
    public async Task MvcPosts_WhenSentWithoutTheAntiforgeryToken_Answer400()
    {
        var browsers = new Dictionary<string, HttpClient>(StringComparer.Ordinal);
        var failures = new List<string>();
        var posts = EndpointInventory.Enumerate(app.Services)
            .Where(r => r.Kind == EndpointKind.Mvc && r.Method is "POST" or "*" && !Exempt.ContainsKey(r.Key)).ToList();

        foreach (var route in posts)
        {
            var policy = EndpointPolicies.All[route.Key];
            var browser = await BrowserAsync(browsers, policy.Access == Access.Public ? null : policy.Roles.FirstOrDefault() ?? "Advertiser");
            using var response = await browser.PostAsync(route.SampleUrl, new FormUrlEncodedContent([]));
            if (response.StatusCode != HttpStatusCode.BadRequest)
                failures.Add($"{route.Key}: POST without a token answered {(int)response.StatusCode}" +
                             (response.Headers.Location is { } l ? $" -> {l}" : "") + ", expected 400");
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.True(posts.Count > 50, $"Only {posts.Count} MVC POST routes found.");
    }

    [Fact]
    public void Exemptions_AreAllStillRoutesOfTheApp()
    {
        var keys = EndpointInventory.Enumerate(app.Services).Select(r => r.Key).ToHashSet();
        Assert.All(Exempt.Keys, key => Assert.Contains(key, keys));
    }

    [Fact]
    public async Task Logout_WhenPostedCrossSiteWithoutToken_KeepsTheSessionAlive()
    {
        using var browser = await LeadFormHarness.SignInAsync(app, "advertiser@demo.test", LeadExchangeFactory.DemoPassword);

        await (await browser.PostAsync("/account/logout", new FormUrlEncodedContent([]))).ExpectStatusAsync(HttpStatusCode.BadRequest);

        await (await browser.GetAsync("/account/profile")).ExpectStatusAsync(HttpStatusCode.OK);
    }

    /// <summary>A browser that has loaded a page (so it holds the antiforgery cookie), signed in as a demo account of the role.</summary>
    private async Task<HttpClient> BrowserAsync(Dictionary<string, HttpClient> browsers, string? role)
    {
        var key = role ?? "";
        if (browsers.TryGetValue(key, out var browser)) return browser;
        if (role is null)
        {
            browser = app.CreateAnonymousClient();
            await LeadFormHarness.PageAsync(browser, "/account/login");
        }
        else
        {
            browser = await LeadFormHarness.SignInAsync(app, $"{role.ToLowerInvariant()}@demo.test", LeadExchangeFactory.DemoPassword);
        }
        return browsers[key] = browser;
    }
}
