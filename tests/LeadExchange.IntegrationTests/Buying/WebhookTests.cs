using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LeadExchange.Domain.Buying;
using LeadExchange.Infrastructure.Buying;
using LeadExchange.IntegrationTests.Conversions;
using LeadExchange.IntegrationTests.Infrastructure;
using LeadExchange.IntegrationTests.Leads;
using LeadExchange.IntegrationTests.Ledger;
using Microsoft.EntityFrameworkCore;

namespace LeadExchange.IntegrationTests.Buying;

/// <summary>
/// API.md "Lead delivery to the buyer (webhook)": a purchase is POSTed to the buyer's URL, signed with the buyer's
/// secret; failures are retried with backoff under one delivery id, logged attempt by attempt, and switch the
/// webhook off after too many in a row; the buyer can switch it on again and resend a purchase.
/// The outbox is driven by the test (background jobs off) with a movable clock.
/// </summary>
public abstract class WebhookTests(PostbackFactory app) : IAsyncLifetime
{
    private const string Webhook = "/api/v1/webhook";
    private BuyerWebhookReceiver _crm = null!;

    public async Task InitializeAsync()
    {
        _crm = await BuyerWebhookReceiver.StartAsync();
        _crm.Now = () => app.Clock.UtcNow;
    }

    public async Task DisposeAsync() => await _crm.DisposeAsync();

    /// <summary>An advertiser with money whose webhook points at this test's receiver, which checks signatures with their secret.</summary>
    private async Task<TestUser> BuyerAsync()
    {
        var buyer = await app.RegisterAsync("advertiser");
        await LedgerHarness.TopUpAsync(app, buyer.Email, 10_000_000);
        _crm.Secret = (await EnableAsync(buyer)).Str("secret");
        return buyer;
    }

    private async Task<JsonElement> EnableAsync(TestUser buyer) =>
        await (await buyer.Client.PutJsonAsync(Webhook, new { url = _crm.Url, enabled = true })).ExpectJsonAsync(HttpStatusCode.OK);

    private async Task<JsonElement> SettingsAsync(TestUser buyer) => await (await buyer.Client.GetAsync(Webhook)).ExpectJsonAsync(HttpStatusCode.OK);

    /// <summary>A fresh webmaster submits a lead; the buyer buys it exclusively from the catalog. Returns the purchase.</summary>
    private async Task<JsonElement> BuyNewLeadAsync(TestUser buyer)
    {
        var webmaster = await app.RegisterAsync("webmaster");
        // A distinct person each time (phone and e-mail both identify one).
        var body = LeadIntakeTests.Body(email: $"ivan.petrov.{TestServices.ShortId()}@example.com");
        var lead = await (await webmaster.Client.PostAsJsonAsync("/api/v1/leads", body)).ExpectJsonAsync(HttpStatusCode.Created);
        return await (await buyer.Client.PostJsonAsync($"/api/v1/catalog/{lead.Str("leadId")}/buy", new { exclusive = true }))
            .ExpectJsonAsync(HttpStatusCode.Created);
    }

    private async Task<List<JsonElement>> DeliveriesAsync(TestUser buyer, string query = "") =>
        (await (await buyer.Client.GetAsync($"{Webhook}/deliveries{query}")).ExpectJsonAsync(HttpStatusCode.OK)).Items()
        .OrderBy(d => d.GetProperty("at").GetDateTime()).ThenBy(d => d.GetProperty("attempt").GetInt32()).ToList();

    private static async Task<string> ResendAsync(TestUser buyer, string saleId) =>
        (await (await buyer.Client.PostAsync($"/api/v1/purchases/{saleId}/resend", null)).ExpectJsonAsync(HttpStatusCode.Accepted)).Str("deliveryId");

