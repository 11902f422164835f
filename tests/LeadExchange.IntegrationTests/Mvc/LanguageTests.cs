using System.Net;
using System.Net.Http.Json;
using LeadExchange.IntegrationTests.Infrastructure;
using LeadExchange.IntegrationTests.Ledger;
using static LeadExchange.IntegrationTests.LeadForms.LeadFormHarness;

namespace LeadExchange.IntegrationTests.Mvc;

/// <summary>
/// The UI languages: English by default, Russian from the signed-in person's profile or the switcher's cookie,
/// the switcher's POST (antiforgery, local redirects only), and the machine-read outputs that must not change.
/// </summary>
public abstract class LanguageTests(LeadExchangeFactory app)
{
    private const string RussianCookie = "lx.culture=c%3Dru%7Cuic%3Dru";

    [Fact]
    public async Task HomePage_WhenNoLanguageChosen_IsEnglish()
    {
        using var browser = app.CreateAnonymousClient();

        var html = await (await browser.GetAsync("/")).ExpectStatusAsync(HttpStatusCode.OK);

        Assert.Contains("<html lang=\"en\">", html);
        Assert.Contains("Leads by niche and region, paid by result", html);
        Assert.Contains(">Log in</a>", html);
    }

    [Fact]
    public async Task Pages_WhenUserCultureIsRu_AreRussian()
    {
        var user = await app.RegisterAsync("webmaster");
        await SetCultureAsync(user, "ru");
        using var browser = await SignInAsync(app, user.Email);

        var html = await (await browser.GetAsync("/account/profile")).ExpectStatusAsync(HttpStatusCode.OK);

        Assert.Contains("<html lang=\"ru\">", html);
        Assert.Contains("Каталог офферов", html); // nav item "Offer catalog"
        Assert.Contains("Доходы и выплаты", html); // nav item "Earnings & payouts"
        Assert.Contains("Выйти", html);
        Assert.Contains("Отображаемое имя", html); // the form's [Display] name, through DataAnnotations localization
        Assert.DoesNotContain(">Log out</button>", html);
    }

