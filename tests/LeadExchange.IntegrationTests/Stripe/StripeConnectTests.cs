using System.Net;
using LeadExchange.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LeadExchange.IntegrationTests.Stripe;

/// <summary>Stripe Connect Express onboarding for webmasters and the account.updated webhook.</summary>
public abstract class StripeConnectTests(StripeAppFactory factory)
{
    [Fact]
    public async Task StartOnboarding_WhenCalledRepeatedlyAndInParallel_CreatesOneExpressAccountAndReturnsLinks()
    {
        var webmaster = await factory.RegisterAsync("webmaster");

        var parallel = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => webmaster.Client.PostAsync("/api/v1/payouts/onboarding", null)));
        var links = new List<(string Url, string AccountId)>();
        foreach (var response in parallel)
        {
            var body = await response.ExpectJsonAsync(HttpStatusCode.OK);
            links.Add((body.Str("url"), body.Str("accountId")));
        }
        var again = await (await webmaster.Client.PostAsync("/api/v1/payouts/onboarding", null)).ExpectJsonAsync(HttpStatusCode.OK);
        links.Add((again.Str("url"), again.Str("accountId")));

        var accountId = Assert.Single(links.Select(l => l.AccountId).Distinct());
        Assert.StartsWith("acct_", accountId, StringComparison.Ordinal);
        Assert.All(links, l => Assert.StartsWith(factory.Fake.BaseUrl + "/connect/", l.Url, StringComparison.Ordinal));
        var account = Assert.Single(factory.Fake.Accounts(), a => (string?)a["metadata"]!["user_id"] == webmaster.UserId);
        Assert.Equal(accountId, (string)account["id"]!);
        Assert.Equal("express", (string)account["type"]!);
        Assert.Equal(webmaster.Email, (string)account["email"]!);
        var linkRequest = factory.Fake.Requests.Last(r => r.Path == "/v1/account_links");
        Assert.Equal("account_onboarding", linkRequest.Form["type"]);
        Assert.Equal(1, await factory.WithDbAsync(db => db.StripeConnectedAccounts.CountAsync(a => a.UserId == webmaster.UserId)));

        var setup = await (await webmaster.Client.GetAsync("/api/v1/payouts/setup")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.True(setup.GetProperty("stripeConfigured").GetBoolean());
        Assert.Equal(accountId, setup.Str("accountId"));
        Assert.False(setup.GetProperty("transfersActive").GetBoolean());
        Assert.False(setup.GetProperty("canRequestPayout").GetBoolean());
    }

    [Fact]
    public async Task AccountUpdated_WhenTransfersActive_EnablesPayouts()
    {
        var (webmaster, accountId) = await factory.OnboardedWebmasterAsync();
        await factory.CreditWebmasterAsync(webmaster.UserId, 1_000_00);

        var setup = await (await webmaster.Client.GetAsync("/api/v1/payouts/setup")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal(accountId, setup.Str("accountId"));
        Assert.True(setup.GetProperty("detailsSubmitted").GetBoolean());
        Assert.True(setup.GetProperty("payoutsEnabled").GetBoolean());
        Assert.True(setup.GetProperty("transfersActive").GetBoolean());
        Assert.True(setup.GetProperty("canRequestPayout").GetBoolean());
        Assert.Equal(500_00, setup.GetProperty("payoutMin").GetInt64());
        var usd = Assert.Single(setup.GetProperty("balances").EnumerateArray());
        Assert.Equal(1_000_00, usd.GetProperty("available").GetInt64());

        // Stripe later turns transfers off: the next account.updated says so and payouts stop.
        var inactive = factory.Fake.CompleteOnboarding(accountId, transfersActive: false);
        Assert.Equal("processed", await factory.SendEventAsync("account.updated", inactive, connect: true));
        var after = await (await webmaster.Client.GetAsync("/api/v1/payouts/setup")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.False(after.GetProperty("transfersActive").GetBoolean());
        var refused = await webmaster.Client.PostJsonAsync("/api/v1/payouts", new { amount = 500_00, currency = "USD" });
        Assert.Equal("payouts_not_enabled", (await refused.ExpectProblemAsync(HttpStatusCode.Conflict)).Str("code"));
        await factory.AssertLedgerBalancedAsync();
    }

    [Fact]
    public async Task AccountUpdated_WhenSignedWithPlatformSecretOnConnectEndpoint_Returns400AndChangesNothing()
    {
        var webmaster = await factory.RegisterAsync("webmaster");
        var accountId = (await (await webmaster.Client.PostAsync("/api/v1/payouts/onboarding", null)).ExpectJsonAsync(HttpStatusCode.OK)).Str("accountId");
        var payload = StripeAppFactory.EventJson("account.updated", factory.Fake.CompleteOnboarding(accountId), account: accountId);

        await (await factory.PostEventAsync(payload, connect: true, secret: StripeAppFactory.WebhookSecret)).ExpectJsonAsync(HttpStatusCode.BadRequest);

        Assert.False(await factory.WithDbAsync(db => db.StripeConnectedAccounts.Where(a => a.AccountId == accountId).Select(a => a.TransfersActive).FirstAsync()));
    }

    [Fact]
    public async Task RequestPayout_WhenNotOnboarded_Returns409PayoutsNotEnabled()
    {
        var webmaster = await factory.RegisterAsync("webmaster");
        await factory.CreditWebmasterAsync(webmaster.UserId, 1_000_00);

        var response = await webmaster.Client.PostJsonAsync("/api/v1/payouts", new { amount = 600_00, currency = "USD" });

        Assert.Equal("payouts_not_enabled", (await response.ExpectProblemAsync(HttpStatusCode.Conflict)).Str("code"));
        Assert.Equal(1_000_00, await factory.AccountBalanceAsync(LeadExchange.Domain.Ledger.AccountType.WebmasterAvailable, webmaster.UserId));
    }

    [Fact]
    public async Task StartOnboarding_WhenAdvertiser_Returns403()
    {
        var advertiser = await factory.RegisterAsync("advertiser");
        await (await advertiser.Client.PostAsync("/api/v1/payouts/onboarding", null)).ExpectProblemAsync(HttpStatusCode.Forbidden);
    }
}

public sealed class StripeConnectTests_Sqlite(StripeSqliteFactory factory) : StripeConnectTests(factory), IClassFixture<StripeSqliteFactory>;

public sealed class StripeConnectTests_PostgreSql(StripePostgreSqlFactory factory) : StripeConnectTests(factory), IClassFixture<StripePostgreSqlFactory>;
