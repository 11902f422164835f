using System.Net;
using LeadExchange.Infrastructure.Identity;
using Microsoft.EntityFrameworkCore;

namespace LeadExchange.IntegrationTests.Infrastructure;

/// <summary>
/// Authenticator codes for accounts with two-factor sign-in (the demo admin and moderator, and accounts a test turned it
/// on for), computed like an authenticator app from the secret in the app's database. The app accepts each code once
/// and only a later time step after it, so the code given is the current step's, or the next unused one (up to the
/// two steps of drift the app allows); past that it waits for the clock.
/// </summary>
public static partial class TwoFactorCodes
{
    /// <summary>The next code the app will accept for the account, or null when it has no two-factor sign-in.</summary>
    public static async Task<string?> NextAsync(IAppNode app, string email)
    {
        for (var attempt = 0; ; attempt++)
        {
            var account = await app.WithDbAsync(async db =>
            {
                var normalized = email.Trim().ToUpperInvariant();
                var user = await db.Users.AsNoTracking().Where(u => u.NormalizedEmail == normalized).Select(u => new { u.Id, u.TwoFactorEnabled }).SingleAsync();
                var tokens = await db.UserTokens.AsNoTracking().Where(t => t.UserId == user.Id).ToListAsync();
                return (user.TwoFactorEnabled,
                    Key: tokens.SingleOrDefault(t => t.LoginProvider == "[AspNetUserStore]" && t.Name == "AuthenticatorKey")?.Value,
                    Last: tokens.SingleOrDefault(t => t.LoginProvider == OnceOnlyAuthenticatorTokenProvider.LoginProvider
                                                      && t.Name == OnceOnlyAuthenticatorTokenProvider.LastStepToken)?.Value);
            });
            if (!account.TwoFactorEnabled || account.Key is null) return null;
            var last = account.Last is null ? long.MinValue : long.Parse(account.Last, System.Globalization.CultureInfo.InvariantCulture);
            var now = Totp.StepAt(DateTimeOffset.UtcNow);
            var step = Math.Max(now, last + 1);
            if (step <= now + 1) return Totp.Code(account.Key, step);
            Assert.True(attempt < 4, $"No unused two-factor code for {email} after {attempt} waits.");
            await Task.Delay(TimeSpan.FromSeconds(Totp.StepSeconds - DateTimeOffset.UtcNow.ToUnixTimeSeconds() % Totp.StepSeconds + 1));
        }
    }

    /// <summary>"Don't ask on this browser" cookies of the tests' sign-ins, per app and account.</summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IAppNode, System.Collections.Concurrent.ConcurrentDictionary<string, string>> Remembered = new();

    private const string RememberCookie = "Identity.TwoFactorRememberMe";

