using System.Net;
using System.Text.Json.Nodes;
using LeadExchange.Domain.Leads;
using LeadExchange.IntegrationTests.Conversions;
using LeadExchange.IntegrationTests.Infrastructure;
using LeadExchange.IntegrationTests.Leads;
using Microsoft.EntityFrameworkCore;
using static LeadExchange.IntegrationTests.LeadForms.LeadFormHarness;

namespace LeadExchange.IntegrationTests.LeadForms;

/// <summary>
/// Hosted lead forms (/f/{code}): a webmaster creates them on the Lead forms page (errors beside the fields), a visitor posts
/// one with the antiforgery token, and the lead arrives as the webmaster's with Source=Form; bots (honeypot, no or a forged
/// fill-time measure, too fast) get the same thank-you page while their lead is recorded as rejected.
/// </summary>
public abstract class HostedLeadFormTests(PostbackFactory app)
{
    [Fact]
    public async Task CreateForm_WhenFieldsInvalid_ShowsErrorsBesideFieldsAndStoresNothing()
    {
        var setup = await OfferAsync(app);
        var webmaster = await SignInAsync(app, setup.Webmaster.Email);
        var (_, token) = await PageAsync(webmaster, "/Webmaster/LeadForms");

        async Task<string> PostAsync(string niche, string offerId, string title) =>
            await (await webmaster.PostAsync("/Webmaster/LeadForms", Form(("Form.Niche", niche), ("Form.OfferId", offerId), ("Form.Title", title),
                ("__RequestVerificationToken", token)))).ExpectStatusAsync(HttpStatusCode.OK);

        Assert.Contains("Choose a niche", ErrorBeside(await PostAsync("", "", ""), "Form.Niche"));
        Assert.Contains("no active niche", ErrorBeside(await PostAsync("no-such-niche", "", ""), "Form.Niche"));
        Assert.Contains("approved in", ErrorBeside(await PostAsync("real-estate", Guid.NewGuid().ToString(), ""), "Form.OfferId"));
        // The offer buys real-estate leads: a credit form cannot be tied to it.
        Assert.Contains("another niche", ErrorBeside(await PostAsync("credit", setup.OfferId, ""), "Form.OfferId"));
        var tooLong = await PostAsync("real-estate", "", new string('t', 121));
        Assert.Contains("at most 120", ErrorBeside(tooLong, "Form.Title"));
        Assert.Equal(0, await app.WithDbAsync(db => db.LeadForms.CountAsync(f => f.WebmasterId == setup.Webmaster.UserId)));

        var code = await CreateFormAsync(app, webmaster, setup.Webmaster.UserId, offerId: setup.OfferId, title: "Flats in Moscow");

        var stored = await app.WithDbAsync(db => db.LeadForms.AsNoTracking().SingleAsync(f => f.Code == code));
        Assert.Equal(Guid.Parse(setup.OfferId), stored.OfferId);
        Assert.Equal("real-estate", stored.NicheCode);
        Assert.True(stored.IsActive);
        var page = await (await webmaster.GetAsync("/Webmaster/LeadForms")).ExpectStatusAsync(HttpStatusCode.OK);
        Assert.Contains($"http://localhost/f/{code}", page);
        Assert.Contains(WebUtility.HtmlEncode($"<iframe src=\"http://localhost/f/{code}?embed=1\""), page);
    }

