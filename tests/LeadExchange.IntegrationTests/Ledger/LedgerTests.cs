using System.Net;
using System.Net.Http.Json;
using LeadExchange.Application.Ledger;
using LeadExchange.Domain.Ledger;
using LeadExchange.IntegrationTests.Infrastructure;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LeadExchange.IntegrationTests.Ledger;

/// <summary>Balances, escrow and release against a real database: never negative, never twice, always balanced.</summary>
public abstract class LedgerTests(LeadExchangeFactory factory)
{
    [Fact]
    public async Task ManualTopUp_WhenAdminCredits_BalanceAndStatementShowIt()
    {
        var advertiser = await factory.RegisterAsync("advertiser");
        await LedgerHarness.TopUpAsync(factory, advertiser.Email, 12_345_00);

        var balance = await (await advertiser.Client.GetAsync("/api/v1/balance")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal("RUB", balance.Str("currency"));
        Assert.Equal(12_345_00, balance.GetProperty("available").GetInt64());
        Assert.Equal(0, balance.GetProperty("held").GetInt64());

        var statement = await (await advertiser.Client.GetAsync("/api/v1/ledger")).ExpectJsonAsync(HttpStatusCode.OK);
        var line = Assert.Single(statement.GetProperty("items").EnumerateArray());
        Assert.Equal("topUp", line.Str("type"));
        Assert.Equal(12_345_00, line.GetProperty("amount").GetInt64());
        Assert.Contains("Manual top-up", line.Str("description"));
        await LedgerHarness.AssertReconciledAsync(factory);
    }

    [Fact]
    public async Task ManualTopUp_WhenSameIdempotencyKeyTwice_CreditsOnce()
    {
        var advertiser = await factory.RegisterAsync("advertiser");
        var admin = await factory.DemoClientAsync("admin");
        var key = TestServices.ShortId();
        async Task<HttpResponseMessage> Send()
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/admin/manual-top-ups")
            {
                Content = JsonContent.Create(new { userId = advertiser.UserId, amount = 5_000, currency = "RUB" }),
            };
            request.Headers.Add("Idempotency-Key", key);
            return await admin.SendAsync(request);
        }
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Send()));

        Assert.Single(results, r => r.StatusCode == HttpStatusCode.Created);
        Assert.All(results.Where(r => r.StatusCode != HttpStatusCode.Created), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
        Assert.Equal(5_000, await LedgerHarness.BalanceAsync(factory, AccountType.AdvertiserBalance, advertiser.UserId));
        await LedgerHarness.AssertReconciledAsync(factory);
    }

    [Fact]
    public async Task ManualTopUp_WhenNotAdminOrBadInput_RefusedAndNothingStored()
    {
        var advertiser = await factory.RegisterAsync("advertiser");
        var webmaster = await factory.RegisterAsync("webmaster");
        var forbidden = await advertiser.Client.PostAsJsonAsync("/api/v1/admin/manual-top-ups", new { userId = advertiser.UserId, amount = 100, currency = "RUB" });
        await forbidden.ExpectStatusAsync(HttpStatusCode.Forbidden);

        var admin = await factory.DemoClientAsync("admin");
        var errors = await (await admin.PostAsJsonAsync("/api/v1/admin/manual-top-ups", new { userId = webmaster.UserId, amount = 0, currency = "GBP" }))
            .ExpectValidationErrorsAsync();
        Assert.Contains("amount", errors.Keys);
        Assert.Contains("currency", errors.Keys);
        Assert.Contains("userId", errors.Keys);
        Assert.Equal(0, await LedgerHarness.BalanceAsync(factory, AccountType.AdvertiserBalance, advertiser.UserId));
    }

    [Fact]
    public async Task Charge_WhenFiftyParallelChargesExceedBalance_ExactlyAffordableOnesSucceedAndNeverNegative()
    {
        var advertiser = await factory.RegisterAsync("advertiser");
        var webmaster = await factory.RegisterAsync("webmaster");
        await LedgerHarness.TopUpAsync(factory, advertiser.Email, 20 * 1_000);

        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ =>
            Task.Run(() => LedgerHarness.TryChargeAsync(factory, advertiser.UserId, webmaster.UserId, 1_000, TestTime.UtcNow.AddDays(3)))));

        Assert.Equal(20, results.Count(r => r.Charged));
        Assert.Equal(0, await LedgerHarness.BalanceAsync(factory, AccountType.AdvertiserBalance, advertiser.UserId));
        Assert.Equal(20_000, await LedgerHarness.BalanceAsync(factory, AccountType.Escrow, advertiser.UserId));
        var balance = await (await advertiser.Client.GetAsync("/api/v1/balance")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal(0, balance.GetProperty("available").GetInt64());
        Assert.Equal(20_000, balance.GetProperty("held").GetInt64());
        await LedgerHarness.AssertReconciledAsync(factory);
    }

    [Fact]
    public async Task Release_WhenRunConcurrentlyManyTimes_ReleasesEachHoldOnceWithCommission()
    {
        var advertiser = await factory.RegisterAsync("advertiser");
        var webmaster = await factory.RegisterAsync("webmaster");
        await LedgerHarness.TopUpAsync(factory, advertiser.Email, 10 * 999);
        var holds = new List<Guid>();
        for (var i = 0; i < 10; i++)
        {
            var (charged, id) = await LedgerHarness.TryChargeAsync(factory, advertiser.UserId, webmaster.UserId, 999, TestTime.UtcNow.AddSeconds(-1), commissionBp: 1500);
            Assert.True(charged);
            holds.Add(id);
        }

        await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(async () =>
        {
            await using var scope = factory.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new ReleaseDueHoldsCommand());
        })));

        // 999 at 15%: the webmaster gets floor(849.15) = 849, the platform 150.
        Assert.Equal(10 * 849, await LedgerHarness.BalanceAsync(factory, AccountType.WebmasterAvailable, webmaster.UserId));
        Assert.Equal(0, await LedgerHarness.BalanceAsync(factory, AccountType.Escrow, advertiser.UserId));
        var releases = await factory.WithDbAsync(db => db.JournalEntries.CountAsync(e => e.Type == JournalEntryType.Release && holds.Select(h => "hold:" + h.ToString("N")).Contains(e.Reference)));
        Assert.Equal(10, releases);
        Assert.All(await factory.WithDbAsync(db => db.EscrowHolds.Where(h => holds.Contains(h.Id)).ToListAsync()), h => Assert.Equal(HoldStatus.Released, h.Status));
        await LedgerHarness.AssertReconciledAsync(factory);
    }

    [Fact]
    public async Task Release_WhenHoldNotDueOrFrozen_StaysInEscrow_AndRefundReturnsItOnce()
    {
        var advertiser = await factory.RegisterAsync("advertiser");
        var webmaster = await factory.RegisterAsync("webmaster");
        await LedgerHarness.TopUpAsync(factory, advertiser.Email, 5_000);
        var (_, future) = await LedgerHarness.TryChargeAsync(factory, advertiser.UserId, webmaster.UserId, 2_000, TestTime.UtcNow.AddDays(2));

        await using (var scope = factory.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new ReleaseDueHoldsCommand());
        Assert.Equal(2_000, await LedgerHarness.BalanceAsync(factory, AccountType.Escrow, advertiser.UserId));

        var refunds = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => Task.Run(() =>
            LedgerHarness.InTransactionAsync(factory, sp => sp.GetRequiredService<EscrowService>().TryRefundAsync(future, null, default)))));
        Assert.Single(refunds, r => r);
        Assert.Equal(5_000, await LedgerHarness.BalanceAsync(factory, AccountType.AdvertiserBalance, advertiser.UserId));
        Assert.Equal(0, await LedgerHarness.BalanceAsync(factory, AccountType.Escrow, advertiser.UserId));
        await LedgerHarness.AssertReconciledAsync(factory);
    }

    [Fact]
    public async Task Statement_WhenAnotherUserAsks_SeesOnlyOwnLines()
    {
        var one = await factory.RegisterAsync("advertiser");
        var two = await factory.RegisterAsync("advertiser");
        await LedgerHarness.TopUpAsync(factory, one.Email, 1_000);

        var theirs = await (await two.Client.GetAsync("/api/v1/ledger")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal(0, theirs.GetProperty("total").GetInt32());
        var ignoredFilter = await (await two.Client.GetAsync($"/api/v1/ledger?ownerId={one.UserId}")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal(0, ignoredFilter.GetProperty("total").GetInt32());
        var reconciliation = await two.Client.GetAsync("/api/v1/admin/ledger/reconciliation");
        await reconciliation.ExpectStatusAsync(HttpStatusCode.Forbidden);
    }
}

public sealed class LedgerTests_Sqlite(SqliteFactory factory) : LedgerTests(factory), IClassFixture<SqliteFactory>;

public sealed class LedgerTests_PostgreSql(PostgreSqlFactory factory) : LedgerTests(factory), IClassFixture<PostgreSqlFactory>;
