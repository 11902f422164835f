using System.Net;
using System.Net.Http.Json;
using LeadExchange.Application.Reports;
using LeadExchange.IntegrationTests.Infrastructure;
using LeadExchange.IntegrationTests.Leads;
using LeadExchange.IntegrationTests.Ledger;
using LeadExchange.IntegrationTests.Reports;
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

    /// <summary>Every page a role reaches from the menu, dashboards and reports included, rendered in Russian for the demo accounts.</summary>
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
        { "advertiser", "/Advertiser" }, { "advertiser", "/Advertiser/Reports" }, { "webmaster", "/Webmaster" }, { "webmaster", "/Webmaster/Reports" },
        { "moderator", "/Moderation" }, { "moderator", "/Moderation/Reports" }, { "admin", "/Admin" }, { "admin", "/Moderation/Reports" },
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

    [Fact]
    public async Task ReportPageAndDashboard_WhenUserCultureIsRu_AreRussianThroughout()
    {
        var user = await app.RegisterAsync("webmaster");
        await SetCultureAsync(user, "ru");
        var phone = LeadIntakeTests.NextPhone();
        await (await user.Client.PostJsonAsync("/api/v1/leads", LeadIntakeTests.Body(phone))).ExpectStatusAsync(HttpStatusCode.Created);
        await (await user.Client.PostJsonAsync("/api/v1/leads", LeadIntakeTests.Body(phone))).ExpectStatusAsync(HttpStatusCode.Conflict); // a rejected duplicate
        await app.RefreshReportsAsync();
        using var browser = await SignInAsync(app, user.Email);

        var report = await (await browser.GetAsync("/Webmaster/Reports?groupBy=sub1")).ExpectStatusAsync(HttpStatusCode.OK);
        var byDay = await (await browser.GetAsync("/Webmaster/Reports?preset=last7")).ExpectStatusAsync(HttpStatusCode.OK);
        var tooLong = await (await browser.GetAsync("/Webmaster/Reports?from=2020-01-01&to=2026-05-01")).ExpectStatusAsync(HttpStatusCode.OK);
        var empty = await (await browser.GetAsync("/Webmaster/Reports?niche=credit")).ExpectStatusAsync(HttpStatusCode.OK);
        var dashboard = await (await browser.GetAsync("/Webmaster")).ExpectStatusAsync(HttpStatusCode.OK);

        Assert.Contains("<title>Отчёты · LeadExchange</title>", report);
        Assert.Contains(">Группировка</label>", report);
        Assert.Contains(">Саб-айди 1</option>", report);
        Assert.Contains(">Последние 30 дней</option>", report);
        Assert.Contains(">Клики</a>", report);
        Assert.Contains(">Отклонённые лиды</th>", report);
        Assert.Contains(">Итого</th>", report);
        Assert.Contains("Выгрузить CSV", report);
        Assert.Contains("Клики по дням", byDay);
        Assert.Matches("<desc id=\"chart-clicks-desc\">с [0-9-]+ по [0-9-]+: всего 0, максимум 0</desc>", byDay);
        Assert.Equal($"Отчёт охватывает не больше {ReportGroupings.MaxDays} дней.", ErrorBeside(tooLong, "To"));
        Assert.Contains("За этот период по этим фильтрам ничего нет", empty);
        Assert.Contains(">Сбросить фильтры</a>", empty);
        Assert.Contains("<title>Сводка вебмастера · LeadExchange</title>", dashboard);
        Assert.Contains("Требует вашего внимания", dashboard);
        Assert.Contains("Отклонено лидов за последние 7 дней: 1. Посмотрите почему.", dashboard);
        Assert.Contains("вчера не было", dashboard); // the leads tile: one today, none yesterday
        Assert.Contains("Лучшие за последние 30 дней по доходам", dashboard);
        Assert.Contains("доступно к выплате", dashboard);
        foreach (var english in new[]
                 {
                     "Group by", "Custom dates", "Last 30 days", "Clicks", "Total", "figures up to", "Export CSV", "Nothing matches", "Clear the filters",
                     "A report covers", "Needs your attention", "vs yesterday", "none yesterday", "yesterday ", "Leads bought", "Top of the last",
                     "The 30 days as a table", "Full report", "available to pay out", "lead(s) rejected", "Browse offers", " to 20", "highest",
                 })
            Assert.All(new[] { report, byDay, tooLong, empty, dashboard }, html => Assert.DoesNotContain(english, VisibleText(html)));
        Assert.Contains("aria-label=\"Фильтры отчёта\"", report);
    }

    /// <summary>What a reader sees: the page without its tags (so sort keys in links, like uniqueClicks, do not count as English).</summary>
    private static string VisibleText(string html) => WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Replace(html, "<[^>]*>", " "));

    private static async Task SetCultureAsync(TestUser user, string culture)
    {
        var response = await user.Client.PutAsJsonAsync("/api/v1/profile", new { displayName = "Language test", timeZone = "Europe/Moscow", culture });
        await response.ExpectStatusAsync(HttpStatusCode.OK);
    }
}

public sealed class LanguageTests_Sqlite(SqliteFactory app) : LanguageTests(app), IClassFixture<SqliteFactory>;

public sealed class LanguageTests_PostgreSql(PostgreSqlFactory app) : LanguageTests(app), IClassFixture<PostgreSqlFactory>;
