using System.Net;
using System.Net.Http.Json;
using LeadExchange.Application.Ledger;
using LeadExchange.Domain.Ledger;
using LeadExchange.IntegrationTests.Infrastructure;
using MediatR;
using Microsoft.Extensions.DependencyInjection;

namespace LeadExchange.IntegrationTests.Ledger;

/// <summary>Payouts without Stripe (manual mode): request, minimums, parallel requests, settle paid or failed once.</summary>
public abstract class PayoutTests(LeadExchangeFactory factory)
{
    [Fact]
    public async Task RequestPayout_WhenManualMode_MovesMoneyToTransitAndWaitsForAdmin()
    {
        var webmaster = await LedgerHarness.WebmasterWithEarningsAsync(factory, 100_000); // earns 80,000
        var created = await (await webmaster.Client.PostAsJsonAsync("/api/v1/payouts", new { amount = 60_000, currency = "RUB" })).ExpectJsonAsync(HttpStatusCode.Created);
        Assert.Equal("awaitingManual", created.Str("status"));
        Assert.Equal("manual", created.Str("method"));

        var balance = await (await webmaster.Client.GetAsync("/api/v1/balance")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal(20_000, balance.GetProperty("available").GetInt64());
        Assert.Equal(60_000, balance.GetProperty("held").GetInt64());

        var admin = await factory.DemoClientAsync("admin");
        var paid = await (await admin.PostAsJsonAsync($"/api/v1/admin/payouts/{created.Str("id")}/settlement", new { paid = true, reference = "wire 77" }))
            .ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal("paid", paid.Str("status"));
        var again = await admin.PostAsJsonAsync($"/api/v1/admin/payouts/{created.Str("id")}/settlement", new { paid = true, reference = "wire 77" });
        await again.ExpectProblemAsync(HttpStatusCode.Conflict);

        balance = await (await webmaster.Client.GetAsync("/api/v1/balance")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal(20_000, balance.GetProperty("available").GetInt64());
        Assert.Equal(0, balance.GetProperty("held").GetInt64());
        var list = await (await webmaster.Client.GetAsync("/api/v1/payouts")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal("paid", Assert.Single(list.GetProperty("items").EnumerateArray()).Str("status"));
        await LedgerHarness.AssertReconciledAsync(factory);
    }

    [Fact]
    public async Task SettlePayout_WhenFailed_ReturnsMoneyWithReason()
    {
        var webmaster = await LedgerHarness.WebmasterWithEarningsAsync(factory, 100_000);
        var created = await (await webmaster.Client.PostAsJsonAsync("/api/v1/payouts", new { amount = 80_000, currency = "RUB" })).ExpectJsonAsync(HttpStatusCode.Created);
        var admin = await factory.DemoClientAsync("admin");

        var noReason = await admin.PostAsJsonAsync($"/api/v1/admin/payouts/{created.Str("id")}/settlement", new { paid = false });
        Assert.Contains("reference", (await noReason.ExpectValidationErrorsAsync()).Keys);
        var failed = await (await admin.PostAsJsonAsync($"/api/v1/admin/payouts/{created.Str("id")}/settlement", new { paid = false, reference = "IBAN rejected by bank" }))
            .ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal("failed", failed.Str("status"));
        Assert.Equal("IBAN rejected by bank", failed.Str("failureReason"));
        Assert.Equal(80_000, await LedgerHarness.BalanceAsync(factory, AccountType.WebmasterAvailable, webmaster.UserId));
        Assert.Equal(0, await LedgerHarness.BalanceAsync(factory, AccountType.PayoutsInTransit, webmaster.UserId));
        await LedgerHarness.AssertReconciledAsync(factory);
    }

    [Fact]
    public async Task RequestPayout_WhenBelowMinimumOrAboveAvailable_RefusedClearly()
    {
        var webmaster = await LedgerHarness.WebmasterWithEarningsAsync(factory, 100_000);
        var below = await webmaster.Client.PostAsJsonAsync("/api/v1/payouts", new { amount = 100, currency = "RUB" });
        Assert.Contains("amount", (await below.ExpectValidationErrorsAsync()).Keys);
        var above = await (await webmaster.Client.PostAsJsonAsync("/api/v1/payouts", new { amount = 80_001, currency = "RUB" })).ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("insufficient_funds", above.Str("code"));
        var advertiser = await factory.RegisterAsync("advertiser");
        await (await advertiser.Client.PostAsJsonAsync("/api/v1/payouts", new { amount = 60_000, currency = "RUB" })).ExpectStatusAsync(HttpStatusCode.Forbidden);
        Assert.Equal(80_000, await LedgerHarness.BalanceAsync(factory, AccountType.WebmasterAvailable, webmaster.UserId));
    }

    [Fact]
    public async Task RequestPayout_WhenTenParallelRequestsForMostOfTheBalance_OnlyOneSucceeds()
    {
        var webmaster = await LedgerHarness.WebmasterWithEarningsAsync(factory, 100_000);
        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ =>
            webmaster.Client.PostAsJsonAsync("/api/v1/payouts", new { amount = 50_000, currency = "RUB" })));
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.Created), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
        Assert.Equal(30_000, await LedgerHarness.BalanceAsync(factory, AccountType.WebmasterAvailable, webmaster.UserId));
        await LedgerHarness.AssertReconciledAsync(factory);
    }

    [Fact]
    public async Task SettlePayout_WhenWebmasterTries_Forbidden()
    {
        var webmaster = await LedgerHarness.WebmasterWithEarningsAsync(factory, 100_000);
        var created = await (await webmaster.Client.PostAsJsonAsync("/api/v1/payouts", new { amount = 60_000, currency = "RUB" })).ExpectJsonAsync(HttpStatusCode.Created);
        await (await webmaster.Client.PostAsJsonAsync($"/api/v1/admin/payouts/{created.Str("id")}/settlement", new { paid = true })).ExpectStatusAsync(HttpStatusCode.Forbidden);
    }
}

public sealed class PayoutTests_Sqlite(SqliteFactory factory) : PayoutTests(factory), IClassFixture<SqliteFactory>;

public sealed class PayoutTests_PostgreSql(PostgreSqlFactory factory) : PayoutTests(factory), IClassFixture<PostgreSqlFactory>;
