using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LeadExchange.Domain.Leads;
using LeadExchange.IntegrationTests.Conversions;
using LeadExchange.IntegrationTests.Infrastructure;
using LeadExchange.IntegrationTests.Leads;
using Microsoft.EntityFrameworkCore;
using static LeadExchange.IntegrationTests.LeadForms.LeadFormHarness;

namespace LeadExchange.IntegrationTests.LeadForms;

/// <summary>
/// The admin blocklist page (phones and emails hashed exactly as intake hashes them, sellers by email or id; admins only) and the
/// webmaster's My leads page (own leads only, contacts masked, CSV).
/// </summary>
public abstract class BlocklistAndMyLeadsTests(PostbackFactory app)
{
    private const string AdminEmail = "admin@demo.test";

    private static Task<HttpResponseMessage> SubmitAsync(HttpClient webmaster, JsonObject body) =>
        webmaster.PostAsJsonAsync("/api/v1/leads", body);

    private static string Digits(string phone) => new(phone.Where(char.IsDigit).ToArray());

    private async Task<HttpResponseMessage> BlockAsync(HttpClient browser, string kind, string value, string reason = "test")
    {
        var (_, token) = await PageAsync(browser, "/Admin/Blocklist");
        return await browser.PostAsync("/Admin/Blocklist", Form(("Form.Kind", kind), ("Form.Value", value), ("Form.Reason", reason),
            ("__RequestVerificationToken", token)));
    }

