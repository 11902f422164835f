using Microsoft.Playwright;

namespace LeadExchange.BrowserTests;

/// <summary>Steps every journey takes: logging in as a demo user and finding the main menu.</summary>
internal static class BrowserSteps
{
    public const string Password = "Demo!2345";

    public static ILocator MainNav(IPage page) => page.GetByRole(AriaRole.Navigation, new() { Name = "Main" });

    public static async Task LogInAsync(IPage page, string email)
    {
        await page.GotoAsync("/account/login");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(Password);
        // Password hashing on a fresh app under a loaded CI machine can take longer than the usual step timeout.
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in", Exact = true }).ClickAsync(new() { Timeout = 30_000 });
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Log out" })).ToBeVisibleAsync(new() { Timeout = 30_000 });
    }
}
