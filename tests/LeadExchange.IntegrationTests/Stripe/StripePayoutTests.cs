using System.Net;
using LeadExchange.Application.Common.Interfaces;
using LeadExchange.Domain.Ledger;
using LeadExchange.Domain.Payments;
using LeadExchange.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LeadExchange.IntegrationTests.Stripe;

/// <summary>
/// Stripe Connect payouts: request → ledger move + outbox row → dispatcher → Stripe transfer with the
/// payout's idempotency key → paid, or failed with the money back. Retries, timeouts and crashes never
/// pay twice. The dispatcher is driven by the test (Jobs:Enabled=false); the clock skips backoffs.
/// </summary>
public abstract class StripePayoutTests(StripeAppFactory factory)
{
    protected const string Transfers = "/v1/transfers";
    protected const long Amount = 700_00;

    protected StripeAppFactory Factory => factory;

    [Fact]
    public async Task Payout_WhenTransferSucceeds_PaidExactlyOnce()
    {
        var (webmaster, accountId) = await factory.OnboardedWebmasterAsync();
        await factory.CreditWebmasterAsync(webmaster.UserId, 1_000_00);

        var payoutId = await factory.RequestPayoutAsync(webmaster, Amount);
        Assert.Equal(300_00, await factory.AccountBalanceAsync(AccountType.WebmasterAvailable, webmaster.UserId));
        Assert.Equal(Amount, await factory.AccountBalanceAsync(AccountType.PayoutsInTransit, webmaster.UserId));
        Assert.Equal("requested", (await factory.PayoutAsync(webmaster, payoutId)).Str("status"));

        Assert.True(await factory.DispatchOutboxAsync() >= 1);
        await factory.DispatchOutboxAsync();

        var payout = await factory.PayoutAsync(webmaster, payoutId);
        Assert.Equal("paid", payout.Str("status"));
        var transfer = Assert.Single(factory.Fake.TransfersTo(accountId));
        Assert.Equal((string)transfer["id"]!, payout.Str("stripeTransferId"));
        Assert.Equal(Amount, (long)transfer["amount"]!);
        Assert.Equal("usd", (string)transfer["currency"]!);
        Assert.Equal(Guid.Parse(payoutId).ToString("N"), (string)transfer["metadata"]!["payout_id"]!);
        var key = await KeyAsync(payoutId);
        Assert.Equal($"payout-{Guid.Parse(payoutId):N}", key);
        Assert.Single(factory.Fake.IdempotencyKeysSent(Transfers), k => k == key);
        await AssertPaidOnceAsync(webmaster, payoutId, accountId);
    }

    [Fact]
    public async Task Payout_WhenStripeBalanceInsufficient_FailsWithReasonAndMoneyReturnsToAvailable()
    {
        var (webmaster, accountId) = await factory.OnboardedWebmasterAsync();
        await factory.CreditWebmasterAsync(webmaster.UserId, 1_000_00);
        factory.Fake.SetAvailableBalance("usd", 100);
        try
        {
            var payoutId = await factory.RequestPayoutAsync(webmaster, Amount);
            var key = await KeyAsync(payoutId);
            await factory.DispatchOutboxAsync();

            var payout = await factory.PayoutAsync(webmaster, payoutId);
            Assert.Equal("failed", payout.Str("status"));
            Assert.Equal("balance_insufficient", payout.Str("failureCode"));
            Assert.False(string.IsNullOrWhiteSpace(payout.Str("failureReason")));
            Assert.Empty(factory.Fake.TransfersTo(accountId));
            Assert.Equal(1_000_00, await factory.AccountBalanceAsync(AccountType.WebmasterAvailable, webmaster.UserId));
            Assert.Equal(0, await factory.AccountBalanceAsync(AccountType.PayoutsInTransit, webmaster.UserId));
            Assert.Equal(1, await factory.EntryCountAsync(JournalEntryType.PayoutFailure, $"payout:{Guid.Parse(payoutId):N}"));
            // A definite failure is final: the outbox does not try again.
            factory.SkipBackoff();
            await factory.DispatchOutboxAsync();
            Assert.Single(factory.Fake.IdempotencyKeysSent(Transfers), k => k == key);
            await factory.AssertLedgerBalancedAsync();
        }
        finally
        {
            factory.Fake.ResetBalances();
        }
    }

