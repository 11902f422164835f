using Microsoft.Playwright;
using Xunit.Abstractions;
using static LeadExchange.BrowserTests.BrowserSteps;

namespace LeadExchange.BrowserTests;

/// <summary>
/// The admin's pricing day: a quote for a hot legal lead in Moscow, then the legal niche's hot multiplier raised from 1.5 to 2.0
/// on Admin > Pricing, and the same quote again: the price rose by 2.0 / 1.5 and the breakdown names the new factor. The
/// seeded Moscow legal price (250 RUB x 2.4) stays well inside its floor and ceiling, so the ratio is not clamped.
/// </summary>
public sealed class AdminJourneyTests(AppServer app, ITestOutputHelper output) : IClassFixture<AppServer>
{
    [Fact]
    public Task AdminJourney_WhenHotMultiplierIsRaised_TheQuoteForAHotLeadRisesByTheSameRatio() =>
        RunJourneyAsync(app, output, nameof(AdminJourney_WhenHotMultiplierIsRaised_TheQuoteForAHotLeadRisesByTheSameRatio), async open =>
        {
            const string name = "AdminJourney";
            var admin = await open();
            await LogInAsync(admin, "admin@demo.test");

            // 1. Today's quote.
            var before = await QuoteAsync(admin);
            var breakdown = admin.GetByRole(AriaRole.Table).Filter(new() { HasText = "How the price is made up" });
            await Assertions.Expect(breakdown.GetByRole(AriaRole.Row).Filter(new() { HasText = "× temperature (hot)" })).ToContainTextAsync("1.5");
            await app.ScreenshotAsync(admin, name + "-1-quote-before");

            // 2. Admin > Pricing > Legal services: the hot multiplier from 1.5 to 2.0.
            await admin.GotoAsync("/Admin/Pricing");
            await admin.GetByRole(AriaRole.Link, new() { Name = "Legal services", Exact = true }).ClickAsync();
            await Assertions.Expect(admin.GetByRole(AriaRole.Heading, new() { Name = "Legal services", Exact = true })).ToBeVisibleAsync();
            var hot = admin.GetByLabel("Hot", new() { Exact = true });
            await Assertions.Expect(hot).ToHaveValueAsync("1.5");
            await hot.FillAsync("2.0");
            await admin.GetByRole(AriaRole.Button, new() { Name = "Save multipliers" }).ClickAsync();
            await Assertions.Expect(admin.GetByRole(AriaRole.Status)).ToContainTextAsync("Temperature multipliers saved.");
            await Assertions.Expect(admin.GetByLabel("Hot", new() { Exact = true })).ToHaveValueAsync("2.0");
            await app.ScreenshotAsync(admin, name + "-2-pricing");

            // The pricing overview shows it.
            await admin.GotoAsync("/Admin/Pricing");
            var legal = admin.Locator("table tbody tr").Filter(new() { Has = admin.GetByRole(AriaRole.Link, new() { Name = "Legal services", Exact = true }) });
            await Assertions.Expect(legal).ToContainTextAsync("2.0 / 1.0 / 0.6");

            // 3. The same quote again, from the pricing page's "Quote a price".
            await admin.GetByRole(AriaRole.Link, new() { Name = "Quote a price" }).ClickAsync();
            var after = await QuoteAsync(admin);
            await Assertions.Expect(breakdown.GetByRole(AriaRole.Row).Filter(new() { HasText = "× temperature (hot)" })).ToContainTextAsync("2.0");
            Assert.True(after > before, $"The quote should rise: {before} then {after}.");
            // Each price is rounded to the kopeck, so the ratio holds to a kopeck.
            Assert.InRange(after, decimal.Round(before * 2.0m / 1.5m, 2) - 0.02m, decimal.Round(before * 2.0m / 1.5m, 2) + 0.02m);
            await app.ScreenshotAsync(admin, name + "-3-quote-after");
        });

    /// <summary>Quotes a hot legal lead in Moscow for this month on the price quote page; the price shown.</summary>
    private static async Task<decimal> QuoteAsync(IPage page)
    {
        if (!page.Url.Contains("/prices", StringComparison.OrdinalIgnoreCase)) await page.GotoAsync("/prices");
        await page.GetByLabel("Niche").SelectOptionAsync("legal");
        await page.GetByLabel("Region").SelectOptionAsync("RU-MOW");
        await page.GetByLabel("Lead temperature").SelectOptionAsync("hot");
        await page.GetByRole(AriaRole.Button, new() { Name = "Quote", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Legal services" })).ToContainTextAsync("Moscow");
        return ParseMoney(await page.GetByTestId("quote-price").InnerTextAsync());
    }
}
