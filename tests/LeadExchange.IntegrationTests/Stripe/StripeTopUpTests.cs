using System.Net;
using LeadExchange.Application.Ledger;
using LeadExchange.Domain.Ledger;
using LeadExchange.Domain.Payments;
using LeadExchange.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LeadExchange.IntegrationTests.Stripe;

/// <summary>
/// Stripe top-ups end to end: Stripe.net talks to the fake server over HTTP, and webhook events signed with
/// Stripe.net's own helper are posted to the app. Credit happens once per session whatever the delivery.
/// </summary>
public abstract class StripeTopUpTests(StripeAppFactory factory)
{
    private const long Amount = 2_500_00;

    [Fact]
    public async Task StartTopUp_WhenAmountValid_ReturnsFakeCheckoutUrlAndPendingTopUp()
    {
        var advertiser = await factory.RegisterAsync("advertiser");

        var (topUpId, checkoutUrl, sessionId) = await factory.StartTopUpAsync(advertiser, Amount);

        Assert.StartsWith(factory.Fake.BaseUrl + "/", checkoutUrl, StringComparison.Ordinal);
        Assert.StartsWith("cs_test_", sessionId, StringComparison.Ordinal);
        var session = factory.Fake.Session(sessionId);
        Assert.Equal(Amount, (long)session["amount_total"]!);
        Assert.Equal("usd", (string)session["currency"]!);
        Assert.Equal("payment", (string)session["mode"]!);
        Assert.Equal(Guid.Parse(topUpId), Guid.Parse((string)session["client_reference_id"]!));
        Assert.Equal(Guid.Parse(topUpId), Guid.Parse((string)session["metadata"]!["topup_id"]!));
        var sent = factory.Fake.Requests.Last(r => r.Path == "/v1/checkout/sessions");
        Assert.Equal(Amount.ToString(System.Globalization.CultureInfo.InvariantCulture), sent.Form["line_items[0][price_data][unit_amount]"]);
        Assert.Contains("{CHECKOUT_SESSION_ID}", sent.Form["success_url"], StringComparison.Ordinal);

        var list = await (await advertiser.Client.GetAsync("/api/v1/top-ups")).ExpectJsonAsync(HttpStatusCode.OK);
        var item = Assert.Single(list.GetProperty("items").EnumerateArray());
        Assert.Equal(topUpId, item.Str("id"));
        Assert.Equal("pending", item.Str("status"));
        Assert.Equal(sessionId, item.Str("stripeSessionId"));
        Assert.Equal(0, (await StripeAppFactory.BalanceAsync(advertiser)).GetProperty("available").GetInt64());
    }

    [Fact]
    public async Task StartTopUp_WhenAmountOrCurrencyInvalid_Returns422AndCallsNoStripe()
    {
        var advertiser = await factory.RegisterAsync("advertiser");
        var before = factory.Fake.Requests.Count(r => r.Path == "/v1/checkout/sessions");

        (await (await advertiser.Client.PostJsonAsync("/api/v1/top-ups", new { amount = 1, currency = "USD" })).ExpectValidationErrorsAsync()).AssertHasError("amount");
        (await (await advertiser.Client.PostJsonAsync("/api/v1/top-ups", new { amount = 1_000_000_000_01L, currency = "USD" })).ExpectValidationErrorsAsync()).AssertHasError("amount");
        (await (await advertiser.Client.PostJsonAsync("/api/v1/top-ups", new { amount = Amount, currency = "XYZ" })).ExpectValidationErrorsAsync()).AssertHasError("currency");

        Assert.Equal(before, factory.Fake.Requests.Count(r => r.Path == "/v1/checkout/sessions"));
    }