    [Fact]
    public async Task Payout_WhenAccountLostTransfersCapability_FailsDefinitelyWithMoneyBack()
    {
        var (webmaster, accountId) = await factory.OnboardedWebmasterAsync();
        await factory.CreditWebmasterAsync(webmaster.UserId, 1_000_00);
        var payoutId = await factory.RequestPayoutAsync(webmaster, Amount);
        factory.Fake.DisableTransfers(accountId); // Stripe's side changed before its account.updated reached us

        await factory.DispatchOutboxAsync();

        var payout = await factory.PayoutAsync(webmaster, payoutId);
        Assert.Equal("failed", payout.Str("status"));
        Assert.Equal("insufficient_capabilities_for_transfer", payout.Str("failureCode"));
        Assert.Equal(1_000_00, await factory.AccountBalanceAsync(AccountType.WebmasterAvailable, webmaster.UserId));
        await factory.AssertLedgerBalancedAsync();
    }

    [Fact]
    public async Task Payout_WhenStripeAnswers500Then429_RetriedLaterWithSameKeyAndPaidOnce()
    {
        var (webmaster, accountId) = await factory.OnboardedWebmasterAsync();
        await factory.CreditWebmasterAsync(webmaster.UserId, 1_000_00);
        var payoutId = await factory.RequestPayoutAsync(webmaster, Amount);
        var key = await KeyAsync(payoutId);
        factory.Fake.InjectFault("POST", Transfers, FaultKind.ServerError);
        factory.Fake.InjectFault("POST", Transfers, FaultKind.RateLimited);

        await factory.DispatchOutboxAsync();                     // 500: outcome unknown
        Assert.Equal("requested", (await factory.PayoutAsync(webmaster, payoutId)).Str("status"));
        Assert.Contains("api_error", await LastOutboxErrorAsync(payoutId), StringComparison.Ordinal);
        await factory.DispatchOutboxAsync();                     // backing off: not due yet
        Assert.Single(factory.Fake.IdempotencyKeysSent(Transfers), k => k == key);

        factory.SkipBackoff();
        await factory.DispatchOutboxAsync();                     // 429 with Stripe-Should-Retry
        Assert.Equal("requested", (await factory.PayoutAsync(webmaster, payoutId)).Str("status"));
        Assert.Contains("rate_limit", await LastOutboxErrorAsync(payoutId), StringComparison.Ordinal);
        Assert.Equal(2, await factory.WithDbAsync(db => db.Payouts.Where(p => p.Id == Guid.Parse(payoutId)).Select(p => p.Attempts).FirstAsync()));

        factory.SkipBackoff();
        await factory.DispatchOutboxAsync();                     // 200

        Assert.Equal(3, factory.Fake.IdempotencyKeysSent(Transfers).Count(k => k == key));
        Assert.Equal("paid", (await factory.PayoutAsync(webmaster, payoutId)).Str("status"));
        await AssertPaidOnceAsync(webmaster, payoutId, accountId);
    }

    [Fact]
    public async Task Payout_WhenTransferCreatedButAnswerTimesOut_RetryGetsSameTransferAndPaysOnce()
    {
        var (webmaster, accountId) = await factory.OnboardedWebmasterAsync();
        await factory.CreditWebmasterAsync(webmaster.UserId, 1_000_00);
        var payoutId = await factory.RequestPayoutAsync(webmaster, Amount);
        var key = await KeyAsync(payoutId);
        factory.Fake.InjectFault("POST", Transfers, FaultKind.ProcessThenDelay, delay: TimeSpan.FromSeconds(StripeAppFactory.TimeoutSeconds * 3));

        await factory.DispatchOutboxAsync();

        // Stripe made the transfer, but we never heard: the payout stays in transit, to be retried.
        var created = Assert.Single(factory.Fake.TransfersTo(accountId));
        Assert.Contains("timeout", await LastOutboxErrorAsync(payoutId), StringComparison.OrdinalIgnoreCase);
        Assert.Equal("requested", (await factory.PayoutAsync(webmaster, payoutId)).Str("status"));
        Assert.Equal(Amount, await factory.AccountBalanceAsync(AccountType.PayoutsInTransit, webmaster.UserId));

        factory.SkipBackoff();
        await factory.DispatchOutboxAsync();

        var payout = await factory.PayoutAsync(webmaster, payoutId);
        Assert.Equal("paid", payout.Str("status"));
        Assert.Equal((string)created["id"]!, payout.Str("stripeTransferId"));
        Assert.Contains(factory.Fake.Requests, r => r.IdempotencyKey == key && r.Replayed);
        await AssertPaidOnceAsync(webmaster, payoutId, accountId);
    }

