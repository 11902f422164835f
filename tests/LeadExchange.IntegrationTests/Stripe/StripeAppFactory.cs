using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LeadExchange.Application.Common.Interfaces;
using LeadExchange.Application.Ledger;
using LeadExchange.Domain.Identity;
using LeadExchange.Domain.Ledger;
using LeadExchange.IntegrationTests.Infrastructure;
using LeadExchange.Infrastructure.Outbox;
using LeadExchange.Infrastructure.Persistence;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace LeadExchange.IntegrationTests.Stripe;

/// <summary>
/// The app with Stripe configured against a <see cref="FakeStripeServer"/> (its own, or a primary
/// node's), a movable clock, and background jobs off so tests drive the outbox themselves.
/// A "second node" shares the primary's database and fake Stripe but is its own app instance
/// (own services, own outbox node name, own connection pool).
/// </summary>
public class StripeAppFactory : LeadExchangeFactory
{
    public const string WebhookSecret = "whsec_test_platform_0123456789abcdef";
    public const string ConnectWebhookSecret = "whsec_test_connect_0123456789abcdef";
    /// <summary>Short, so timeout tests are quick; the fake's delays are longer than this.</summary>
    public const int TimeoutSeconds = 3;

    private readonly StripeAppFactory? _primary;
    private readonly string _nodeName;

    protected StripeAppFactory(TestDatabase database) : base(database)
    {
        Fake = FakeStripeServer.StartAsync().GetAwaiter().GetResult();
        _nodeName = "node1";
    }

    private StripeAppFactory(StripeAppFactory primary, string nodeName) : base(primary.Database)
    {
        _primary = primary;
        _nodeName = nodeName;
        Fake = primary.Fake;
        // Same time as the primary (whose clock earlier tests moved on), as real nodes roughly agree.
        Clock.MatchOffset(primary.Clock);
    }

    /// <summary>Another app instance on this one's database and fake Stripe: start it with InitializeAsync, dispose it yourself.</summary>
    public StripeAppFactory SecondNode(string nodeName = "node2") => new(this, nodeName);

    public FakeStripeServer Fake { get; }

