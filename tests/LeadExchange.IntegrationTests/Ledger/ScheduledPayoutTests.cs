using LeadExchange.Application.Ledger;
using LeadExchange.Application.Payouts;
using LeadExchange.Domain.Ledger;
using LeadExchange.Domain.Payments;
using LeadExchange.IntegrationTests.Infrastructure;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LeadExchange.IntegrationTests.Ledger;

/// <summary>The scheduled payout run: whole available balance above the minimum, once per schedule period, once across racing runs.</summary>
public abstract class ScheduledPayoutTests(LeadExchangeFactory factory)
{
    private async Task<int> RunAsync()
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new RunScheduledPayoutsCommand());
    }

    [Fact]
    public async Task RunScheduledPayouts_WhenRacingAndRunAgain_PaysEachEligibleWebmasterOnce()
    {
        var rich = await LedgerHarness.WebmasterWithEarningsAsync(factory, 100_000);   // earns 80,000 >= minimum 50,000
        var poor = await LedgerHarness.WebmasterWithEarningsAsync(factory, 10_000);    // earns 8,000 < minimum

        await Task.WhenAll(RunAsync(), RunAsync(), RunAsync());
        await RunAsync(); // a later run inside the schedule period pays nothing more

        var payouts = await factory.WithDbAsync(db => db.Payouts.AsNoTracking()
            .Where(p => p.WebmasterId == rich.UserId || p.WebmasterId == poor.UserId).ToListAsync());
        var payout = Assert.Single(payouts);
        Assert.Equal(rich.UserId, payout.WebmasterId);
        Assert.Equal(80_000, payout.Amount);
        Assert.True(payout.Scheduled);
        Assert.Equal(PayoutStatus.AwaitingManual, payout.Status);
        Assert.Equal(0, await LedgerHarness.BalanceAsync(factory, AccountType.WebmasterAvailable, rich.UserId));
        Assert.Equal(8_000, await LedgerHarness.BalanceAsync(factory, AccountType.WebmasterAvailable, poor.UserId));
        await LedgerHarness.AssertReconciledAsync(factory);
    }

    [Fact]
    public async Task RequestPayout_WhenRefusedForFunds_LeavesNothingForTheCallersNextSave()
    {
        // The scheduled run sends one payout command per webmaster through one scope: a payout refused because another
        // node took the money first must not stay in the change tracker to be written by the next webmaster's payout.
        var webmaster = await LedgerHarness.WebmasterWithEarningsAsync(factory, 100_000); // earns 80,000
        await using var scope = factory.Services.CreateAsyncScope();
        var mediator = scope.ServiceProvider.GetRequiredService<IMediator>();
        await mediator.Send(new RequestPayoutCommand(60_000, "RUB", Scheduled: true, WebmasterId: webmaster.UserId));

        await Assert.ThrowsAsync<InsufficientFundsException>(() =>
            mediator.Send(new RequestPayoutCommand(60_000, "RUB", Scheduled: true, WebmasterId: webmaster.UserId)));
        await scope.ServiceProvider.GetRequiredService<LeadExchange.Infrastructure.Persistence.AppDbContext>().SaveChangesAsync();

        Assert.Equal(1, await factory.WithDbAsync(db => db.Payouts.CountAsync(p => p.WebmasterId == webmaster.UserId)));
        Assert.Equal(20_000, await LedgerHarness.BalanceAsync(factory, AccountType.WebmasterAvailable, webmaster.UserId));
        await LedgerHarness.AssertReconciledAsync(factory);
    }
}

public sealed class ScheduledPayoutTests_Sqlite(SqliteFactory factory) : ScheduledPayoutTests(factory), IClassFixture<SqliteFactory>;

public sealed class ScheduledPayoutTests_PostgreSql(PostgreSqlFactory factory) : ScheduledPayoutTests(factory), IClassFixture<PostgreSqlFactory>;
