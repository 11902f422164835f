using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static LeadExchange.BrowserTests.BrowserSteps;

namespace LeadExchange.BrowserTests;

/// <summary>
/// Hosted lead forms: a webmaster creates one, a person fills it on a phone-sized screen like a person (taking a few seconds,
/// so it is not refused as too fast) and is thanked; the webmaster then finds the lead, contact masked, in My leads.
/// </summary>
public sealed class LeadFormJourneyTests(AppServer app) : IClassFixture<AppServer>
{
    [Fact]
    public async Task LeadForm_WhenPersonFillsTheHostedForm_ThanksThemAndTheLeadShowsInMyLeads()
    {
        var title = "Find your flat " + Guid.NewGuid().ToString("N")[..6];
        var page = await app.NewPageAsync();
        await LogInAsync(page, "webmaster@demo.test");
        await OpenNavAsync(page, "Leads", "Lead forms");

        await page.GetByLabel("Niche").SelectOptionAsync("real-estate");
        await page.GetByLabel("Title (optional)").FillAsync(title);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create form" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Form created" })).ToBeVisibleAsync();
        var item = page.Locator(".lead-forms .list-group-item").Filter(new() { HasText = title });
        var link = item.GetByLabel("Link");
        await Assertions.Expect(link).ToHaveValueAsync(new Regex($"^http://127\\.0\\.0\\.1:{app.Port}/f/[A-Za-z0-9]{{12}}$"));
        var url = await link.InputValueAsync();
        await Assertions.Expect(item.GetByLabel("Embed code")).ToHaveValueAsync(new Regex(Regex.Escape($"<iframe src=\"{url}?embed=1\"")));
        await item.GetByRole(AriaRole.Button, new() { Name = "Copy link" }).ClickAsync();
        Assert.Equal(url, await page.EvaluateAsync<string>("navigator.clipboard.readText()"));
        await app.ScreenshotAsync(page, nameof(LeadForm_WhenPersonFillsTheHostedForm_ThanksThemAndTheLeadShowsInMyLeads) + "-forms");

        // A person on a phone: no account, no cookies of the webmaster.
        var phoneContext = await app.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 390, Height = 844 }, IsMobile = true, HasTouch = true,
        });
        phoneContext.SetDefaultTimeout(10_000);
        var person = await phoneContext.NewPageAsync();
        await person.GotoAsync(url + "?sub1=browser-test");
        await Assertions.Expect(person.GetByRole(AriaRole.Heading, new() { Name = title })).ToBeVisibleAsync();
        Assert.Equal(0, await person.Locator("nav").CountAsync());
        var digits = Random.Shared.Next(1_000_000, 9_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await person.GetByLabel("Your name").FillAsync("Olga Kuznetsova");
        var phone = person.GetByLabel("Phone", new() { Exact = true });
        await phone.FillAsync("+7 916 " + digits[..3]);   // a digit short of a number, for now
        await person.GetByRole(AriaRole.Textbox, new() { Name = "Email" }).FillAsync($"olga.{digits}@example.com");
        await person.GetByRole(AriaRole.Combobox, new() { Name = "Region" }).SelectOptionAsync("RU-MOW");
        await person.GetByLabel("Deal type").SelectOptionAsync("buy");
        await person.GetByLabel("Number of rooms").FillAsync("2");
        await person.GetByLabel("Budget, RUB").FillAsync("12000000");
        await person.GetByLabel("When do you plan to proceed?").SelectOptionAsync("now");
        await person.GetByLabel("Needs a mortgage").CheckAsync();
        await person.GetByLabel("I consent to the processing of my personal data", new() { Exact = false }).CheckAsync();
        // A person reads and types for a while; a form sent within 3 s of showing is refused as a bot's.
        await Task.Delay(TimeSpan.FromSeconds(4));
        await person.GetByRole(AriaRole.Button, new() { Name = "Send request" }).ClickAsync();

        // The mistyped phone comes back with the reason beside it, everything else as typed.
        await Assertions.Expect(person.Locator("[data-valmsg-for='Phone']")).ToContainTextAsync("Phone");
        await Assertions.Expect(person.GetByLabel("Your name")).ToHaveValueAsync("Olga Kuznetsova");
        await Assertions.Expect(person.GetByLabel("Needs a mortgage")).ToBeCheckedAsync();
        await app.ScreenshotAsync(person, nameof(LeadForm_WhenPersonFillsTheHostedForm_ThanksThemAndTheLeadShowsInMyLeads) + "-phone");
        await phone.FillAsync("+7 916 " + digits);
        await person.GetByRole(AriaRole.Button, new() { Name = "Send request" }).ClickAsync();

        await Assertions.Expect(person.GetByRole(AriaRole.Heading, new() { Name = "Thank you!" })).ToBeVisibleAsync();
        await app.ScreenshotAsync(person, nameof(LeadForm_WhenPersonFillsTheHostedForm_ThanksThemAndTheLeadShowsInMyLeads) + "-thanks");
        await phoneContext.CloseAsync();

        // The webmaster sees it in My leads: on sale, from the hosted form, contact masked.
        await OpenNavAsync(page, "Leads", "My leads");
        var row = page.Locator("table.my-leads tbody tr").Filter(new() { HasText = "+7916***" + digits[^4..] });
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await Assertions.Expect(row).ToContainTextAsync("On sale");
        await Assertions.Expect(row).ToContainTextAsync("Hosted form");
        await Assertions.Expect(row).ToContainTextAsync("browser-test");
        await Assertions.Expect(row).ToContainTextAsync("O*** K*********");
        await Assertions.Expect(row).Not.ToContainTextAsync(digits);
        await app.ScreenshotAsync(page, nameof(LeadForm_WhenPersonFillsTheHostedForm_ThanksThemAndTheLeadShowsInMyLeads));
    }
}
