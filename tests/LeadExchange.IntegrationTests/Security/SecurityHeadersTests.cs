using System.Net;
using System.Text.RegularExpressions;
using LeadExchange.IntegrationTests.Infrastructure;
using LeadExchange.IntegrationTests.LeadForms;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace LeadExchange.IntegrationTests.Security;

/// <summary>
/// The headers every answer carries (Web/Infrastructure/SecurityHeaders.cs): a Content-Security-Policy whose scripts and
/// styles come only from this origin, nosniff, a referrer policy, framing by this origin only; pages that really have no
/// inline script or style the policy would block; HSTS over HTTPS outside development.
/// </summary>
public sealed partial class SecurityHeadersTests(SqliteFactory app) : IClassFixture<SqliteFactory>
{
    [GeneratedRegex(@"<script(?![^>]*\bsrc=)[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InlineScript();

    [GeneratedRegex(@"\son[a-z]+\s*=\s*[""']|href\s*=\s*[""']\s*javascript:", RegexOptions.IgnoreCase)]
    private static partial Regex InlineHandler();

    /// <summary>A style block or a style attribute: style-src 'self' would refuse both.</summary>
    [GeneratedRegex(@"<style[\s>]|\sstyle\s*=\s*[""']", RegexOptions.IgnoreCase)]
    private static partial Regex InlineStyle();

    [Fact]
    public async Task Pages_WhenServed_CarryTheSecurityHeaders()
    {
        using var anonymous = app.CreateAnonymousClient();
        using var admin = await LeadFormHarness.SignInAsync(app, "admin@demo.test", LeadExchangeFactory.DemoPassword);

        foreach (var (client, url) in new[] { (anonymous, "/account/login"), (anonymous, "/"), (admin, "/Admin/Home/Index"), (admin, "/error/404") })
        {
            using var response = await client.GetAsync(url);
            var csp = Header(response, "Content-Security-Policy");
            var script = Directive(csp, "script-src");
            Assert.Equal("'self'", script);
            Assert.Equal("'self'", Directive(csp, "style-src"));
            Assert.Equal("'self'", Directive(csp, "default-src"));
            Assert.Equal("'none'", Directive(csp, "object-src"));
            Assert.Equal("'self'", Directive(csp, "frame-ancestors"));
            Assert.Equal("'self'", Directive(csp, "base-uri"));
            Assert.Equal("SAMEORIGIN", Header(response, "X-Frame-Options"));
            Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
            Assert.Equal("strict-origin-when-cross-origin", Header(response, "Referrer-Policy"));
        }
    }

    [Fact]
    public async Task RolePages_WhenRendered_HaveNoInlineScriptTheCspWouldBlock()
    {
        foreach (var (role, pages) in new[]
                 {
                     ("advertiser", new[] { "/Advertiser/Home/Index", "/Advertiser/Offers/Create", "/Advertiser/Purchases/Index", "/Advertiser/Reports/Index", "/Advertiser/Balance/Index" }),
                     ("webmaster", ["/Webmaster/Home/Index", "/Webmaster/LeadForms/Index", "/Webmaster/SellerOffers/Create", "/Webmaster/Postback/Index", "/Webmaster/LeadApi/Index"]),
                     ("moderator", ["/Moderation/Home/Index", "/Moderation/Disputes/Index"]),
                     ("admin", ["/Admin/Home/Index", "/Admin/Pricing/Index", "/Admin/Niches/Create", "/Admin/Payouts/Index", "/account/apikeys", "/account/profile"]),
                 })
        {
            using var browser = await LeadFormHarness.SignInAsync(app, $"{role}@demo.test", LeadExchangeFactory.DemoPassword);
            foreach (var page in pages)
            {
                var html = await (await browser.GetAsync(page)).ExpectStatusAsync(HttpStatusCode.OK);
                Assert.DoesNotMatch(InlineScript(), html);
                Assert.DoesNotMatch(InlineHandler(), html);
                Assert.DoesNotMatch(InlineStyle(), html);
            }
        }
    }

    [Fact]
    public async Task HostedLeadForm_WhenRendered_HasNoInlineStyleOrScript_AndItsStylesheetIsServed()
    {
        var (_, code) = await LeadFormHarness.NewFormAsync(app);
        using var visitor = LeadFormHarness.Visitor(app);

        foreach (var url in new[] { $"/f/{code}", $"/f/{code}?embed=1" })
        {
            using var response = await visitor.GetAsync(url);
            var html = await response.ExpectStatusAsync(HttpStatusCode.OK);
            Assert.Equal("'self'", Directive(Header(response, "Content-Security-Policy"), "style-src"));
            Assert.DoesNotMatch(InlineStyle(), html);
            Assert.DoesNotMatch(InlineScript(), html);
            Assert.Contains("/css/lead-form.css", html, StringComparison.Ordinal);
        }
        var css = await (await visitor.GetAsync("/css/lead-form.css")).ExpectStatusAsync(HttpStatusCode.OK);
        Assert.Contains(".lead-form .extra", css, StringComparison.Ordinal); // the honeypot stays off-screen
    }

    [Fact]
    public async Task StaticFilesAndApi_WhenServed_AreNosniff_AndSwaggerAloneMayRunItsInlineScript()
    {
        using var anonymous = app.CreateAnonymousClient();

        Assert.Equal("nosniff", Header(await anonymous.GetAsync("/js/site.js"), "X-Content-Type-Options"));
        Assert.Equal("nosniff", Header(await anonymous.GetAsync("/api/v1/niches"), "X-Content-Type-Options"));
        var swagger = await anonymous.GetAsync("/swagger/index.html");
        Assert.Contains("'unsafe-inline'", Directive(Header(swagger, "Content-Security-Policy"), "script-src"));
        Assert.Equal("'self'", Directive(Header(swagger, "Content-Security-Policy"), "frame-ancestors"));
    }

    [Fact]
    public async Task Hsts_InDevelopment_IsNotSent()
    {
        using var https = app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://app.example.test"), AllowAutoRedirect = false });

        var response = await https.GetAsync("/account/login");

        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
    }

    internal static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(",", values)
            : throw new Xunit.Sdk.XunitException($"{response.RequestMessage?.RequestUri} has no {name} header.");

    /// <summary>The sources of one CSP directive ("" when absent).</summary>
    internal static string Directive(string policy, string name) =>
        policy.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(d => d.Split(' ', 2)).Where(d => d[0] == name).Select(d => d.Length > 1 ? d[1].Trim() : "").FirstOrDefault() ?? "";
}

/// <summary>The app as production runs it (exception page off, HSTS on): its environment is "Production".</summary>
public sealed class ProductionSqliteFactory() : LeadExchangeFactory(TestDatabase.Sqlite)
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseEnvironment("Production");
        // The factory's demo data in Production on purpose (start-up refuses it otherwise: DemoInProductionTests).
        builder.UseSetting("Demo:AllowInProduction", "true");
    }
}

