using System.Globalization;
using System.Text;
using Microsoft.Playwright;
using static LeadExchange.BrowserTests.BrowserSteps;

namespace LeadExchange.BrowserTests;

/// <summary>
/// Disputes end to end: a webmaster's lead (API) is bought by the demo advertiser (API); the advertiser disputes it in the UI
/// with a call log attached; the moderator finds it in the queue, claims it, upholds it with a note and sees the refund;
/// the advertiser's balance has the price back and the dispute shows the moderator's note.
/// </summary>
public sealed class DisputeJourneyTests(AppServer app) : IClassFixture<AppServer>
{
    [Fact]
    public async Task Dispute_WhenBuyerDisputesAndModeratorUpholds_BuyerBalanceShowsTheRefund()
    {
        var digits = Random.Shared.Next(1_000_000, 9_999_999).ToString(CultureInfo.InvariantCulture);
        var comment = "Nobody answers: the number is not in service " + Guid.NewGuid().ToString("N")[..6];

        // Set-up through the API: the webmaster submits a lead, the advertiser buys it.
        var webmaster = await app.NewPageAsync();
        await LogInAsync(webmaster, "webmaster@demo.test");
        var webmasterKey = await CreateApiKeyAsync(webmaster, "dispute journey");
        var leadId = (await PostJsonAsync(webmaster, "/api/v1/leads", webmasterKey, LeadBody("+7 916 " + digits), 201)).GetProperty("leadId").GetString();

        var advertiser = await app.NewPageAsync();
        await LogInAsync(advertiser, "advertiser@demo.test");
        var advertiserKey = await CreateApiKeyAsync(advertiser, "dispute journey");
        var purchase = await PostJsonAsync(advertiser, $"/api/v1/catalog/{leadId}/buy", advertiserKey, new { exclusive = true }, 201);
        var saleId = purchase.GetProperty("saleId").GetString();
        var price = purchase.GetProperty("price").GetInt64() / 100m;

        await MainNav(advertiser).GetByRole(AriaRole.Link, new() { Name = "Balance" }).ClickAsync();
        var before = ParseMoney(await advertiser.GetByTestId("available-RUB").InnerTextAsync());

        // The advertiser disputes the lead from the Disputes page; a missing reason comes back beside its field.
        await OpenNavAsync(advertiser, "Leads", "Disputes");
        var disputable = advertiser.Locator("table.disputable tbody tr").Filter(new() { HasText = digits });
        await Assertions.Expect(disputable).ToHaveCountAsync(1);
        await disputable.GetByRole(AriaRole.Link, new() { Name = "Dispute this lead" }).ClickAsync();
        await Assertions.Expect(advertiser).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/Advertiser/Disputes/Open/{saleId}$",
            System.Text.RegularExpressions.RegexOptions.IgnoreCase));
        await Assertions.Expect(advertiser.GetByTestId("dispute-until")).ToContainTextAsync("UTC");

        await advertiser.GetByLabel("What is wrong with the lead").FillAsync(comment);
        await advertiser.GetByRole(AriaRole.Button, new() { Name = "Open dispute" }).ClickAsync();
        await Assertions.Expect(advertiser.Locator("form [data-valmsg-for='Form.Reason']")).ToHaveTextAsync("Choose a reason from the list.");
        await Assertions.Expect(advertiser.GetByLabel("What is wrong with the lead")).ToHaveValueAsync(comment);

        await advertiser.GetByLabel("Reason", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Invalid phone number" });
        await advertiser.GetByLabel("Evidence (optional)").SetInputFilesAsync(new FilePayload
        {
            Name = "call-log.txt", MimeType = "text/plain", Buffer = Encoding.UTF8.GetBytes("10:02 called, 'number not in service'\n10:30 again, same\n"),
        });
        await app.ScreenshotAsync(advertiser, nameof(Dispute_WhenBuyerDisputesAndModeratorUpholds_BuyerBalanceShowsTheRefund) + "-form");
        await advertiser.GetByRole(AriaRole.Button, new() { Name = "Open dispute" }).ClickAsync();
        await Assertions.Expect(advertiser.GetByRole(AriaRole.Status)).ToContainTextAsync("Dispute opened.");
        var mine = advertiser.Locator("table.my-disputes tbody tr").Filter(new() { HasText = comment });
        await Assertions.Expect(mine).ToContainTextAsync("Open");
        await Assertions.Expect(mine).ToContainTextAsync("Waiting for a moderator");
        await Assertions.Expect(advertiser.Locator("table.disputable tbody tr").Filter(new() { HasText = digits })).ToHaveCountAsync(0);

        // The moderator finds it in the queue, claims it and upholds it; a decision without a note is refused beside the note.
        var moderator = await app.NewPageAsync();
        await LogInAsync(moderator, "moderator@demo.test");
        await MainNav(moderator).GetByRole(AriaRole.Link, new() { Name = "Disputes" }).ClickAsync();
        var queued = moderator.Locator("table.disputes tbody tr").Filter(new() { HasText = comment });
        await Assertions.Expect(queued).ToContainTextAsync("Invalid phone number");
        await Assertions.Expect(queued).ToContainTextAsync(Money(price));
        await app.ScreenshotAsync(moderator, nameof(Dispute_WhenBuyerDisputesAndModeratorUpholds_BuyerBalanceShowsTheRefund) + "-queue");
        await queued.GetByRole(AriaRole.Link, new() { Name = "Review" }).ClickAsync();

        await Assertions.Expect(moderator.GetByRole(AriaRole.Heading, new() { Name = "Dispute: Invalid phone number" })).ToBeVisibleAsync();
        await Assertions.Expect(moderator.Locator("ul.evidence").GetByRole(AriaRole.Link, new() { Name = "call-log.txt" })).ToBeVisibleAsync();
        await Assertions.Expect(moderator.Locator("table.score-breakdown")).ToBeVisibleAsync();
        await moderator.GetByRole(AriaRole.Button, new() { Name = "Claim" }).ClickAsync();
        await Assertions.Expect(moderator.GetByRole(AriaRole.Status)).ToContainTextAsync("Claimed until");
        await Assertions.Expect(moderator.GetByRole(AriaRole.Button, new() { Name = "Release" })).ToBeVisibleAsync();

        await moderator.GetByLabel("Uphold", new() { Exact = false }).CheckAsync();
        await moderator.GetByRole(AriaRole.Button, new() { Name = "Record decision" }).ClickAsync();
        await Assertions.Expect(moderator.Locator("form [data-valmsg-for='Form.Note']")).ToContainTextAsync("A note is required");
        await Assertions.Expect(moderator.GetByLabel("Uphold", new() { Exact = false })).ToBeCheckedAsync();

        await moderator.GetByLabel("Note (both parties see it)").FillAsync("The call log shows the number is not in service.");
        await moderator.GetByRole(AriaRole.Button, new() { Name = "Record decision" }).ClickAsync();
        await Assertions.Expect(moderator.GetByRole(AriaRole.Status)).ToContainTextAsync($"Upheld: refunded to the buyer from escrow {Money(price)}");
        var moved = moderator.Locator("dl.dispute-money");
        await Assertions.Expect(moved).ToContainTextAsync("Refunded to the buyer from escrow");
        await Assertions.Expect(moved).ToContainTextAsync(Money(price));
        await Assertions.Expect(moderator.Locator(".timeline")).ToContainTextAsync("Upheld: The call log shows the number is not in service.");
        await app.ScreenshotAsync(moderator, nameof(Dispute_WhenBuyerDisputesAndModeratorUpholds_BuyerBalanceShowsTheRefund) + "-case");

        // The buyer has the price back and reads the moderator's note.
        await MainNav(advertiser).GetByRole(AriaRole.Link, new() { Name = "Balance" }).ClickAsync();
        await Assertions.Expect(advertiser.GetByTestId("available-RUB")).ToHaveTextAsync(Money(before + price));
        await app.ScreenshotAsync(advertiser, nameof(Dispute_WhenBuyerDisputesAndModeratorUpholds_BuyerBalanceShowsTheRefund) + "-balance");
        await OpenNavAsync(advertiser, "Leads", "Disputes");
        await Assertions.Expect(mine).ToContainTextAsync("Upheld");
        await Assertions.Expect(mine).ToContainTextAsync("The call log shows the number is not in service.");
        await app.ScreenshotAsync(advertiser, nameof(Dispute_WhenBuyerDisputesAndModeratorUpholds_BuyerBalanceShowsTheRefund));

        // The seller sees the dispute about their lead, without the buyer.
        await OpenNavAsync(webmaster, "Leads", "Disputes");
        var theirs = webmaster.Locator("table.my-disputes tbody tr").Filter(new() { HasText = comment });
        await Assertions.Expect(theirs).ToContainTextAsync("Upheld");
        await Assertions.Expect(theirs).ToContainTextAsync("The call log shows the number is not in service.");
        await app.ScreenshotAsync(webmaster, nameof(Dispute_WhenBuyerDisputesAndModeratorUpholds_BuyerBalanceShowsTheRefund) + "-seller");
    }

    private static object LeadBody(string phone) => new
    {
        niche = "real-estate",
        region = "RU-MOW",
        name = "Ivan Petrov",
        phone,
        fields = new Dictionary<string, object> { ["deal_type"] = "buy", ["rooms"] = 2, ["budget"] = 12_000_000, ["timeframe"] = "now" },
        consent = new
        {
            text = "I agree to be contacted.", givenAt = DateTime.UtcNow.AddMinutes(-2).ToString("O"), pageUrl = "https://landing.example/flat",
            ip = "203.0.113." + Random.Shared.Next(1, 250).ToString(CultureInfo.InvariantCulture),
        },
        sub1 = "browser-dispute",
        formFillSeconds = 41,
    };
}
