using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace LeadExchange.BrowserTests;

/// <summary>Steps every journey takes: logging in as a demo user, finding the main menu, API set-up, money text.</summary>
internal static class BrowserSteps
{
    public const string Password = "Demo!2345";

    /// <summary>A desktop Chrome's user agent: a tracking-link visitor with Playwright's "HeadlessChrome" would be flagged as a bot.</summary>
    public const string PersonUserAgent =
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36";

    public static ILocator MainNav(IPage page) => page.GetByRole(AriaRole.Navigation, new() { Name = "Main" });

    /// <summary>
    /// Clicks <paramref name="item"/> in the main menu's <paramref name="dropdown"/> (e.g. "Tracking", "Postback log"):
    /// opens the dropdown first, since its links are hidden (and so not found) until then.
    /// </summary>
    public static async Task OpenNavAsync(IPage page, string dropdown, string item)
    {
        await MainNav(page).GetByRole(AriaRole.Button, new() { Name = dropdown, Exact = true }).ClickAsync();
        await MainNav(page).GetByRole(AriaRole.Link, new() { Name = item, Exact = true }).ClickAsync();
    }

    public static async Task LogInAsync(IPage page, string email)
    {
        await page.GotoAsync("/account/login");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(Password);
        // Password hashing on a fresh app under a loaded CI machine can take longer than the usual step timeout.
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in", Exact = true }).ClickAsync(new() { Timeout = 30_000 });
        // The demo admin and moderator sign in with two factors: the second step shows the demo account's current code.
        var signedIn = MainNav(page).GetByRole(AriaRole.Button, new() { Name = email });
        var secondStep = page.GetByRole(AriaRole.Heading, new() { Name = "Two-factor sign-in", Exact = true });
        await Assertions.Expect(signedIn.Or(secondStep)).ToBeVisibleAsync(new() { Timeout = 30_000 });
        if (await secondStep.IsVisibleAsync()) await EnterDemoCodeAsync(page);
        // Signed in, the navbar's account menu is named after the person ("Account menu of advertiser@demo.test").
        await Assertions.Expect(MainNav(page).GetByRole(AriaRole.Button, new() { Name = email })).ToBeVisibleAsync(new() { Timeout = 30_000 });
    }

    /// <summary>
    /// Types the code the second step shows for a demo account. A code is accepted once, so after a few sign-ins within
    /// half a minute the page shows none until the next 30-second step: reload until it does.
    /// </summary>
    private static async Task EnterDemoCodeAsync(IPage page)
    {
        var hint = page.Locator("[data-demo-code]");
        for (var wait = 0; await hint.CountAsync() == 0; wait++)
        {
            Assert.True(wait < 15, "The two-factor step showed no demo code for a minute.");
            await Task.Delay(5_000);
            await page.ReloadAsync();
        }
        var code = await hint.GetAttributeAsync("data-demo-code");
        await page.GetByLabel("Authentication code").FillAsync(code!);
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify", Exact = true }).ClickAsync();
    }

    /// <summary>Logs out with the account menu's button and waits for the anonymous menu.</summary>
    public static async Task LogOutAsync(IPage page)
    {
        await MainNav(page).GetByRole(AriaRole.Button, new() { Name = "Account menu of" }).ClickAsync();
        await MainNav(page).GetByRole(AriaRole.Button, new() { Name = "Log out", Exact = true }).ClickAsync();
        await Assertions.Expect(MainNav(page).GetByRole(AriaRole.Link, new() { Name = "Log in", Exact = true })).ToBeVisibleAsync();
    }

