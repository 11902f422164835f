using System.Text;
using LeadExchange.Application.Ledger;
using LeadExchange.Infrastructure.Payments;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Stripe;

namespace LeadExchange.Web.Api;

/// <summary>
/// Stripe's webhooks. Not an API-key endpoint: the caller is proven by the Stripe-Signature header, checked
/// on the raw body with Stripe.net's EventUtility and the endpoint's own signing secret (also checks the
/// timestamp tolerance and that the event's API version is the one Stripe.net is pinned to). Answers:
/// 200 processed or already processed; 400 not a valid Stripe event (nothing stored, Stripe will not get
/// it right by retrying, but the log says why); 500 our failure (nothing committed; Stripe retries).
/// </summary>
[AllowAnonymous]
[IgnoreAntiforgeryToken]
[ApiExplorerSettings(IgnoreApi = true)]
[Route("stripe")]
public sealed class StripeWebhookController(IMediator mediator, IOptions<StripeOptions> options, ILogger<StripeWebhookController> logger)
    : ControllerBase
{
    /// <summary>Platform events: checkout sessions, charges (refunds, disputes).</summary>
    [HttpPost("webhook")]
    public Task<IActionResult> Platform(CancellationToken ct) => ReceiveAsync("platform", options.Value.WebhookSecret, ct);

    /// <summary>Connected-account events: account.updated.</summary>
    [HttpPost("connect-webhook")]
    public Task<IActionResult> Connect(CancellationToken ct) => ReceiveAsync("connect", options.Value.ConnectWebhookSecret, ct);

    private async Task<IActionResult> ReceiveAsync(string endpoint, string? secret, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(secret))
        {
            logger.LogError("Stripe {Endpoint} webhook called but its signing secret is not configured", endpoint);
            return StatusCode(503, new { error = "webhook_not_configured", message = "This webhook endpoint has no signing secret configured." });
        }

        // The signature covers the exact bytes Stripe sent: read them as they are, never a re-serialized model.
        string json;
        using (var reader = new StreamReader(Request.Body, Encoding.UTF8, detectEncodingFromByteOrderMarks: false))
            json = await reader.ReadToEndAsync(ct);

        Event stripeEvent;
        try
        {
            stripeEvent = EventUtility.ConstructEvent(json, Request.Headers["Stripe-Signature"].ToString(), secret,
                tolerance: options.Value.WebhookToleranceSeconds, throwOnApiVersionMismatch: true);
        }
        catch (Exception ex) when (ex is StripeException or Newtonsoft.Json.JsonException or ArgumentException or FormatException)
        {
            logger.LogWarning("Stripe {Endpoint} webhook rejected: {Reason}", endpoint, ex.Message);
            return BadRequest(new { error = "invalid_stripe_event", message = ex.Message.Length <= 300 ? ex.Message : ex.Message[..300] });
        }

        try
        {
            var outcome = await mediator.Send(StripeEventMapper.ToCommand(stripeEvent), ct);
            return Ok(new { received = true, eventId = stripeEvent.Id, outcome = outcome.ToString().ToLowerInvariant() });
        }
        catch (DuplicateEntryException)
        {
            // Another delivery (another event id for the same object) booked this effect first; ours rolled back.
            return Ok(new { received = true, eventId = stripeEvent.Id, outcome = "duplicate" });
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            logger.LogError(ex, "Stripe event {EventId} ({Type}) failed; nothing was committed and Stripe will retry", stripeEvent.Id, stripeEvent.Type);
            return StatusCode(500, new { error = "processing_failed", eventId = stripeEvent.Id });
        }
    }
}
