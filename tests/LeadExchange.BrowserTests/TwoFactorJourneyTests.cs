using LeadExchange.Infrastructure.Identity;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static LeadExchange.BrowserTests.BrowserSteps;

namespace LeadExchange.BrowserTests;

/// <summary>
/// Two-factor sign-in as a person sets it up: Account menu, Two-factor sign-in, the QR code and the key, the app's code
/// (computed here from the key, as an authenticator app does), the recovery codes shown once; then signing in again asks
/// for a code. The demo advertiser of this class's own app is used, so no other journey meets the change.
/// </summary>
public sealed class TwoFactorJourneyTests(AppServer app, ITestOutputHelper output) : IClassFixture<AppServer>
{
    [Fact]
    public Task TwoFactorJourney_WhenAnAdvertiserTurnsItOn_TheNextSignInAsksForTheAppsCode() =>
        RunJourneyAsync(app, output, nameof(TwoFactorJourney_WhenAnAdvertiserTurnsItOn_TheNextSignInAsksForTheAppsCode), async open =>
        {
            const string email = "advertiser@demo.test";
            var page = await open();
            await LogInAsync(page, email);

            await MainNav(page).GetByRole(AriaRole.Button, new() { Name = "Account menu of" }).ClickAsync();
            await MainNav(page).GetByRole(AriaRole.Link, new() { Name = "Two-factor sign-in", Exact = true }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Two-factor sign-in", Exact = true })).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Img, new() { Name = "QR code with the two-factor secret" })).ToBeVisibleAsync();
            var key = (await page.GetByLabel("Authenticator key").InputValueAsync()).Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
            var step = Totp.StepAt(DateTimeOffset.UtcNow);
            await page.GetByLabel("Then type the six-digit code the app shows").FillAsync(Totp.Code(key, step));
            await page.GetByRole(AriaRole.Button, new() { Name = "Turn two-factor sign-in on" }).ClickAsync();

            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Recovery codes", Exact = true })).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.List, new() { Name = "Recovery codes" }).GetByRole(AriaRole.Listitem)).ToHaveCountAsync(10);
            await app.ScreenshotAsync(page, "TwoFactorJourney-1-recovery-codes");
            await page.GetByRole(AriaRole.Link, new() { Name = "Done" }).ClickAsync();
            await Assertions.Expect(page.GetByText("Two-factor sign-in is on.")).ToBeVisibleAsync();

            await LogOutAsync(page);
            await page.GotoAsync("/account/login");
            await page.GetByLabel("Email").FillAsync(email);
            await page.GetByLabel("Password").FillAsync(Password);
            await page.GetByRole(AriaRole.Button, new() { Name = "Log in", Exact = true }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Two-factor sign-in", Exact = true })).ToBeVisibleAsync();
            // The code used to turn it on is spent: the app's next one (a later 30-second step) signs in.
            await page.GetByLabel("Authentication code").FillAsync(Totp.Code(key, step + 1));
            await page.GetByRole(AriaRole.Button, new() { Name = "Verify", Exact = true }).ClickAsync();
            await Assertions.Expect(MainNav(page).GetByRole(AriaRole.Button, new() { Name = email })).ToBeVisibleAsync();
        });
}
