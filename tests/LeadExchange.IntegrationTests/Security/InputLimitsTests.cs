using System.Net;
using System.Text;
using LeadExchange.IntegrationTests.Infrastructure;
using LeadExchange.IntegrationTests.SellerOffers;
using Microsoft.EntityFrameworkCore;
using static LeadExchange.IntegrationTests.LeadForms.LeadFormHarness;

namespace LeadExchange.IntegrationTests.Security;

/// <summary>
/// Issue "Trust": the longest password (128 characters, refused before any hash is computed), names other people read
/// (no control, invisible or text-direction characters), and request bodies over the limit (413 problem details, unread).
/// </summary>
public sealed class InputLimitsTests(SqliteFactory app) : IClassFixture<SqliteFactory>
{
    private const string TooLongEn = "Password is at most 128 characters.";
    private const string TooLongRu = "Пароль — не длиннее 128 символов.";
    private const string HiddenEn = "Display name may not contain control, invisible or text-direction characters.";
    private const string HiddenRu = "Отображаемое имя не может содержать управляющие и невидимые символы или символы смены направления текста.";

    /// <summary>129 characters that pass every other password rule.</summary>
    private static readonly string TooLong = "Aa1" + new string('x', 126);

    /// <summary>Exactly 128 characters: still accepted.</summary>
    private static readonly string Longest = "Aa1" + new string('y', 125);

    private static string NewEmail() => $"limits-{TestServices.ShortId()}@tests.example";

    [Fact]
    public async Task Password_LongerThan128Characters_IsRefusedPerFieldOnSignUpSignInAndKeysByPassword_WithoutCountingAFailure()
    {
        using var anonymous = app.CreateAnonymousClient();

        // Sign-up through the API: 422 on the password field, no account.
        var email = NewEmail();
        var errors = await (await anonymous.PostJsonAsync("/api/v1/auth/register",
            new { email, password = TooLong, role = "webmaster", displayName = "Long password" })).ExpectValidationErrorsAsync();
        Assert.Equal(TooLongEn, Assert.Single(errors["password"]));
        Assert.False(await app.WithDbAsync(db => db.Users.AnyAsync(u => u.Email == email)));

        // 128 characters are fine, and that account gets keys by password.
        var user = await app.RegisterAsync("webmaster");
        var longest = NewEmail();
        await (await anonymous.PostJsonAsync("/api/v1/auth/register", new { email = longest, password = Longest, role = "webmaster", displayName = "Longest" }))
            .ExpectJsonAsync(HttpStatusCode.Created);
        await (await anonymous.PostJsonAsync("/api/v1/auth/keys", new { email = longest, password = Longest, name = "ci" })).ExpectJsonAsync(HttpStatusCode.Created);

        // A key by password: 422 on the password field (not 401), and not counted towards the lockout.
        errors = await (await anonymous.PostJsonAsync("/api/v1/auth/keys", new { email = user.Email, password = TooLong, name = "ci" })).ExpectValidationErrorsAsync();
        Assert.Equal(TooLongEn, Assert.Single(errors["password"]));
        Assert.Equal(0, await app.WithDbAsync(db => db.Users.Where(u => u.Id == user.UserId).Select(u => u.AccessFailedCount).SingleAsync()));

        // The sign-in page: the message beside the password field, no cookie.
        using var browser = app.CreateAnonymousClient();
        var (_, token) = await PageAsync(browser, "/account/login");
        var login = await browser.PostAsync("/account/login", Form(("Email", user.Email), ("Password", TooLong), ("__RequestVerificationToken", token)));
        Assert.Equal(TooLongEn, ErrorBeside(await login.ExpectStatusAsync(HttpStatusCode.OK), "Password"));
        Assert.Equal(0, await app.WithDbAsync(db => db.Users.Where(u => u.Id == user.UserId).Select(u => u.AccessFailedCount).SingleAsync()));

        // The sign-up page, in Russian.
        await SwitchToRussianAsync(browser);
        var (_, registerToken) = await PageAsync(browser, "/account/register");
        var page = await browser.PostAsync("/account/register", Form(("Email", NewEmail()), ("Password", TooLong), ("DisplayName", "Анна"),
            ("Role", "advertiser"), ("__RequestVerificationToken", registerToken)));
        Assert.Equal(TooLongRu, ErrorBeside(await page.ExpectStatusAsync(HttpStatusCode.OK), "Password"));
    }

    [Theory]
    [InlineData("Sber\u202Ebank")] // right-to-left override
    [InlineData("Sber\u202Abank")] // left-to-right embedding
    [InlineData("Sber\u2066bank\u2069")] // isolates
    [InlineData("Sber\u200Fbank")] // right-to-left mark
    [InlineData("Sber\u200Ebank")] // left-to-right mark
    [InlineData("Sber\u200Bbank")] // zero-width space
    [InlineData("Sber\u200Dbank")] // zero-width joiner
    [InlineData("Sber\u2060bank")] // word joiner
    [InlineData("\uFEFFSberbank")] // byte order mark
    [InlineData("Sber\u0007bank")] // a control character
    [InlineData("Sber\nbank")] // a line break
    public async Task DisplayName_WithControlInvisibleOrDirectionCharacters_IsRefusedOnSignUpAndProfile(string name)
    {
        using var anonymous = app.CreateAnonymousClient();
        var email = NewEmail();
        var errors = await (await anonymous.PostJsonAsync("/api/v1/auth/register",
            new { email, password = TestAccounts.Password, role = "advertiser", displayName = name })).ExpectValidationErrorsAsync();
        Assert.Equal(HiddenEn, Assert.Single(errors["displayName"]));
        Assert.False(await app.WithDbAsync(db => db.Users.AnyAsync(u => u.Email == email)));

        var user = await app.RegisterAsync("advertiser", "Plain name");
        errors = await (await user.Client.PutJsonAsync("/api/v1/profile", new { displayName = name, timeZone = "UTC", culture = "en" })).ExpectValidationErrorsAsync();
        Assert.Equal(HiddenEn, Assert.Single(errors["displayName"]));
        Assert.Equal("Plain name", await app.WithDbAsync(db => db.Users.Where(u => u.Id == user.UserId).Select(u => u.DisplayName).SingleAsync()));
    }

