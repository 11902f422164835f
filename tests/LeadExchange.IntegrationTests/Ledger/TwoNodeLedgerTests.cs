using System.Net;
using System.Net.Http.Json;
using LeadExchange.Application.Ledger;
using LeadExchange.Domain.Ledger;
using LeadExchange.IntegrationTests.Infrastructure;
using LeadExchange.IntegrationTests.Stripe;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LeadExchange.IntegrationTests.Ledger;

/// <summary>
/// Two app instances (own services, own connection pools) on one PostgreSQL database: charges, releases and
/// payout requests racing through both keep every balance non-negative and every event once.
/// </summary>
public sealed class TwoNodeLedgerTests(StripePostgreSqlFactory factory) : IClassFixture<StripePostgreSqlFactory>
{
    [Fact]
    public async Task Charge_WhenSixtyChargesSplitAcrossTwoNodes_NeverOverdrawsAndReconciles()
    {
        await using var node2 = factory.SecondNode();
        await node2.InitializeAsync();
        var advertiser = await factory.RegisterAsync("advertiser");
        var webmaster = await factory.RegisterAsync("webmaster");
        await LedgerHarness.TopUpAsync(factory, advertiser.Email, 25 * 1_000);

        var results = await Task.WhenAll(Enumerable.Range(0, 60).Select(i => Task.Run(() =>
            LedgerHarness.TryChargeAsync(i % 2 == 0 ? factory : node2, advertiser.UserId, webmaster.UserId, 1_000, TestTime.UtcNow.AddDays(3)))));

        Assert.Equal(25, results.Count(r => r.Charged));
        Assert.Equal(0, await LedgerHarness.BalanceAsync(factory, AccountType.AdvertiserBalance, advertiser.UserId));
        Assert.Equal(25_000, await LedgerHarness.BalanceAsync(node2, AccountType.Escrow, advertiser.UserId));
        await LedgerHarness.AssertReconciledAsync(factory);
    }

    [Fact]
    public async Task Release_WhenBothNodesRunTheJobAtOnce_EachHoldReleasedOnce()
    {
        await using var node2 = factory.SecondNode();
        await node2.InitializeAsync();
        var advertiser = await factory.RegisterAsync("advertiser");
        var webmaster = await factory.RegisterAsync("webmaster");
        await LedgerHarness.TopUpAsync(factory, advertiser.Email, 20 * 5_000);
        var holds = new List<Guid>();
        for (var i = 0; i < 20; i++)
            holds.Add((await LedgerHarness.TryChargeAsync(factory, advertiser.UserId, webmaster.UserId, 5_000, TestTime.UtcNow.AddSeconds(-1))).HoldId);

        async Task RunJob(LeadExchangeFactory node)
        {
            await using var scope = node.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new ReleaseDueHoldsCommand());
        }
        await Task.WhenAll(RunJob(factory), RunJob(node2), RunJob(factory), RunJob(node2));

        var references = holds.Select(h => "hold:" + h.ToString("N")).ToList();
        Assert.Equal(20, await factory.WithDbAsync(db => db.JournalEntries.CountAsync(e => e.Type == JournalEntryType.Release && references.Contains(e.Reference))));
        Assert.Equal(20 * 4_000, await LedgerHarness.BalanceAsync(factory, AccountType.WebmasterAvailable, webmaster.UserId));
        await LedgerHarness.AssertReconciledAsync(factory);
    }

    [Fact]
    public async Task ManualPayouts_WhenRequestedThroughBothNodes_OnlyAvailableMoneyLeaves()
    {
        await using var node2 = factory.SecondNode();
        await node2.InitializeAsync();
        // Stripe is configured in this factory: payouts need an onboarded webmaster.
        var (webmaster, _) = await factory.OnboardedWebmasterAsync();
        await factory.CreditWebmasterAsync(webmaster.UserId, 3 * 600_00, "RUB");
        var onNode2 = node2.CreateClientWithKey(webmaster.ApiKey);

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(i =>
            (i % 2 == 0 ? webmaster.Client : onNode2).PostAsJsonAsync("/api/v1/payouts", new { amount = 600_00, currency = "RUB" })));

        Assert.Equal(3, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.Created), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
        Assert.Equal(0, await LedgerHarness.BalanceAsync(factory, AccountType.WebmasterAvailable, webmaster.UserId));
        await LedgerHarness.AssertReconciledAsync(factory);
    }
}