    [Fact]
    public async Task BlockPhone_WhenAdminBlocksIt_IntakeRefusesThatPhoneHoweverTypedUntilUnblocked()
    {
        var admin = await SignInAsync(app, AdminEmail, LeadExchangeFactory.DemoPassword);
        var webmaster = await app.RegisterAsync("webmaster");
        var phone = LeadIntakeTests.NextPhone();                       // "+7 916 NNNNNNN"
        var national = "8 (916) " + Digits(phone)[4..];                // the same number as a Russian types it

        await (await BlockAsync(admin, "Phone", phone, "fraud ring")).ExpectStatusAsync(HttpStatusCode.Redirect);

        (await (await SubmitAsync(webmaster.Client, LeadIntakeTests.Body(national))).ExpectValidationErrorsAsync()).AssertHasError("phone");
        (await (await SubmitAsync(webmaster.Client, LeadIntakeTests.Body(phone))).ExpectValidationErrorsAsync()).AssertHasError("phone");
        Assert.All(await app.WithDbAsync(db => db.Leads.Where(l => l.SellerId == webmaster.UserId).ToListAsync()),
            l => Assert.Equal("blocklisted phone", l.RejectReason));

        // The hosted form shows the refusal beside the phone.
        var code = await CreateFormAsync(app, await SignInAsync(app, webmaster.Email), webmaster.UserId);
        using var visitor = Visitor(app);
        var (html, token) = await PageAsync(visitor, $"/f/{code}");
        app.Clock.Advance(TimeSpan.FromSeconds(20));
        var page = await (await visitor.PostAsync($"/f/{code}", Form([.. RealEstateRequest(token, Ticket(html), national)]))).ExpectStatusAsync(HttpStatusCode.OK);
        Assert.Contains("blocked", ErrorBeside(page, "Phone"));

        // The list cannot show the phone, but finds its entry by it; unblocking lets it through again.
        var found = await (await admin.GetAsync($"/Admin/Blocklist?q={Uri.EscapeDataString(national.Replace("8 (916)", "+7 916"))}")).ExpectStatusAsync(HttpStatusCode.OK);
        Assert.Contains("fraud ring", found);
        Assert.Contains("hash ", found);
        var entryId = Assert.Single(System.Text.RegularExpressions.Regex.Matches(found, "/Admin/Blocklist/Remove/([0-9a-f-]{36})")).Groups[1].Value;
        var (_, removeToken) = await PageAsync(admin, "/Admin/Blocklist");
        await (await admin.PostAsync($"/Admin/Blocklist/Remove/{entryId}", Form(("__RequestVerificationToken", removeToken)))).ExpectStatusAsync(HttpStatusCode.Redirect);
        await (await SubmitAsync(webmaster.Client, LeadIntakeTests.Body(phone))).ExpectJsonAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task BlockEmailAndSeller_WhenAdminBlocksThem_IntakeRefusesTheEmailAndTheSellersForm()
    {
        var admin = await SignInAsync(app, AdminEmail, LeadExchangeFactory.DemoPassword);
        var webmaster = await app.RegisterAsync("webmaster");
        var email = $"Blocked.{TestServices.ShortId()}@Example.com";

        await (await BlockAsync(admin, "Email", email)).ExpectStatusAsync(HttpStatusCode.Redirect);
        (await (await SubmitAsync(webmaster.Client, LeadIntakeTests.Body(email: email))).ExpectValidationErrorsAsync()).AssertHasError("email");

        var code = await CreateFormAsync(app, await SignInAsync(app, webmaster.Email), webmaster.UserId);
        await (await BlockAsync(admin, "Seller", webmaster.Email)).ExpectStatusAsync(HttpStatusCode.Redirect);
        Assert.Equal(webmaster.UserId, await app.WithDbAsync(db => db.Blocklist.Where(b => b.Kind == BlocklistKind.Seller && b.Value == webmaster.UserId)
            .Select(b => b.Value).SingleAsync()));
        using var visitor = Visitor(app);
        Assert.Equal(HttpStatusCode.NotFound, (await visitor.GetAsync($"/f/{code}")).StatusCode);
        await (await SubmitAsync(webmaster.Client, LeadIntakeTests.Body())).ExpectProblemAsync(HttpStatusCode.Forbidden);
    }

    [Theory]
    [InlineData("Phone", "8 916 123-45-67", "Form.Value", "internationally")]
    [InlineData("Phone", "+7 916", "Form.Value", "Phone")]
    [InlineData("Email", "not-an-address", "Form.Value", "not a valid address")]
    [InlineData("Email", "someone@mailinator.com", "Form.Value", "disposable")]
    [InlineData("Seller", "nobody@tests.example", "Form.Value", "No webmaster")]
    [InlineData("Seller", "advertiser@demo.test", "Form.Value", "No webmaster")]
    [InlineData("Phone", "", "Form.Value", "Enter the phone")]
    public async Task BlockPage_WhenValueInvalid_ShowsErrorBesideTheFieldAndBlocksNothing(string kind, string value, string input, string message)
    {
        var admin = await SignInAsync(app, AdminEmail, LeadExchangeFactory.DemoPassword);
        var before = await app.WithDbAsync(db => db.Blocklist.CountAsync());

        var page = await (await BlockAsync(admin, kind, value)).ExpectStatusAsync(HttpStatusCode.OK);

        Assert.Contains(message, ErrorBeside(page, input));
        Assert.Equal(before, await app.WithDbAsync(db => db.Blocklist.CountAsync()));
    }

    [Fact]
    public async Task BlockPage_WhenSamePhoneBlockedTwice_SaysItIsAlreadyBlocked()
    {
        var admin = await SignInAsync(app, AdminEmail, LeadExchangeFactory.DemoPassword);
        var phone = LeadIntakeTests.NextPhone();
        await (await BlockAsync(admin, "Phone", phone)).ExpectStatusAsync(HttpStatusCode.Redirect);

        var again = await (await BlockAsync(admin, "Phone", phone.Replace(" ", ""))).ExpectStatusAsync(HttpStatusCode.OK);

        Assert.Contains("already blocked", ErrorBeside(again, "Form.Value"));
    }

    [Fact]
    public async Task BlockPage_WhenNotAnAdmin_IsRefusedAndBlocksNothing()
    {
        var webmaster = await app.RegisterAsync("webmaster");
        var browser = await SignInAsync(app, webmaster.Email);
        var (_, token) = await PageAsync(browser, "/Webmaster/LeadForms");
        var before = await app.WithDbAsync(db => db.Blocklist.CountAsync());

        var get = await browser.GetAsync("/Admin/Blocklist");
        var post = await browser.PostAsync("/Admin/Blocklist", Form(("Form.Kind", "Seller"), ("Form.Value", webmaster.Email), ("__RequestVerificationToken", token)));
        using var anonymous = app.CreateAnonymousClient();
        var anonymousGet = await anonymous.GetAsync("/Admin/Blocklist");

        Assert.Equal(HttpStatusCode.Redirect, get.StatusCode);
        Assert.StartsWith("/account/denied", get.Headers.Location!.AbsolutePath());
        Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
        Assert.StartsWith("/account/denied", post.Headers.Location!.AbsolutePath());
        Assert.StartsWith("/account/login", anonymousGet.Headers.Location!.AbsolutePath());
        Assert.Equal(before, await app.WithDbAsync(db => db.Blocklist.CountAsync()));
    }

    [Fact]
    public async Task MyLeads_WhenWebmasterLooks_ShowsOnlyOwnLeadsWithMaskedContacts()
    {
        var me = await app.RegisterAsync("webmaster");
        var other = await app.RegisterAsync("webmaster");
        var myPhone = LeadIntakeTests.NextPhone();
        var otherPhone = LeadIntakeTests.NextPhone();
        await (await SubmitAsync(me.Client, LeadIntakeTests.Body(myPhone, email: "maria.ivanova@example.com"))).ExpectJsonAsync(HttpStatusCode.Created);
        var rejected = LeadIntakeTests.Body(myPhone);
        await (await SubmitAsync(me.Client, rejected)).ExpectJsonAsync(HttpStatusCode.Conflict);   // the same person again: duplicate
        await (await SubmitAsync(other.Client, LeadIntakeTests.Body(otherPhone, niche: "real-estate"))).ExpectJsonAsync(HttpStatusCode.Created);
        var browser = await SignInAsync(app, me.Email);

        var html = WebUtility.HtmlDecode(await (await browser.GetAsync("/Webmaster/Leads")).ExpectStatusAsync(HttpStatusCode.OK));
        var csv = await (await browser.GetAsync("/Webmaster/Leads/Csv")).ExpectStatusAsync(HttpStatusCode.OK);
        var onlyRejected = await (await browser.GetAsync("/Webmaster/Leads?status=Rejected")).ExpectStatusAsync(HttpStatusCode.OK);

        var masked = "+7916***" + Digits(myPhone)[^4..];
        foreach (var text in new[] { html, csv })
        {
            Assert.Contains(masked, text);
            Assert.Contains("m***@example.com", text);
            Assert.Contains("I*** P*****", text);
            Assert.DoesNotContain(Digits(myPhone)[1..], text);              // never the full number
            Assert.DoesNotContain("maria.ivanova", text);
            Assert.DoesNotContain("Ivan Petrov", text);
            Assert.DoesNotContain("+7916***" + Digits(otherPhone)[^4..], text);   // nothing of another webmaster's lead
        }
        Assert.Equal(3, csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);  // header + accepted + duplicate
        Assert.Contains("duplicate", onlyRejected);
        Assert.DoesNotContain("On sale</span>", onlyRejected);
    }

    [Fact]
    public async Task MyLeads_WhenNoLeadsYet_PointsToLeadFormsAndTheApi()
    {
        var me = await app.RegisterAsync("webmaster");
        var browser = await SignInAsync(app, me.Email);

        var html = await (await browser.GetAsync("/Webmaster/Leads")).ExpectStatusAsync(HttpStatusCode.OK);

        Assert.Contains("No leads yet", html);
        Assert.Contains("href=\"/Webmaster/LeadForms\"", html);
        Assert.Contains("href=\"/swagger\"", html);
    }
}

internal static class LocationChecks
{
    public static string AbsolutePath(this Uri location) => location.IsAbsoluteUri ? location.AbsolutePath : location.OriginalString;
}

public sealed class BlocklistAndMyLeadsTests_Sqlite(PostbackSqliteFactory app) : BlocklistAndMyLeadsTests(app), IClassFixture<PostbackSqliteFactory>;

public sealed class BlocklistAndMyLeadsTests_PostgreSql(PostbackPostgreSqlFactory app) : BlocklistAndMyLeadsTests(app), IClassFixture<PostbackPostgreSqlFactory>;
