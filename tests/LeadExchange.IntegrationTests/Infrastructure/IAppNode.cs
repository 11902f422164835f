using System.Net;
using System.Net.Http.Json;
using LeadExchange.Infrastructure.Persistence;

namespace LeadExchange.IntegrationTests.Infrastructure;

/// <summary>
/// One running app the tests talk to: the in-process <see cref="LeadExchangeFactory"/>, or a separate OS process
/// (MultiNode.ProcessNode). The API harnesses (offers, postbacks, leads, buying, ledger) take this,
/// so the same setup and assertions drive either.
/// </summary>
public interface IAppNode
{
    /// <summary>A client of this app that does not follow redirects (tests look at 302s themselves).</summary>
    HttpClient CreateAnonymousClient();

    HttpClient CreateClientWithKey(string apiKey);

    /// <summary>Signs up a fresh advertiser or webmaster through the public API.</summary>
    Task<TestUser> RegisterAsync(string role, string? displayName = null);

    /// <summary>A client with an admin's API key (top-ups, niches, reconciliation).</summary>
    Task<HttpClient> AdminClientAsync();

    /// <summary>Runs <paramref name="work"/> against a DbContext on the app's database.</summary>
    Task<T> WithDbAsync<T>(Func<AppDbContext, Task<T>> work);
}

/// <summary>Accounts and keys through the public API (API.md "Authentication"), for any <see cref="IAppNode"/>.</summary>
public static class TestAccounts
{
    public const string Password = "Passw0rd!";

    public static async Task<TestUser> RegisterAsync(IAppNode app, string role, string? displayName = null)
    {
        var email = $"{role}-{TestServices.ShortId()}@tests.example";
        using var anonymous = app.CreateAnonymousClient();
        var response = await anonymous.PostAsJsonAsync("/api/v1/auth/register",
            new { email, password = Password, role, displayName = displayName ?? $"Test {role}" });
        var body = await response.ExpectJsonAsync(HttpStatusCode.Created);
        var apiKey = body.GetProperty("apiKey").GetString()!;
        return new TestUser(body.GetProperty("userId").GetString()!, email, Password, apiKey, app.CreateClientWithKey(apiKey));
    }

    /// <summary>POST /api/v1/auth/keys: a new key for an existing account (how moderators and admins get one).</summary>
    public static async Task<string> CreateKeyAsync(IAppNode app, string email, string password)
    {
        using var anonymous = app.CreateAnonymousClient();
        // Admins and moderators (the demo ones included) have two-factor sign-in: the key request carries a code.
        var twoFactorCode = await TwoFactorCodes.NextAsync(app, email);
        var response = await anonymous.PostAsJsonAsync("/api/v1/auth/keys", new { email, password, name = "integration tests", twoFactorCode });
        var body = await response.ExpectJsonAsync(HttpStatusCode.Created);
        return body.GetProperty("apiKey").GetString()!;
    }
}
