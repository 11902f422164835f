using Microsoft.Playwright;
using static LeadExchange.BrowserTests.BrowserSteps;

namespace LeadExchange.BrowserTests;

/// <summary>
/// Money pages without Stripe (the embedded default): an admin records a bank transfer, the advertiser
/// sees it in the balance, the statement and the CSV; a webmaster's payout request is validated beside
/// the field; every money page renders for its role.
/// </summary>
public sealed class MoneyJourneyTests(AppServer app) : IClassFixture<AppServer>
{
    [Fact]
    public async Task ManualTopUp_WhenAdminCreditsAdvertiser_BalanceStatementAndCsvShowIt()
    {
        var note = "Bank transfer " + Guid.NewGuid().ToString("N")[..8];

        // What the advertiser has before (the demo starts at 100,000.00 RUB; other tests may add to it).
        var advertiser = await app.NewPageAsync();
        await LogInAsync(advertiser, "advertiser@demo.test");
        await MainNav(advertiser).GetByRole(AriaRole.Link, new() { Name = "Balance" }).ClickAsync();
        var before = ParseMoney(await advertiser.GetByTestId("available-RUB").InnerTextAsync());
        Assert.True(before >= 100_000.00m, $"The demo advertiser starts with 100,000.00 RUB, saw {before}.");

        // The admin records the bank transfer.
        var admin = await app.NewPageAsync();
        await LogInAsync(admin, "admin@demo.test");
        await OpenNavAsync(admin, "Money", "Manual top-up");
        await admin.GetByLabel("Advertiser email").FillAsync("advertiser@demo.test");
        await admin.GetByLabel("Amount").FillAsync("1234.56");
        await admin.GetByLabel("Currency").SelectOptionAsync("RUB");
        await admin.GetByLabel("Note").FillAsync(note);
        await admin.GetByRole(AriaRole.Button, new() { Name = "Record top-up" }).ClickAsync();
        await Assertions.Expect(admin.GetByRole(AriaRole.Status)).ToContainTextAsync("Credited 1,234.56 RUB to advertiser@demo.test.");
        await Assertions.Expect(admin.GetByRole(AriaRole.Row).Filter(new() { HasText = note })).ToContainTextAsync("1,234.56 RUB");
        await app.ScreenshotAsync(admin, "Money_AdminManualTopUp");

        // The advertiser sees the money, the statement line and the CSV line.
        await MainNav(advertiser).GetByRole(AriaRole.Link, new() { Name = "Balance" }).ClickAsync();
        await Assertions.Expect(advertiser.GetByTestId("available-RUB")).ToHaveTextAsync(Money(before + 1_234.56m));
        var line = advertiser.Locator("table.statement tbody tr").Filter(new() { HasText = "Manual top-up by admin: " + note });
        await Assertions.Expect(line).ToHaveCountAsync(1);
        await Assertions.Expect(line).ToContainTextAsync("Top-up");
        await Assertions.Expect(line).ToContainTextAsync("+1,234.56 RUB");
        await Assertions.Expect(advertiser.GetByRole(AriaRole.Note))
            .ToContainTextAsync("Card top-ups are not configured on this installation; ask an administrator to record a bank transfer");
        await app.ScreenshotAsync(advertiser, nameof(ManualTopUp_WhenAdminCreditsAdvertiser_BalanceStatementAndCsvShowIt));

        var download = await advertiser.RunAndWaitForDownloadAsync(
            () => advertiser.GetByRole(AriaRole.Link, new() { Name = "Export CSV" }).ClickAsync());
        Assert.EndsWith(".csv", download.SuggestedFilename);
        var csv = await File.ReadAllTextAsync(await download.PathAsync());
        var lines = csv.Split("\r\n");
        Assert.StartsWith("Date (UTC),Type,Account,Description,Reference,Amount,Currency", lines[0].TrimStart('\uFEFF'));
        Assert.Contains(lines, l => l.Contains($",Top-up,Balance,Manual top-up by admin: {note},", StringComparison.Ordinal)
                                    && l.Contains(",1234.56,RUB,", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RequestPayout_WhenAmountBelowMinimum_ShowsErrorBesideFieldAndRequestsNothing()
    {
        var page = await app.NewPageAsync();
        await LogInAsync(page, "webmaster@demo.test");
        await MainNav(page).GetByRole(AriaRole.Link, new() { Name = "Earnings & payouts" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Minimum payout: 500.00")).ToBeVisibleAsync();

        await page.GetByLabel("Amount").FillAsync("10.00");
        await page.GetByRole(AriaRole.Button, new() { Name = "Request payout" }).ClickAsync();

        var error = page.Locator("[data-valmsg-for='Form.Amount']");
        await Assertions.Expect(error).ToHaveTextAsync("The minimum payout is 500.00 RUB.");
        // Beside the field: in the same form, right under the amount, and the field keeps what was typed.
        var form = page.Locator("form").Filter(new() { Has = page.GetByLabel("Amount") });
        await Assertions.Expect(form.Locator("[data-valmsg-for='Form.Amount']")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByLabel("Amount")).ToHaveValueAsync("10.00");
        await Assertions.Expect(page.GetByLabel("Amount")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("input-validation-error"));
        await Assertions.Expect(page.GetByText("No payouts yet")).ToBeVisibleAsync();
        await app.ScreenshotAsync(page, nameof(RequestPayout_WhenAmountBelowMinimum_ShowsErrorBesideFieldAndRequestsNothing));
    }

    [Fact]
    public async Task SaveSettings_WhenValuesInvalid_ShowsErrorsBesideFieldsAndKeepsSettings()
    {
        var page = await app.NewPageAsync();
        await LogInAsync(page, "admin@demo.test");
        await OpenNavAsync(page, "Money", "Money settings");
        await Assertions.Expect(page.GetByLabel("Platform commission, %")).ToHaveValueAsync("20");

        await page.GetByLabel("Platform commission, %").FillAsync("12.345");
        await page.GetByLabel("Minimum payout").FillAsync("abc");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save settings" }).ClickAsync();

        await Assertions.Expect(page.Locator("[data-valmsg-for='Form.CommissionPercent']")).ToHaveTextAsync("Use at most 2 decimals.");
        await Assertions.Expect(page.Locator("[data-valmsg-for='Form.PayoutMin']")).ToContainTextAsync("Enter a number");
        await app.ScreenshotAsync(page, nameof(SaveSettings_WhenValuesInvalid_ShowsErrorsBesideFieldsAndKeepsSettings));

        await page.GotoAsync("/Admin/Settings");
        await Assertions.Expect(page.GetByLabel("Platform commission, %")).ToHaveValueAsync("20");
        await Assertions.Expect(page.GetByLabel("Minimum payout")).ToHaveValueAsync("500.00");
    }

    [Fact]
    public async Task MoneyPages_WhenEachRoleOpensThem_RenderWithStripeOffNotices()
    {
        var admin = await app.NewPageAsync();
        await LogInAsync(admin, "admin@demo.test");
        await OpenNavAsync(admin, "Money", "Ledger");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Run check" }).ClickAsync();
        await Assertions.Expect(admin.GetByText("✓ Balanced")).ToBeVisibleAsync();
        await Assertions.Expect(admin.Locator("table.statement tbody tr").First).ToBeVisibleAsync();
        await app.ScreenshotAsync(admin, "Money_AdminLedger");
        await OpenNavAsync(admin, "Money", "Payouts");
        await Assertions.Expect(admin.GetByLabel("Status")).ToHaveValueAsync("AwaitingManual");
        await app.ScreenshotAsync(admin, "Money_AdminPayouts");
        await OpenNavAsync(admin, "Money", "Money settings");
        await Assertions.Expect(admin.GetByRole(AriaRole.Note)).ToContainTextAsync("Stripe is not configured");
        await app.ScreenshotAsync(admin, "Money_AdminSettings");

        var advertiser = await app.NewPageAsync();
        await LogInAsync(advertiser, "advertiser@demo.test");
        await Assertions.Expect(advertiser.GetByTestId("dashboard-available")).ToContainTextAsync(" RUB");
        await app.ScreenshotAsync(advertiser, "Money_AdvertiserDashboard");

        var webmaster = await app.NewPageAsync();
        await LogInAsync(webmaster, "webmaster@demo.test");
        await Assertions.Expect(webmaster.GetByTestId("dashboard-available")).ToHaveTextAsync("0.00 RUB");
        await webmaster.GetByTestId("dashboard-available").ClickAsync();
        await Assertions.Expect(webmaster.GetByRole(AriaRole.Heading, new() { Name = "Earnings & payouts" })).ToBeVisibleAsync();
        await Assertions.Expect(webmaster.GetByText("Payouts are paid by bank transfer by the platform.")).ToBeVisibleAsync();
        await app.ScreenshotAsync(webmaster, "Money_WebmasterPayouts");
        await webmaster.GetByRole(AriaRole.Link, new() { Name = "Statement" }).ClickAsync();
        await Assertions.Expect(webmaster.GetByText("No money movements yet")).ToBeVisibleAsync();
        await Assertions.Expect(webmaster.GetByRole(AriaRole.Link, new() { Name = "Export CSV" })).ToBeVisibleAsync();
        await app.ScreenshotAsync(webmaster, "Money_WebmasterStatement");
    }
}