    [Fact]
    public async Task LanguageSwitch_WhenSignedInUserChoosesRu_ChangesTheNextPageAndSavesTheProfile()
    {
        var user = await app.RegisterAsync("advertiser");
        using var browser = await SignInAsync(app, user.Email);
        var (before, token) = await PageAsync(browser, "/account/apikeys");
        Assert.Contains("<html lang=\"en\">", before);

        var response = await browser.PostAsync("/ui/language",
            Form(("culture", "ru"), ("returnUrl", "/account/apikeys"), ("__RequestVerificationToken", token)));

        await response.ExpectStatusAsync(HttpStatusCode.Redirect);
        Assert.Equal("/account/apikeys", response.Headers.Location?.OriginalString);
        var after = await (await browser.GetAsync("/account/apikeys")).ExpectStatusAsync(HttpStatusCode.OK);
        Assert.Contains("<html lang=\"ru\">", after);
        Assert.Contains("Создать ключ", after);
        var profile = await (await user.Client.GetAsync("/api/v1/profile")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal("ru", profile.GetProperty("culture").GetString());
    }

    [Fact]
    public async Task LanguageSwitch_WhenPostedWithoutAntiforgeryToken_Returns400()
    {
        using var browser = app.CreateAnonymousClient();

        var response = await browser.PostAsync("/ui/language", Form(("culture", "ru"), ("returnUrl", "/")));

        await response.ExpectStatusAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task LanguageSwitch_WhenAnonymousChoosesRu_SetsTheCookieAndPagesFollowIt()
    {
        using var browser = app.CreateAnonymousClient();
        var (_, token) = await PageAsync(browser, "/account/login");

        var response = await browser.PostAsync("/ui/language",
            Form(("culture", "ru"), ("returnUrl", "/account/login?returnUrl=%2Faccount%2Fprofile"), ("__RequestVerificationToken", token)));

        await response.ExpectStatusAsync(HttpStatusCode.Redirect);
        Assert.Equal("/account/login?returnUrl=%2Faccount%2Fprofile", response.Headers.Location?.OriginalString);
        Assert.Contains(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith(RussianCookie, StringComparison.Ordinal));
        var html = await (await browser.GetAsync("/account/login")).ExpectStatusAsync(HttpStatusCode.OK);
        Assert.Contains("<html lang=\"ru\">", html);
        Assert.Contains("Ещё нет учётной записи?", html);

        // And back to English.
        var (_, again) = await PageAsync(browser, "/");
        await browser.PostAsync("/ui/language", Form(("culture", "en"), ("returnUrl", "/"), ("__RequestVerificationToken", again)));
        Assert.Contains("<html lang=\"en\">", await (await browser.GetAsync("/")).ExpectStatusAsync(HttpStatusCode.OK));
    }

    [Fact]
    public async Task HostedLeadForm_WhenLinkSaysLangRu_IsRussianAndKeepsTheLanguageThroughItsPost()
    {
        var (_, code) = await NewFormAsync(app);
        using var visitor = app.CreateAnonymousClient();

        var english = await (await visitor.GetAsync($"/f/{code}")).ExpectStatusAsync(HttpStatusCode.OK);
        var russian = await (await visitor.GetAsync($"/f/{code}?lang=ru")).ExpectStatusAsync(HttpStatusCode.OK);

        Assert.Contains("Send request", english);
        Assert.Contains("<html lang=\"ru\">", russian);
        Assert.Contains("Отправить заявку", russian);
        Assert.Contains($"action=\"/f/{code}?lang=ru\"", russian);
    }

    [Theory]
    [InlineData("https://evil.example/phish")]
    [InlineData("//evil.example/phish")]
    [InlineData("/\\evil.example")]
    public async Task LanguageSwitch_WhenReturnUrlIsNotLocal_RedirectsToTheHomePage(string returnUrl)
    {
        using var browser = app.CreateAnonymousClient();
        var (_, token) = await PageAsync(browser, "/");

        var response = await browser.PostAsync("/ui/language",
            Form(("culture", "ru"), ("returnUrl", returnUrl), ("__RequestVerificationToken", token)));

        await response.ExpectStatusAsync(HttpStatusCode.Redirect);
        Assert.Equal("/", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task CsvExportAndApi_WhenUiCultureIsRu_AreTheSameAsInEnglish()
    {
        var user = await app.RegisterAsync("advertiser");
        await LedgerHarness.TopUpAsync(app, user.Email, 123_456_78);
        using var browser = await SignInAsync(app, user.Email);

        var csvEnglish = await (await browser.GetAsync("/Advertiser/Balance/Csv")).ExpectStatusAsync(HttpStatusCode.OK);
        var pageEnglish = await (await browser.GetAsync("/Advertiser/Balance")).ExpectStatusAsync(HttpStatusCode.OK);
        var apiEnglish = await (await user.Client.GetAsync("/api/v1/ledger")).ExpectStatusAsync(HttpStatusCode.OK);
        await SetCultureAsync(user, "ru");
        var (_, token) = await PageAsync(browser, "/account/profile");
        await (await browser.PostAsync("/ui/language", Form(("culture", "ru"), ("returnUrl", "/"), ("__RequestVerificationToken", token))))
            .ExpectStatusAsync(HttpStatusCode.Redirect);
        var csvRussian = await (await browser.GetAsync("/Advertiser/Balance/Csv")).ExpectStatusAsync(HttpStatusCode.OK);
        var pageRussian = await (await browser.GetAsync("/Advertiser/Balance")).ExpectStatusAsync(HttpStatusCode.OK);
        using var apiRequest = new HttpRequestMessage(HttpMethod.Get, "/api/v1/ledger");
        apiRequest.Headers.Add("Cookie", RussianCookie);
        var apiRussian = await (await user.Client.SendAsync(apiRequest)).ExpectStatusAsync(HttpStatusCode.OK);

        Assert.Contains("123456.78", csvEnglish);
        Assert.Equal(csvEnglish, csvRussian);
        Assert.Equal(apiEnglish, apiRussian);
        // The page itself does follow the language: "123,456.78 RUB" in English, "123 456,78 ₽" in Russian.
        Assert.Contains("123,456.78", pageEnglish);
        // Russian groups digits with a no-break space (U+00A0 or U+202F, by ICU version), which Razor writes as an entity.
        Assert.Matches("123[\u00a0\u202f]456,78", WebUtility.HtmlDecode(pageRussian));
        Assert.Contains("₽", pageRussian);
    }

    [Fact]
    public async Task ApiProblem_WhenCallerHasTheRussianCookie_StaysEnglish()
    {
        var user = await app.RegisterAsync("webmaster");
        using var request = new HttpRequestMessage(HttpMethod.Put, "/api/v1/profile")
        {
            Content = JsonContent.Create(new { displayName = "", timeZone = "UTC", culture = "ru" }),
        };
        request.Headers.Add("Cookie", RussianCookie);

        var errors = await (await user.Client.SendAsync(request)).ExpectValidationErrorsAsync();

        Assert.Contains(errors, e => e.Key.Equals("displayName", StringComparison.OrdinalIgnoreCase));
        Assert.All(errors.Values.SelectMany(v => v), m => Assert.DoesNotMatch("[А-Яа-я]", m));
    }

    /// <summary>Every page a role reaches from the menu (dashboards aside), rendered in Russian for the demo accounts.</summary>
    public static TheoryData<string, string> RussianPages() => new()
    {
        { "advertiser", "/Advertiser/Balance" }, { "advertiser", "/Advertiser/Conversions" }, { "advertiser", "/Advertiser/Disputes" },
        { "advertiser", "/Advertiser/Forecast" }, { "advertiser", "/Advertiser/LeadCatalog" }, { "advertiser", "/Advertiser/LeadOrders" },
        { "advertiser", "/Advertiser/LeadOrders/Create" }, { "advertiser", "/Advertiser/Offers" }, { "advertiser", "/Advertiser/Offers/Create" },
        { "advertiser", "/Advertiser/Participations" }, { "advertiser", "/Advertiser/Postback" }, { "advertiser", "/Advertiser/Postback/Settings" },
        { "advertiser", "/Advertiser/Purchases" }, { "advertiser", "/Advertiser/SellerOffers" }, { "advertiser", "/Advertiser/Webhook" },
        { "advertiser", "/Advertiser/Webhook/Deliveries" }, { "advertiser", "/Prices" }, { "advertiser", "/Notifications" },
        { "webmaster", "/Webmaster/Conversions" }, { "webmaster", "/Webmaster/Disputes" }, { "webmaster", "/Webmaster/LeadApi" },
        { "webmaster", "/Webmaster/LeadForms" },
        { "webmaster", "/Webmaster/Leads" }, { "webmaster", "/Webmaster/Links" }, { "webmaster", "/Webmaster/Offers" },
        { "webmaster", "/Webmaster/Payouts" }, { "webmaster", "/Webmaster/Payouts/Statement" }, { "webmaster", "/Webmaster/Postback" },
        { "webmaster", "/Webmaster/Postback/Deliveries" }, { "webmaster", "/Webmaster/SellerOffers" }, { "webmaster", "/Webmaster/SellerOffers/Create" },
        { "moderator", "/Moderation/Disputes" },
        { "admin", "/Admin/Blocklist" }, { "admin", "/Admin/Ledger" }, { "admin", "/Admin/Niches" }, { "admin", "/Admin/Niches/Create" },
        { "admin", "/Admin/Payouts" }, { "admin", "/Admin/Pricing" }, { "admin", "/Admin/Pricing/Geo" }, { "admin", "/Admin/Pricing/Changes" },
        { "admin", "/Admin/Regions" }, { "admin", "/Admin/Regions/Create" }, { "admin", "/Admin/Settings" }, { "admin", "/Admin/TopUps" },
        { "admin", "/Admin/Users" },
    };

    [Theory]
    [MemberData(nameof(RussianPages))]
    public async Task AreaPage_WhenUserCultureIsRu_RendersInRussian(string role, string url)
    {
        var demo = await app.DemoClientAsync(role);
        var profile = await (await demo.GetAsync("/api/v1/profile")).ExpectJsonAsync(HttpStatusCode.OK);
        await (await demo.PutAsJsonAsync("/api/v1/profile", new { displayName = profile.GetProperty("displayName").GetString(), timeZone = "Europe/Moscow", culture = "ru" }))
            .ExpectStatusAsync(HttpStatusCode.OK);
        using var browser = await SignInAsync(app, $"{role}@demo.test", LeadExchangeFactory.DemoPassword);

        var html = await (await browser.GetAsync(url)).ExpectStatusAsync(HttpStatusCode.OK);

        Assert.Contains("<html lang=\"ru\">", html);
        Assert.Contains("Выйти", html);
        // The page's own heading or title is translated too, not only the menu.
        Assert.Matches("<title>[^<]*[А-Яа-яЁё][^<]*</title>", html);
    }

    private static async Task SetCultureAsync(TestUser user, string culture)
    {
        var response = await user.Client.PutAsJsonAsync("/api/v1/profile", new { displayName = "Language test", timeZone = "Europe/Moscow", culture });
        await response.ExpectStatusAsync(HttpStatusCode.OK);
    }
}

public sealed class LanguageTests_Sqlite(SqliteFactory app) : LanguageTests(app), IClassFixture<SqliteFactory>;

public sealed class LanguageTests_PostgreSql(PostgreSqlFactory app) : LanguageTests(app), IClassFixture<PostgreSqlFactory>;
