using System.Diagnostics;
using System.Text;
using System.Text.Json;
using LeadExchange.Application.Buying;
using LeadExchange.Application.Common.Interfaces;
using LeadExchange.Domain.Buying;
using LeadExchange.Domain.Outbox;
using LeadExchange.Infrastructure.Outbox;
using LeadExchange.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace LeadExchange.Infrastructure.Buying;

/// <summary>
/// Delivers a bought lead to the buyer's webhook (API.md "Lead delivery"): JSON body, X-LeadExchange-Event,
/// X-LeadExchange-Delivery (the outbox message id: the same on every retry of this delivery, so receivers can
/// de-duplicate), X-LeadExchange-Signature (t=unix,v1=HMAC-SHA256 of "t.body"). Any 2xx is success. A failure is
/// logged and thrown back to the outbox, which retries on <see cref="Schedule"/>: 1 min, 5 min, 15 min, 1 h, 3 h, 6 h,
/// 8 h, 10 h (9 attempts over about 28 h: "at least 8 attempts over 24 h"). Once the endpoint has failed
/// <see cref="BuyerWebhookSettings.DisableAfterFailures"/> times in a row over at least 24 h, the webhook
/// is switched off with the reason the buyer sees. The contact is decrypted here, never stored in the outbox.
/// </summary>
public sealed class BuyerWebhookOutboxHandler(AppDbContext db, IHttpClientFactory http, IClock clock, IContactProtector protector,
    ILogger<BuyerWebhookOutboxHandler> logger) : IOutboxHandler
{
    public const string HttpClientName = "buyer-webhooks";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string Type => BuyerWebhookMessages.Type;

    /// <summary>One recipient's messages go out one after another (its failure count and switch-off stay exact); recipients in parallel.</summary>
    public string? Lane(string payload) => JsonSerializer.Deserialize<BuyerWebhookMessages.Payload>(payload) is { } p ? "buyer:" + p.AdvertiserId : null;

    /// <summary>Waits after the 1st, 2nd, ... failed attempt.</summary>
    public static readonly TimeSpan[] Schedule =
    [
        TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15), TimeSpan.FromHours(1),
        TimeSpan.FromHours(3), TimeSpan.FromHours(6), TimeSpan.FromHours(8), TimeSpan.FromHours(10),
    ];

    public int MaxAttempts => Schedule.Length + 1;

    public TimeSpan RetryDelay(int attempts) => Schedule[Math.Clamp(attempts - 1, 0, Schedule.Length - 1)];

    public async Task HandleAsync(OutboxMessage message, CancellationToken ct)
    {
        var payload = JsonSerializer.Deserialize<BuyerWebhookMessages.Payload>(message.Payload) ?? throw new InvalidOperationException("Empty webhook payload.");
        var settings = await db.BuyerWebhooks.AsNoTracking().FirstOrDefaultAsync(w => w.AdvertiserId == payload.AdvertiserId, ct);
        if (settings is not { Enabled: true } || settings.Url.Length == 0)
        {
            await LogAsync(payload, message, settings?.Url ?? "", null,
                settings?.DisabledReason is { } r ? $"Not sent: the webhook is off ({r})." : "Not sent: the webhook is off.", 0, ct);
            return;
        }
        var sale = await db.LeadSales.AsNoTracking().FirstOrDefaultAsync(s => s.Id == payload.SaleId && s.BuyerId == payload.AdvertiserId, ct);
        if (sale is null) return;
        var lead = await db.Leads.AsNoTracking().FirstAsync(l => l.Id == sale.LeadId, ct);
        var contact = JsonSerializer.Deserialize<ContactDto>(protector.Unprotect(lead.ContactCipher), Json)!;
        var body = JsonSerializer.Serialize(new
        {
            @event = "lead.sold",
            leadId = lead.Id,
            saleId = sale.Id,
            niche = sale.NicheCode,
            region = sale.RegionCode,
            temperature = sale.Temperature.ToString().ToLowerInvariant(),
            score = lead.Score,
            price = new { amount = sale.Price, currency = sale.Currency },
            exclusive = sale.Exclusive,
            contact = new { name = contact.Name, phone = contact.Phone, email = contact.Email },
            fields = LeadView.Fields(lead.FieldsJson),
            consent = new { text = lead.ConsentText, givenAt = lead.ConsentGivenAt, pageUrl = lead.ConsentPageUrl, ip = lead.ConsentIp },
            soldAt = sale.SoldAt,
        }, Json);

        var now = clock.UtcNow;
        using var request = new HttpRequestMessage(HttpMethod.Post, settings.Url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-LeadExchange-Event", "lead.sold");
        request.Headers.Add("X-LeadExchange-Delivery", message.Id.ToString());
        request.Headers.Add("X-LeadExchange-Signature", WebhookSignature.Sign(settings.Secret, new DateTimeOffset(DateTime.SpecifyKind(now, DateTimeKind.Utc)).ToUnixTimeSeconds(), body));
        var watch = Stopwatch.StartNew();
        int? status = null;
        string? error = null;
        try
        {
            using var response = await http.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            status = (int)response.StatusCode;
            if (!response.IsSuccessStatusCode) error = $"HTTP {status} {response.ReasonPhrase}";
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            error = ex is TaskCanceledException ? IOutboxTargetFailure.TimedOutMessage : ex.Message;
        }
        watch.Stop();
        await LogAsync(payload, message, settings.Url, status, error, watch.ElapsedMilliseconds, ct);

        if (error is null)
        {
            await db.BuyerWebhooks.Where(w => w.AdvertiserId == payload.AdvertiserId && w.ConsecutiveFailures != 0)
                .ExecuteUpdateAsync(s => s.SetProperty(w => w.ConsecutiveFailures, 0).SetProperty(w => w.FailingSince, (DateTime?)null), ct);
            return;
        }
        await db.BuyerWebhooks.Where(w => w.AdvertiserId == payload.AdvertiserId)
            .ExecuteUpdateAsync(s => s.SetProperty(w => w.ConsecutiveFailures, w => w.ConsecutiveFailures + 1)
                .SetProperty(w => w.FailingSince, w => w.FailingSince ?? now), ct);
        var reason = $"Switched off after failing for {BuyerWebhookSettings.DisableAfterHours} hours ({BuyerWebhookSettings.DisableAfterFailures}+ failed deliveries in a row); last: {error}";
        var failingBefore = now.AddHours(-BuyerWebhookSettings.DisableAfterHours);
        if (reason.Length > BuyerWebhookSettings.ReasonMaxLength) reason = reason[..BuyerWebhookSettings.ReasonMaxLength];
        var disabled = await db.BuyerWebhooks
            .Where(w => w.AdvertiserId == payload.AdvertiserId && w.Enabled && w.ConsecutiveFailures >= BuyerWebhookSettings.DisableAfterFailures
                        && w.FailingSince <= failingBefore)
            .ExecuteUpdateAsync(s => s.SetProperty(w => w.Enabled, false).SetProperty(w => w.DisabledAt, now).SetProperty(w => w.DisabledReason, reason), ct);
        if (disabled > 0)
        {
            logger.LogWarning("Buyer webhook of {AdvertiserId} switched off after repeated failures", payload.AdvertiserId);
            return;
        }
        throw new WebhookDeliveryFailedException(error);
    }

    private async Task LogAsync(BuyerWebhookMessages.Payload payload, OutboxMessage message, string url, int? status, string? error, long ms,
        CancellationToken ct)
    {
        db.WebhookDeliveries.Add(WebhookDelivery.Record(payload.AdvertiserId, payload.SaleId, message.Id, message.Attempts, url, status, error, ms, clock.UtcNow));
        await db.SaveChangesAsync(ct);
    }
}

public sealed class WebhookDeliveryFailedException(string message) : Exception(message), IOutboxTargetFailure
{
    public bool TimedOut => Message == IOutboxTargetFailure.TimedOutMessage;
}
