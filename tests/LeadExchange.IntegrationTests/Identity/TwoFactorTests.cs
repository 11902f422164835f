using System.Net;
using System.Net.Http.Json;
using LeadExchange.Infrastructure.Identity;
using LeadExchange.IntegrationTests.Infrastructure;
using LeadExchange.IntegrationTests.LeadForms;
using Microsoft.EntityFrameworkCore;

namespace LeadExchange.IntegrationTests.Identity;

/// <summary>
/// Two-factor sign-in: the second step of the sign-in, codes accepted once, recovery codes (single-use, stored hashed),
/// two-factor required for admins and moderators (pages and API keys), turning it on and off, and its audit entries.
/// </summary>
public abstract class TwoFactorTests(LeadExchangeFactory app)
{
    private const string Admin = "admin@demo.test";

    private static async Task<HttpResponseMessage> PasswordStepAsync(HttpClient browser, string email, string password)
    {
        var (_, token) = await LeadFormHarness.PageAsync(browser, "/account/login");
        return await browser.PostAsync("/account/login", LeadFormHarness.Form(("Email", email), ("Password", password), ("__RequestVerificationToken", token)));
    }

    private static async Task<HttpResponseMessage> CodeStepAsync(HttpClient browser, string code)
    {
        var (_, token) = await LeadFormHarness.PageAsync(browser, "/account/login/2fa");
        return await browser.PostAsync("/account/login/2fa", LeadFormHarness.Form(("Code", code), ("__RequestVerificationToken", token)));
    }

