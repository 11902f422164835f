using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static LeadExchange.BrowserTests.BrowserSteps;

namespace LeadExchange.BrowserTests;

/// <summary>
/// The webmaster's whole day: joins an offer (the advertiser publishes it first, landing on this app's home page and with
/// no hold period, so the money is released by the background job within seconds, the real path), a visitor clicks the
/// tracking link and lands with the click id, the advertiser sends that click's postback with the test button of the
/// offer's integration page, the webmaster sees the conversion, collects a lead with a hosted form, sees the earnings
/// become available, requests a payout and finds the click, the conversion and the form's lead in the report by sub-id.
/// </summary>
public sealed class WebmasterJourneyTests(AppServer app, ITestOutputHelper output) : IClassFixture<AppServer>
{
    [Fact]
    public Task WebmasterJourney_WhenJoinedOfferConvertsAndFormCollectsALead_SeesEarningsAndRequestsAPayout() =>
        RunJourneyAsync(app, output, nameof(WebmasterJourney_WhenJoinedOfferConvertsAndFormCollectsALead_SeesEarningsAndRequestsAPayout), async open =>
        {
            const string name = "WebmasterJourney";
            var run = RandomDigits();
            var title = "Lawyer consultations " + run[..5];

            // The advertiser publishes a public CPA offer whose landing page is this app's home page.
            var advertiser = await open();
            await LogInAsync(advertiser, "advertiser@demo.test");
            await advertiser.GotoAsync("/Advertiser/Offers/Create");
            await advertiser.GetByLabel("Niche").SelectOptionAsync("legal");
            await advertiser.GetByLabel("Title").FillAsync(title);
            await advertiser.GetByLabel("Landing URL").FillAsync(app.BaseUrl + "/?cid={click_id}&s1={sub1}");
            await advertiser.GetByLabel("Public — webmasters join at once").CheckAsync();
            await advertiser.GetByLabel("Hold period, days").FillAsync("0");
            await advertiser.GetByLabel("Regions").SelectOptionAsync(["RU-MOW"]);
            var goal = advertiser.Locator("[data-row-list] [data-row]").First;
            await goal.GetByLabel("Goal name").FillAsync("Consultation booked");
            await goal.GetByLabel("Payout model").SelectOptionAsync("Cpa");
            await goal.GetByLabel("Advertiser pays").FillAsync("1000.00");
            await goal.GetByLabel("Webmaster gets").FillAsync("800.00");
            await advertiser.GetByRole(AriaRole.Button, new() { Name = "Create offer" }).ClickAsync();
            await Assertions.Expect(advertiser.GetByRole(AriaRole.Heading, new() { Name = title })).ToBeVisibleAsync();

            // 1. The webmaster finds the offer in the catalog and joins it.
            var webmaster = await open();
            await LogInAsync(webmaster, "webmaster@demo.test");
            await webmaster.GotoAsync("/Webmaster/Offers");
            await webmaster.GetByLabel("Search in titles").FillAsync(title);
            await webmaster.GetByRole(AriaRole.Button, new() { Name = "Show offers" }).ClickAsync();
            await Assertions.Expect(webmaster.Locator("article")).ToHaveCountAsync(1);
            await webmaster.GetByRole(AriaRole.Button, new() { Name = "Join " + title }).ClickAsync();
            var link = webmaster.GetByLabel("Your tracking link");
            await Assertions.Expect(link).ToHaveValueAsync(new Regex($"^{Regex.Escape(app.BaseUrl)}/c/[A-Za-z0-9_-]{{12}}$"));
            var trackingUrl = await link.InputValueAsync() + "?sub1=journey";
            await webmaster.GotoAsync("/Webmaster/Links");
            await Assertions.Expect(webmaster.GetByRole(AriaRole.Link, new() { Name = title })).ToBeVisibleAsync();
            await app.ScreenshotAsync(webmaster, name + "-1-links");

            // 2. A visitor (an ordinary browser, no account) clicks the link and lands on the offer's landing page with the click id.
            var visitorContext = await app.Browser.NewContextAsync(new BrowserNewContextOptions { UserAgent = PersonUserAgent });
            visitorContext.SetDefaultTimeout(10_000);
            var visitor = await visitorContext.NewPageAsync();
            await visitor.GotoAsync(trackingUrl);
            await Assertions.Expect(visitor).ToHaveURLAsync(new Regex($"^{Regex.Escape(app.BaseUrl)}/\\?cid=[A-Za-z0-9_-]+&s1=journey$"));
            await Assertions.Expect(visitor.GetByRole(AriaRole.Heading).First).ToBeVisibleAsync();
            var clickId = Regex.Match(visitor.Url, "cid=([A-Za-z0-9_-]+)").Groups[1].Value;
            var clickedAt = DateTime.UtcNow;
            await visitorContext.CloseAsync();

            // 3. The advertiser checks the integration with the test button, then sends the visitor's click through it: a conversion.
            await advertiser.GetByRole(AriaRole.Link, new() { Name = "Integration & postback URL" }).ClickAsync();
            await advertiser.GetByRole(AriaRole.Button, new() { Name = "Send test postback" }).ClickAsync();
            await Assertions.Expect(advertiser.GetByRole(AriaRole.Status).Filter(new() { HasText = "Test postback" }))
                .ToContainTextAsync("\"result\":\"ok\",\"test\":true");
            // A conversion within 5 s of its click is flagged as too fast (no person books a consultation that quickly).
            var wait = clickedAt.AddSeconds(6) - DateTime.UtcNow;
            if (wait > TimeSpan.Zero) await Task.Delay(wait);
            await advertiser.GetByLabel("Click id (optional)").FillAsync(clickId);
            await advertiser.GetByRole(AriaRole.Button, new() { Name = "Send test postback" }).ClickAsync();
            var answer = advertiser.GetByRole(AriaRole.Status).Filter(new() { HasText = "Test postback" });
            await Assertions.Expect(answer).ToContainTextAsync("HTTP 200");
            await Assertions.Expect(answer).ToContainTextAsync("\"status\":\"pending\"");
            await app.ScreenshotAsync(advertiser, name + "-2-postback");

            // 4. The webmaster sees the conversion with their payout and the sub-id.
            await webmaster.GotoAsync("/Webmaster/Conversions");
            var conversion = webmaster.Locator("table.conversions tbody tr").Filter(new() { HasText = title });
            await Assertions.Expect(conversion).ToHaveCountAsync(1);
            await Assertions.Expect(conversion).ToContainTextAsync("800.00 RUB");
            await Assertions.Expect(conversion).ToContainTextAsync("journey");
            await Assertions.Expect(conversion).ToContainTextAsync(clickId);
            await app.ScreenshotAsync(webmaster, name + "-3-conversions");

            // 5. A hosted lead form, filled by a person.
            await webmaster.GotoAsync("/Webmaster/LeadForms");
            var formTitle = "Talk to a lawyer " + run[..5];
            await webmaster.GetByLabel("Niche").SelectOptionAsync("legal");
            await webmaster.GetByLabel("Title (optional)").FillAsync(formTitle);
            await webmaster.GetByRole(AriaRole.Button, new() { Name = "Create form" }).ClickAsync();
            await Assertions.Expect(webmaster.GetByRole(AriaRole.Status).Filter(new() { HasText = "Form created" })).ToBeVisibleAsync();
            var formUrl = await webmaster.Locator(".lead-forms .list-group-item").Filter(new() { HasText = formTitle }).GetByLabel("Link").InputValueAsync();

            var personContext = await app.Browser.NewContextAsync(new BrowserNewContextOptions { UserAgent = PersonUserAgent });
            personContext.SetDefaultTimeout(10_000);
            var person = await personContext.NewPageAsync();
            await person.GotoAsync(formUrl + "?sub1=form-journey");
            await Assertions.Expect(person.GetByRole(AriaRole.Heading, new() { Name = formTitle })).ToBeVisibleAsync();
            await person.GetByLabel("Your name").FillAsync("Elena Sokolova");
            await person.GetByLabel("Phone", new() { Exact = true }).FillAsync("+7 915 " + run);
            await person.GetByRole(AriaRole.Textbox, new() { Name = "Email" }).FillAsync($"elena.{run}@example.com");
            await person.GetByRole(AriaRole.Combobox, new() { Name = "Region" }).SelectOptionAsync("RU-MOW");
            await person.GetByLabel("Practice area").SelectOptionAsync("family");
            await person.GetByLabel("I consent to the processing of my personal data", new() { Exact = false }).CheckAsync();
            // A form sent within 3 s of showing is refused as a bot's; a person takes longer.
            await Task.Delay(TimeSpan.FromSeconds(4));
            await person.GetByRole(AriaRole.Button, new() { Name = "Send request" }).ClickAsync();
            await Assertions.Expect(person.GetByRole(AriaRole.Heading, new() { Name = "Thank you!" })).ToBeVisibleAsync();
            await personContext.CloseAsync();

            await webmaster.GotoAsync("/Webmaster/Leads");
            var lead = webmaster.Locator("table.my-leads tbody tr").Filter(new() { HasText = "+7915***" + run[^4..] });
            await Assertions.Expect(lead).ToHaveCountAsync(1);
            await Assertions.Expect(lead).ToContainTextAsync("Hosted form");
            await Assertions.Expect(lead).ToContainTextAsync("form-journey");
            await app.ScreenshotAsync(webmaster, name + "-4-leads");

            // 6. Earnings: with no hold period the background job releases the conversion's payout within seconds.
            await webmaster.GotoAsync("/Webmaster/Payouts");
            await ReloadUntilTextAsync(webmaster, webmaster.GetByTestId("available-RUB"), "800.00", TimeSpan.FromSeconds(60));
            await Assertions.Expect(webmaster.GetByTestId("pending-RUB")).ToHaveTextAsync("0.00 RUB");
            await webmaster.GetByLabel("Amount").FillAsync("600");
            await webmaster.GetByRole(AriaRole.Button, new() { Name = "Request payout" }).ClickAsync();
            await Assertions.Expect(webmaster.GetByRole(AriaRole.Status))
                .ToContainTextAsync("Payout of 600.00 RUB requested; the platform pays it by bank transfer.");
            var payout = webmaster.Locator("table tbody tr").Filter(new() { HasText = "600.00 RUB" });
            await Assertions.Expect(payout).ToHaveCountAsync(1);
            await Assertions.Expect(payout).ToContainTextAsync("Awaiting bank transfer");
            await Assertions.Expect(webmaster.GetByTestId("available-RUB")).ToHaveTextAsync("200.00 RUB");
            await Assertions.Expect(webmaster.GetByTestId("in-transit-RUB")).ToHaveTextAsync("600.00 RUB");
            await app.ScreenshotAsync(webmaster, name + "-5-payouts");

            // The conversion is approved now that its money was released.
            await webmaster.GotoAsync("/Webmaster/Conversions");
            await Assertions.Expect(conversion).ToContainTextAsync("Approved");

            // 7. Reports by sub-id 1: the visitor's click and its conversion under "journey", the form's lead under "form-journey";
            // the figures come from the background rollup (every 2 s in these tests). The same report as CSV.
            await MainNav(webmaster).GetByRole(AriaRole.Link, new() { Name = "Reports", Exact = true }).ClickAsync();
            var report = webmaster.GetByTestId("report-table");
            // Two waits: the conversion may be counted a run before the form's lead, which came later.
            await ReloadUntilTextAsync(webmaster, report.Locator("tfoot [data-total='earnings']"), "800.00", TimeSpan.FromSeconds(60));
            await ReloadUntilTextAsync(webmaster, report.Locator("tfoot [data-total='leads']"), "1", TimeSpan.FromSeconds(60));
            await webmaster.GetByLabel("Group by").SelectOptionAsync(new SelectOptionValue { Label = "Sub-id 1" });
            await webmaster.GetByRole(AriaRole.Button, new() { Name = "Show", Exact = true }).ClickAsync();
            var bySub = report.Locator("tbody tr").Filter(new() { Has = webmaster.GetByRole(AriaRole.Rowheader, new() { Name = "journey", Exact = true }) });
            await Assertions.Expect(bySub).ToContainTextAsync("800.00");
            await app.ScreenshotAsync(webmaster, name + "-6-report");

            var (file, csv) = await DownloadCsvAsync(webmaster, webmaster.GetByRole(AriaRole.Link, new() { Name = "Export CSV" }));
            Assert.StartsWith("report-sub1-", file);
            var header = csv[0];
            Assert.Equal(new[] { "sub1", "label", "clicks", "unique_clicks", "leads" }, header[..5]);
            string Cell(string sub1, string column) =>
                Assert.Single(csv, r => r.Length == header.Length && r[0] == sub1)[Array.IndexOf(header, column)];
            Assert.Equal("1", Cell("journey", "clicks"));
            Assert.Equal("1", Cell("journey", "conversions"));
            Assert.Equal(800m, decimal.Parse(Cell("journey", "earnings_RUB"), CultureInfo.InvariantCulture));
            Assert.Equal("1", Cell("form-journey", "leads"));
        });
}