    /// <summary>The receiver's own check, redone here without the product's code: hex HMAC-SHA256 of "t.body" with the secret.</summary>
    private static void AssertSignedIndependently(ReceivedWebhook hook, string secret)
    {
        var parts = hook.Header("X-LeadExchange-Signature").Split(',').Select(p => p.Split('=', 2)).ToDictionary(p => p[0].Trim(), p => p[1]);
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(parts["t"] + "." + hook.Body));
        Assert.Equal(Convert.ToHexString(mac).ToLowerInvariant(), parts["v1"]);
    }

    [Fact]
    public async Task Get_WhenNeverSetUp_IsOffWithAWhsecSecret()
    {
        var buyer = await app.RegisterAsync("advertiser");

        var settings = await SettingsAsync(buyer);

        Assert.False(settings.GetProperty("enabled").GetBoolean());
        Assert.Null(settings.Str("url"));
        Assert.StartsWith("whsec_", settings.Str("secret"));
        Assert.Equal(BuyerWebhookSettings.DisableAfterFailures, settings.GetProperty("disableAfterFailures").GetInt32());
        Assert.Equal(settings.Str("secret"), (await SettingsAsync(buyer)).Str("secret"));
    }

    [Fact]
    public async Task Get_WhenFirstCallsArriveTogether_AllAnswerTheSameSecret()
    {
        var buyers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => app.RegisterAsync("advertiser")));

        // Several first visits per buyer at once (a dashboard and the API, two tabs): every one is answered, with one secret.
        var answers = await Task.WhenAll(buyers.SelectMany(b => Enumerable.Range(0, 6).Select(async _ => (b.UserId, Settings: await SettingsAsync(b)))));

        Assert.All(answers.GroupBy(a => a.UserId), g => Assert.Single(g.Select(a => a.Settings.Str("secret")).Distinct()));
        var ids = buyers.Select(b => b.UserId).ToList();
        Assert.Equal(buyers.Length, await app.WithDbAsync(db => db.BuyerWebhooks.CountAsync(w => ids.Contains(w.AdvertiserId))));
    }

    [Fact]
    public async Task Purchase_WhenWebhookIsOn_DeliversTheLeadSignedWithTheBuyersSecret()
    {
        var buyer = await BuyerAsync();
        var purchase = await BuyNewLeadAsync(buyer);

        await app.DispatchOutboxAsync();

        var hook = Assert.Single(_crm.Received);
        Assert.True(hook.SignatureValid, $"The receiver could not verify {hook.Header("X-LeadExchange-Signature")}");
        AssertSignedIndependently(hook, _crm.Secret!);
        Assert.Equal("lead.sold", hook.Header("X-LeadExchange-Event"));
        Assert.True(Guid.TryParse(hook.Header("X-LeadExchange-Delivery"), out _), hook.Header("X-LeadExchange-Delivery"));
        Assert.StartsWith("application/json", hook.Header("Content-Type"));

        using var document = JsonDocument.Parse(hook.Body);
        var body = document.RootElement;
        Assert.Equal("lead.sold", body.Str("event"));
        Assert.Equal(purchase.Str("leadId"), body.Str("leadId"));
        Assert.Equal(purchase.Str("saleId"), body.Str("saleId"));
        Assert.Equal("real-estate", body.Str("niche"));
        Assert.Equal("RU-MOW", body.Str("region"));
        Assert.Equal(purchase.Str("temperature"), body.Str("temperature"));
        Assert.Equal(purchase.GetProperty("score").GetInt32(), body.GetProperty("score").GetInt32());
        Assert.Equal(purchase.GetProperty("price").GetInt64(), body.GetProperty("price").GetProperty("amount").GetInt64());
        Assert.Equal("RUB", body.GetProperty("price").Str("currency"));
        Assert.True(body.GetProperty("exclusive").GetBoolean());
        // The contact in clear: the buyer paid for it.
        var contact = body.GetProperty("contact");
        Assert.Equal("Ivan Petrov", contact.Str("name"));
        Assert.Equal(purchase.GetProperty("contact").Str("phone"), contact.Str("phone"));
        Assert.StartsWith("+7916", contact.Str("phone"));
        Assert.Matches("^ivan\\.petrov\\.[0-9a-f]{12}@example\\.com$", contact.Str("email"));
        Assert.Equal(purchase.GetProperty("contact").Str("email"), contact.Str("email"));
        Assert.Equal("now", body.GetProperty("fields").Str("timeframe"));
        Assert.Equal("2", body.GetProperty("fields").Str("rooms"));
        var consent = body.GetProperty("consent");
        Assert.Equal("I agree to be contacted.", consent.Str("text"));
        Assert.Equal("https://landing.example/flat", consent.Str("pageUrl"));
        Assert.False(string.IsNullOrEmpty(consent.Str("ip")));
        Assert.Equal(purchase.GetProperty("consentGivenAt").GetDateTime(), consent.GetProperty("givenAt").GetDateTime());
        Assert.EndsWith("Z", body.Str("soldAt"));
        Assert.Equal(purchase.GetProperty("soldAt").GetDateTime(), body.GetProperty("soldAt").GetDateTime());

        var log = Assert.Single(await DeliveriesAsync(buyer));
        Assert.Equal(200, log.GetProperty("statusCode").GetInt32());
        Assert.True(log.GetProperty("succeeded").GetBoolean());
        Assert.Equal(1, log.GetProperty("attempt").GetInt32());
        Assert.Equal(hook.Header("X-LeadExchange-Delivery"), log.Str("deliveryId"));
        Assert.Equal(purchase.Str("saleId"), log.Str("saleId"));
        Assert.Equal(_crm.Url, log.Str("url"));
    }

    [Fact]
    public async Task Purchase_WhenWebhookIsOff_IsNotDelivered()
    {
        var buyer = await app.RegisterAsync("advertiser");
        await LedgerHarness.TopUpAsync(app, buyer.Email, 10_000_000);
        await (await buyer.Client.PutJsonAsync(Webhook, new { url = _crm.Url, enabled = false })).ExpectJsonAsync(HttpStatusCode.OK);

        var purchase = await BuyNewLeadAsync(buyer);
        await app.DispatchOutboxAsync();

        Assert.Empty(_crm.Received);
        Assert.Empty(await DeliveriesAsync(buyer));
        Assert.False(await app.WithDbAsync(db => db.OutboxMessages.AnyAsync(m => m.Key == Guid.Parse(purchase.Str("saleId")).ToString("N"))));
    }

    [Fact]
    public async Task Delivery_WhenEndpointFails_IsRetriedWithGrowingDelaysUnderOneDeliveryIdAndLogged()
    {
        var buyer = await BuyerAsync();
        var saleId = (await BuyNewLeadAsync(buyer)).Str("saleId");
        _crm.Status = 500;

        await app.DispatchOutboxAsync();
        Assert.Single(_crm.Received);
        await app.DispatchOutboxAsync();
        Assert.Single(_crm.Received); // not due yet

        app.Clock.Advance(Delay(1));
        await app.DispatchOutboxAsync();
        Assert.Equal(2, _crm.Received.Count);

        // The second delay is longer than the first: the first one's length is not enough now.
        app.Clock.Advance(Delay(1) + TimeSpan.FromSeconds(10));
        await app.DispatchOutboxAsync();
        Assert.Equal(2, _crm.Received.Count);
        app.Clock.Advance(Delay(2) - Delay(1));
        await app.DispatchOutboxAsync();
        Assert.Equal(3, _crm.Received.Count);

        _crm.Status = 204;
        app.Clock.Advance(Delay(3));
        await app.DispatchOutboxAsync();
        Assert.Equal(4, _crm.Received.Count);

        var hooks = _crm.Received.ToArray();
        Assert.All(hooks, h => Assert.True(h.SignatureValid));
        Assert.Single(hooks.Select(h => h.Header("X-LeadExchange-Delivery")).Distinct());
        Assert.Single(hooks.Select(h => h.Body).Distinct());

        var log = await DeliveriesAsync(buyer, $"?saleId={saleId}");
        Assert.Equal([1, 2, 3, 4], log.Select(d => d.GetProperty("attempt").GetInt32()));
        Assert.Equal([500, 500, 500, 204], log.Select(d => d.GetProperty("statusCode").GetInt32()));
        Assert.Equal([false, false, false, true], log.Select(d => d.GetProperty("succeeded").GetBoolean()));
        Assert.All(log, d => Assert.Equal(hooks[0].Header("X-LeadExchange-Delivery"), d.Str("deliveryId")));
        Assert.Contains("500", log[0].Str("error"));
        var gaps = log.Zip(log.Skip(1), (a, b) => b.GetProperty("at").GetDateTime() - a.GetProperty("at").GetDateTime()).ToList();
        Assert.True(gaps[0] >= Delay(1) && gaps[1] >= Delay(2) && gaps[2] >= Delay(3),
            string.Join(", ", gaps));
        Assert.True(gaps[1] > gaps[0] && gaps[2] > gaps[1], string.Join(", ", gaps));

        Assert.Equal(3, (await DeliveriesAsync(buyer, "?failed=true")).Count);
        Assert.Single(await DeliveriesAsync(buyer, "?failed=false"));
        Assert.Equal(0, (await SettingsAsync(buyer)).GetProperty("consecutiveFailures").GetInt32());
    }

    [Fact]
    public async Task Delivery_WhenEndpointIsUnreachable_LogsTheErrorWithoutAStatusAndRetries()
    {
        var buyer = await BuyerAsync();
        var saleId = (await BuyNewLeadAsync(buyer)).Str("saleId");
        await _crm.DisposeAsync(); // nothing listens on the port any more

        await app.DispatchOutboxAsync();

        var attempt = Assert.Single(await DeliveriesAsync(buyer, $"?saleId={saleId}"));
        Assert.Equal(JsonValueKind.Null, attempt.GetProperty("statusCode").ValueKind);
        Assert.False(string.IsNullOrWhiteSpace(attempt.Str("error")));
        Assert.False(attempt.GetProperty("succeeded").GetBoolean());
        Assert.Equal(1, (await SettingsAsync(buyer)).GetProperty("consecutiveFailures").GetInt32());
        var message = await app.WithDbAsync(db => db.OutboxMessages.AsNoTracking().SingleAsync(m => m.Key == Guid.Parse(saleId).ToString("N")));
        Assert.Null(message.ProcessedAt);
        Assert.Equal(1, message.Attempts);
        Assert.True(message.NextAttemptAt > app.Clock.UtcNow);
    }

    /// <summary>The wait after the n-th failed attempt of one delivery.</summary>
    private static TimeSpan Delay(int failedAttempts) => BuyerWebhookOutboxHandler.Schedule[failedAttempts - 1];

    [Fact]
    public void RetrySchedule_GivesAtLeastEightRetriesOverTwentyFourHours()
    {
        Assert.True(BuyerWebhookOutboxHandler.Schedule.Length >= 8);
        Assert.True(BuyerWebhookOutboxHandler.Schedule.Aggregate(TimeSpan.Zero, (a, b) => a + b) >= TimeSpan.FromHours(24));
        Assert.True(BuyerWebhookOutboxHandler.Schedule.Zip(BuyerWebhookOutboxHandler.Schedule.Skip(1)).All(p => p.Second > p.First));
    }

    [Fact]
    public async Task Delivery_WhenFailuresInARowSpanADay_SwitchesTheWebhookOffUntilTheBuyerSwitchesItOn()
    {
        var buyer = await BuyerAsync();
        var saleId = (await BuyNewLeadAsync(buyer)).Str("saleId");
        var otherSaleId = (await BuyNewLeadAsync(buyer)).Str("saleId");
        _crm.Status = 503;
        var attempts = BuyerWebhookOutboxHandler.Schedule.Length + 1;

        for (var attempt = 1; attempt <= attempts; attempt++)
        {
            await app.DispatchOutboxAsync();
            // In the last round the first failure switches it off, so the other delivery is logged as not sent.
            Assert.Equal(attempt < attempts ? 2 * attempt : 2 * attempt - 1, _crm.Received.Count);
            var settingsNow = await SettingsAsync(buyer);
            // Ten failures in a row within hours (a short outage with many sales) do not switch it off; a day of them does.
            var failingFor = BuyerWebhookOutboxHandler.Schedule.Take(attempt - 1).Aggregate(TimeSpan.Zero, (a, b) => a + b);
            Assert.Equal(2 * attempt < BuyerWebhookSettings.DisableAfterFailures || failingFor < TimeSpan.FromHours(BuyerWebhookSettings.DisableAfterHours),
                settingsNow.GetProperty("enabled").GetBoolean());
            if (attempt < attempts) app.Clock.Advance(Delay(attempt));
        }

        var settings = await SettingsAsync(buyer);
        Assert.False(settings.GetProperty("enabled").GetBoolean());
        Assert.Equal(2 * attempts - 1, settings.GetProperty("consecutiveFailures").GetInt32());
        Assert.Contains("503", settings.Str("disabledReason"));
        Assert.Equal(JsonValueKind.String, settings.GetProperty("disabledAt").ValueKind);
        var log = await DeliveriesAsync(buyer, $"?saleId={saleId}&failed=true");
        Assert.Equal(Enumerable.Range(1, attempts), log.Select(d => d.GetProperty("attempt").GetInt32()));
        Assert.All(log, d => Assert.Equal(503, d.GetProperty("statusCode").GetInt32()));
        Assert.Equal(attempts, (await DeliveriesAsync(buyer, $"?saleId={otherSaleId}&failed=true")).Count);

        // Switched off: that delivery stops retrying, later sales are not queued, a resend is refused.
        app.Clock.Advance(TimeSpan.FromHours(7));
        await app.DispatchOutboxAsync();
        var later = (await BuyNewLeadAsync(buyer)).Str("saleId");
        await app.DispatchOutboxAsync();
        Assert.Equal(2 * attempts - 1, _crm.Received.Count);
        Assert.False(await app.WithDbAsync(db => db.OutboxMessages.AnyAsync(m => m.Key == Guid.Parse(later).ToString("N"))));
        var refused = await (await buyer.Client.PostAsync($"/api/v1/purchases/{later}/resend", null)).ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("webhook_off", refused.Str("code"));

        // The buyer fixes the endpoint and switches it on: the reason is gone and the next sale arrives.
        _crm.Status = 200;
        var on = await EnableAsync(buyer);
        Assert.True(on.GetProperty("enabled").GetBoolean());
        Assert.Equal(0, on.GetProperty("consecutiveFailures").GetInt32());
        Assert.Equal(JsonValueKind.Null, on.GetProperty("disabledReason").ValueKind);
        Assert.Equal(JsonValueKind.Null, on.GetProperty("disabledAt").ValueKind);
        var next = (await BuyNewLeadAsync(buyer)).Str("saleId");
        await app.DispatchOutboxAsync();
        Assert.Equal(2 * attempts, _crm.Received.Count);
        Assert.Contains(next, _crm.Received.Last().Body);
        Assert.True(_crm.Received.Last().SignatureValid);
    }

    [Fact]
    public async Task Resend_WhenPurchaseWasDelivered_DeliversAgainUnderANewDeliveryId()
    {
        var buyer = await BuyerAsync();
        var saleId = (await BuyNewLeadAsync(buyer)).Str("saleId");
        await app.DispatchOutboxAsync();
        var first = Assert.Single(_crm.Received);

        var deliveryId = await ResendAsync(buyer, saleId);
        await app.DispatchOutboxAsync();

        Assert.Equal(2, _crm.Received.Count);
        var second = _crm.Received.Last();
        Assert.Equal(deliveryId, second.Header("X-LeadExchange-Delivery"));
        Assert.NotEqual(first.Header("X-LeadExchange-Delivery"), deliveryId);
        Assert.True(second.SignatureValid);
        Assert.Contains(saleId, second.Body);
        var log = await DeliveriesAsync(buyer, $"?saleId={saleId}");
        Assert.Equal([first.Header("X-LeadExchange-Delivery"), deliveryId], log.Select(d => d.Str("deliveryId")));
        Assert.All(log, d => Assert.True(d.GetProperty("succeeded").GetBoolean()));
    }

    /// <summary>Security review finding 6: 100 parallel resends of one purchase were 100 deliveries of its contact data.</summary>
    [Fact]
    public async Task Resend_HundredInParallel_QueuesOneDelivery_AndLaterOnesAnswerThePendingOne()
    {
        var buyer = await BuyerAsync();
        var saleId = (await BuyNewLeadAsync(buyer)).Str("saleId");
        await app.DispatchOutboxAsync();
        Assert.Single(_crm.Received);

        var answers = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => buyer.Client.PostAsync($"/api/v1/purchases/{saleId}/resend", null)));

        Assert.All(answers, a => Assert.Contains(a.StatusCode, new[] { HttpStatusCode.Accepted, HttpStatusCode.TooManyRequests }));
        var accepted = new List<JsonElement>();
        foreach (var answer in answers.Where(a => a.StatusCode == HttpStatusCode.Accepted)) accepted.Add(await answer.ExpectJsonAsync(HttpStatusCode.Accepted));
        Assert.Single(accepted, a => a.GetProperty("queued").GetBoolean());
        Assert.Single(accepted.Select(a => a.Str("deliveryId")).Distinct());
        Assert.All(answers.Where(a => a.StatusCode == HttpStatusCode.TooManyRequests), a => Assert.NotNull(a.Headers.RetryAfter));
        var key = Guid.Parse(saleId).ToString("N");
        Assert.Equal(1, await app.WithDbAsync(db => db.OutboxMessages.CountAsync(m => m.Key == key && m.ProcessedAt == null)));

        await app.DispatchOutboxAsync();
        Assert.Equal(2, _crm.Received.Count);
    }

    [Fact]
    public async Task Resend_WhileADeliveryIsPending_QueuesNothing_AndOverTheAccountLimitAnswers429()
    {
        var buyer = await BuyerAsync();
        var saleId = (await BuyNewLeadAsync(buyer)).Str("saleId");
        // The purchase's own delivery is still in the outbox: a resend answers it instead of queuing another.
        var key = Guid.Parse(saleId).ToString("N");
        var pending = await app.WithDbAsync(db => db.OutboxMessages.Where(m => m.Key == key).Select(m => m.Id).SingleAsync());
        for (var i = 0; i < 10; i++)
        {
            var answer = await (await buyer.Client.PostAsync($"/api/v1/purchases/{saleId}/resend", null)).ExpectJsonAsync(HttpStatusCode.Accepted);
            Assert.Equal(pending.ToString(), answer.Str("deliveryId"));
            Assert.False(answer.GetProperty("queued").GetBoolean());
        }
        var limited = await buyer.Client.PostAsync($"/api/v1/purchases/{saleId}/resend", null);
        Assert.Equal("rate_limited", (await limited.ExpectProblemAsync(HttpStatusCode.TooManyRequests)).Str("code"));
        Assert.NotNull(limited.Headers.RetryAfter);
        Assert.Equal(1, await app.WithDbAsync(db => db.OutboxMessages.CountAsync(m => m.Key == key)));
        await app.DispatchOutboxAsync();
        Assert.Single(_crm.Received);
    }

    [Fact]
    public async Task RotateSecret_WhenRotated_SignsTheNextDeliveryWithTheNewSecretOnly()
    {
        var buyer = await BuyerAsync();
        var oldSecret = _crm.Secret!;
        var rotated = await (await buyer.Client.PostAsync($"{Webhook}/rotate-secret", null)).ExpectJsonAsync(HttpStatusCode.OK);
        var newSecret = rotated.Str("secret");
        Assert.StartsWith("whsec_", newSecret);
        Assert.NotEqual(oldSecret, newSecret);
        Assert.Equal(newSecret, (await SettingsAsync(buyer)).Str("secret"));
        _crm.Secret = newSecret;

        await BuyNewLeadAsync(buyer);
        await app.DispatchOutboxAsync();

        var hook = Assert.Single(_crm.Received);
        Assert.True(hook.SignatureValid);
        AssertSignedIndependently(hook, newSecret);
        var now = new DateTimeOffset(app.Clock.UtcNow).ToUnixTimeSeconds();
        Assert.False(WebhookSignature.Verify(oldSecret, hook.Header("X-LeadExchange-Signature"), hook.Body, now));
    }

    [Fact]
    public async Task Deliveries_WhenAnotherAdvertiserAsks_AreNotShownAndThePurchaseCannotBeResent()
    {
        var buyer = await BuyerAsync();
        var saleId = (await BuyNewLeadAsync(buyer)).Str("saleId");
        await app.DispatchOutboxAsync();
        Assert.Single(await DeliveriesAsync(buyer));

        var stranger = await app.RegisterAsync("advertiser");
        await (await stranger.Client.PutJsonAsync(Webhook, new { url = _crm.Url, enabled = true })).ExpectJsonAsync(HttpStatusCode.OK);

        Assert.Empty(await DeliveriesAsync(stranger));
        Assert.Empty(await DeliveriesAsync(stranger, $"?saleId={saleId}"));
        await (await stranger.Client.PostAsync($"/api/v1/purchases/{saleId}/resend", null)).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await buyer.Client.PostAsync($"/api/v1/purchases/{Guid.NewGuid()}/resend", null)).ExpectProblemAsync(HttpStatusCode.NotFound);
        await app.DispatchOutboxAsync();
        Assert.Single(_crm.Received);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not a url")]
    [InlineData("crm.example/leads")]
    [InlineData("ftp://crm.example/leads")]
    [InlineData("https://user:secret@crm.example/leads")]
    public async Task Put_WhenUrlIsInvalid_Answers422WithAUrlError(string? url)
    {
        var buyer = await app.RegisterAsync("advertiser");

        var errors = await (await buyer.Client.PutJsonAsync(Webhook, new { url, enabled = true })).ExpectValidationErrorsAsync();

        errors.AssertHasError("url");
        var settings = await SettingsAsync(buyer);
        Assert.False(settings.GetProperty("enabled").GetBoolean());
        Assert.Null(settings.Str("url"));
    }

    [Fact]
    public async Task Put_WhenUrlIsTooLong_Answers422WithAUrlError()
    {
        var buyer = await app.RegisterAsync("advertiser");
        var url = "https://crm.example/" + new string('a', BuyerWebhookSettings.UrlMaxLength);

        (await (await buyer.Client.PutJsonAsync(Webhook, new { url, enabled = true })).ExpectValidationErrorsAsync()).AssertHasError("url");
    }

    [Fact]
    public async Task Webhook_WhenCalledByAWebmaster_Answers403()
    {
        var webmaster = await app.RegisterAsync("webmaster");

        await (await webmaster.Client.GetAsync(Webhook)).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await webmaster.Client.PutJsonAsync(Webhook, new { url = _crm.Url, enabled = true })).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await webmaster.Client.PostAsync($"{Webhook}/rotate-secret", null)).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await webmaster.Client.GetAsync($"{Webhook}/deliveries")).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await webmaster.Client.PostAsync($"/api/v1/purchases/{Guid.NewGuid()}/resend", null)).ExpectProblemAsync(HttpStatusCode.Forbidden);
    }
}

public sealed class WebhookTests_Sqlite(PostbackSqliteFactory app) : WebhookTests(app), IClassFixture<PostbackSqliteFactory>;

public sealed class WebhookTests_PostgreSql(PostbackPostgreSqlFactory app) : WebhookTests(app), IClassFixture<PostbackPostgreSqlFactory>;