    [Fact]
    public async Task HostedForm_WhenPersonPostsWithAntiforgery_CreatesLeadOfTheWebmasterWithSourceForm()
    {
        var setup = await OfferAsync(app);
        var webmaster = await SignInAsync(app, setup.Webmaster.Email);
        var code = await CreateFormAsync(app, webmaster, setup.Webmaster.UserId, offerId: setup.OfferId);
        const string ip = "198.51.100.23";
        using var visitor = Visitor(app, ip);

        var get = await visitor.GetAsync($"/f/{code}?sub1=fb-ad-3");
        var html = await get.ExpectStatusAsync(HttpStatusCode.OK);
        // Framing is allowed here (antiforgery's X-Frame-Options is dropped), the niche's consent text and fields are on the page.
        Assert.False(get.Headers.Contains("X-Frame-Options"));
        var csp = string.Join(",", get.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("frame-ancestors *", csp);
        Assert.Contains("script-src 'self';", csp);
        Assert.Contains("Federal Law No. 152-FZ", html);
        Assert.Contains("name=\"Fields[deal_type]\"", html);
        Assert.Contains("name=\"Website\"", html);
        // The offer is for Moscow only: no other region is offered.
        Assert.Contains("value=\"RU-MOW\"", html);
        Assert.DoesNotContain("value=\"RU-SPE\"", html);
        var (_, token) = await PageAsync(visitor, $"/f/{code}?sub1=fb-ad-3");
        var request = RealEstateRequest(token, Ticket(html), LeadIntakeTests.NextPhone()).With("Sub1", "fb-ad-3");

        app.Clock.Advance(TimeSpan.FromSeconds(25));
        var posted = await visitor.PostAsync($"/f/{code}", Form([.. request]));

        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        Assert.Equal($"/f/{code}/thanks", posted.Headers.Location!.OriginalString);
        Assert.Contains("Thank you", await (await visitor.GetAsync($"/f/{code}/thanks")).ExpectStatusAsync(HttpStatusCode.OK));
        var lead = await app.WithDbAsync(db => db.Leads.AsNoTracking().SingleAsync(l => l.SellerId == setup.Webmaster.UserId));
        Assert.Equal(LeadSource.Form, lead.Source);
        Assert.True(lead.Status == LeadStatus.OnSale, $"Rejected: {lead.RejectReason}");
        Assert.Equal(Guid.Parse(setup.OfferId), lead.OfferId);
        Assert.Equal("RU-MOW", lead.RegionCode);
        Assert.Equal("fb-ad-3", lead.Sub1);
        Assert.Equal(ip, lead.SubmitIp);
        Assert.Equal(ip, lead.ConsentIp);
        Assert.Equal($"http://localhost/f/{code}", lead.ConsentPageUrl);
        Assert.StartsWith("I consent to the processing of my personal data", lead.ConsentText);
        Assert.InRange(lead.FormFillSeconds!.Value, 25, 120);
        Assert.Contains("\"deal_type\":\"buy\"", lead.FieldsJson);
        Assert.Contains("\"mortgage\":\"true\"", lead.FieldsJson);
    }

    [Fact]
    public async Task HostedForm_WhenInputInvalid_ShowsEachErrorBesideItsInputAndStoresNothing()
    {
        var (webmaster, code) = await NewFormAsync(app);
        using var visitor = Visitor(app);
        var (html, token) = await PageAsync(visitor, $"/f/{code}");
        app.Clock.Advance(TimeSpan.FromSeconds(30));

        var bad = RealEstateRequest(token, Ticket(html), "12345").With("Name", "").With("Fields[deal_type]", "").With("Fields[rooms]", "two")
            .With("Consent", null);
        var page = await (await visitor.PostAsync($"/f/{code}", Form([.. bad]))).ExpectStatusAsync(HttpStatusCode.OK);

        Assert.Contains("Name is required", ErrorBeside(page, "Name"));
        Assert.Contains("Phone", ErrorBeside(page, "Phone"));
        Assert.Contains("required", ErrorBeside(page, "Fields[deal_type]"));
        Assert.Contains("whole number", ErrorBeside(page, "Fields[rooms]"));
        Assert.Contains("Tick the box", ErrorBeside(page, "Consent"));
        Assert.Equal("", ErrorBeside(page, "Email"));
        // What was typed stays, and the fill time keeps counting from the first render.
        Assert.Contains("value=\"two\"", page);
        Assert.Equal(Ticket(html), Ticket(page));
        Assert.Equal(0, await app.WithDbAsync(db => db.Leads.CountAsync(l => l.SellerId == webmaster.UserId)));
    }

    [Fact]
    public async Task HostedForm_WhenHoneypotFilled_ThanksTheBotAndRecordsTheLeadAsRejected()
    {
        var (webmaster, code) = await NewFormAsync(app);
        using var bot = Visitor(app);
        var (html, token) = await PageAsync(bot, $"/f/{code}");
        app.Clock.Advance(TimeSpan.FromSeconds(30));

        var posted = await bot.PostAsync($"/f/{code}", Form([.. RealEstateRequest(token, Ticket(html), LeadIntakeTests.NextPhone()).With("Website", "https://spam.example")]));

        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        Assert.EndsWith("/thanks", posted.Headers.Location!.OriginalString);
        var lead = await app.WithDbAsync(db => db.Leads.AsNoTracking().SingleAsync(l => l.SellerId == webmaster.UserId));
        Assert.Equal(LeadStatus.Rejected, lead.Status);
        Assert.Contains("honeypot", lead.RejectReason);
        Assert.Equal(LeadSource.Form, lead.Source);
    }

    [Theory]
    [InlineData("too fast", 1)]
    [InlineData("forged", 60)]
    [InlineData("missing", 60)]
    public async Task HostedForm_WhenFillTimeTooShortOrForged_ThanksAndRecordsTheLeadAsRejected(string ticketKind, int secondsTaken)
    {
        var webmaster = await app.RegisterAsync("webmaster");
        var otherForm = await CreateFormAsync(app, await SignInAsync(app, webmaster.Email), webmaster.UserId);
        var code = await CreateFormAsync(app, await SignInAsync(app, webmaster.Email), webmaster.UserId);
        using var bot = Visitor(app);
        var (html, token) = await PageAsync(bot, $"/f/{code}");
        var ticket = ticketKind switch
        {
            // A genuine ticket of another form: valid protection, wrong form.
            "forged" => Ticket((await PageAsync(bot, $"/f/{otherForm}")).Html),
            "missing" => "",
            _ => Ticket(html),
        };
        app.Clock.Advance(TimeSpan.FromSeconds(secondsTaken));

        var posted = await bot.PostAsync($"/f/{code}", Form([.. RealEstateRequest(token, ticket, LeadIntakeTests.NextPhone())]));

        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        var lead = await app.WithDbAsync(db => db.Leads.AsNoTracking().SingleAsync(l => l.SellerId == webmaster.UserId));
        Assert.Equal(LeadStatus.Rejected, lead.Status);
        Assert.Contains("faster than a person", lead.RejectReason);
        Assert.Equal(ticketKind == "too fast" ? 1 : 0, lead.FormFillSeconds);
    }

    [Fact]
    public async Task HostedForm_WhenSamePersonSendsTwice_ShowsTheSameThanksBothTimes()
    {
        var (webmaster, code) = await NewFormAsync(app);
        var phone = LeadIntakeTests.NextPhone();
        var locations = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            using var visitor = Visitor(app);
            var (html, token) = await PageAsync(visitor, $"/f/{code}?embed=1");
            app.Clock.Advance(TimeSpan.FromSeconds(20));
            var posted = await visitor.PostAsync($"/f/{code}?embed=1", Form([.. RealEstateRequest(token, Ticket(html), phone)]));
            Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
            locations.Add(posted.Headers.Location!.OriginalString);
        }

        Assert.Equal([$"/f/{code}/thanks?embed=1", $"/f/{code}/thanks?embed=1"], locations);
        var statuses = await app.WithDbAsync(db => db.Leads.Where(l => l.SellerId == webmaster.UserId).OrderBy(l => l.CreatedAt)
            .Select(l => new { l.Status, l.RejectReason }).ToListAsync());
        Assert.True(statuses[0].Status == LeadStatus.OnSale, $"Rejected: {statuses[0].RejectReason}");
        Assert.Equal("duplicate", statuses[1].RejectReason);
    }

