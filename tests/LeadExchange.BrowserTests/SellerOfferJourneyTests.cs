using System.Globalization;
using Microsoft.Playwright;
using static LeadExchange.BrowserTests.BrowserSteps;

namespace LeadExchange.BrowserTests;

/// <summary>
/// Seller offers: the demo webmaster publishes an offer (a missing price is refused beside its field, then given), the demo
/// advertiser finds it by niche and region and subscribes with a daily cap, the webmaster is notified and sees the anonymous
/// subscriber, and the webmaster's next lead lands in the advertiser's inbox at the offer's price. Education in Novosibirsk:
/// no other demo data buys or sells there.
/// </summary>
public sealed class SellerOfferJourneyTests(AppServer app) : IClassFixture<AppServer>
{
    [Fact]
    public async Task SellerOffer_WhenAdvertiserSubscribes_SellersNextLeadLandsInTheInboxAtTheOfferPrice()
    {
        const string name = nameof(SellerOffer_WhenAdvertiserSubscribes_SellersNextLeadLandsInTheInboxAtTheOfferPrice);
        var digits = Random.Shared.Next(1_000_000, 9_999_999).ToString(CultureInfo.InvariantCulture);
        var title = "English courses, Novosibirsk " + digits[..3];

        // The webmaster publishes an offer; without a price it comes back with the reason beside the price field.
        var webmaster = await app.NewPageAsync();
        await LogInAsync(webmaster, "webmaster@demo.test");
        await OpenNavAsync(webmaster, "Leads", "Seller offers");
        await Assertions.Expect(webmaster.GetByText("A seller offer says \"I sell leads\"")).ToBeVisibleAsync();
        await webmaster.GetByRole(AriaRole.Link, new() { Name = "Publish your first offer" }).ClickAsync();
        await webmaster.GetByLabel("Title").FillAsync(title);
        await webmaster.GetByLabel("Niche").SelectOptionAsync("education");
        await webmaster.GetByLabel("Regions").SelectOptionAsync(["RU-NVS"]);
        await webmaster.GetByLabel("Contextual ads").CheckAsync();
        await webmaster.GetByLabel("SEO").CheckAsync();
        await webmaster.GetByLabel("Expected leads a day").FillAsync("20");
        var required = webmaster.GetByRole(AriaRole.Checkbox, new() { Name = "Course type (required)" });
        await Assertions.Expect(required).ToBeCheckedAsync();
        await Assertions.Expect(required).ToBeDisabledAsync();
        await webmaster.GetByLabel("Format", new() { Exact = true }).CheckAsync();
        await webmaster.GetByLabel("Sample: Course type").SelectOptionAsync("languages");
        await webmaster.GetByLabel("Sample: Format").SelectOptionAsync("online");
        await webmaster.GetByLabel("Description").FillAsync("Parents of schoolchildren from search ads, phone confirmed.");
        await webmaster.GetByRole(AriaRole.Button, new() { Name = "Publish offer" }).ClickAsync();

        await Assertions.Expect(webmaster.Locator("[data-valmsg-for='Form.FixedPrice']")).ToContainTextAsync("positive price per lead");
        await Assertions.Expect(webmaster.GetByLabel("Title")).ToHaveValueAsync(title);
        await Assertions.Expect(webmaster.GetByLabel("SEO")).ToBeCheckedAsync();
        await Assertions.Expect(webmaster.GetByLabel("Sample: Format")).ToHaveValueAsync("online");
        await app.ScreenshotAsync(webmaster, name + "-offer-error");
        await webmaster.GetByLabel("Price per lead", new() { Exact = true }).FillAsync("950");
        await webmaster.GetByRole(AriaRole.Button, new() { Name = "Publish offer" }).ClickAsync();
        await Assertions.Expect(webmaster.GetByRole(AriaRole.Status).Filter(new() { HasText = $"Seller offer \"{title}\" published" })).ToBeVisibleAsync();
        await Assertions.Expect(webmaster.GetByRole(AriaRole.Heading, new() { Name = title })).ToBeVisibleAsync();
        await Assertions.Expect(webmaster.GetByText("No subscribers yet")).ToBeVisibleAsync();

        // The advertiser finds it by niche and region, sees the seller's quality and subscribes with a daily cap.
        var advertiser = await app.NewPageAsync();
        await LogInAsync(advertiser, "advertiser@demo.test");
        await OpenNavAsync(advertiser, "Leads", "Seller offers");
        await advertiser.GetByLabel("Niche").SelectOptionAsync("education");
        await advertiser.GetByLabel("Region").SelectOptionAsync("RU-NVS");
        await advertiser.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        var card = advertiser.Locator("table.seller-offers tbody tr").Filter(new() { HasText = title });
        await Assertions.Expect(card).ToHaveCountAsync(1);
        await Assertions.Expect(card).ToContainTextAsync("950.00");
        await Assertions.Expect(card).ToContainTextAsync("Novosibirsk Oblast");
        await Assertions.Expect(card).ToContainTextAsync("days active");
        await Assertions.Expect(card).ToContainTextAsync("return rate");
        await card.GetByRole(AriaRole.Link, new() { Name = title }).ClickAsync();

        await Assertions.Expect(advertiser.Locator(".offer-sample")).ToContainTextAsync("languages");
        await Assertions.Expect(advertiser.Locator(".offer-terms")).ToContainTextAsync("Contextual ads, SEO");
        await Assertions.Expect(advertiser.GetByLabel("Max price per lead")).ToHaveCountAsync(0);
        await advertiser.GetByLabel("Daily cap").FillAsync("3");
        await app.ScreenshotAsync(advertiser, name + "-offer");
        await advertiser.GetByRole(AriaRole.Button, new() { Name = "Subscribe" }).ClickAsync();
        await Assertions.Expect(advertiser.GetByRole(AriaRole.Status).Filter(new() { HasText = $"Subscribed to \"{title}\"" })).ToBeVisibleAsync();
        await Assertions.Expect(advertiser.Locator(".my-subscription")).ToContainTextAsync("0 / 3 today");

        await OpenNavAsync(advertiser, "Leads", "Lead orders");
        var subscription = advertiser.Locator("table.lead-orders tbody tr").Filter(new() { HasText = title });
        await Assertions.Expect(subscription).ToContainTextAsync("Subscription");
        await Assertions.Expect(subscription).ToContainTextAsync("0 / 3");
        await Assertions.Expect(subscription.GetByRole(AriaRole.Button, new() { Name = "End", Exact = false })).ToBeVisibleAsync();

        // The webmaster sees the bell, the notification and the anonymous subscriber on the offer page.
        await webmaster.ReloadAsync();
        var bell = MainNav(webmaster).GetByRole(AriaRole.Link, new() { Name = "Notifications, 1 unread" });
        await Assertions.Expect(bell).ToBeVisibleAsync();
        await bell.ClickAsync();
        var notice = webmaster.Locator("ul.notifications li").Filter(new() { HasText = $"A new subscriber to your offer \"{title}\"" });
        await Assertions.Expect(notice).ToContainTextAsync("New");
        await webmaster.GetByRole(AriaRole.Button, new() { Name = "Mark all read" }).ClickAsync();
        await Assertions.Expect(MainNav(webmaster).GetByRole(AriaRole.Link, new() { Name = "Notifications", Exact = true })).ToBeVisibleAsync();
        await notice.GetByRole(AriaRole.Link).ClickAsync();
        var subscriber = webmaster.Locator("table.offer-subscriptions tbody tr");
        await Assertions.Expect(subscriber).ToHaveCountAsync(1);
        await Assertions.Expect(subscriber).ToContainTextAsync("Subscriber 1");
        await Assertions.Expect(subscriber).ToContainTextAsync("3 a day");
        await Assertions.Expect(subscriber).ToContainTextAsync("Active");
        await Assertions.Expect(subscriber).Not.ToContainTextAsync("advertiser@demo.test");

        // The webmaster's next lead in that niche and region goes to the subscriber at the offer's price.
        await webmaster.GotoAsync("/account/apikeys");
        await webmaster.GetByLabel("Key name").FillAsync("seller offer journey");
        await webmaster.GetByRole(AriaRole.Button, new() { Name = "Create key" }).ClickAsync();
        var apiKey = await webmaster.Locator("#new-api-key").InputValueAsync();
        var phone = "+7913" + digits;
        var submitted = await webmaster.APIRequest.PostAsync("/api/v1/leads", new()
        {
            Headers = new Dictionary<string, string> { ["X-Api-Key"] = apiKey },
            DataObject = new
            {
                niche = "education",
                region = "RU-NVS",
                name = "Olga Smirnova",
                phone,
                email = $"olga.{digits}@example.com",
                fields = new { course_type = "languages", format = "online" },
                consent = new { text = "I agree to be contacted about courses.", givenAt = DateTime.UtcNow.AddMinutes(-2), pageUrl = "https://courses.example/form", ip = "203.0.113.9" },
            },
        });
        Assert.True(submitted.Status == 201, $"Lead intake answered {submitted.Status}: {await submitted.TextAsync()}");

        await OpenNavAsync(advertiser, "Leads", "Inbox");
        var bought = advertiser.Locator("table.purchases tbody tr").Filter(new() { HasText = phone });
        await Assertions.Expect(bought).ToHaveCountAsync(1);
        await Assertions.Expect(bought).ToContainTextAsync("Olga Smirnova");
        await Assertions.Expect(bought).ToContainTextAsync("950.00");
        await app.ScreenshotAsync(advertiser, name + "-inbox");

        // The seller's list and offer page count the delivered lead and the subscriber's spend.
        await OpenNavAsync(webmaster, "Leads", "Seller offers");
        var offer = webmaster.Locator("table.my-seller-offers tbody tr").Filter(new() { HasText = title });
        await Assertions.Expect(offer).ToContainTextAsync("1 active");
        await Assertions.Expect(offer).ToContainTextAsync("950.00");
        await offer.GetByRole(AriaRole.Link, new() { Name = title, Exact = true }).ClickAsync();
        await Assertions.Expect(subscriber).ToContainTextAsync("950.00");
        await app.ScreenshotAsync(webmaster, name);
    }
}