    [Fact]
    public async Task Payout_WhenRequestTimesOutBeforeStripeActs_RetriedAndPaidOnce()
    {
        var (webmaster, accountId) = await factory.OnboardedWebmasterAsync();
        await factory.CreditWebmasterAsync(webmaster.UserId, 1_000_00);
        var payoutId = await factory.RequestPayoutAsync(webmaster, Amount);
        factory.Fake.InjectFault("POST", Transfers, FaultKind.DelayBeforeProcessing, delay: TimeSpan.FromSeconds(StripeAppFactory.TimeoutSeconds * 3));

        await factory.DispatchOutboxAsync();
        Assert.Empty(factory.Fake.TransfersTo(accountId));
        Assert.Equal("requested", (await factory.PayoutAsync(webmaster, payoutId)).Str("status"));
        Assert.Contains("timeout", await LastOutboxErrorAsync(payoutId), StringComparison.OrdinalIgnoreCase);

        factory.SkipBackoff();
        await factory.DispatchOutboxAsync();

        Assert.Equal("paid", (await factory.PayoutAsync(webmaster, payoutId)).Str("status"));
        await AssertPaidOnceAsync(webmaster, payoutId, accountId);
    }

    [Fact]
    public async Task CreateTransfer_WhenSameKeyInFlightOrReusedWithOtherParams_AmbiguousNeverSecondTransfer()
    {
        var (_, accountId) = await factory.OnboardedWebmasterAsync();
        var gateway = factory.Services.GetRequiredService<IPaymentGateway>();
        var key = $"test-{Guid.NewGuid():N}";
        var metadata = new Dictionary<string, string> { ["payout_id"] = key };
        var hold = factory.Fake.Hold("POST", Transfers);

        var first = gateway.CreateTransferAsync(600_00, "USD", accountId, key, metadata, CancellationToken.None);
        await hold.Arrived.WaitAsync(TimeSpan.FromSeconds(StripeAppFactory.TimeoutSeconds));
        var second = await gateway.CreateTransferAsync(600_00, "USD", accountId, key, metadata, CancellationToken.None);
        hold.Release();
        var firstResult = await first;

        var ambiguous = Assert.IsType<TransferResult.Ambiguous>(second);
        Assert.Contains("idempotency_key_in_use", ambiguous.Message, StringComparison.Ordinal);
        var ok = Assert.IsType<TransferResult.Succeeded>(firstResult);
        var replay = Assert.IsType<TransferResult.Succeeded>(await gateway.CreateTransferAsync(600_00, "USD", accountId, key, metadata, CancellationToken.None));
        Assert.Equal(ok.TransferId, replay.TransferId);
        // Same key, other parameters: Stripe says idempotency_error. Something was sent under this key, so not "definitely failed".
        Assert.IsType<TransferResult.Ambiguous>(await gateway.CreateTransferAsync(601_00, "USD", accountId, key, metadata, CancellationToken.None));
        Assert.Single(factory.Fake.TransfersTo(accountId));
    }

    [Fact]
    public async Task CreateTransfer_WhenDestinationUnknown_DefinitelyFailedAccountInvalid()
    {
        var gateway = factory.Services.GetRequiredService<IPaymentGateway>();
        var result = await gateway.CreateTransferAsync(600_00, "USD", "acct_doesnotexist", $"test-{Guid.NewGuid():N}",
            new Dictionary<string, string>(), CancellationToken.None);
        Assert.Equal("account_invalid", Assert.IsType<TransferResult.DefinitelyFailed>(result).Code);
    }

