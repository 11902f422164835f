using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static LeadExchange.BrowserTests.BrowserSteps;

namespace LeadExchange.BrowserTests;

/// <summary>
/// Buying leads: the demo advertiser sets up a lead order (a mistake is shown beside its field, then fixed), finds a lead a
/// webmaster sent through the API in the catalog with the contact masked, buys it, sees the contact, marks it converted
/// with the sale amount and finds it in the inbox under that status.
/// </summary>
public sealed class BuyingJourneyTests(AppServer app) : IClassFixture<AppServer>
{
    [Fact]
    public async Task Buying_WhenAdvertiserBuysALeadFromTheCatalog_SeesTheContactAndTracksItInTheInbox()
    {
        const string name = nameof(Buying_WhenAdvertiserBuysALeadFromTheCatalog_SeesTheContactAndTracksItInTheInbox);
        var digits = Random.Shared.Next(1_000_000, 9_999_999).ToString(CultureInfo.InvariantCulture);
        var phone = "+7921" + digits;
        var person = "Marina Volkova";

        // A webmaster sends a legal lead through the API with a key made on the API keys page.
        var webmaster = await app.NewPageAsync();
        await LogInAsync(webmaster, "webmaster@demo.test");
        await webmaster.GotoAsync("/account/apikeys");
        await webmaster.GetByLabel("Key name").FillAsync("buying journey");
        await webmaster.GetByRole(AriaRole.Button, new() { Name = "Create key" }).ClickAsync();
        var apiKey = await webmaster.Locator("#new-api-key").InputValueAsync();
        var submitted = await webmaster.APIRequest.PostAsync("/api/v1/leads", new()
        {
            Headers = new Dictionary<string, string> { ["X-Api-Key"] = apiKey },
            DataObject = new
            {
                niche = "legal",
                region = "RU-SPE",
                name = person,
                phone,
                email = $"marina.{digits}@example.com",
                fields = new { practice_area = "family", description = "Divorce and custody" },
                consent = new { text = "I agree to be contacted by lawyers.", givenAt = DateTime.UtcNow.AddMinutes(-2), pageUrl = "https://law.example/form", ip = "203.0.113.7" },
            },
        });
        Assert.True(submitted.Status == 201, $"Lead intake answered {submitted.Status}: {await submitted.TextAsync()}");

        var page = await app.NewPageAsync();
        await LogInAsync(page, "advertiser@demo.test");

        // A lead order (auto buying cars, so it does not take the legal lead): a budget below one lead is refused beside the field.
        await OpenNavAsync(page, "Leads", "Lead orders");
        await page.GetByRole(AriaRole.Link, new() { Name = "Create your first lead order" }).ClickAsync();
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Used cars, Moscow");
        await page.GetByLabel("Niche").SelectOptionAsync("auto");
        await page.GetByLabel("Regions").SelectOptionAsync(["RU-MOW"]);
        await page.GetByLabel("Max price per lead").FillAsync("1500");
        await page.GetByLabel("Total budget").FillAsync("100");
        await page.GetByLabel("Daily cap").FillAsync("5");
        await page.GetByLabel("Sat").UncheckAsync();
        await page.GetByLabel("Sun").UncheckAsync();
        await page.GetByLabel("Time zone").SelectOptionAsync("Asia/Yekaterinburg");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create lead order" }).ClickAsync();

        await Assertions.Expect(page.Locator("[data-valmsg-for='Form.Budget']")).ToContainTextAsync("Budget must cover at least one lead");
        await Assertions.Expect(page.GetByLabel("Name", new() { Exact = true })).ToHaveValueAsync("Used cars, Moscow");
        await Assertions.Expect(page.GetByLabel("Sat")).Not.ToBeCheckedAsync();
        await app.ScreenshotAsync(page, name + "-order-error");
        await page.GetByLabel("Total budget").FillAsync("50000");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create lead order" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Lead order \"Used cars, Moscow\" created" })).ToBeVisibleAsync();
        var order = page.Locator("table.lead-orders tbody tr").Filter(new() { HasText = "Used cars, Moscow" });
        await Assertions.Expect(order).ToContainTextAsync("1,500.00");
        await Assertions.Expect(order).ToContainTextAsync("0 / 5");
        await Assertions.Expect(order).ToContainTextAsync("of 50,000.00");
        await Assertions.Expect(order).ToContainTextAsync("Mon, Tue, Wed, Thu, Fri");
        await Assertions.Expect(order).ToContainTextAsync("Active");
        await app.ScreenshotAsync(page, name + "-orders");

        // The catalog shows the legal lead with the contact masked.
        await OpenNavAsync(page, "Leads", "Lead catalog");
        await page.GetByLabel("Niche").SelectOptionAsync("legal");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        var row = page.Locator("table.lead-catalog tbody tr").Filter(new() { HasText = "+7921***" + digits[^4..] });
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await Assertions.Expect(row).ToContainTextAsync("M***** V******");
        await Assertions.Expect(row).ToContainTextAsync("Saint Petersburg");
        await Assertions.Expect(row).ToContainTextAsync("family");
        await Assertions.Expect(row).Not.ToContainTextAsync(digits);
        await Assertions.Expect(row).Not.ToContainTextAsync("Volkova");
        await app.ScreenshotAsync(page, name + "-catalog");

        // Buying asks first (it spends money), then opens the purchase with the contact revealed.
        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await row.GetByRole(AriaRole.Button, new() { Name = "Buy exclusive" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Bought exclusively" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = person })).ToBeVisibleAsync();
        var contact = page.Locator(".purchase-contact");
        await Assertions.Expect(contact).ToContainTextAsync(phone);
        await Assertions.Expect(contact).ToContainTextAsync($"marina.{digits}@example.com");
        await Assertions.Expect(contact).ToContainTextAsync("Divorce and custody");
        await Assertions.Expect(page.GetByText("I agree to be contacted by lawyers.")).ToBeVisibleAsync();

        // Converted without the amount: the reason beside the field; with it: saved.
        await page.GetByLabel("Status").SelectOptionAsync("converted");
        await page.GetByLabel("Note").FillAsync("Signed a contract");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-valmsg-for='Form.SaleAmount']")).ToContainTextAsync("sale amount");
        await page.GetByLabel("Sale amount").FillAsync("45000");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Marked converted with a sale of 45,000.00" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("form").GetByText("Converted with a sale of 45,000.00")).ToBeVisibleAsync();
        await app.ScreenshotAsync(page, name + "-purchase");

        // The inbox, filtered by status, lists it with the contact and the sale.
        await OpenNavAsync(page, "Leads", "Inbox");
        await page.GetByLabel("Status").SelectOptionAsync("converted");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        var bought = page.Locator("table.purchases tbody tr");
        await Assertions.Expect(bought).ToHaveCountAsync(1);
        await Assertions.Expect(bought).ToContainTextAsync(person);
        await Assertions.Expect(bought).ToContainTextAsync(phone);
        await Assertions.Expect(bought).ToContainTextAsync("Converted");
        await Assertions.Expect(bought).ToContainTextAsync("sale 45,000.00");
        await Assertions.Expect(bought).ToContainTextAsync("Signed a contract");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Export CSV" })).ToHaveAttributeAsync("href", new Regex("status=converted"));
        await page.GetByLabel("Status").SelectOptionAsync("refused");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await Assertions.Expect(page.GetByText("No bought leads match these filters")).ToBeVisibleAsync();
        await app.ScreenshotAsync(page, name);
    }
}
