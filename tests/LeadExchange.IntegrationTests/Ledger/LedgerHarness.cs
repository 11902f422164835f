using System.Net;
using System.Net.Http.Json;
using LeadExchange.Application.Ledger;
using LeadExchange.Domain.Ledger;
using LeadExchange.Infrastructure.Persistence;
using LeadExchange.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LeadExchange.IntegrationTests.Ledger;

/// <summary>Drives the ledger through the app's own services, each call in its own scope and transaction, like a request.</summary>
public static class LedgerHarness
{
    public static async Task<T> InTransactionAsync<T>(LeadExchangeFactory factory, Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var tx = await db.Database.BeginTransactionAsync();
            var result = await work(scope.ServiceProvider);
            await tx.CommitAsync();
            return result;
        });
    }

    /// <summary>Charges the advertiser into escrow for a new sale; false when the balance was short.</summary>
    public static async Task<(bool Charged, Guid HoldId)> TryChargeAsync(LeadExchangeFactory factory, string advertiserId, string webmasterId,
        long amount, DateTime releaseAt, int commissionBp = 2000)
    {
        try
        {
            var hold = await InTransactionAsync(factory, sp => sp.GetRequiredService<EscrowService>()
                .ChargeAsync("sale", Guid.NewGuid(), advertiserId, webmasterId, "RUB", amount, commissionBp, releaseAt, "test sale", default));
            return (true, hold.Id);
        }
        catch (InsufficientFundsException)
        {
            return (false, Guid.Empty);
        }
    }

    /// <summary>A new webmaster whose sale of <paramref name="price"/> (20% commission) was charged and released to their available balance.</summary>
    public static async Task<TestUser> WebmasterWithEarningsAsync(LeadExchangeFactory factory, long price)
    {
        var advertiser = await factory.RegisterAsync("advertiser");
        var webmaster = await factory.RegisterAsync("webmaster");
        await TopUpAsync(factory, advertiser.Email, price);
        var (charged, holdId) = await TryChargeAsync(factory, advertiser.UserId, webmaster.UserId, price, TestTime.UtcNow.AddSeconds(-1));
        Assert.True(charged);
        Assert.True(await InTransactionAsync(factory, sp => sp.GetRequiredService<EscrowService>().TryReleaseAsync(holdId, default)));
        return webmaster;
    }

    public static async Task TopUpAsync(IAppNode factory, string email, long amount)
    {
        var admin = await factory.AdminClientAsync();
        var response = await admin.PostAsJsonAsync("/api/v1/admin/manual-top-ups", new { email, amount, currency = "RUB", note = "test" });
        await response.ExpectStatusAsync(HttpStatusCode.Created);
    }

    public static Task<long> BalanceAsync(IAppNode factory, AccountType type, string ownerId) =>
        factory.WithDbAsync(db => db.LedgerAccounts.Where(a => a.Type == type && a.OwnerId == ownerId && a.Currency == "RUB")
            .Select(a => (long?)a.Balance).FirstOrDefaultAsync().ContinueWith(t => t.Result ?? 0));

    /// <summary>Asserts every ledger invariant through the admin API (the same check admins run).</summary>
    public static async Task AssertReconciledAsync(IAppNode factory)
    {
        var admin = await factory.AdminClientAsync();
        var report = await (await admin.GetAsync("/api/v1/admin/ledger/reconciliation")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.True(report.GetProperty("balanced").GetBoolean(), $"Ledger does not reconcile: {report}");
        Assert.Equal(0, report.GetProperty("totalOfAllPostings").GetInt64());
    }
}