    protected async Task<string> LastOutboxErrorAsync(string payoutId) =>
        await factory.WithDbAsync(db => db.OutboxMessages.Where(m => m.Key == Guid.Parse(payoutId).ToString("N")).Select(m => m.LastError).FirstAsync()) ?? "";

    protected async Task<string> KeyAsync(string payoutId) =>
        await factory.WithDbAsync(db => db.Payouts.Where(p => p.Id == Guid.Parse(payoutId)).Select(p => p.IdempotencyKey).FirstAsync());

    /// <summary>One transfer at Stripe, one PayoutPaid entry, nothing left in transit, and a ledger that reconciles.</summary>
    protected async Task AssertPaidOnceAsync(TestUser webmaster, string payoutId, string accountId)
    {
        var payout = await factory.PayoutAsync(webmaster, payoutId);
        Assert.Equal("paid", payout.Str("status"));
        var forPayout = factory.Fake.TransfersTo(accountId).Where(t => (string?)t["metadata"]!["payout_id"] == Guid.Parse(payoutId).ToString("N")).ToList();
        Assert.Equal(payout.Str("stripeTransferId"), (string)Assert.Single(forPayout)["id"]!);
        Assert.Equal(1, await factory.EntryCountAsync(JournalEntryType.PayoutPaid, $"payout:{Guid.Parse(payoutId):N}"));
        Assert.Equal(0, await factory.EntryCountAsync(JournalEntryType.PayoutFailure, $"payout:{Guid.Parse(payoutId):N}"));
        Assert.Equal(0, await factory.AccountBalanceAsync(AccountType.PayoutsInTransit, webmaster.UserId));
        await factory.AssertLedgerBalancedAsync();
    }
}

public sealed class StripePayoutTests_Sqlite(StripeSqliteFactory factory) : StripePayoutTests(factory), IClassFixture<StripeSqliteFactory>;

/// <summary>Also the multi-node cases: a second app instance on the same PostgreSQL database.</summary>
public sealed class StripePayoutTests_PostgreSql(StripePostgreSqlFactory factory) : StripePayoutTests(factory), IClassFixture<StripePostgreSqlFactory>
{
    [Fact]
    public async Task Payout_WhenAppDiesAfterLedgerMoveBeforeStripeCall_NewInstancePaysOnce()
    {
        var (webmaster, accountId) = await Factory.OnboardedWebmasterAsync();
        await Factory.CreditWebmasterAsync(webmaster.UserId, 1_000_00);
        // The request committed the ledger move and the outbox row; then this instance "dies" before dispatching.
        var payoutId = await Factory.RequestPayoutAsync(webmaster, Amount);
        Assert.Empty(Factory.Fake.TransfersTo(accountId));

        await using var restarted = Factory.SecondNode("restarted");
        await restarted.InitializeAsync();
        Assert.True(await restarted.DispatchOutboxAsync() >= 1);
        await restarted.DispatchOutboxAsync();
        await Factory.DispatchOutboxAsync();

        await AssertPaidOnceAsync(webmaster, payoutId, accountId);
    }