    /// <summary>
    /// Runs a journey with pages from <c>open</c>. When it fails, every page it opened is saved as a full-page screenshot
    /// (<paramref name="name"/>-failed-N.png in the screenshots folder) and the paths, each page's URL and the end of the
    /// app's log are written to the test output, then the failure goes on. A journey also fails when the browser refused
    /// anything on its pages because of the Content-Security-Policy (an inline style or script).
    /// </summary>
    public static async Task RunJourneyAsync(AppServer app, ITestOutputHelper output, string name, Func<Func<Task<IPage>>, Task> journey)
    {
        var pages = new List<IPage>();
        async Task<IPage> Open()
        {
            var page = await app.NewPageAsync();
            pages.Add(page);
            return page;
        }

        try
        {
            await journey(Open);
            var refused = pages.SelectMany(app.CspViolations).ToList();
            Assert.True(refused.Count == 0, "The browser refused content under the Content-Security-Policy:\n" + string.Join("\n", refused));
        }
        catch
        {
            for (var i = 0; i < pages.Count; i++)
            {
                var path = Path.Combine(app.ScreenshotDir, $"{name}-failed-{i + 1}.png");
                try
                {
                    await pages[i].ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true, Timeout = 10_000 });
                    output.WriteLine($"Failure screenshot of page {i + 1} ({pages[i].Url}): {path}");
                }
                catch (Exception e) when (e is PlaywrightException or TimeoutException)
                {
                    output.WriteLine($"No screenshot of page {i + 1} ({pages[i].Url}): {e.Message}");
                }
            }
            var log = app.Log;
            output.WriteLine("End of the app's log:\n" + log[Math.Max(0, log.Length - 6_000)..]);
            throw;
        }
    }

    /// <summary>Creates an API key on the API keys page and reads it from the one-time notice.</summary>
    public static async Task<string> CreateApiKeyAsync(IPage page, string keyName)
    {
        await page.GotoAsync("/account/apikeys");
        await page.GetByLabel("Key name").FillAsync(keyName);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create key" }).ClickAsync();
        var key = page.Locator("#new-api-key");
        await Assertions.Expect(key).ToBeVisibleAsync();
        return await key.InputValueAsync();
    }

    /// <summary>POSTs JSON with an API key and asserts the status; the answer's JSON.</summary>
    public static async Task<JsonElement> PostJsonAsync(IPage page, string path, string apiKey, object body, int expectedStatus)
    {
        var response = await page.APIRequest.PostAsync(path, new()
        {
            Headers = new Dictionary<string, string> { ["X-Api-Key"] = apiKey },
            DataObject = body,
        });
        var text = await response.TextAsync();
        Assert.True(response.Status == expectedStatus, $"POST {path}: expected {expectedStatus}, got {response.Status}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>A legal-services lead for <c>POST /api/v1/leads</c>; the consent came from <paramref name="ip"/>.</summary>
    public static object LegalLead(string region, string name, string phone, string email, string ip) => new
    {
        niche = "legal",
        region,
        name,
        phone,
        email,
        fields = new { practice_area = "family", description = "Divorce and division of property" },
        consent = new { text = "I agree to be contacted by lawyers.", givenAt = DateTime.UtcNow.AddMinutes(-2), pageUrl = "https://law.example/form", ip },
        formFillSeconds = 45,
    };

    /// <summary>Seven random digits for a phone (and an email) no other lead of the run has.</summary>
    public static string RandomDigits() => Random.Shared.Next(1_000_000, 9_999_999).ToString(CultureInfo.InvariantCulture);

    /// <summary>Reloads until <paramref name="locator"/> has <paramref name="text"/>: for what a background job does (escrow release).</summary>
    public static async Task ReloadUntilTextAsync(IPage page, ILocator locator, string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await locator.CountAsync() > 0 && (await locator.First.InnerTextAsync()).Contains(text, StringComparison.Ordinal)) return;
            await Task.Delay(1_000);
            await page.ReloadAsync();
        }
        await Assertions.Expect(locator.First).ToContainTextAsync(text);
    }

    /// <summary>Clicks <paramref name="link"/>, which downloads a CSV file: its suggested name and its records (header first).</summary>
    public static async Task<(string FileName, List<string[]> Records)> DownloadCsvAsync(IPage page, ILocator link)
    {
        var download = await page.RunAndWaitForDownloadAsync(() => link.ClickAsync());
        return (download.SuggestedFilename, ParseCsv(await File.ReadAllTextAsync(await download.PathAsync())));
    }

    /// <summary>RFC 4180 records (a quoted field may hold commas, quotes and line breaks); a leading byte order mark is dropped.</summary>
    public static List<string[]> ParseCsv(string text)
    {
        var records = new List<string[]>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        text = text.TrimStart('\uFEFF');
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c != '"') field.Append(c);
                else if (i + 1 < text.Length && text[i + 1] == '"') field.Append(text[++i]);
                else quoted = false;
            }
            else if (c == '"') quoted = true;
            else if (c == ',') EndField();
            else if (c is '\r' or '\n')
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n') i++;
                EndRecord();
            }
            else field.Append(c);
        }
        if (field.Length > 0 || fields.Count > 0) EndRecord();
        return records;

        void EndField()
        {
            fields.Add(field.ToString());
            field.Clear();
        }

        void EndRecord()
        {
            EndField();
            records.Add([.. fields]);
            fields.Clear();
        }
    }

    public static decimal ParseMoney(string text) =>
        decimal.Parse(text.Replace(" RUB", "", StringComparison.Ordinal).Replace(",", "", StringComparison.Ordinal).Trim(), CultureInfo.InvariantCulture);

    public static string Money(decimal major) => major.ToString("N2", CultureInfo.InvariantCulture) + " RUB";
}