    [Fact]
    public async Task AdminSignIn_WithThePasswordAlone_AsksForTheCodeAndOpensNothingUntilItComes()
    {
        using var browser = app.CreateAnonymousClient();

        var passwordStep = await PasswordStepAsync(browser, Admin, LeadExchangeFactory.DemoPassword);
        Assert.Equal(HttpStatusCode.Redirect, passwordStep.StatusCode);
        Assert.StartsWith("/account/login/2fa", passwordStep.Headers.Location!.OriginalString, StringComparison.Ordinal);
        var notYet = await browser.GetAsync("/Admin/Home/Index");
        Assert.Equal(HttpStatusCode.Redirect, notYet.StatusCode);
        Assert.StartsWith("/account/login", notYet.Headers.Location!.PathAndQuery, StringComparison.Ordinal);

        var wrong = await CodeStepAsync(browser, "000000");
        Assert.Contains("The code is wrong or already used", await wrong.ExpectStatusAsync(HttpStatusCode.OK), StringComparison.Ordinal);

        var signedIn = await CodeStepAsync(browser, (await TwoFactorCodes.NextAsync(app, Admin))!);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        await (await browser.GetAsync("/Admin/Home/Index")).ExpectStatusAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task CodeStep_WhenTheSameCodeComesTwice_SignsInTheFirstOnly()
    {
        var user = await app.RegisterAsync("advertiser");
        await TwoFactorCodes.TurnOnAsync(app, user);
        var code = (await TwoFactorCodes.NextAsync(app, user.Email))!;
        using var first = app.CreateAnonymousClient();
        using var second = app.CreateAnonymousClient();
        await PasswordStepAsync(first, user.Email, user.Password);
        await PasswordStepAsync(second, user.Email, user.Password);

        Assert.Equal(HttpStatusCode.Redirect, (await CodeStepAsync(first, code)).StatusCode);
        var replay = await CodeStepAsync(second, code);

        Assert.Contains("The code is wrong or already used", await replay.ExpectStatusAsync(HttpStatusCode.OK), StringComparison.Ordinal);
        await (await first.GetAsync("/Advertiser/Home/Index")).ExpectStatusAsync(HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.Redirect, (await second.GetAsync("/Advertiser/Home/Index")).StatusCode);
    }

    [Fact]
    public async Task CodeStep_WhenOneCodeIsSentInParallel_SignsInOneBrowserOnly()
    {
        var user = await app.RegisterAsync("advertiser");
        await TwoFactorCodes.TurnOnAsync(app, user);
        var code = (await TwoFactorCodes.NextAsync(app, user.Email))!;
        var browsers = Enumerable.Range(0, 4).Select(_ => app.CreateAnonymousClient()).ToList();
        foreach (var browser in browsers) await PasswordStepAsync(browser, user.Email, user.Password);
        var tokens = new List<string>();
        foreach (var browser in browsers) tokens.Add((await LeadFormHarness.PageAsync(browser, "/account/login/2fa")).Token);

        var answers = await Task.WhenAll(browsers.Select((b, i) =>
            b.PostAsync("/account/login/2fa", LeadFormHarness.Form(("Code", code), ("__RequestVerificationToken", tokens[i])))));

        var signedIn = 0;
        foreach (var browser in browsers)
            if ((await browser.GetAsync("/Advertiser/Home/Index")).StatusCode == HttpStatusCode.OK) signedIn++;
        Assert.True(signedIn == 1, "Answers: " + string.Join(", ", answers.Select(a => $"{(int)a.StatusCode} {a.Headers.Location}")));
        browsers.ForEach(b => b.Dispose());
    }

    [Fact]
    public async Task CodeStep_WhenTheBrowserIsRemembered_IsSkippedUntilTheAccountSignsOut()
    {
        var user = await app.RegisterAsync("advertiser");
        await TwoFactorCodes.TurnOnAsync(app, user);
        using var first = app.CreateAnonymousClient();
        await PasswordStepAsync(first, user.Email, user.Password);
        var (_, token) = await LeadFormHarness.PageAsync(first, "/account/login/2fa");
        var remembered = await first.PostAsync("/account/login/2fa", LeadFormHarness.Form(
            ("Code", (await TwoFactorCodes.NextAsync(app, user.Email))!), ("RememberMachine", "true"), ("__RequestVerificationToken", token)));
        var cookie = remembered.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("Identity.TwoFactorRememberMe=", StringComparison.Ordinal));
        cookie = cookie[..cookie.IndexOf(';', StringComparison.Ordinal)];

        async Task<HttpResponseMessage> PasswordWithCookieAsync()
        {
            var browser = app.CreateAnonymousClient();
            var (_, loginToken) = await LeadFormHarness.PageAsync(browser, "/account/login");
            using var request = new HttpRequestMessage(HttpMethod.Post, "/account/login")
            {
                Content = LeadFormHarness.Form(("Email", user.Email), ("Password", user.Password), ("__RequestVerificationToken", loginToken)),
            };
            request.Headers.Add("Cookie", cookie);
            return await browser.SendAsync(request);
        }

        Assert.Equal("/", (await PasswordWithCookieAsync()).Headers.Location!.OriginalString);
        // Signing out changes the security stamp: the remembered browser is asked for a code again.
        var (_, logoutToken) = await LeadFormHarness.PageAsync(first, "/account/profile");
        await first.PostAsync("/account/logout", LeadFormHarness.Form(("__RequestVerificationToken", logoutToken)));
        Assert.StartsWith("/account/login/2fa", (await PasswordWithCookieAsync()).Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeyWithPassword_ForAnAdmin_NeedsTheSecondFactor()
    {
        using var anonymous = app.CreateAnonymousClient();

        var missing = await (await anonymous.PostAsJsonAsync("/api/v1/auth/keys", new { email = Admin, password = LeadExchangeFactory.DemoPassword, name = "ops" }))
            .ExpectValidationErrorsAsync();
        Assert.Contains("twoFactorCode", missing.Keys);
        await (await anonymous.PostAsJsonAsync("/api/v1/auth/keys", new { email = Admin, password = LeadExchangeFactory.DemoPassword, name = "ops", twoFactorCode = "000000" }))
            .ExpectProblemAsync(HttpStatusCode.Unauthorized);

        var code = await TwoFactorCodes.NextAsync(app, Admin);
        var created = await (await anonymous.PostAsJsonAsync("/api/v1/auth/keys", new { email = Admin, password = LeadExchangeFactory.DemoPassword, name = "ops", twoFactorCode = code }))
            .ExpectJsonAsync(HttpStatusCode.Created);
        using var admin = app.CreateClientWithKey(created.Str("apiKey"));
        await (await admin.GetAsync("/api/v1/admin/users")).ExpectStatusAsync(HttpStatusCode.OK);
        // The code is spent: the same one again is a failed sign-in.
        await (await anonymous.PostAsJsonAsync("/api/v1/auth/keys", new { email = Admin, password = LeadExchangeFactory.DemoPassword, name = "ops", twoFactorCode = code }))
            .ExpectProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task NewModerator_WithoutTwoFactor_IsSentToSetItUp_GetsNoKey_AndTheirKeysWaitUntilItIsOn()
    {
        var user = await app.RegisterAsync("webmaster");
        using var admin = await app.AdminClientAsync();
        await (await admin.PostJsonAsync($"/api/v1/admin/users/{user.UserId}/roles", new { role = "Moderator", granted = true })).ExpectStatusAsync(HttpStatusCode.NoContent);

        using var browser = app.CreateAnonymousClient();
        Assert.Equal(HttpStatusCode.Redirect, (await PasswordStepAsync(browser, user.Email, user.Password)).StatusCode);
        foreach (var page in new[] { "/", "/Moderation/Home/Index", "/account/apikeys" })
        {
            var sent = await browser.GetAsync(page);
            Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
            Assert.Equal("/account/2fa", sent.Headers.Location!.OriginalString);
        }
        Assert.Contains("data-two-factor-state=\"required\"", await (await browser.GetAsync("/account/2fa")).ExpectStatusAsync(HttpStatusCode.OK), StringComparison.Ordinal);
        using var anonymous = app.CreateAnonymousClient();
        await (await anonymous.PostAsJsonAsync("/api/v1/auth/keys", new { email = user.Email, password = user.Password, name = "ops" }))
            .ExpectProblemAsync(HttpStatusCode.Forbidden);
        var refused = await (await user.Client.GetAsync("/api/v1/api-keys")).ExpectProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("two_factor_required", refused.Str("code"));

        await TwoFactorCodes.TurnOnAsync(app, user);

        await (await user.Client.GetAsync("/api/v1/api-keys")).ExpectStatusAsync(HttpStatusCode.OK);
        var code = await TwoFactorCodes.NextAsync(app, user.Email);
        await (await anonymous.PostAsJsonAsync("/api/v1/auth/keys", new { email = user.Email, password = user.Password, name = "ops", twoFactorCode = code }))
            .ExpectJsonAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task RecoveryCode_SignsInOnce_AndIsStoredOnlyAsAHash()
    {
        var user = await app.RegisterAsync("advertiser");
        var codes = await TwoFactorCodes.TurnOnAsync(app, user);

        var stored = await app.WithDbAsync(db => db.UserTokens.AsNoTracking()
            .Where(t => t.UserId == user.UserId && t.Name == "RecoveryCodes").Select(t => t.Value).SingleAsync());
        Assert.DoesNotContain(codes, c => stored!.Contains(c, StringComparison.OrdinalIgnoreCase)
                                          || stored.Contains(c.Replace("-", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase));

        async Task<HttpResponseMessage> RecoverAsync(string code)
        {
            var browser = app.CreateAnonymousClient();
            var step = await PasswordStepAsync(browser, user.Email, user.Password);
            Assert.StartsWith("/account/login/2fa", step.Headers.Location!.OriginalString, StringComparison.Ordinal);
            var (_, token) = await LeadFormHarness.PageAsync(browser, "/account/login/recovery");
            return await browser.PostAsync("/account/login/recovery", LeadFormHarness.Form(("RecoveryCode", code), ("__RequestVerificationToken", token)));
        }

        Assert.Equal(HttpStatusCode.Redirect, (await RecoverAsync(" " + codes[0].ToLowerInvariant() + " ")).StatusCode);
        Assert.Contains("This recovery code is wrong or was already used", await (await RecoverAsync(codes[0])).ExpectStatusAsync(HttpStatusCode.OK), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await RecoverAsync(codes[1])).StatusCode);
    }

    [Fact]
    public async Task Webmaster_TurnsTwoFactorOnAndOff_AndEachChangeIsAudited()
    {
        var user = await app.RegisterAsync("webmaster");
        await TwoFactorCodes.TurnOnAsync(app, user);
        using var browser = await LeadFormHarness.SignInAsync(app, user.Email, user.Password);
        var (html, token) = await LeadFormHarness.PageAsync(browser, "/account/2fa");
        Assert.Contains("data-two-factor-state=\"on\"", html, StringComparison.Ordinal);

        var wrong = await browser.PostAsync("/account/2fa/disable", LeadFormHarness.Form(("Form.Code", "000000"), ("__RequestVerificationToken", token)));
        Assert.Contains("The code is wrong or already used", await wrong.ExpectStatusAsync(HttpStatusCode.OK), StringComparison.Ordinal);
        var off = await browser.PostAsync("/account/2fa/disable", LeadFormHarness.Form(
            ("Form.Code", (await TwoFactorCodes.NextAsync(app, user.Email))!), ("__RequestVerificationToken", token)));
        Assert.Equal(HttpStatusCode.Redirect, off.StatusCode);
        // This session goes on (its cookie was renewed), and the next sign-in is by password alone.
        Assert.Contains("data-two-factor-state=\"off\"", await (await browser.GetAsync("/account/2fa")).ExpectStatusAsync(HttpStatusCode.OK), StringComparison.Ordinal);
        using var again = app.CreateAnonymousClient();
        var step = await PasswordStepAsync(again, user.Email, user.Password);
        Assert.Equal("/", step.Headers.Location!.OriginalString);

        var actions = await app.WithDbAsync(db => db.AuditLog.AsNoTracking().Where(e => e.TargetId == user.UserId)
            .OrderBy(e => e.At).Select(e => e.Action).ToListAsync());
        Assert.Equal(["user.two_factor_enabled", "user.two_factor_disabled"], actions);
    }

    [Fact]
    public async Task Moderator_CannotTurnTwoFactorOff()
    {
        var user = await app.RegisterAsync("webmaster");
        using (var admin = await app.AdminClientAsync())
            await (await admin.PostJsonAsync($"/api/v1/admin/users/{user.UserId}/roles", new { role = "Moderator", granted = true })).ExpectStatusAsync(HttpStatusCode.NoContent);
        await TwoFactorCodes.TurnOnAsync(app, user);
        using var browser = await LeadFormHarness.SignInAsync(app, user.Email, user.Password);
        var (html, token) = await LeadFormHarness.PageAsync(browser, "/account/2fa");
        Assert.DoesNotContain("/account/2fa/disable", html, StringComparison.Ordinal);

        var refused = await browser.PostAsync("/account/2fa/disable", LeadFormHarness.Form(
            ("Form.Code", (await TwoFactorCodes.NextAsync(app, user.Email))!), ("__RequestVerificationToken", token)));

        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.True(await app.WithDbAsync(db => db.Users.Where(u => u.Id == user.UserId).Select(u => u.TwoFactorEnabled).SingleAsync()));
    }

    [Fact]
    public async Task CodeStep_ShowsTheCurrentDemoCode_ForDemoStaffOnly()
    {
        using var demo = app.CreateAnonymousClient();
        await PasswordStepAsync(demo, Admin, LeadExchangeFactory.DemoPassword);
        // The hint is the code an app would show now, or the next one when that was used (as the tests' own computation).
        var expected = await TwoFactorCodes.NextAsync(app, Admin);
        Assert.Contains($"data-demo-code=\"{expected}\"", (await LeadFormHarness.PageAsync(demo, "/account/login/2fa")).Html, StringComparison.Ordinal);

        var user = await app.RegisterAsync("advertiser");
        await TwoFactorCodes.TurnOnAsync(app, user);
        using var other = app.CreateAnonymousClient();
        await PasswordStepAsync(other, user.Email, user.Password);
        Assert.DoesNotContain("data-demo-code=", (await LeadFormHarness.PageAsync(other, "/account/login/2fa")).Html, StringComparison.Ordinal);
    }
}

public sealed class TwoFactorTests_Sqlite(SqliteFactory app) : TwoFactorTests(app), IClassFixture<SqliteFactory>;

public sealed class TwoFactorTests_PostgreSql(PostgreSqlFactory app) : TwoFactorTests(app), IClassFixture<PostgreSqlFactory>;

/// <summary>The code computation against RFC 6238's own test vector (SHA-1, secret "12345678901234567890").</summary>
public sealed class TotpTests
{
    [Theory]
    [InlineData(59L, "287082")]
    [InlineData(1111111109L, "081804")]
    [InlineData(1234567890L, "005924")]
    [InlineData(2000000000L, "279037")]
    public void Code_MatchesTheRfc6238TestVector(long unixSeconds, string expected)
    {
        const string secretBase32 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"; // "12345678901234567890" in Base32
        Assert.Equal(expected, Totp.Code(secretBase32, Totp.StepAt(DateTimeOffset.FromUnixTimeSeconds(unixSeconds))));
    }
}