    [Fact]
    public async Task Payout_WhenAppDiesAfterStripeCallBeforeRecording_OtherInstanceReplaysSameTransfer()
    {
        var (webmaster, accountId) = await Factory.OnboardedWebmasterAsync();
        await Factory.CreditWebmasterAsync(webmaster.UserId, 1_000_00);
        var payoutId = await Factory.RequestPayoutAsync(webmaster, Amount);
        var id = Guid.Parse(payoutId);
        var payout = await Factory.WithDbAsync(db => db.Payouts.AsNoTracking().FirstAsync(p => p.Id == id));

        // The dying node had claimed the outbox row (lease 2 min) and sent the transfer exactly as the handler does...
        var leaseEnd = Factory.Clock.UtcNow.AddMinutes(2);
        await Factory.WithDbAsync(db => db.OutboxMessages.Where(m => m.Key == id.ToString("N"))
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.LockedBy, "dead-node").SetProperty(m => m.LockedUntil, leaseEnd).SetProperty(m => m.Attempts, 1)));
        var sent = await Factory.Services.GetRequiredService<IPaymentGateway>().CreateTransferAsync(payout.Amount, payout.Currency, accountId,
            payout.IdempotencyKey, new Dictionary<string, string> { ["payout_id"] = id.ToString("N"), ["webmaster_id"] = payout.WebmasterId },
            CancellationToken.None);
        var transferId = Assert.IsType<TransferResult.Succeeded>(sent).TransferId;
        // ...and died before recording the outcome.

        await using var other = Factory.SecondNode("other");
        await other.InitializeAsync();
        await other.DispatchOutboxAsync();
        Assert.Equal("requested", (await Factory.PayoutAsync(webmaster, payoutId)).Str("status")); // the lease still holds

        other.Clock.Advance(TimeSpan.FromMinutes(3));
        Assert.True(await other.DispatchOutboxAsync() >= 1);

        Assert.Equal(transferId, (await Factory.PayoutAsync(webmaster, payoutId)).Str("stripeTransferId"));
        await AssertPaidOnceAsync(webmaster, payoutId, accountId);
    }

    [Fact]
    public async Task Payout_WhenTwoInstancesDispatchConcurrently_OneTransferAndOnePaidEntryEach()
    {
        var payouts = new List<(TestUser Webmaster, string PayoutId, string AccountId)>();
        for (var i = 0; i < 3; i++)
        {
            var (webmaster, accountId) = await Factory.OnboardedWebmasterAsync();
            await Factory.CreditWebmasterAsync(webmaster.UserId, 1_000_00);
            payouts.Add((webmaster, await Factory.RequestPayoutAsync(webmaster, Amount), accountId));
        }
        await using var node2 = Factory.SecondNode();
        await node2.InitializeAsync();
        // Slow Stripe answers widen the window in which both nodes are working at once.
        Factory.Fake.InjectFault("POST", Transfers, FaultKind.DelayBeforeProcessing, count: 3, delay: TimeSpan.FromMilliseconds(400));

        await Task.WhenAll(Factory.DispatchOutboxAsync(), node2.DispatchOutboxAsync(), Factory.DispatchOutboxAsync(), node2.DispatchOutboxAsync());
        await Task.WhenAll(Factory.DispatchOutboxAsync(), node2.DispatchOutboxAsync());

        foreach (var (webmaster, payoutId, accountId) in payouts)
        {
            var key = await KeyAsync(payoutId);
            Assert.Single(Factory.Fake.IdempotencyKeysSent(Transfers), k => k == key);
            await AssertPaidOnceAsync(webmaster, payoutId, accountId);
        }
    }

    [Fact]
    public async Task Payout_WhenLeaseExpiresWhileFirstNodeStillCallsStripe_SecondNodeCannotPayTwice()
    {
        var (webmaster, accountId) = await Factory.OnboardedWebmasterAsync();
        await Factory.CreditWebmasterAsync(webmaster.UserId, 1_000_00);
        var payoutId = await Factory.RequestPayoutAsync(webmaster, Amount);
        var key = await KeyAsync(payoutId);
        await using var node2 = Factory.SecondNode();
        await node2.InitializeAsync();
        node2.Clock.Advance(TimeSpan.FromMinutes(3)); // node2 sees node1's lease as expired as soon as it is taken
        var hold = Factory.Fake.Hold("POST", Transfers);

        var slow = Factory.DispatchOutboxAsync();
        await hold.Arrived.WaitAsync(TimeSpan.FromSeconds(StripeAppFactory.TimeoutSeconds));
        await node2.DispatchOutboxAsync(); // re-claims, calls Stripe with the same key while node1's call is in flight: 409
        hold.Release();
        await slow;
        Assert.Equal("paid", (await Factory.PayoutAsync(webmaster, payoutId)).Str("status"));

        node2.SkipBackoff();
        await node2.DispatchOutboxAsync(); // the retry finds the payout paid and stops
        Factory.SkipBackoff();
        await Factory.DispatchOutboxAsync();

        Assert.Contains(Factory.Fake.Requests, r => r.IdempotencyKey == key && r.Status == 409);
        await AssertPaidOnceAsync(webmaster, payoutId, accountId);
        Assert.Equal(0, await Factory.WithDbAsync(db => db.OutboxMessages.CountAsync(m => m.Key == Guid.Parse(payoutId).ToString("N") && m.ProcessedAt == null)));
    }
}