    [Fact]
    public async Task StartTopUp_WhenStripeFailsOrTimesOut_Returns503AndCreditsNothing()
    {
        var advertiser = await factory.RegisterAsync("advertiser");
        factory.Fake.InjectFault("POST", "/v1/checkout/sessions", FaultKind.ServerError);
        var failed = await advertiser.Client.PostJsonAsync("/api/v1/top-ups", new { amount = Amount, currency = "USD" });
        Assert.Equal("api_error", (await failed.ExpectProblemAsync(HttpStatusCode.ServiceUnavailable)).Str("code"));

        factory.Fake.InjectFault("POST", "/v1/checkout/sessions", FaultKind.DelayBeforeProcessing, delay: TimeSpan.FromSeconds(StripeAppFactory.TimeoutSeconds * 3));
        var timedOut = await advertiser.Client.PostJsonAsync("/api/v1/top-ups", new { amount = Amount, currency = "USD" });
        Assert.Equal("timeout", (await timedOut.ExpectProblemAsync(HttpStatusCode.ServiceUnavailable)).Str("code"));

        // Outcome unknown to us, so the rows stay pending (an expiry event would close them); no money either way.
        var list = await (await advertiser.Client.GetAsync("/api/v1/top-ups")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal(2, list.GetProperty("items").GetArrayLength());
        Assert.All(list.GetProperty("items").EnumerateArray(), t => Assert.Equal("pending", t.Str("status")));
        Assert.Equal(0, (await StripeAppFactory.BalanceAsync(advertiser)).GetProperty("available").GetInt64());
        await factory.AssertLedgerBalancedAsync();
    }

    [Fact]
    public async Task ExpireAbandoned_WhenPendingWithoutSessionFor48Hours_ClosesOnlyThose()
    {
        var advertiser = await factory.RegisterAsync("advertiser");
        factory.Fake.InjectFault("POST", "/v1/checkout/sessions", FaultKind.ServerError);
        await (await advertiser.Client.PostJsonAsync("/api/v1/top-ups", new { amount = Amount, currency = "USD" })).ExpectProblemAsync(HttpStatusCode.ServiceUnavailable);
        var (withSession, _, _) = await factory.StartTopUpAsync(advertiser, Amount);

        async Task<int> Sweep()
        {
            await using var scope = factory.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<MediatR.IMediator>().Send(new LeadExchange.Application.Payments.ExpireAbandonedTopUpsCommand());
        }
        Assert.Equal(0, await Sweep()); // not yet 48 hours
        factory.Clock.Advance(TimeSpan.FromHours(49));
        try
        {
            await Sweep();
        }
        finally
        {
            factory.Clock.Advance(TimeSpan.FromHours(-49));
        }

        var items = (await (await advertiser.Client.GetAsync("/api/v1/top-ups")).ExpectJsonAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal("expired", items.Single(t => t.Str("id") != withSession.ToString()).Str("status"));
        Assert.Equal("pending", items.Single(t => t.Str("id") == withSession.ToString()).Str("status"));
    }

    [Fact]
    public async Task StartTopUp_WhenWebmaster_Returns403()
    {
        var webmaster = await factory.RegisterAsync("webmaster");
        await (await webmaster.Client.PostJsonAsync("/api/v1/top-ups", new { amount = Amount, currency = "USD" })).ExpectProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task CheckoutCompleted_WhenSameEventDeliveredFiveTimesInParallel_CreditsOnce()
    {
        var advertiser = await factory.RegisterAsync("advertiser");
        var (topUpId, _, sessionId) = await factory.StartTopUpAsync(advertiser, Amount);
        var eventId = StripeAppFactory.NewEventId();
        var payload = StripeAppFactory.EventJson("checkout.session.completed", factory.Fake.CompleteSession(sessionId, paid: true), eventId);

        var responses = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => factory.PostEventAsync(payload)));

        var outcomes = new List<string>();
        foreach (var response in responses)
            outcomes.Add((await response.ExpectJsonAsync(HttpStatusCode.OK)).Str("outcome"));
        Assert.Equal(1, outcomes.Count(o => o == "processed"));
        Assert.Equal(4, outcomes.Count(o => o == "duplicate"));
        Assert.Equal(1, await factory.WithDbAsync(db => db.ProcessedStripeEvents.CountAsync(e => e.EventId == eventId)));
        await AssertCreditedOnceAsync(advertiser, topUpId, sessionId, Amount);

        // Stripe may also send the same news under another event id (a resend, or async_payment_succeeded).
        Assert.Equal("processed", await factory.SendEventAsync("checkout.session.completed", factory.Fake.CompleteSession(sessionId, paid: true)));
        Assert.Equal("processed", await factory.SendEventAsync("checkout.session.async_payment_succeeded", factory.Fake.SucceedAsyncPayment(sessionId)));
        await AssertCreditedOnceAsync(advertiser, topUpId, sessionId, Amount);
        await factory.AssertLedgerBalancedAsync();
    }

    [Fact]
    public async Task CheckoutCompleted_WhenDifferentEventIdsForOneSessionArriveInParallel_CreditsOnce()
    {
        var advertiser = await factory.RegisterAsync("advertiser");
        var (topUpId, _, sessionId) = await factory.StartTopUpAsync(advertiser, Amount);
        var session = factory.Fake.CompleteSession(sessionId, paid: true);

        var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ =>
            factory.PostEventAsync(StripeAppFactory.EventJson("checkout.session.completed", session))));