public sealed class ProductionHeadersTests(ProductionSqliteFactory app) : IClassFixture<ProductionSqliteFactory>
{
    [Fact]
    public async Task Hsts_InProductionOverHttps_IsSent_AndNotOverHttp()
    {
        using var https = app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://app.example.test"), AllowAutoRedirect = false });
        using var http = app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("http://app.example.test"), AllowAutoRedirect = false });

        var secure = await https.GetAsync("/account/login");
        var plain = await http.GetAsync("/account/login");

        Assert.StartsWith("max-age=", SecurityHeadersTests.Header(secure, "Strict-Transport-Security"));
        Assert.False(plain.Headers.Contains("Strict-Transport-Security"));
        Assert.Equal("'self'", SecurityHeadersTests.Directive(SecurityHeadersTests.Header(secure, "Content-Security-Policy"), "script-src"));
    }

    [Fact]
    public async Task ErrorPage_InProduction_ShowsNoStackTraceAndKeepsTheHeaders()
    {
        using var anonymous = app.CreateAnonymousClient();

        var response = await anonymous.GetAsync("/no/such/page");

        var html = await response.ExpectStatusAsync(HttpStatusCode.NotFound);
        Assert.DoesNotContain("   at ", html);
        Assert.Equal("nosniff", SecurityHeadersTests.Header(response, "X-Content-Type-Options"));
        Assert.Equal("'self'", SecurityHeadersTests.Directive(SecurityHeadersTests.Header(response, "Content-Security-Policy"), "script-src"));
    }
}