    [Fact]
    public async Task DisplayName_OnThePages_IsRefusedBesideTheField_InEnglishAndRussian_WhileLettersOfAnyScriptAndEmojiPass()
    {
        var user = await app.RegisterAsync("webmaster");
        using var browser = await SignInAsync(app, user.Email);
        async Task<string> SaveProfileAsync(string name)
        {
            var (_, token) = await PageAsync(browser, "/account/profile");
            var response = await browser.PostAsync("/account/profile", Form(("DisplayName", name), ("TimeZone", "UTC"), ("Culture", "en"),
                ("__RequestVerificationToken", token)));
            return response.StatusCode == HttpStatusCode.Redirect ? "" : ErrorBeside(await response.ExpectStatusAsync(HttpStatusCode.OK), "DisplayName");
        }

        Assert.Equal(HiddenEn, await SaveProfileAsync("Demo\u202EAdmin"));
        Assert.Equal("", await SaveProfileAsync("Анна Петрова 🙂 (O'Neil-Smith), عمر"));
        Assert.Equal("Анна Петрова 🙂 (O'Neil-Smith), عمر",
            await app.WithDbAsync(db => db.Users.Where(u => u.Id == user.UserId).Select(u => u.DisplayName).SingleAsync()));

        using var visitor = app.CreateAnonymousClient();
        await SwitchToRussianAsync(visitor);
        var (_, registerToken) = await PageAsync(visitor, "/account/register");
        var page = await visitor.PostAsync("/account/register", Form(("Email", NewEmail()), ("Password", TestAccounts.Password),
            ("DisplayName", "Demo\u200BAdmin"), ("Role", "advertiser"), ("__RequestVerificationToken", registerToken)));
        Assert.Equal(HiddenRu, ErrorBeside(await page.ExpectStatusAsync(HttpStatusCode.OK), "DisplayName"));
    }

    [Fact]
    public async Task OfferAndSellerOfferTitles_WithDirectionOrInvisibleCharacters_Answer422OnTheTitle()
    {
        using var advertiser = await app.DemoClientAsync("advertiser");
        var errors = await (await advertiser.PostJsonAsync("/api/v1/offers", OfferApi.ValidBody(title: "Loans \u202Etsaf"))).ExpectValidationErrorsAsync();
        Assert.Equal("Title may not contain control, invisible or text-direction characters.", Assert.Single(errors["title"]));

        using var webmaster = await app.DemoClientAsync("webmaster");
        errors = await (await webmaster.PostJsonAsync("/api/v1/seller-offers", SellerOfferApi.OfferBody("real-estate", title: "Leads\u200B by Sberbank")))
            .ExpectValidationErrorsAsync();
        Assert.Equal("Title may not contain control, invisible or text-direction characters.", Assert.Single(errors["title"]));
    }

    [Fact]
    public async Task RequestBody_OverTheLimit_Answers413ProblemDetailsUnread_OnTheApiAndOnAForm()
    {
        // One byte over the default 1 MiB (Limits:MaxRequestBodyBytes); before, a password this long was hashed and stored.
        var password = "Aa1" + new string('z', 1024 * 1024);
        using var anonymous = app.CreateAnonymousClient();
        var email = NewEmail();
        // With a Content-Length, as curl and most clients send it (a body without one is cut off by Kestrel while it is read).
        using var json = new StringContent(System.Text.Json.JsonSerializer.Serialize(new { email, password, role = "webmaster", displayName = "Huge" }),
            Encoding.UTF8, "application/json");
        var api = await anonymous.PostAsync("/api/v1/auth/register", json);
        var problem = await api.ExpectProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(413, problem.GetProperty("status").GetInt32());
        Assert.Equal("too_large", problem.Str("code"));
        Assert.False(await app.WithDbAsync(db => db.Users.AnyAsync(u => u.Email == email)));

        using var browser = app.CreateAnonymousClient();
        var (_, token) = await PageAsync(browser, "/account/login");
        var form = await browser.PostAsync("/account/login", Form(("Email", "advertiser@demo.test"), ("Password", password), ("__RequestVerificationToken", token)));
        problem = await form.ExpectProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(413, problem.GetProperty("status").GetInt32());

        // An action that allows more ([RequestSizeLimit], dispute evidence) still reads a body over the default limit.
        using var buyer = await app.DemoClientAsync("advertiser");
        using var evidence = new StringContent($"{{\"reason\":\"x\",\"evidence\":[{{\"fileName\":\"a.txt\",\"contentType\":\"text/plain\",\"base64\":\"{new string('A', 1_500_000)}\"}}]}}",
            Encoding.UTF8, "application/json");
        var dispute = await buyer.PostAsync($"/api/v1/purchases/{Guid.NewGuid()}/dispute", evidence);
        Assert.NotEqual(HttpStatusCode.RequestEntityTooLarge, dispute.StatusCode);
        Assert.True((int)dispute.StatusCode < 500, $"dispute with a 1.5 MB body: {(int)dispute.StatusCode}");
    }

    private static async Task SwitchToRussianAsync(HttpClient browser)
    {
        var (_, token) = await PageAsync(browser, "/");
        await browser.PostAsync("/ui/language", Form(("culture", "ru"), ("returnUrl", "/"), ("__RequestVerificationToken", token)));
    }
}