        foreach (var response in responses) await response.ExpectJsonAsync(HttpStatusCode.OK);
        await AssertCreditedOnceAsync(advertiser, topUpId, sessionId, Amount);
        await factory.AssertLedgerBalancedAsync();
    }

    [Fact]
    public async Task AsyncPayment_WhenCompletedUnpaidThenSucceeded_CreditsOnceOnSuccess()
    {
        var advertiser = await factory.RegisterAsync("advertiser");
        var (topUpId, _, sessionId) = await factory.StartTopUpAsync(advertiser, Amount);

        Assert.Equal("processed", await factory.SendEventAsync("checkout.session.completed", factory.Fake.CompleteSession(sessionId, paid: false)));
        Assert.Equal(TopUpStatus.Pending, await StatusAsync(topUpId));
        Assert.Equal(0, (await StripeAppFactory.BalanceAsync(advertiser)).GetProperty("available").GetInt64());
        Assert.Equal(0, await factory.EntryCountAsync(JournalEntryType.TopUp, StripeMoneyEventsReference(sessionId)));

        var succeeded = factory.Fake.SucceedAsyncPayment(sessionId);
        Assert.Equal("processed", await factory.SendEventAsync("checkout.session.async_payment_succeeded", succeeded));
        Assert.Equal("processed", await factory.SendEventAsync("checkout.session.async_payment_succeeded", succeeded));

        await AssertCreditedOnceAsync(advertiser, topUpId, sessionId, Amount);
        await factory.AssertLedgerBalancedAsync();
    }

    [Fact]
    public async Task AsyncPayment_WhenFailed_MarksFailedAndCreditsNothing()
    {
        var advertiser = await factory.RegisterAsync("advertiser");
        var (topUpId, _, sessionId) = await factory.StartTopUpAsync(advertiser, Amount);

        await factory.SendEventAsync("checkout.session.completed", factory.Fake.CompleteSession(sessionId, paid: false));
        Assert.Equal("processed", await factory.SendEventAsync("checkout.session.async_payment_failed", factory.Fake.FailAsyncPayment(sessionId)));

        Assert.Equal(TopUpStatus.Failed, await StatusAsync(topUpId));
        Assert.Equal(0, (await StripeAppFactory.BalanceAsync(advertiser)).GetProperty("available").GetInt64());
        Assert.Equal(0, await factory.EntryCountAsync(JournalEntryType.TopUp, StripeMoneyEventsReference(sessionId)));
        await factory.AssertLedgerBalancedAsync();
    }

    [Fact]
    public async Task AsyncPayment_WhenSucceededArrivesBeforeCompleted_CreditsOnce()
    {
        var advertiser = await factory.RegisterAsync("advertiser");
        var (topUpId, _, sessionId) = await factory.StartTopUpAsync(advertiser, Amount);
        var completedUnpaid = factory.Fake.CompleteSession(sessionId, paid: false);
        var succeeded = factory.Fake.SucceedAsyncPayment(sessionId);

        // Stripe does not promise order: the later event is delivered first.
        Assert.Equal("processed", await factory.SendEventAsync("checkout.session.async_payment_succeeded", succeeded));
        Assert.Equal("processed", await factory.SendEventAsync("checkout.session.completed", completedUnpaid));

        await AssertCreditedOnceAsync(advertiser, topUpId, sessionId, Amount);
        await factory.AssertLedgerBalancedAsync();
    }

    [Fact]
    public async Task CheckoutExpired_WhenPending_MarksExpiredWithoutMoney()
    {
        var advertiser = await factory.RegisterAsync("advertiser");
        var (topUpId, _, sessionId) = await factory.StartTopUpAsync(advertiser, Amount);

        Assert.Equal("processed", await factory.SendEventAsync("checkout.session.expired", factory.Fake.ExpireSession(sessionId)));

        Assert.Equal(TopUpStatus.Expired, await StatusAsync(topUpId));
        Assert.Equal(0, (await StripeAppFactory.BalanceAsync(advertiser)).GetProperty("available").GetInt64());
        await factory.AssertLedgerBalancedAsync();
    }

    [Fact]
    public async Task CheckoutCompleted_WhenAmountDiffersFromTopUp_CreditsNothing()
    {
        var advertiser = await factory.RegisterAsync("advertiser");
        var (topUpId, _, sessionId) = await factory.StartTopUpAsync(advertiser, Amount);
        var session = factory.Fake.CompleteSession(sessionId, paid: true);
        session["amount_total"] = Amount * 10;

        Assert.Equal("ignored", await factory.SendEventAsync("checkout.session.completed", session));

        Assert.Equal(TopUpStatus.Pending, await StatusAsync(topUpId));
        Assert.Equal(0, (await StripeAppFactory.BalanceAsync(advertiser)).GetProperty("available").GetInt64());
        await factory.AssertLedgerBalancedAsync();
    }

    [Fact]
    public async Task Webhook_WhenSignatureTimestampOrApiVersionInvalid_Returns400AndStoresNothing()
    {
        var advertiser = await factory.RegisterAsync("advertiser");
        var (topUpId, _, sessionId) = await factory.StartTopUpAsync(advertiser, Amount);
        var session = factory.Fake.CompleteSession(sessionId, paid: true);
        var eventId = StripeAppFactory.NewEventId();
        var payload = StripeAppFactory.EventJson("checkout.session.completed", session, eventId);
        var stale = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 600;

        var attempts = new[]
        {
            await factory.PostEventAsync(payload, secret: "whsec_someone_else"),
            await factory.PostEventAsync(payload, signatureHeader: ""),
            await factory.PostEventAsync(payload, signatureHeader: "t=123,v1=deadbeef"),
            await factory.PostEventAsync(payload, timestamp: stale),
            // Signed correctly, but the body was changed after signing.
            await factory.PostEventAsync(payload.Replace(Amount.ToString(System.Globalization.CultureInfo.InvariantCulture), "999999999", StringComparison.Ordinal),
                signatureHeader: global::Stripe.EventUtility.GenerateSignatureHeader(payload, StripeAppFactory.WebhookSecret)),
            // Signed correctly, but for an API version other than the one Stripe.net 53 is pinned to.
            await factory.PostEventAsync(StripeAppFactory.EventJson("checkout.session.completed", session, eventId, apiVersion: "2024-06-20")),
            // The platform event signed with the Connect endpoint's secret is not valid on the platform endpoint.
            await factory.PostEventAsync(payload, secret: StripeAppFactory.ConnectWebhookSecret),
        };

        foreach (var response in attempts)
        {
            var body = await response.ExpectJsonAsync(HttpStatusCode.BadRequest);
            Assert.Equal("invalid_stripe_event", body.Str("error"));
        }
        Assert.Equal(0, await factory.WithDbAsync(db => db.ProcessedStripeEvents.CountAsync(e => e.EventId == eventId)));
        Assert.Equal(TopUpStatus.Pending, await StatusAsync(topUpId));
        Assert.Equal(0, (await StripeAppFactory.BalanceAsync(advertiser)).GetProperty("available").GetInt64());

        // The same event, properly signed, is then accepted.
        (await (await factory.PostEventAsync(payload)).ExpectJsonAsync(HttpStatusCode.OK)).Str("outcome");
        await AssertCreditedOnceAsync(advertiser, topUpId, sessionId, Amount);
        await factory.AssertLedgerBalancedAsync();
    }

    [Fact]
    public async Task ChargeRefunded_WhenPartialRefundsArriveTwiceEach_DebitsOnlyTheIncrements()
    {
        var (advertiser, sessionId) = await factory.PaidAdvertiserAsync(5_000_00);

        var first = factory.Fake.Refund(sessionId, 1_000_00);
        Assert.Equal("processed", await factory.SendEventAsync("charge.refunded", first));
        Assert.Equal("processed", await factory.SendEventAsync("charge.refunded", first)); // resent under a new id: same cumulative
        Assert.Equal(4_000_00, (await StripeAppFactory.BalanceAsync(advertiser)).GetProperty("available").GetInt64());

        var second = factory.Fake.Refund(sessionId, 1_500_00); // cumulative 2 500.00
        Assert.Equal("processed", await factory.SendEventAsync("charge.refunded", second));
        Assert.Equal("processed", await factory.SendEventAsync("charge.refunded", first)); // a late, older event changes nothing
        Assert.Equal(2_500_00, (await StripeAppFactory.BalanceAsync(advertiser)).GetProperty("available").GetInt64());

        var chargeId = (string)second["id"]!;
        Assert.Equal(2, await factory.EntryCountAsync(JournalEntryType.TopUpReversal, $"stripe-refund:{chargeId}:"));
        Assert.Equal(2_500_00, await factory.WithDbAsync(db => db.TopUps.Where(t => t.StripeSessionId == sessionId).Select(t => t.RefundedAmount).FirstAsync()));
        Assert.Equal(0, await factory.AccountBalanceAsync(AccountType.AdvertiserReceivable, advertiser.UserId));
        await factory.AssertLedgerBalancedAsync();
    }

    [Fact]
    public async Task ChargeRefunded_WhenBalanceAlreadySpent_BooksReceivableAndLedgerReconciles()
    {
        var (advertiser, sessionId) = await factory.PaidAdvertiserAsync(2_000_00);
        await ChargeIntoEscrowAsync(advertiser.UserId, 1_500_00);

        Assert.Equal("processed", await factory.SendEventAsync("charge.refunded", factory.Fake.Refund(sessionId, 2_000_00)));

        Assert.Equal(0, await factory.AccountBalanceAsync(AccountType.AdvertiserBalance, advertiser.UserId));
        Assert.Equal(-1_500_00, await factory.AccountBalanceAsync(AccountType.AdvertiserReceivable, advertiser.UserId));
        Assert.Equal(1_500_00, await factory.AccountBalanceAsync(AccountType.Escrow, advertiser.UserId));
        Assert.Equal(1_500_00, (await StripeAppFactory.BalanceAsync(advertiser)).GetProperty("owed").GetInt64());
        Assert.Equal(TopUpStatus.Refunded, await factory.WithDbAsync(db => db.TopUps.Where(t => t.StripeSessionId == sessionId).Select(t => t.Status).FirstAsync()));
        await factory.AssertLedgerBalancedAsync();
    }

    [Fact]
    public async Task Dispute_WhenCreatedThenWon_FreezesThenReleasesTheAmount()
    {
        var (advertiser, sessionId) = await factory.PaidAdvertiserAsync(3_000_00);
        var disputeId = "dp_test_" + Guid.NewGuid().ToString("N")[..16];

        Assert.Equal("processed", await factory.SendEventAsync("charge.dispute.created", factory.Fake.Dispute(sessionId, 1_000_00, "needs_response", disputeId)));
        var frozen = await StripeAppFactory.BalanceAsync(advertiser);
        Assert.Equal(2_000_00, frozen.GetProperty("available").GetInt64());
        Assert.Equal(1_000_00, frozen.GetProperty("held").GetInt64());
        Assert.Equal(1_000_00, await factory.AccountBalanceAsync(AccountType.AdvertiserFrozen, advertiser.UserId));
        // A redelivery under another id does not freeze twice.
        await factory.SendEventAsync("charge.dispute.created", factory.Fake.Dispute(sessionId, 1_000_00, "needs_response", disputeId));
        Assert.Equal(1_000_00, await factory.AccountBalanceAsync(AccountType.AdvertiserFrozen, advertiser.UserId));

        Assert.Equal("processed", await factory.SendEventAsync("charge.dispute.closed", factory.Fake.Dispute(sessionId, 1_000_00, "won", disputeId)));
        await factory.SendEventAsync("charge.dispute.closed", factory.Fake.Dispute(sessionId, 1_000_00, "won", disputeId));

        var after = await StripeAppFactory.BalanceAsync(advertiser);
        Assert.Equal(3_000_00, after.GetProperty("available").GetInt64());
        Assert.Equal(0, after.GetProperty("held").GetInt64());
        await factory.AssertLedgerBalancedAsync();
    }

    [Fact]
    public async Task Dispute_WhenLostBeyondBalance_FrozenLeavesThroughClearingAndRestIsReceivable()
    {
        var (advertiser, sessionId) = await factory.PaidAdvertiserAsync(3_000_00);
        await ChargeIntoEscrowAsync(advertiser.UserId, 2_500_00);
        var disputeId = "dp_test_" + Guid.NewGuid().ToString("N")[..16];

        await factory.SendEventAsync("charge.dispute.created", factory.Fake.Dispute(sessionId, 3_000_00, "needs_response", disputeId));
        Assert.Equal(0, await factory.AccountBalanceAsync(AccountType.AdvertiserBalance, advertiser.UserId));
        Assert.Equal(3_000_00, await factory.AccountBalanceAsync(AccountType.AdvertiserFrozen, advertiser.UserId));
        Assert.Equal(-2_500_00, await factory.AccountBalanceAsync(AccountType.AdvertiserReceivable, advertiser.UserId));

        Assert.Equal("processed", await factory.SendEventAsync("charge.dispute.closed", factory.Fake.Dispute(sessionId, 3_000_00, "lost", disputeId)));

        Assert.Equal(0, await factory.AccountBalanceAsync(AccountType.AdvertiserFrozen, advertiser.UserId));
        Assert.Equal(-2_500_00, await factory.AccountBalanceAsync(AccountType.AdvertiserReceivable, advertiser.UserId));
        Assert.Equal(1, await factory.EntryCountAsync(JournalEntryType.TopUpReversal, $"stripe-dispute:{disputeId}"));
        await factory.AssertLedgerBalancedAsync();
    }

    [Fact]
    public async Task Dispute_WhenWonAfterFreezeBeyondBalance_ClearsTheReceivable()
    {
        var (advertiser, sessionId) = await factory.PaidAdvertiserAsync(2_000_00);
        await ChargeIntoEscrowAsync(advertiser.UserId, 1_800_00);
        var disputeId = "dp_test_" + Guid.NewGuid().ToString("N")[..16];

        await factory.SendEventAsync("charge.dispute.created", factory.Fake.Dispute(sessionId, 2_000_00, "needs_response", disputeId));
        Assert.Equal(-1_800_00, await factory.AccountBalanceAsync(AccountType.AdvertiserReceivable, advertiser.UserId));
        await factory.SendEventAsync("charge.dispute.closed", factory.Fake.Dispute(sessionId, 2_000_00, "won", disputeId));

        Assert.Equal(200_00, await factory.AccountBalanceAsync(AccountType.AdvertiserBalance, advertiser.UserId));
        Assert.Equal(0, await factory.AccountBalanceAsync(AccountType.AdvertiserReceivable, advertiser.UserId));
        Assert.Equal(0, await factory.AccountBalanceAsync(AccountType.AdvertiserFrozen, advertiser.UserId));
        await factory.AssertLedgerBalancedAsync();
    }

    [Fact]
    public async Task ChargeRefunded_WhenPaymentIntentUnknown_IgnoredWithoutMoney()
    {
        var charge = new System.Text.Json.Nodes.JsonObject
        {
            ["id"] = "ch_unknown_" + Guid.NewGuid().ToString("N")[..12], ["object"] = "charge", ["amount"] = 1000, ["amount_refunded"] = 1000,
            ["currency"] = "usd", ["payment_intent"] = "pi_unknown_" + Guid.NewGuid().ToString("N")[..12], ["refunded"] = true,
        };
        Assert.Equal("ignored", await factory.SendEventAsync("charge.refunded", charge));
        await factory.AssertLedgerBalancedAsync();
    }

    private async Task AssertCreditedOnceAsync(TestUser advertiser, string topUpId, string sessionId, long amount)
    {
        Assert.Equal(TopUpStatus.Paid, await StatusAsync(topUpId));
        Assert.Equal(amount, (await StripeAppFactory.BalanceAsync(advertiser)).GetProperty("available").GetInt64());
        Assert.Equal(1, await factory.EntryCountAsync(JournalEntryType.TopUp, StripeMoneyEventsReference(sessionId)));
    }

    private static string StripeMoneyEventsReference(string sessionId) => LeadExchange.Application.Payments.StripeMoneyEvents.CreditReference(sessionId);

    private Task<TopUpStatus> StatusAsync(string topUpId) =>
        factory.WithDbAsync(db => db.TopUps.Where(t => t.Id == Guid.Parse(topUpId)).Select(t => t.Status).FirstAsync());

    /// <summary>The advertiser buys something: balance → escrow through the app's EscrowService (the real charge path).</summary>
    private async Task ChargeIntoEscrowAsync(string advertiserId, long amount)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LeadExchange.Infrastructure.Persistence.AppDbContext>();
        var escrow = scope.ServiceProvider.GetRequiredService<EscrowService>();
        await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var tx = await db.Database.BeginTransactionAsync();
            await escrow.ChargeAsync("sale", Guid.NewGuid(), advertiserId, "webmaster-test", "USD", amount, 2000, TestTime.UtcNow.AddDays(30),
                "Test sale", CancellationToken.None);
            await tx.CommitAsync();
        });
    }
}