    /// <summary>
    /// A cookie-signed-in client (no redirects followed). For an account with two-factor sign-in, the first sign-in per
    /// app posts the next code and ticks "don't ask on this browser"; later ones send that cookie with the password, as
    /// the same person's browser would, so a class signing in as the demo admin often does not wait for fresh codes.
    /// The cookie stops working when the account's security stamp changes (sign-out, role change): then a code again.
    /// </summary>
    public static async Task<HttpClient> SignInAsync(IAppNode app, string email, string password)
    {
        var browser = app.CreateAnonymousClient();
        var (_, token) = await LeadForms.LeadFormHarness.PageAsync(browser, "/account/login");
        var remembered = Remembered.GetOrCreateValue(app);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/account/login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Email"] = email, ["Password"] = password, ["__RequestVerificationToken"] = token,
            }),
        };
        if (remembered.TryGetValue(email, out var cookie)) request.Headers.Add("Cookie", cookie);
        var response = await browser.SendAsync(request);
        if (response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location?.OriginalString.StartsWith("/account/login/2fa", StringComparison.Ordinal) == true)
        {
            var code = await NextAsync(app, email) ?? throw new InvalidOperationException($"{email} was asked for a second factor but has none.");
            var step = await LeadForms.LeadFormHarness.PageAsync(browser, response.Headers.Location.OriginalString);
            var query = System.Web.HttpUtility.ParseQueryString(new Uri(new Uri("http://app"), response.Headers.Location.OriginalString).Query);
            response = await browser.PostAsync("/account/login/2fa", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Code"] = code, ["RememberMachine"] = "true", ["RememberMe"] = query["rememberMe"] ?? "false",
                ["ReturnUrl"] = query["returnUrl"] ?? "", ["__RequestVerificationToken"] = step.Token,
            }));
            if (response.Headers.TryGetValues("Set-Cookie", out var setCookies)
                && setCookies.FirstOrDefault(c => c.StartsWith(RememberCookie + "=", StringComparison.Ordinal)) is { } set)
                remembered[email] = set[..set.IndexOf(';', StringComparison.Ordinal)];
        }
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"Sign-in of {email} failed: {(int)response.StatusCode}");
        return browser;
    }

    /// <summary>
    /// Turns two-factor sign-in on for a registered account the way a person does: signs in, reads the key on the
    /// two-factor page, and confirms it with the app's code. Returns the ten recovery codes shown once.
    /// </summary>
    public static Task<IReadOnlyList<string>> TurnOnAsync(IAppNode app, TestUser user) => TurnOnAsync(app, user.Email, user.Password);

    /// <inheritdoc cref="TurnOnAsync(IAppNode, TestUser)"/>
    public static async Task<IReadOnlyList<string>> TurnOnAsync(IAppNode app, string email, string password)
    {
        using var browser = app.CreateAnonymousClient();
        var login = await LeadForms.LeadFormHarness.PageAsync(browser, "/account/login");
        var signedIn = await browser.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Email"] = email, ["Password"] = password, ["__RequestVerificationToken"] = login.Token,
        }));
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        var page = await LeadForms.LeadFormHarness.PageAsync(browser, "/account/2fa");
        var key = KeyField().Match(page.Html).Groups[1].Value.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
        Assert.False(string.IsNullOrEmpty(key), "No authenticator key on /account/2fa.");
        var enabled = await browser.PostAsync("/account/2fa/enable", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Form.Code"] = Totp.Code(key, Totp.StepAt(DateTimeOffset.UtcNow)), ["__RequestVerificationToken"] = page.Token,
        }));
        var html = await enabled.ExpectStatusAsync(HttpStatusCode.OK);
        var codes = RecoveryCode().Matches(html).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(TwoFactorService.RecoveryCodeCount, codes.Count);
        return codes;
    }

    /// <summary>
    /// Two-factor on for an account straight in the database (a random secret), for apps in other processes whose HTTP
    /// clients share one cookie jar (MultiNode.ProcessNode): the browser way would leave a signed-in cookie behind there.
    /// </summary>
    public static Task TurnOnInDatabaseAsync(IAppNode app, string email) =>
        app.WithDbAsync(async db =>
        {
            var normalized = email.Trim().ToUpperInvariant();
            var user = await db.Users.SingleAsync(u => u.NormalizedEmail == normalized);
            var secret = new char[32];
            for (var i = 0; i < secret.Length; i++) secret[i] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"[System.Security.Cryptography.RandomNumberGenerator.GetInt32(32)];
            db.UserTokens.Add(new Microsoft.AspNetCore.Identity.IdentityUserToken<string>
            {
                UserId = user.Id, LoginProvider = "[AspNetUserStore]", Name = "AuthenticatorKey", Value = new string(secret),
            });
            user.TwoFactorEnabled = true;
            return await db.SaveChangesAsync();
        });

    [System.Text.RegularExpressions.GeneratedRegex("id=\"authenticator-key\" value=\"([^\"]+)\"")]
    private static partial System.Text.RegularExpressions.Regex KeyField();

    [System.Text.RegularExpressions.GeneratedRegex("<li class=\"col\"><code>([^<]+)</code></li>")]
    internal static partial System.Text.RegularExpressions.Regex RecoveryCode();
}
