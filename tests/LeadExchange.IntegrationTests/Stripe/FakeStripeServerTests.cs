using System.Net;
using StripeNet = global::Stripe;

namespace LeadExchange.IntegrationTests.Stripe;

/// <summary>
/// The fake speaks Stripe as Stripe.net understands it: a plain StripeClient (no app) parses its objects,
/// errors, idempotency answers and the endpoints the app does not use yet (reversals, balance).
/// </summary>
public sealed class FakeStripeServerTests : IAsyncLifetime
{
    private FakeStripeServer _fake = null!;
    private StripeNet.StripeClient _client = null!;

    public async Task InitializeAsync()
    {
        _fake = await FakeStripeServer.StartAsync();
        _client = new StripeNet.StripeClient(new StripeNet.StripeClientOptions
        {
            ApiKey = FakeStripeServer.SecretKey,
            ApiBase = _fake.BaseUrl,
            HttpClient = new StripeNet.SystemNetHttpClient(new HttpClient { Timeout = TimeSpan.FromSeconds(5) }, maxNetworkRetries: 0),
        });
    }

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    [Fact]
    public async Task TransferAndReversal_WhenAccountActive_MoveThePlatformBalance()
    {
        var account = await _client.V1.Accounts.CreateAsync(new StripeNet.AccountCreateOptions
        {
            Type = "express",
            Capabilities = new StripeNet.AccountCapabilitiesOptions { Transfers = new StripeNet.AccountCapabilitiesTransfersOptions { Requested = true } },
            Metadata = new Dictionary<string, string> { ["user_id"] = "u1" },
        });
        Assert.StartsWith("acct_", account.Id, StringComparison.Ordinal);
        Assert.Equal("inactive", account.Capabilities.Transfers);
        Assert.Equal("u1", account.Metadata["user_id"]);
        _fake.CompleteOnboarding(account.Id);
        Assert.Equal("active", (await _client.V1.Accounts.GetAsync(account.Id)).Capabilities.Transfers);
        _fake.SetAvailableBalance("usd", 10_000);

        var transfer = await _client.V1.Transfers.CreateAsync(new StripeNet.TransferCreateOptions
        {
            Amount = 7_000, Currency = "usd", Destination = account.Id, Metadata = new Dictionary<string, string> { ["payout_id"] = "p1" },
        });
        var reversal = await _client.V1.Transfers.Reversals.CreateAsync(transfer.Id, new StripeNet.TransferReversalCreateOptions { Amount = 2_000 });
        var balance = await _client.V1.Balance.GetAsync();

        Assert.StartsWith("tr_", transfer.Id, StringComparison.Ordinal);
        Assert.Equal(account.Id, transfer.DestinationId);
        Assert.Equal("p1", transfer.Metadata["payout_id"]);
        Assert.StartsWith("trr_", reversal.Id, StringComparison.Ordinal);
        Assert.Equal(transfer.Id, reversal.TransferId);
        Assert.Equal(2_000, (await _client.V1.Transfers.GetAsync(transfer.Id)).AmountReversed);
        Assert.Equal(5_000, balance.Available.Single(b => b.Currency == "usd").Amount);
    }

    [Fact]
    public async Task Errors_WhenStripeRefuses_HaveStripesShapeAndStatus()
    {
        var missing = await Assert.ThrowsAsync<StripeNet.StripeException>(() => _client.V1.Transfers.CreateAsync(
            new StripeNet.TransferCreateOptions { Amount = 100, Currency = "usd", Destination = "acct_nobody" }));
        Assert.Equal(HttpStatusCode.BadRequest, missing.HttpStatusCode);
        Assert.Equal("account_invalid", missing.StripeError.Code);
        Assert.Equal("invalid_request_error", missing.StripeError.Type);
        Assert.Equal("destination", missing.StripeError.Param);

        var notFound = await Assert.ThrowsAsync<StripeNet.StripeException>(() => _client.V1.Checkout.Sessions.GetAsync("cs_test_nope"));
        Assert.Equal(HttpStatusCode.NotFound, notFound.HttpStatusCode);
        Assert.Equal("resource_missing", notFound.StripeError.Code);

        var badKey = new StripeNet.StripeClient(new StripeNet.StripeClientOptions { ApiKey = "sk_test_wrong", ApiBase = _fake.BaseUrl });
        var unauthorized = await Assert.ThrowsAsync<StripeNet.StripeException>(() => badKey.V1.Balance.GetAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.HttpStatusCode);
    }

    [Fact]
    public async Task IdempotencyKey_WhenReusedSameOrOtherParams_ReplaysOrRefuses()
    {
        var options = new StripeNet.Checkout.SessionCreateOptions
        {
            Mode = "payment",
            SuccessUrl = "https://example.test/ok",
            ClientReferenceId = "ref-1",
            Metadata = new Dictionary<string, string> { ["topup_id"] = "t1" },
            LineItems =
            [
                new StripeNet.Checkout.SessionLineItemOptions
                {
                    Quantity = 2,
                    PriceData = new StripeNet.Checkout.SessionLineItemPriceDataOptions
                    {
                        Currency = "eur", UnitAmount = 1_250,
                        ProductData = new StripeNet.Checkout.SessionLineItemPriceDataProductDataOptions { Name = "Top-up" },
                    },
                },
            ],
        };
        var key = new StripeNet.RequestOptions { IdempotencyKey = "key-" + Guid.NewGuid().ToString("N") };

        var first = await _client.V1.Checkout.Sessions.CreateAsync(options, key);
        var again = await _client.V1.Checkout.Sessions.CreateAsync(options, key);
        options.ClientReferenceId = "ref-2";
        var mismatch = await Assert.ThrowsAsync<StripeNet.StripeException>(() => _client.V1.Checkout.Sessions.CreateAsync(options, key));

        Assert.Equal(2_500, first.AmountTotal);
        Assert.Equal("ref-1", first.ClientReferenceId);
        Assert.Equal("t1", first.Metadata["topup_id"]);
        Assert.StartsWith("cs_test_", first.Id, StringComparison.Ordinal);
        Assert.Equal(first.Id, again.Id);
        Assert.Equal("true", again.StripeResponse.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(HttpStatusCode.BadRequest, mismatch.HttpStatusCode);
        Assert.Equal("idempotency_error", mismatch.StripeError.Type);
        Assert.Single(_fake.Requests, r => r.IdempotencyKey == key.IdempotencyKey && r.Status == 200 && !r.Replayed);
    }

    [Fact]
    public async Task Faults_WhenInjected_Answer500And429ThenRecover()
    {
        _fake.InjectFault("GET", "/v1/balance", FaultKind.ServerError);
        _fake.InjectFault("GET", "/v1/balance", FaultKind.RateLimited);

        var serverError = await Assert.ThrowsAsync<StripeNet.StripeException>(() => _client.V1.Balance.GetAsync());
        var limited = await Assert.ThrowsAsync<StripeNet.StripeException>(() => _client.V1.Balance.GetAsync());
        var ok = await _client.V1.Balance.GetAsync();

        Assert.Equal(HttpStatusCode.InternalServerError, serverError.HttpStatusCode);
        Assert.Equal("api_error", serverError.StripeError.Type);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.HttpStatusCode);
        Assert.Equal("true", limited.StripeResponse.Headers.GetValues("Stripe-Should-Retry").Single());
        Assert.Equal("balance", ok.Object);
    }
}