public sealed class StripeTopUpTests_Sqlite(StripeSqliteFactory factory) : StripeTopUpTests(factory), IClassFixture<StripeSqliteFactory>;

public sealed class StripeTopUpTests_PostgreSql(StripePostgreSqlFactory factory) : StripeTopUpTests(factory), IClassFixture<StripePostgreSqlFactory>
{
    [Fact]
    public async Task Webhook_WhenProcessingFails_Returns500AndCommitsNothing()
    {
        var advertiser = await factory.RegisterAsync("advertiser");
        var (topUpId, _, sessionId) = await factory.StartTopUpAsync(advertiser, 1_500_00);
        // An event id longer than the column (255): PostgreSQL refuses the insert, an unexpected failure.
        var eventId = "evt_" + new string('x', 300);

        var response = await factory.PostEventAsync(StripeAppFactory.EventJson("checkout.session.completed", factory.Fake.CompleteSession(sessionId, paid: true), eventId));

        Assert.Equal("processing_failed", (await response.ExpectJsonAsync(HttpStatusCode.InternalServerError)).Str("error"));
        Assert.Equal(TopUpStatus.Pending, await factory.WithDbAsync(db => db.TopUps.Where(t => t.Id == Guid.Parse(topUpId)).Select(t => t.Status).FirstAsync()));
        Assert.Equal(0, (await StripeAppFactory.BalanceAsync(advertiser)).GetProperty("available").GetInt64());
        await factory.AssertLedgerBalancedAsync();
    }
}
