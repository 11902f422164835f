using System.Net;
using LeadExchange.IntegrationTests.Infrastructure;

namespace LeadExchange.IntegrationTests.Stripe;

/// <summary>Without Stripe keys (the embedded default) the Stripe endpoints say so; nothing pretends to work.</summary>
public sealed class StripeManualModeTests(SqliteFactory factory) : IClassFixture<SqliteFactory>
{
    [Fact]
    public async Task StartTopUp_WhenStripeNotConfigured_Returns409StripeNotConfigured()
    {
        var advertiser = await factory.RegisterAsync("advertiser");
        var response = await advertiser.Client.PostJsonAsync("/api/v1/top-ups", new { amount = 2_000_00, currency = "USD" });
        Assert.Equal("stripe_not_configured", (await response.ExpectProblemAsync(HttpStatusCode.Conflict)).Str("code"));
        var list = await (await advertiser.Client.GetAsync("/api/v1/top-ups")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Empty(list.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task StartOnboarding_WhenStripeNotConfigured_Returns409AndSetupSaysManual()
    {
        var webmaster = await factory.RegisterAsync("webmaster");
        var response = await webmaster.Client.PostAsync("/api/v1/payouts/onboarding", null);
        Assert.Equal("stripe_not_configured", (await response.ExpectProblemAsync(HttpStatusCode.Conflict)).Str("code"));

        var setup = await (await webmaster.Client.GetAsync("/api/v1/payouts/setup")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.False(setup.GetProperty("stripeConfigured").GetBoolean());
        Assert.True(setup.IsNull("accountId"));
    }

    [Fact]
    public async Task Webhook_WhenNoSigningSecretConfigured_Returns503()
    {
        using var client = factory.CreateAnonymousClient();
        var response = await client.PostAsync("/stripe/webhook", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));
        await response.ExpectJsonAsync(HttpStatusCode.ServiceUnavailable);
    }
}
