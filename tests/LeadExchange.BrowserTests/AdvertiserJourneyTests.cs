using System.Globalization;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static LeadExchange.BrowserTests.BrowserSteps;

namespace LeadExchange.BrowserTests;

/// <summary>
/// The advertiser's whole day: money in (a bank transfer the admin records: without Stripe, the demo's mode, only an admin
/// can credit a top-up by hand), an offer published, a lead order that buys two leads a webmaster sends through the API,
/// one marked converted with the sale amount, the other disputed; the report shows both purchases and the sale, by lead order
/// and as CSV. Legal services in Saint Petersburg.
/// </summary>
public sealed class AdvertiserJourneyTests(AppServer app, ITestOutputHelper output) : IClassFixture<AppServer>
{
    [Fact]
    public Task AdvertiserJourney_WhenToppedUpWithAnOfferAndALeadOrder_BuysLeadsMarksOneConvertedAndDisputesAnother() =>
        RunJourneyAsync(app, output, nameof(AdvertiserJourney_WhenToppedUpWithAnOfferAndALeadOrder_BuysLeadsMarksOneConvertedAndDisputesAnother), async open =>
        {
            const string name = "AdvertiserJourney";
            var run = RandomDigits();
            var transfer = "Bank transfer " + run;
            var offerTitle = "Family lawyers, Saint Petersburg " + run[..4];
            var orderName = "Family law, SPb " + run[..4];

            // 1. Money in. The demo runs without Stripe, so the card top-up is off and an admin records the bank transfer by hand.
            var advertiser = await open();
            await LogInAsync(advertiser, "advertiser@demo.test");
            await advertiser.GotoAsync("/Advertiser/Balance");
            await Assertions.Expect(advertiser.GetByRole(AriaRole.Note)).ToContainTextAsync("ask an administrator to record a bank transfer");
            var before = ParseMoney(await advertiser.GetByTestId("available-RUB").InnerTextAsync());

            var admin = await open();
            await LogInAsync(admin, "admin@demo.test");
            await admin.GotoAsync("/Admin/TopUps");
            await admin.GetByLabel("Advertiser email").FillAsync("advertiser@demo.test");
            await admin.GetByLabel("Amount").FillAsync("25000");
            await admin.GetByLabel("Currency").SelectOptionAsync("RUB");
            await admin.GetByLabel("Note").FillAsync(transfer);
            await admin.GetByRole(AriaRole.Button, new() { Name = "Record top-up" }).ClickAsync();
            await Assertions.Expect(admin.GetByRole(AriaRole.Status)).ToContainTextAsync("Credited 25,000.00 RUB to advertiser@demo.test.");

            await advertiser.ReloadAsync();
            await Assertions.Expect(advertiser.GetByTestId("available-RUB")).ToHaveTextAsync(Money(before + 25_000m));
            await Assertions.Expect(advertiser.Locator("table.statement tbody tr").Filter(new() { HasText = transfer })).ToContainTextAsync("+25,000.00 RUB");
            await app.ScreenshotAsync(advertiser, name + "-1-balance");

            // 2. An offer for webmasters: public, CPL.
            await advertiser.GotoAsync("/Advertiser/Offers");
            await advertiser.GetByRole(AriaRole.Link, new() { Name = "Create an offer" }).First.ClickAsync();
            await advertiser.GetByLabel("Niche").SelectOptionAsync("legal");
            await advertiser.GetByLabel("Title").FillAsync(offerTitle);
            await advertiser.GetByLabel("Description").FillAsync("People who need a family lawyer in Saint Petersburg.");
            await advertiser.GetByLabel("Landing URL").FillAsync("https://law.example/spb?cid={click_id}&s1={sub1}");
            await advertiser.GetByLabel("Public — webmasters join at once").CheckAsync();
            await advertiser.GetByLabel("Regions").SelectOptionAsync(["RU-SPE"]);
            var goal = advertiser.Locator("[data-row-list] [data-row]").First;
            await goal.GetByLabel("Goal name").FillAsync("Consultation request");
            await goal.GetByLabel("Payout model").SelectOptionAsync("Cpl");
            await goal.GetByLabel("Advertiser pays").FillAsync("700.00");
            await goal.GetByLabel("Webmaster gets").FillAsync("500.00");
            await advertiser.GetByRole(AriaRole.Button, new() { Name = "Create offer" }).ClickAsync();
            await Assertions.Expect(advertiser.GetByRole(AriaRole.Heading, new() { Name = offerTitle })).ToBeVisibleAsync();
            await Assertions.Expect(advertiser.GetByRole(AriaRole.Cell, new() { Name = "500.00 RUB" })).ToBeVisibleAsync();
            await advertiser.GotoAsync("/Advertiser/Offers");
            await Assertions.Expect(advertiser.Locator("table tbody tr").Filter(new() { HasText = offerTitle })).ToContainTextAsync("Active");

            // 3. A lead order buying legal leads in Saint Petersburg automatically.
            await advertiser.GotoAsync("/Advertiser/LeadOrders");
            await advertiser.GetByRole(AriaRole.Link, new() { Name = "Create your first lead order" }).ClickAsync();
            await advertiser.GetByLabel("Name", new() { Exact = true }).FillAsync(orderName);
            await advertiser.GetByLabel("Niche").SelectOptionAsync("legal");
            await advertiser.GetByLabel("Regions").SelectOptionAsync(["RU-SPE"]);
            await advertiser.GetByLabel("Max price per lead").FillAsync("5000");
            await advertiser.GetByLabel("Total budget").FillAsync("20000");
            await advertiser.GetByLabel("Daily cap").FillAsync("10");
            await advertiser.GetByRole(AriaRole.Button, new() { Name = "Create lead order" }).ClickAsync();
            await Assertions.Expect(advertiser.GetByRole(AriaRole.Status).Filter(new() { HasText = $"Lead order \"{orderName}\" created" })).ToBeVisibleAsync();
            var order = advertiser.Locator("table.lead-orders tbody tr").Filter(new() { HasText = orderName });
            await Assertions.Expect(order).ToContainTextAsync("Active");
            await Assertions.Expect(order).ToContainTextAsync("0 / 10");
            await app.ScreenshotAsync(advertiser, name + "-2-order");

            // 4. A webmaster sends two matching leads through the API; the order buys both at intake.
            var webmaster = await open();
            await LogInAsync(webmaster, "webmaster@demo.test");
            var apiKey = await CreateApiKeyAsync(webmaster, "advertiser journey");
            var converted = ("Sergey Orlov", "+7921" + run, $"sergey.{run}@example.com");
            var bad = ("Pavel Nikitin", "+7931" + run, $"pavel.{run}@example.com");
            foreach (var (person, phone, email) in new[] { converted, bad })
                await PostJsonAsync(webmaster, "/api/v1/leads", apiKey, LegalLead("RU-SPE", person, phone, email, "198.51.100.20"), 201);

            await advertiser.GotoAsync("/Advertiser/Purchases");
            var inbox = advertiser.Locator("table.purchases tbody tr");
            var first = inbox.Filter(new() { HasText = converted.Item2 });
            await Assertions.Expect(first).ToHaveCountAsync(1);
            await Assertions.Expect(first).ToContainTextAsync(converted.Item1);
            await Assertions.Expect(inbox.Filter(new() { HasText = bad.Item2 })).ToHaveCountAsync(1);
            await app.ScreenshotAsync(advertiser, name + "-3-inbox");
            await advertiser.GotoAsync("/Advertiser/LeadOrders");
            await Assertions.Expect(order).ToContainTextAsync("2 / 10");

            // 5. The first one signed a contract: converted with the sale amount.
            await advertiser.GotoAsync("/Advertiser/Purchases");
            await first.GetByRole(AriaRole.Link).First.ClickAsync();
            await Assertions.Expect(advertiser.GetByRole(AriaRole.Heading, new() { Name = converted.Item1 })).ToBeVisibleAsync();
            await Assertions.Expect(advertiser.Locator(".purchase-contact")).ToContainTextAsync(converted.Item2);
            await advertiser.GetByLabel("Status").SelectOptionAsync("converted");
            await advertiser.GetByLabel("Sale amount").FillAsync("60000");
            await advertiser.GetByLabel("Note").FillAsync("Contract signed");
            await advertiser.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
            await Assertions.Expect(advertiser.GetByRole(AriaRole.Status).Filter(new() { HasText = "Marked converted with a sale of 60,000.00" })).ToBeVisibleAsync();
            await advertiser.GotoAsync("/Advertiser/Purchases");
            await Assertions.Expect(first).ToContainTextAsync("Converted");
            await Assertions.Expect(first).ToContainTextAsync("sale 60,000.00");

            // 6. The second one's number is dead: disputed from the Disputes page.
            await advertiser.GotoAsync("/Advertiser/Disputes");
            var disputable = advertiser.Locator("table.disputable tbody tr").Filter(new() { HasText = bad.Item2 });
            await Assertions.Expect(disputable).ToHaveCountAsync(1);
            await disputable.GetByRole(AriaRole.Link, new() { Name = "Dispute this lead" }).ClickAsync();
            await advertiser.GetByLabel("Reason", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Invalid phone number" });
            var complaint = "The number does not exist " + run;
            await advertiser.GetByLabel("What is wrong with the lead").FillAsync(complaint);
            await advertiser.GetByRole(AriaRole.Button, new() { Name = "Open dispute" }).ClickAsync();
            await Assertions.Expect(advertiser.GetByRole(AriaRole.Status)).ToContainTextAsync("Dispute opened.");
            var mine = advertiser.Locator("table.my-disputes tbody tr").Filter(new() { HasText = complaint });
            await Assertions.Expect(mine).ToContainTextAsync("Open");
            await Assertions.Expect(mine).ToContainTextAsync("Invalid phone number");
            await Assertions.Expect(disputable).ToHaveCountAsync(0);
            // The converted lead is still disputable (nothing is wrong with it), the disputed one no longer is.
            await Assertions.Expect(advertiser.Locator("table.disputable tbody tr").Filter(new() { HasText = converted.Item2 })).ToHaveCountAsync(1);
            await app.ScreenshotAsync(advertiser, name + "-4-disputes");

            // 7. Reports: the two purchases and the sale amount, once the background rollup has counted them (every 2 s in
            // these tests); then by lead order, and the same report as CSV.
            await MainNav(advertiser).GetByRole(AriaRole.Link, new() { Name = "Reports", Exact = true }).ClickAsync();
            var report = advertiser.GetByTestId("report-table");
            await ReloadUntilTextAsync(advertiser, report.Locator("tfoot [data-total='revenue']"), "60,000.00", TimeSpan.FromSeconds(60));
            await Assertions.Expect(report.Locator("tfoot [data-total='leads']")).ToHaveTextAsync("2");
            await advertiser.GetByLabel("Group by").SelectOptionAsync(new SelectOptionValue { Label = "Lead order" });
            await advertiser.GetByRole(AriaRole.Button, new() { Name = "Show", Exact = true }).ClickAsync();
            var byOrder = report.Locator("tbody tr").Filter(new() { Has = advertiser.GetByRole(AriaRole.Rowheader, new() { Name = orderName, Exact = true }) });
            await Assertions.Expect(byOrder).ToContainTextAsync("60,000.00");
            await app.ScreenshotAsync(advertiser, name + "-5-report");

            var (file, csv) = await DownloadCsvAsync(advertiser, advertiser.GetByRole(AriaRole.Link, new() { Name = "Export CSV" }));
            Assert.StartsWith("report-order-", file);
            var header = csv[0];
            Assert.Equal(new[] { "order", "label", "clicks", "unique_clicks", "leads" }, header[..5]);
            var row = Assert.Single(csv, r => r.Length == header.Length && r[1] == orderName);
            Assert.Equal("2", row[Array.IndexOf(header, "leads")]);
            Assert.Equal(60_000m, decimal.Parse(row[Array.IndexOf(header, "revenue_RUB")], CultureInfo.InvariantCulture));
            Assert.True(decimal.Parse(row[Array.IndexOf(header, "spend_RUB")], CultureInfo.InvariantCulture) > 0, "The two purchases cost something.");
        });
}
