using LeadExchange.Application.Ledger;
using LeadExchange.Application.Payouts;
using LeadExchange.Domain.Ledger;
using LeadExchange.Domain.Payments;
using LeadExchange.IntegrationTests.Infrastructure;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LeadExchange.IntegrationTests.Ledger;

/// <summary>
/// Random sequences of top-ups, sales, refunds, releases and payouts (seeded, so a failure replays): after
/// every step the ledger reconciles, and at the end every balance equals a plain model of the rules.
/// </summary>
public abstract class LedgerPropertyTests(LeadExchangeFactory factory)
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task RandomSequence_WhenAnyOrderOfMoneyEvents_LedgerBalancesAndMatchesModel(int seed)
    {
        var random = new Random(seed);
        var advertiser = await factory.RegisterAsync("advertiser");
        var webmaster = await factory.RegisterAsync("webmaster");
        long modelBalance = 0, modelEscrow = 0, modelAvailable = 0, modelTransit = 0, modelRevenue = 0;
        var held = new List<(Guid Id, long Amount)>();
        var openPayouts = new List<(Guid Id, long Amount)>();

        for (var step = 0; step < 40; step++)
        {
            switch (random.Next(6))
            {
                case 0:
                    var topUp = random.Next(1, 50) * 1_000L;
                    await LedgerHarness.TopUpAsync(factory, advertiser.Email, topUp);
                    modelBalance += topUp;
                    break;
                case 1:
                    var price = random.Next(1, 30_000);
                    var due = random.Next(2) == 0;
                    var (charged, holdId) = await LedgerHarness.TryChargeAsync(factory, advertiser.UserId, webmaster.UserId, price,
                        due ? TestTime.UtcNow.AddSeconds(-1) : TestTime.UtcNow.AddDays(7), commissionBp: 1750);
                    Assert.Equal(price <= modelBalance, charged);
                    if (charged)
                    {
                        modelBalance -= price;
                        modelEscrow += price;
                        held.Add((holdId, price));
                    }
                    break;
                case 2 when held.Count > 0:
                    var refund = held[random.Next(held.Count)];
                    if (await LedgerHarness.InTransactionAsync(factory, sp => sp.GetRequiredService<EscrowService>().TryRefundAsync(refund.Id, null, default)))
                    {
                        modelEscrow -= refund.Amount;
                        modelBalance += refund.Amount;
                    }
                    held.Remove(refund);
                    break;
                case 3:
                    await using (var scope = factory.Services.CreateAsyncScope())
                        await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new ReleaseDueHoldsCommand());
                    break;
                case 4:
                    var available = await LedgerHarness.BalanceAsync(factory, AccountType.WebmasterAvailable, webmaster.UserId);
                    if (available >= 500_00)
                    {
                        var amount = random.NextInt64(500_00, available + 1);
                        var payout = await (await webmaster.Client.PostAsJsonAsyncCompat("/api/v1/payouts", new { amount, currency = "RUB" }))
                            .ExpectJsonAsync(System.Net.HttpStatusCode.Created);
                        openPayouts.Add((Guid.Parse(payout.Str("id")), amount));
                    }
                    break;
                case 5 when openPayouts.Count > 0:
                    var open = openPayouts[random.Next(openPayouts.Count)];
                    var paid = random.Next(2) == 0;
                    await LedgerHarness.InTransactionAsync(factory, sp => paid
                        ? sp.GetRequiredService<PayoutSettlement>().MarkPaidAsync(open.Id, null, "test", "ref", default)
                        : sp.GetRequiredService<PayoutSettlement>().MarkFailedAsync(open.Id, "test", "failed in test", "test", default));
                    openPayouts.Remove(open);
                    break;
            }
            await LedgerHarness.AssertReconciledAsync(factory);
        }

        // Whatever the background job released meanwhile is the same as what the release command would have:
        // settle the model from the holds' final states.
        var holds = await factory.WithDbAsync(db => db.EscrowHolds.AsNoTracking().Where(h => h.AdvertiserId == advertiser.UserId).ToListAsync());
        foreach (var hold in holds.Where(h => h.Status == HoldStatus.Released))
        {
            modelEscrow -= hold.Amount;
            modelRevenue += hold.PlatformShare;
        }
        var payouts = await factory.WithDbAsync(db => db.Payouts.AsNoTracking().Where(p => p.WebmasterId == webmaster.UserId).ToListAsync());
        var earned = holds.Where(h => h.Status == HoldStatus.Released).Sum(h => h.WebmasterShare);
        modelTransit = payouts.Where(p => p.Status == PayoutStatus.AwaitingManual).Sum(p => p.Amount);
        modelAvailable = earned - payouts.Where(p => p.Status is PayoutStatus.AwaitingManual or PayoutStatus.Paid).Sum(p => p.Amount);

        Assert.Equal(modelBalance, await LedgerHarness.BalanceAsync(factory, AccountType.AdvertiserBalance, advertiser.UserId));
        Assert.Equal(modelEscrow, await LedgerHarness.BalanceAsync(factory, AccountType.Escrow, advertiser.UserId));
        Assert.Equal(modelAvailable, await LedgerHarness.BalanceAsync(factory, AccountType.WebmasterAvailable, webmaster.UserId));
        Assert.Equal(modelTransit, await LedgerHarness.BalanceAsync(factory, AccountType.PayoutsInTransit, webmaster.UserId));
        Assert.Equal(modelEscrow, holds.Where(h => h.Status == HoldStatus.Held).Sum(h => h.Amount));
        Assert.True(modelRevenue >= 0);
    }
}

internal static class JsonPostCompat
{
    public static Task<HttpResponseMessage> PostAsJsonAsyncCompat<T>(this HttpClient client, string url, T body) =>
        System.Net.Http.Json.HttpClientJsonExtensions.PostAsJsonAsync(client, url, body);
}

public sealed class LedgerPropertyTests_Sqlite(SqliteFactory factory) : LedgerPropertyTests(factory), IClassFixture<SqliteFactory>;

public sealed class LedgerPropertyTests_PostgreSql(PostgreSqlFactory factory) : LedgerPropertyTests(factory), IClassFixture<PostgreSqlFactory>;
