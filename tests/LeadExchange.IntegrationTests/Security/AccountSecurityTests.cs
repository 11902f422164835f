using System.Net;
using LeadExchange.Domain.Identity;
using LeadExchange.IntegrationTests.Infrastructure;
using LeadExchange.IntegrationTests.LeadForms;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;

namespace LeadExchange.IntegrationTests.Security;

/// <summary>
/// Passwords and sessions: Identity lockout after failed sign-ins (pages and the key-by-password API), API keys that are
/// stored only as hashes and stay independent of the password lockout, and the flags of the cookies a browser gets.
/// </summary>
public sealed class AccountSecurityTests(SqliteFactory app) : IClassFixture<SqliteFactory>
{
    private const int MaxFailedAccessAttempts = 10;

    [Fact]
    public async Task Login_AfterTenWrongPasswords_LocksTheAccountForFifteenMinutes_ButNotItsApiKeys()
    {
        var user = await app.RegisterAsync("webmaster");
        using var browser = app.CreateAnonymousClient();
        var (_, token) = await LeadFormHarness.PageAsync(browser, "/account/login");
        async Task<HttpResponseMessage> LoginAsync(string password) =>
            await browser.PostAsync("/account/login", LeadFormHarness.Form(("Email", user.Email), ("Password", password), ("__RequestVerificationToken", token)));

        for (var i = 1; i < MaxFailedAccessAttempts; i++)
            Assert.Contains("Email or password is wrong.", await (await LoginAsync("Wrong-password-1")).ExpectStatusAsync(HttpStatusCode.OK));
        Assert.Contains("Too many failed attempts", await (await LoginAsync("Wrong-password-1")).ExpectStatusAsync(HttpStatusCode.OK));

        // Now even the right password is refused, on the page and by the key-by-password API.
        var right = await LoginAsync(user.Password);
        Assert.Contains("Too many failed attempts", await right.ExpectStatusAsync(HttpStatusCode.OK));
        Assert.DoesNotContain(SetCookies(right), c => c.StartsWith("lx.auth=", StringComparison.Ordinal));
        using var anonymous = app.CreateAnonymousClient();
        await (await anonymous.PostJsonAsync("/api/v1/auth/keys", new { email = user.Email, password = user.Password, name = "after lockout" }))
            .ExpectProblemAsync(HttpStatusCode.Unauthorized);
        var lockoutEnd = await app.WithDbAsync(db => db.Users.Where(u => u.Id == user.UserId).Select(u => u.LockoutEnd).SingleAsync());
        Assert.NotNull(lockoutEnd);
        Assert.InRange(lockoutEnd.Value, DateTimeOffset.UtcNow.AddMinutes(14), DateTimeOffset.UtcNow.AddMinutes(16));

        // The lockout stops password guessing; it must not let a stranger who knows the email switch off the seller's
        // integration, so the API key (a separate, random credential) keeps working.
        await (await user.Client.GetAsync("/api/v1/profile")).ExpectStatusAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task KeysByPassword_AfterTenWrongPasswords_LockTheAccountToo()
    {
        var user = await app.RegisterAsync("advertiser");
        using var anonymous = app.CreateAnonymousClient();

        for (var i = 0; i < MaxFailedAccessAttempts; i++)
            await (await anonymous.PostJsonAsync("/api/v1/auth/keys", new { email = user.Email, password = "Wrong-password-1", name = "guess" }))
                .ExpectProblemAsync(HttpStatusCode.Unauthorized);

        await (await anonymous.PostJsonAsync("/api/v1/auth/keys", new { email = user.Email, password = user.Password, name = "right" }))
            .ExpectProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task UnknownEmail_CostsAPasswordHashLikeAWrongPassword_OnTheApiAndTheLoginPage()
    {
        // Identity's password hash (PBKDF2, 100,000 rounds) takes tens of milliseconds; a lookup of a missing email
        // takes about one. Without the dummy hash the unknown email answered in a small fraction of the time.
        var users = new[] { await app.RegisterAsync("webmaster"), await app.RegisterAsync("webmaster") };
        using var anonymous = app.CreateAnonymousClient();
        using var browser = app.CreateAnonymousClient();
        var (_, token) = await LeadFormHarness.PageAsync(browser, "/account/login");
        async Task<double> TimeAsync(Func<Task<HttpResponseMessage>> call)
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            using var response = await call();
            Assert.True(response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.OK, response.StatusCode.ToString());
            return System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }
        Task<HttpResponseMessage> KeyAsync(string email) =>
            anonymous.PostJsonAsync("/api/v1/auth/keys", new { email, password = "Wrong-password-1", name = "guess" });
        Task<HttpResponseMessage> LoginAsync(string email) =>
            browser.PostAsync("/account/login", LeadFormHarness.Form(("Email", email), ("Password", "Wrong-password-1"), ("__RequestVerificationToken", token)));

        var wrong = new List<double>();
        var unknown = new List<double>();
        // Four wrong passwords per account and channel: 16 in all, below the lockout (10 per account) that would answer fast.
        for (var i = 0; i < 4; i++)
            foreach (var user in users)
            {
                wrong.Add(await TimeAsync(() => KeyAsync(user.Email)));
                unknown.Add(await TimeAsync(() => KeyAsync($"nobody-{Guid.NewGuid():N}@example.com")));
                wrong.Add(await TimeAsync(() => LoginAsync(user.Email)));
                unknown.Add(await TimeAsync(() => LoginAsync($"nobody-{Guid.NewGuid():N}@example.com")));
            }

        static double Median(List<double> xs) => xs.Order().ElementAt(xs.Count / 2);
        Assert.True(Median(unknown) > 0.5 * Median(wrong),
            $"unknown email median {Median(unknown):F1} ms vs wrong password median {Median(wrong):F1} ms");
    }

    [Fact]
    public async Task ApiKeys_AreStoredOnlyAsSha256Hashes_AndAKeyWithTheRightPrefixButAnotherSecretIsRefused()
    {
        var user = await app.RegisterAsync("advertiser");
        var prefix = ApiKey.PrefixOf(user.ApiKey)!;

        var row = await app.WithDbAsync(db => db.ApiKeys.AsNoTracking().SingleAsync(k => k.Prefix == prefix));

        Assert.Equal(ApiKey.ComputeHash(user.ApiKey), row.Hash);
        Assert.DoesNotContain(user.ApiKey[^ApiKey.SecretLength..], row.Hash, StringComparison.OrdinalIgnoreCase);
        var forged = user.ApiKey[..^4] + (user.ApiKey[^4..] == "AAAA" ? "BBBB" : "AAAA");
        using var forger = app.CreateClientWithKey(forged);
        await (await forger.GetAsync("/api/v1/profile")).ExpectProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Logout_WhenACopyOfTheSessionCookieIsSentAfterwards_PagesAndTheContactsCsvRefuseIt()
    {
        // Issue "Trust": a copied cookie still downloaded the bought leads' contacts ten minutes after the sign-out.
        var buyer = await app.RegisterAsync("advertiser");
        using var browser = app.CreateAnonymousClient();
        var (_, token) = await LeadFormHarness.PageAsync(browser, "/account/login");
        var signedIn = await browser.PostAsync("/account/login", LeadFormHarness.Form(
            ("Email", buyer.Email), ("Password", buyer.Password), ("__RequestVerificationToken", token)));
        await signedIn.ExpectStatusAsync(HttpStatusCode.Redirect);
        var copied = SetCookies(signedIn).Single(c => c.StartsWith("lx.auth=", StringComparison.Ordinal)).Split(';')[0];
        using var thief = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        async Task<HttpResponseMessage> WithCopyAsync(string url)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Add("Cookie", copied);
            return await thief.SendAsync(request);
        }
        string[] urls = ["/Advertiser/Purchases/Csv", "/Advertiser/Purchases", "/account/profile"];
        foreach (var url in urls)
            await (await WithCopyAsync(url)).ExpectStatusAsync(HttpStatusCode.OK);

        var (_, logoutToken) = await LeadFormHarness.PageAsync(browser, "/account/profile");
        await (await browser.PostAsync("/account/logout", LeadFormHarness.Form(("__RequestVerificationToken", logoutToken))))
            .ExpectStatusAsync(HttpStatusCode.Redirect);

        foreach (var url in urls)
        {
            using var response = await WithCopyAsync(url);
            Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{url} with the copied cookie after sign-out: {(int)response.StatusCode}");
            Assert.StartsWith("/account/login", response.Headers.Location!.PathAndQuery, StringComparison.OrdinalIgnoreCase);
        }
        // The account itself is fine: a new sign-in works.
        using var again = await LeadFormHarness.SignInAsync(app, buyer.Email, buyer.Password);
        await (await again.GetAsync("/Advertiser/Purchases/Csv")).ExpectStatusAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Cookies_OverHttps_AreSecureHttpOnlyAndSameSite()
    {
        using var browser = app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://app.example.test"), AllowAutoRedirect = false });
        var page = await browser.GetAsync("/account/login");
        var antiforgery = SetCookies(page).Single(c => c.StartsWith(".AspNetCore.Antiforgery.", StringComparison.Ordinal));
        var (_, token) = await LeadFormHarness.PageAsync(browser, "/account/login");

        var signedIn = await browser.PostAsync("/account/login", LeadFormHarness.Form(
            ("Email", "advertiser@demo.test"), ("Password", LeadExchangeFactory.DemoPassword), ("__RequestVerificationToken", token)));
        await signedIn.ExpectStatusAsync(HttpStatusCode.Redirect);
        var auth = SetCookies(signedIn).Single(c => c.StartsWith("lx.auth=", StringComparison.Ordinal));
        var language = SetCookies(await PostLanguageAsync(browser)).Single(c => c.StartsWith("lx.culture=", StringComparison.Ordinal));
        var (_, again) = await LeadFormHarness.PageAsync(browser, "/account/profile");
        var signedOut = await browser.PostAsync("/account/logout", LeadFormHarness.Form(("__RequestVerificationToken", again)));
        var notice = SetCookies(signedOut).Single(c => c.StartsWith(".AspNetCore.Mvc.CookieTempDataProvider=", StringComparison.Ordinal));

        AssertFlags(auth, secure: true, sameSite: "lax");
        AssertFlags(antiforgery, secure: true, sameSite: "strict");
        AssertFlags(language, secure: true, sameSite: "lax");
        AssertFlags(notice, secure: true, sameSite: "lax");
    }

    [Fact]
    public async Task AuthCookie_OverPlainHttp_IsHttpOnlyAndSameSite()
    {
        // Secure follows the request (SameAsRequest): behind the TLS proxy, forwarded headers make requests HTTPS.
        using var browser = app.CreateAnonymousClient();
        var (_, token) = await LeadFormHarness.PageAsync(browser, "/account/login");

        var signedIn = await browser.PostAsync("/account/login", LeadFormHarness.Form(
            ("Email", "advertiser@demo.test"), ("Password", LeadExchangeFactory.DemoPassword), ("__RequestVerificationToken", token)));

        AssertFlags(SetCookies(signedIn).Single(c => c.StartsWith("lx.auth=", StringComparison.Ordinal)), secure: false, sameSite: "lax");
    }

    private static async Task<HttpResponseMessage> PostLanguageAsync(HttpClient browser)
    {
        var (_, token) = await LeadFormHarness.PageAsync(browser, "/account/profile");
        return await browser.PostAsync("/ui/language", LeadFormHarness.Form(("culture", "en"), ("returnUrl", "/"), ("__RequestVerificationToken", token)));
    }

    private static void AssertFlags(string setCookie, bool secure, string sameSite)
    {
        var attributes = setCookie.Split(';', StringSplitOptions.TrimEntries).Skip(1).Select(a => a.ToLowerInvariant()).ToList();
        Assert.Contains("httponly", attributes);
        Assert.Contains($"samesite={sameSite}", attributes);
        Assert.Equal(secure, attributes.Contains("secure"));
    }

    private static IEnumerable<string> SetCookies(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values) ? values : [];
}
