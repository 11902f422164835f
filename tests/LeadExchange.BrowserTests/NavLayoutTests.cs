using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static LeadExchange.BrowserTests.BrowserSteps;

namespace LeadExchange.BrowserTests;

/// <summary>
/// The main menu fits the window. Signed in as each role, in English and in Russian, at the desktop widths from 1200 px
/// (below it the menu collapses behind the toggler) up, every top-level element of the navbar lies inside the viewport and
/// the navbar's container, all on one row, and the account menu opens with its Log out inside the viewport.
/// At 1280 px the advertiser's and webmaster's Log out button used to be pushed out of the window.
/// </summary>
public sealed class NavLayoutTests(AppServer app, ITestOutputHelper output) : IClassFixture<AppServer>
{
    private static readonly int[] Widths = [1200, 1280, 1400, 1920];

    /// <summary>(switcher button's name, the account menu's Log out in that language)</summary>
    private static readonly (string Language, string LogOut)[] Languages = [("English", "Log out"), ("Русский", "Выйти")];

    /// <summary>A one-line nav link is 40 px high (24 px line, 8 px padding above and below); the brand is as high.</summary>
    private const double OneLineHeight = 44;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The main menu in either language (its accessible name is translated too).</summary>
    private static ILocator Nav(IPage page) => page.GetByRole(AriaRole.Navigation, new() { NameRegex = new Regex("^(Main|Главное меню)$") });

    [Theory]
    [InlineData("advertiser")]
    [InlineData("webmaster")]
    [InlineData("moderator")]
    [InlineData("admin")]
    public Task MainNav_WhenSignedInAtDesktopWidths_FitsOneRowInsideTheViewport(string role) =>
        RunJourneyAsync(app, output, "NavLayout-" + role, async open =>
        {
            var email = role + "@demo.test";
            var page = await open();
            await LogInAsync(page, email);
            foreach (var (language, logOut) in Languages)
            {
                await SwitchLanguageAsync(page, language);
                foreach (var width in Widths)
                {
                    await page.SetViewportSizeAsync(width, 800);
                    var where = $"{role}, {language}, {width}x800";
                    var layout = JsonSerializer.Deserialize<NavLayout>(await page.EvaluateAsync<string>(MeasureScript), Json)!;
                    output.WriteLine($"{where}: navbar {layout.NavHeight:0} px high; " +
                                     string.Join(" | ", layout.Items.Select(i => $"{i.Text} {i.Left:0}-{i.Right:0}")));

                    Assert.False(layout.Collapsed, $"{where}: the menu is collapsed behind the toggler.");
                    var brand = layout.Items[0];
                    foreach (var item in layout.Items)
                    {
                        var at = $"{where}: \"{item.Text}\" at {item.Left:0}-{item.Right:0} px, {item.Top:0}-{item.Bottom:0} px";
                        Assert.True(item.Right > item.Left, $"{at} is not shown.");
                        Assert.True(item.Left >= 0 && item.Right <= layout.ViewportWidth, $"{at} is outside the viewport (0-{layout.ViewportWidth:0} px).");
                        Assert.True(item.Left >= layout.ContainerLeft - 0.5 && item.Right <= layout.ContainerRight + 0.5,
                            $"{at} overflows the navbar's container ({layout.ContainerLeft:0}-{layout.ContainerRight:0} px).");
                        Assert.True(item.Bottom - item.Top <= OneLineHeight, $"{at} wraps onto a second line.");
                        Assert.True(Math.Abs((item.Top + item.Bottom) / 2 - (brand.Top + brand.Bottom) / 2) <= 4, $"{at} is not on the brand's row.");
                    }
                    Assert.True(layout.NavHeight < 2 * (brand.Bottom - brand.Top), $"{where}: the navbar is {layout.NavHeight:0} px high, more than one row.");

                    // What used to be cut off: Log out, now in the account menu, opens inside the window.
                    var account = Nav(page).GetByRole(AriaRole.Button, new() { Name = email });
                    await account.ClickAsync();
                    var button = Nav(page).GetByRole(AriaRole.Button, new() { Name = logOut, Exact = true });
                    await Assertions.Expect(button).ToBeVisibleAsync();
                    var box = (await button.BoundingBoxAsync())!;
                    Assert.True(box.X >= 0 && box.X + box.Width <= width && box.Y + box.Height <= 800,
                        $"{where}: {logOut} at {box.X:0}-{box.X + box.Width:0} px, {box.Y:0}-{box.Y + box.Height:0} px is outside the viewport.");
                    await account.ClickAsync();
                    await Assertions.Expect(button).ToBeHiddenAsync();
                }
            }
            // The switcher saved the language in the demo account's profile: back to English for whoever logs in next.
            await SwitchLanguageAsync(page, "English");
        });

    private static async Task SwitchLanguageAsync(IPage page, string language)
    {
        await page.SetViewportSizeAsync(1280, 800);
        await Nav(page).GetByRole(AriaRole.Button, new() { Name = language, Exact = true }).ClickAsync();
        await Assertions.Expect(Nav(page).GetByRole(AriaRole.Button, new() { Name = language, Exact = true })).ToHaveAttributeAsync("aria-pressed", "true");
    }

    /// <summary>Boxes of the navbar's top-level elements (the brand, then each item of its lists), as JSON.</summary>
    private const string MeasureScript = """
        () => {
            const nav = document.querySelector('nav.navbar');
            const container = nav.querySelector('.container');
            const style = getComputedStyle(container);
            const outer = container.getBoundingClientRect();
            const name = e => e.innerText.replace(/\s+/g, ' ').trim() || e.querySelector('[aria-label]')?.getAttribute('aria-label') || e.tagName;
            return JSON.stringify({
                viewportWidth: document.documentElement.clientWidth,
                collapsed: getComputedStyle(nav.querySelector('.navbar-toggler')).display !== 'none',
                navHeight: nav.getBoundingClientRect().height,
                containerLeft: outer.left + parseFloat(style.paddingLeft),
                containerRight: outer.right - parseFloat(style.paddingRight),
                items: [...nav.querySelectorAll('.navbar-brand, #main-nav > ul > li')].map(e => {
                    const r = e.getBoundingClientRect();
                    return { text: name(e), left: r.left, right: r.right, top: r.top, bottom: r.bottom };
                }),
            });
        }
        """;

    private sealed record NavLayout(double ViewportWidth, bool Collapsed, double NavHeight, double ContainerLeft, double ContainerRight, NavItemBox[] Items);

    private sealed record NavItemBox(string Text, double Left, double Right, double Top, double Bottom);
}
