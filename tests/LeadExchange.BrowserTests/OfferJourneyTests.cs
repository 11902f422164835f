using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static LeadExchange.BrowserTests.BrowserSteps;

namespace LeadExchange.BrowserTests;

/// <summary>An advertiser publishes an offer through the form; a webmaster finds it, joins and gets the tracking link.</summary>
public sealed class OfferJourneyTests(AppServer app) : IClassFixture<AppServer>
{
    [Fact]
    public async Task OfferJourney_WhenAdvertiserPublishesPublicOffer_WebmasterJoinsAndGetsTrackingLink()
    {
        var page = await app.NewPageAsync();
        var title = "Browser journey " + Guid.NewGuid().ToString("N")[..8];

        // The advertiser creates a public CPL offer through the form.
        await LogInAsync(page, "advertiser@demo.test");
        await MainNav(page).GetByRole(AriaRole.Link, new() { Name = "My offers" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Create an offer" }).First.ClickAsync();
        await page.GetByLabel("Niche").SelectOptionAsync("credit");
        await page.GetByLabel("Title").FillAsync(title);
        await page.GetByLabel("Description").FillAsync("Loan applications from Moscow, created by the browser test.");
        await page.GetByLabel("Landing URL").FillAsync("https://loans.example/apply?cid={click_id}&s1={sub1}");
        await page.GetByLabel("Public — webmasters join at once").CheckAsync();
        await page.GetByLabel("Regions").SelectOptionAsync(["RU-MOW"]);
        var goal = page.Locator("[data-row-list] [data-row]").First;
        await goal.GetByLabel("Goal code").FillAsync("lead");
        await goal.GetByLabel("Goal name").FillAsync("Loan application");
        await goal.GetByLabel("Payout model").SelectOptionAsync("Cpl");
        await goal.GetByLabel("Advertiser pays").FillAsync("2500.00");
        await goal.GetByLabel("Webmaster gets").FillAsync("1800.50");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create offer" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = title })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Cell, new() { Name = "1,800.50 RUB" })).ToBeVisibleAsync();

        await MainNav(page).GetByRole(AriaRole.Link, new() { Name = "My offers" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = title })).ToBeVisibleAsync();
        await LogOutAsync(page);

        // The webmaster finds it in the catalog, joins and gets the link.
        await LogInAsync(page, "webmaster@demo.test");
        await OpenNavAsync(page, "Offers", "Offer catalog");
        await page.GetByLabel("Search in titles").FillAsync(title);
        await page.GetByLabel("Niche").SelectOptionAsync("credit");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show offers" }).ClickAsync();
        await Assertions.Expect(page.Locator("article")).ToHaveCountAsync(1);
        await page.GetByRole(AriaRole.Button, new() { Name = "Join " + title }).ClickAsync();

        var link = page.GetByLabel("Your tracking link");
        await Assertions.Expect(link).ToHaveValueAsync(new Regex($"^http://127\\.0\\.0\\.1:{app.Port}/c/[A-Za-z0-9_-]{{12}}$"));
        // Located by its target, not its text: the text turns into "Copied!" on click.
        var copy = page.Locator("button[data-copy-target='#tracking-link']");
        await Assertions.Expect(copy).ToHaveTextAsync("Copy");
        var url = await link.InputValueAsync();

        // The sub-id builder rewrites the link, and Copy puts it on the clipboard.
        await page.GetByText("Add sub-ids").ClickAsync();
        await page.GetByLabel("sub1").FillAsync("fb campaign");
        await Assertions.Expect(link).ToHaveValueAsync(url + "?sub1=fb+campaign");
        await copy.ClickAsync();
        await Assertions.Expect(copy).ToHaveTextAsync("Copied!");
        Assert.Equal(url + "?sub1=fb+campaign", await page.EvaluateAsync<string>("() => navigator.clipboard.readText()"));

        await OpenNavAsync(page, "Offers", "My links");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = title })).ToBeVisibleAsync();
        await app.ScreenshotAsync(page, nameof(OfferJourney_WhenAdvertiserPublishesPublicOffer_WebmasterJoinsAndGetsTrackingLink));
    }

    [Fact]
    public async Task CreateOffer_WhenTitleEmptyAndWebmasterPayoutAboveAdvertiser_ShowsErrorsBesideFieldsAndStoresNothing()
    {
        var page = await app.NewPageAsync();
        await LogInAsync(page, "advertiser@demo.test");
        await page.GotoAsync("/Advertiser/Offers");
        var offersBefore = await page.Locator("table tbody tr").CountAsync();

        await page.GotoAsync("/Advertiser/Offers/Create");
        await page.GetByLabel("Niche").SelectOptionAsync("legal");
        await page.GetByLabel("Landing URL").FillAsync("https://law.example/?cid={click_id}");
        await page.GetByLabel("Regions").SelectOptionAsync(["RU-SPE"]);
        var goal = page.Locator("[data-row-list] [data-row]").First;
        await goal.GetByLabel("Advertiser pays").FillAsync("100.00");
        await goal.GetByLabel("Webmaster gets").FillAsync("200.00");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create offer" }).ClickAsync();

        await Assertions.Expect(page.Locator("[data-valmsg-for='Form.Title']")).ToContainTextAsync("Title is required");
        await Assertions.Expect(page.Locator("[data-valmsg-for='Form.Goals[0].WebmasterPayout']")).ToContainTextAsync("cannot exceed");
        await Assertions.Expect(page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "Please correct" })).ToBeVisibleAsync();
        // The form keeps what was typed.
        await Assertions.Expect(page.Locator("[data-row-list] [data-row]").First.GetByLabel("Webmaster gets")).ToHaveValueAsync("200.00");
        await app.ScreenshotAsync(page, nameof(CreateOffer_WhenTitleEmptyAndWebmasterPayoutAboveAdvertiser_ShowsErrorsBesideFieldsAndStoresNothing));

        await page.GotoAsync("/Advertiser/Offers");
        Assert.Equal(offersBefore, await page.Locator("table tbody tr").CountAsync());
    }

    [Fact]
    public async Task CreateOffer_WhenPayoutHasThreeDecimals_ShowsDecimalsErrorBesideField()
    {
        var page = await app.NewPageAsync();
        await LogInAsync(page, "advertiser@demo.test");
        await page.GotoAsync("/Advertiser/Offers/Create");
        var goal = page.Locator("[data-row-list] [data-row]").First;
        await goal.GetByLabel("Advertiser pays").FillAsync("2500.005");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create offer" }).ClickAsync();

        await Assertions.Expect(page.Locator("[data-valmsg-for='Form.Goals[0].AdvertiserPayout']")).ToHaveTextAsync("Use at most 2 decimals.");
        await app.ScreenshotAsync(page, nameof(CreateOffer_WhenPayoutHasThreeDecimals_ShowsDecimalsErrorBesideField));
    }
}