    /// <summary>The database this app really uses (the primary's, for a second node).</summary>
    public string AppConnectionString => _primary is null ? ConnectionString
        : Database == TestDatabase.PostgreSql
            ? new NpgsqlConnectionStringBuilder(_primary.AppConnectionString) { ApplicationName = _nodeName }.ConnectionString
            : _primary.AppConnectionString;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        if (_primary is not null) builder.UseSetting("ConnectionStrings:Default", AppConnectionString);
        builder.UseSetting("Stripe:SecretKey", FakeStripeServer.SecretKey);
        builder.UseSetting("Stripe:WebhookSecret", WebhookSecret);
        builder.UseSetting("Stripe:ConnectWebhookSecret", ConnectWebhookSecret);
        builder.UseSetting("Stripe:ApiBase", Fake.BaseUrl);
        builder.UseSetting("Stripe:TimeoutSeconds", TimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Stripe:DefaultCurrency", "USD");
        builder.UseSetting("Jobs:Enabled", "false");
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_primary is null) await Fake.DisposeAsync();
    }

    // ---------------------------------------------------------------- helpers the Stripe tests share

    /// <summary>Runs the outbox once on this node, as the background job would.</summary>
    public Task<int> DispatchOutboxAsync() => Services.GetRequiredService<OutboxDispatcher>().DispatchDueAsync(100, CancellationToken.None);

    /// <summary>The ledger invariants, through the admin API: every money test ends with this.</summary>
    public async Task AssertLedgerBalancedAsync()
    {
        using var admin = await DemoClientAsync(Roles.Admin);
        var body = await (await admin.GetAsync("/api/v1/admin/ledger/reconciliation")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.True(body.GetProperty("balanced").GetBoolean(), "Ledger does not reconcile: " + body.GetRawText());
    }

    /// <summary>A balance from GET /api/v1/balance (available, held, pending, owed) in a currency.</summary>
    public static async Task<JsonElement> BalanceAsync(TestUser user, string currency = "USD") =>
        await (await user.Client.GetAsync($"/api/v1/balance?currency={currency}")).ExpectJsonAsync(HttpStatusCode.OK);

    public async Task<long> AccountBalanceAsync(AccountType type, string ownerId, string currency = "USD") =>
        await WithDbAsync(db => db.LedgerAccounts.AsNoTracking()
            .Where(a => a.Type == type && a.OwnerId == ownerId && a.Currency == currency).Select(a => a.Balance).FirstOrDefaultAsync());

    public Task<int> EntryCountAsync(JournalEntryType type, string referencePrefix) =>
        WithDbAsync(db => db.JournalEntries.CountAsync(e => e.Type == type && e.Reference.StartsWith(referencePrefix)));

    /// <summary>
    /// Gives a webmaster earnings to pay out. Earnings normally arrive through escrow releases; here a
    /// balanced adjustment (clearing → webmaster available) through the app's own LedgerPoster, in a transaction.
    /// </summary>
    public async Task CreditWebmasterAsync(string webmasterId, long amount, string currency = "USD")
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var ledger = scope.ServiceProvider.GetRequiredService<LedgerPoster>();
        await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var tx = await db.Database.BeginTransactionAsync();
            await ledger.PostAsync(JournalEntryType.ManualAdjustment, $"test-earnings:{Guid.NewGuid():N}", "Test earnings", currency,
                [(AccountKey.Platform(AccountType.PaymentClearing, currency), -amount),
                 (new AccountKey(AccountType.WebmasterAvailable, webmasterId, currency), amount)],
                null, CancellationToken.None);
            await tx.CommitAsync();
        });
    }

    // ---------------------------------------------------------------- webhooks

    /// <summary>An event as Stripe sends it: id evt_..., api_version = Stripe.net's pinned version, data.object.</summary>
    public static string EventJson(string type, JsonObject dataObject, string? eventId = null, string? apiVersion = null, string? account = null)
    {
        var json = new JsonObject
        {
            ["id"] = eventId ?? NewEventId(),
            ["object"] = "event",
            ["api_version"] = apiVersion ?? global::Stripe.StripeConfiguration.ApiVersion,
            ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["data"] = new JsonObject { ["object"] = JsonNode.Parse(dataObject.ToJsonString()) },
            ["livemode"] = false,
            ["pending_webhooks"] = 1,
            ["request"] = new JsonObject { ["id"] = null, ["idempotency_key"] = null },
            ["type"] = type,
        };
        if (account is not null) json["account"] = account;
        return json.ToJsonString();
    }

    public static string NewEventId() => "evt_test_" + Guid.NewGuid().ToString("N")[..24];

    /// <summary>Signs exactly like Stripe (Stripe.net's own helper: t=..., v1=HMAC-SHA256) and posts the raw body.</summary>
    public async Task<HttpResponseMessage> PostEventAsync(string payload, bool connect = false, string? secret = null, long? timestamp = null,
        string? signatureHeader = null)
    {
        var header = signatureHeader ?? global::Stripe.EventUtility.GenerateSignatureHeader(payload,
            secret ?? (connect ? ConnectWebhookSecret : WebhookSecret), timestamp);
        using var client = CreateAnonymousClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, connect ? "/stripe/connect-webhook" : "/stripe/webhook")
        {
            Content = new StringContent(payload, Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("Stripe-Signature", header);
        return await client.SendAsync(request);
    }

    /// <summary>Sends a signed event and expects 200; answers the outcome the app reported.</summary>
    public async Task<string> SendEventAsync(string type, JsonObject dataObject, string? eventId = null, bool connect = false)
    {
        var response = await PostEventAsync(EventJson(type, dataObject, eventId, account: connect ? (string?)dataObject["id"] : null), connect);
        var body = await response.ExpectJsonAsync(HttpStatusCode.OK);
        return body.Str("outcome");
    }

    // ---------------------------------------------------------------- flows

    /// <summary>POST /api/v1/top-ups; answers (topUpId, checkoutUrl, sessionId).</summary>
    public async Task<(string TopUpId, string CheckoutUrl, string SessionId)> StartTopUpAsync(TestUser advertiser, long amount, string currency = "USD")
    {
        var body = await (await advertiser.Client.PostJsonAsync("/api/v1/top-ups", new { amount, currency })).ExpectJsonAsync(HttpStatusCode.Created);
        var topUpId = body.Str("topUpId");
        var sessionId = await WithDbAsync(db => db.TopUps.Where(t => t.Id == Guid.Parse(topUpId)).Select(t => t.StripeSessionId).FirstAsync());
        Assert.NotNull(sessionId);
        return (topUpId, body.Str("checkoutUrl"), sessionId!);
    }

    /// <summary>An advertiser whose Stripe top-up of <paramref name="amount"/> was paid and credited.</summary>
    public async Task<(TestUser Advertiser, string SessionId)> PaidAdvertiserAsync(long amount, string currency = "USD")
    {
        var advertiser = await RegisterAsync("advertiser");
        var (_, _, sessionId) = await StartTopUpAsync(advertiser, amount, currency);
        Assert.Equal("processed", await SendEventAsync("checkout.session.completed", Fake.CompleteSession(sessionId, paid: true)));
        return (advertiser, sessionId);
    }

    /// <summary>A webmaster onboarded to Stripe Connect with transfers active (account.updated delivered).</summary>
    public async Task<(TestUser Webmaster, string AccountId)> OnboardedWebmasterAsync()
    {
        var webmaster = await RegisterAsync("webmaster");
        var link = await (await webmaster.Client.PostAsync("/api/v1/payouts/onboarding", null)).ExpectJsonAsync(HttpStatusCode.OK);
        var accountId = link.Str("accountId");
        Assert.Equal("processed", await SendEventAsync("account.updated", Fake.CompleteOnboarding(accountId), connect: true));
        return (webmaster, accountId);
    }

    /// <summary>POST /api/v1/payouts for an onboarded webmaster with that much available; answers the payout id.</summary>
    public async Task<string> RequestPayoutAsync(TestUser webmaster, long amount, string currency = "USD")
    {
        var body = await (await webmaster.Client.PostJsonAsync("/api/v1/payouts", new { amount, currency })).ExpectJsonAsync(HttpStatusCode.Created);
        return body.Str("id");
    }

    public async Task<JsonElement> PayoutAsync(TestUser webmaster, string payoutId)
    {
        var list = await (await webmaster.Client.GetAsync("/api/v1/payouts?pageSize=200")).ExpectJsonAsync(HttpStatusCode.OK);
        return list.GetProperty("items").EnumerateArray().Single(p => p.Str("id") == payoutId);
    }

    /// <summary>Makes every outbox message due now on this node's clock (skips the backoff).</summary>
    public void SkipBackoff() => Clock.Advance(TimeSpan.FromHours(7));
}

public sealed class StripeSqliteFactory() : StripeAppFactory(TestDatabase.Sqlite);

public sealed class StripePostgreSqlFactory() : StripeAppFactory(TestDatabase.PostgreSql);
