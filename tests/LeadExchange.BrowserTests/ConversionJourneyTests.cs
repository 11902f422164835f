using Microsoft.Playwright;
using static LeadExchange.BrowserTests.BrowserSteps;

namespace LeadExchange.BrowserTests;

/// <summary>
/// Conversion tracking pages: the advertiser finds an offer's postback URL and checks it with a test
/// postback; the webmaster sets up the outbound postback, with the error shown beside the field first.
/// </summary>
public sealed class ConversionJourneyTests(AppServer app) : IClassFixture<AppServer>
{
    [Fact]
    public async Task Integration_WhenAdvertiserSendsTestPostback_ShowsOkTestAnswerAndLogsTheCall()
    {
        var page = await app.NewPageAsync();
        await LogInAsync(page, "advertiser@demo.test");
        await MainNav(page).GetByRole(AriaRole.Link, new() { Name = "My offers" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "New-build apartments in Moscow" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Integration & postback URL" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Integration: New-build apartments in Moscow" })).ToBeVisibleAsync();
        var postbackUrl = page.GetByLabel("Postback URL", new() { Exact = true });
        await Assertions.Expect(postbackUrl).ToHaveValueAsync(new System.Text.RegularExpressions.Regex(
            $"^http://127\\.0\\.0\\.1:{app.Port}/postback\\?click_id=\\{{click_id\\}}.*&token=[A-Za-z0-9_-]+$"));
        await Assertions.Expect(page.GetByRole(AriaRole.Rowheader, new() { Name = "click_id" })).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Send test postback" }).ClickAsync();

        var notice = page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Test postback" });
        await Assertions.Expect(notice).ToContainTextAsync("HTTP 200");
        await Assertions.Expect(notice).ToContainTextAsync("\"result\":\"ok\",\"test\":true");
        await app.ScreenshotAsync(page, nameof(Integration_WhenAdvertiserSendsTestPostback_ShowsOkTestAnswerAndLogsTheCall));

        // The call is in the postback log (written in the background within a moment), token redacted.
        await OpenNavAsync(page, "Tracking", "Postback log");
        var testRow = page.Locator("table.postback-log tbody tr").Filter(new() { HasText = "click_id=test" });
        for (var i = 0; i < 20 && await testRow.CountAsync() == 0; i++)
        {
            await Task.Delay(250);
            await page.ReloadAsync();
        }
        await Assertions.Expect(testRow.First).ToContainTextAsync("token=***");
        // Source column: a test from the page is logged as "test", not as a real postback.
        await Assertions.Expect(testRow.First.Locator("td").Nth(1)).ToHaveTextAsync("test");
        await app.ScreenshotAsync(page, nameof(Integration_WhenAdvertiserSendsTestPostback_ShowsOkTestAnswerAndLogsTheCall) + "-log");
    }

    [Fact]
    public async Task WebmasterPostback_WhenTemplateHasUnknownMacro_ShowsErrorBesideFieldThenSavesValidOne()
    {
        var page = await app.NewPageAsync();
        await LogInAsync(page, "webmaster@demo.test");
        await OpenNavAsync(page, "Tracking", "Postback");

        var url = page.GetByLabel("Postback URL");
        await url.FillAsync("https://tracker.example/pb?cid={sub1}&value={revenue}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save postback" }).ClickAsync();

        await Assertions.Expect(page.Locator("[data-valmsg-for='Form.UrlTemplate']")).ToContainTextAsync("Unknown macro: {revenue}");
        // The form keeps what was typed.
        await Assertions.Expect(url).ToHaveValueAsync("https://tracker.example/pb?cid={sub1}&value={revenue}");
        await app.ScreenshotAsync(page, nameof(WebmasterPostback_WhenTemplateHasUnknownMacro_ShowsErrorBesideFieldThenSavesValidOne) + "-error");

        // Macros go in where the cursor is.
        await url.FillAsync("https://tracker.example/pb?cid=");
        await page.GetByRole(AriaRole.Button, new() { Name = "{sub1}", Exact = true }).ClickAsync();
        await url.PressSequentiallyAsync("&payout=");
        await page.GetByRole(AriaRole.Button, new() { Name = "{payout}", Exact = true }).ClickAsync();
        await url.PressSequentiallyAsync("&status=");
        await page.GetByRole(AriaRole.Button, new() { Name = "{status}", Exact = true }).ClickAsync();
        const string template = "https://tracker.example/pb?cid={sub1}&payout={payout}&status={status}";
        await Assertions.Expect(url).ToHaveValueAsync(template);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save postback" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Postback URL saved" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-valmsg-for='Form.UrlTemplate']")).ToBeEmptyAsync();
        await Assertions.Expect(url).ToHaveValueAsync(template);
        await Assertions.Expect(page.GetByLabel("Send postbacks")).ToBeCheckedAsync();
        await app.ScreenshotAsync(page, nameof(WebmasterPostback_WhenTemplateHasUnknownMacro_ShowsErrorBesideFieldThenSavesValidOne));

        await page.GetByRole(AriaRole.Link, new() { Name = "Delivery log" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "No deliveries yet" })).ToBeVisibleAsync();
    }
}