    [Fact]
    public async Task SetActive_WhenFormIsOthersOrSwitchedOff_404sAndItsLinkIsNotAvailable()
    {
        var owner = await app.RegisterAsync("webmaster");
        var ownerBrowser = await SignInAsync(app, owner.Email);
        var code = await CreateFormAsync(app, ownerBrowser, owner.UserId);
        var other = await app.RegisterAsync("webmaster");
        var otherBrowser = await SignInAsync(app, other.Email);
        var (_, otherToken) = await PageAsync(otherBrowser, "/Webmaster/LeadForms");

        var foreign = await otherBrowser.PostAsync($"/Webmaster/LeadForms/Active?code={code}", Form(("active", "false"), ("__RequestVerificationToken", otherToken)));
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.True(await app.WithDbAsync(db => db.LeadForms.Where(f => f.Code == code).Select(f => f.IsActive).SingleAsync()));

        var (_, token) = await PageAsync(ownerBrowser, "/Webmaster/LeadForms");
        var off = await ownerBrowser.PostAsync($"/Webmaster/LeadForms/Active?code={code}", Form(("active", "false"), ("__RequestVerificationToken", token)));
        Assert.Equal(HttpStatusCode.Redirect, off.StatusCode);

        using var visitor = Visitor(app);
        var gone = await visitor.GetAsync($"/f/{code}");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Contains("This form is not available", await gone.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await visitor.GetAsync("/f/NoSuchForm12")).StatusCode);
    }
}

public sealed class HostedLeadFormTests_Sqlite(PostbackSqliteFactory app) : HostedLeadFormTests(app), IClassFixture<PostbackSqliteFactory>;

public sealed class HostedLeadFormTests_PostgreSql(PostbackPostgreSqlFactory app) : HostedLeadFormTests(app), IClassFixture<PostbackPostgreSqlFactory>;
