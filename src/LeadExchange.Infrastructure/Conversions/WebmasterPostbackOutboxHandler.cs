using System.Diagnostics;
using System.Text.Json;
using LeadExchange.Application.Common.Interfaces;
using LeadExchange.Application.Conversions;
using LeadExchange.Domain.Conversions;
using LeadExchange.Domain.Outbox;
using LeadExchange.Infrastructure.Outbox;
using LeadExchange.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace LeadExchange.Infrastructure.Conversions;

/// <summary>
/// Fires a webmaster's outbound postback: fills the template, GETs it with a short timeout, logs the
/// attempt. A non-2xx answer or a network error is thrown back to the outbox, which retries with
/// exponential backoff; after <see cref="WebmasterPostbackSettings.DisableAfterFailures"/> failures in a
/// row the postback is switched off with the reason, and queued messages are then skipped (and logged).
/// </summary>
public sealed class WebmasterPostbackOutboxHandler(AppDbContext db, IHttpClientFactory http, IClock clock, ILogger<WebmasterPostbackOutboxHandler> logger)
    : IOutboxHandler
{
    public const string HttpClientName = "webmaster-postbacks";

    public string Type => WebmasterPostbackMessages.Type;

    /// <summary>One recipient's messages go out one after another (its failure count and switch-off stay exact); recipients in parallel.</summary>
    public string? Lane(string payload) => JsonSerializer.Deserialize<WebmasterPostbackMessages.Payload>(payload) is { } p ? "wm:" + p.WebmasterId : null;

    public async Task HandleAsync(OutboxMessage message, CancellationToken ct)
    {
        var payload = JsonSerializer.Deserialize<WebmasterPostbackMessages.Payload>(message.Payload)
                      ?? throw new InvalidOperationException("Empty webmaster postback payload.");
        var settings = await db.WebmasterPostbackSettings.AsNoTracking().FirstOrDefaultAsync(s => s.WebmasterId == payload.WebmasterId, ct);
        if (settings is not { Enabled: true } || settings.UrlTemplate.Length == 0)
        {
            await LogAsync(payload, message, "", null, settings?.DisabledReason is { } r ? $"Not sent: the postback is off ({r})." : "Not sent: the postback is off.", 0, ct);
            return;
        }

        var url = PostbackMacros.Fill(settings.UrlTemplate, payload.Values);
        var watch = Stopwatch.StartNew();
        int? status = null;
        string? error = null;
        try
        {
            using var response = await http.CreateClient(HttpClientName).GetAsync(url, HttpCompletionOption.ResponseHeadersRead, ct);
            status = (int)response.StatusCode;
            if (!response.IsSuccessStatusCode) error = $"HTTP {status} {response.ReasonPhrase}";
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            error = ex is TaskCanceledException ? IOutboxTargetFailure.TimedOutMessage : ex.Message;
        }
        watch.Stop();
        await LogAsync(payload, message, url, status, error, watch.ElapsedMilliseconds, ct);

        if (error is null)
        {
            await db.WebmasterPostbackSettings.Where(s => s.WebmasterId == payload.WebmasterId && s.ConsecutiveFailures != 0)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.ConsecutiveFailures, 0), ct);
            return;
        }

        await db.WebmasterPostbackSettings.Where(s => s.WebmasterId == payload.WebmasterId)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.ConsecutiveFailures, x => x.ConsecutiveFailures + 1), ct);
        var now = clock.UtcNow;
        var reason = $"Switched off after {WebmasterPostbackSettings.DisableAfterFailures} failed deliveries in a row; last: {error}";
        var disabled = await db.WebmasterPostbackSettings
            .Where(s => s.WebmasterId == payload.WebmasterId && s.Enabled && s.ConsecutiveFailures >= WebmasterPostbackSettings.DisableAfterFailures)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.Enabled, false).SetProperty(x => x.DisabledAt, now)
                .SetProperty(x => x.DisabledReason, reason.Length > WebmasterPostbackSettings.ReasonMaxLength ? reason[..WebmasterPostbackSettings.ReasonMaxLength] : reason), ct);
        if (disabled > 0)
        {
            logger.LogWarning("Webmaster postback of {WebmasterId} switched off after repeated failures", payload.WebmasterId);
            return;
        }
        throw new WebmasterPostbackFailedException(error);
    }

    private async Task LogAsync(WebmasterPostbackMessages.Payload payload, OutboxMessage message, string url, int? status, string? error,
        long durationMs, CancellationToken ct)
    {
        db.PostbackDeliveries.Add(PostbackDelivery.Record(payload.WebmasterId, payload.Values.ConversionId, message.Id, message.Attempts,
            payload.Values.Status, url, status, error, durationMs, clock.UtcNow));
        await db.SaveChangesAsync(ct);
    }
}

public sealed class WebmasterPostbackFailedException(string message) : Exception(message), IOutboxTargetFailure
{
    public bool TimedOut => Message == IOutboxTargetFailure.TimedOutMessage;
}
