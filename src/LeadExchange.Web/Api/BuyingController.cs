using LeadExchange.Application.Buying;
using LeadExchange.Application.Common.Models;
using LeadExchange.Web.Infrastructure;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace LeadExchange.Web.Api;

public sealed record BuyLeadRequest(bool? Exclusive);

public sealed record BuyerWebhookRequest(string? Url, bool Enabled);

/// <summary>API.md: /api/v1/lead-orders, /api/v1/catalog (+ /{leadId}/buy), /api/v1/purchases (+ /{saleId}); the buyer's webhook.</summary>
[Route("api/v1")]
public sealed class BuyingController(IMediator mediator) : ApiControllerBase(mediator)
{
    /// <summary>Your auto-buy orders, newest first; filter by status (active, paused) and niche.</summary>
    [HttpGet("lead-orders")]
    public Task<PagedResult<LeadOrderDto>> Orders([FromQuery] string? status, [FromQuery] string? niche, [FromQuery] int? page, [FromQuery] int? pageSize,
        CancellationToken ct) => Mediator.Send(new ListLeadOrdersQuery(status, niche, page, pageSize), ct);

    [HttpGet("lead-orders/{id:guid}")]
    public Task<LeadOrderDto> Order(Guid id, CancellationToken ct) => Mediator.Send(new GetLeadOrderQuery(id), ct);

    /// <summary>Create an auto-buy order: niche, regions, maxPrice, minTemperature, exclusive, caps, budget, schedule (days, hourFrom, hourTo, timeZone).</summary>
    [HttpPost("lead-orders")]
    public async Task<ActionResult<LeadOrderDto>> CreateOrder(LeadOrderInput input, CancellationToken ct)
    {
        var order = await Mediator.Send(new CreateLeadOrderCommand(input), ct);
        return CreatedAtAction(nameof(Order), new { id = order.Id }, order);
    }

    /// <summary>Change an order's terms (not its niche); <c>active</c> pauses or resumes it.</summary>
    [HttpPut("lead-orders/{id:guid}")]
    public Task<LeadOrderDto> UpdateOrder(Guid id, LeadOrderInput input, CancellationToken ct) => Mediator.Send(new UpdateLeadOrderCommand(id, input), ct);

    /// <summary>Unsold leads with contact data masked; filters niche, region (a country covers its regions), minTemperature, maxPrice, minScore; sort newest|oldest|price|-price|score.</summary>
    [HttpGet("catalog")]
    public Task<PagedResult<CatalogItemDto>> Catalog([FromQuery] string? niche, [FromQuery] string? region, [FromQuery] string? minTemperature,
        [FromQuery] long? maxPrice, [FromQuery] int? minScore, [FromQuery] string? sort, [FromQuery] int? page, [FromQuery] int? pageSize, CancellationToken ct) =>
        Mediator.Send(new CatalogQuery(niche, region, minTemperature, maxPrice, minScore, sort, page, pageSize), ct);

    /// <summary>Buy one lead: 201 with the sale and the revealed contact; 409 already_sold; 402 insufficient_funds.</summary>
    [HttpPost("catalog/{leadId:guid}/buy")]
    [NoStore]
    [AdmissionLane(AdmissionLanes.Purchases)]
    public async Task<ActionResult<PurchaseDto>> Buy(Guid leadId, BuyLeadRequest? request, CancellationToken ct)
    {
        var purchase = await Mediator.Send(new BuyLeadCommand(leadId, request?.Exclusive ?? true), ct);
        return CreatedAtAction(nameof(Purchase), new { saleId = purchase.SaleId }, purchase);
    }

    /// <summary>The inbox: your bought leads with contacts; filters status, niche, region, from, to, search (note, assignee).</summary>
    [HttpGet("purchases")]
    [NoStore]
    public Task<PagedResult<PurchaseDto>> Purchases([FromQuery] string? status, [FromQuery] string? niche, [FromQuery] string? region,
        [FromQuery] DateTime? from, [FromQuery] DateTime? to, [FromQuery] string? search, [FromQuery] int? page, [FromQuery] int? pageSize, CancellationToken ct) =>
        Mediator.Send(new ListPurchasesQuery(status, niche, region, from, to, search, page, pageSize), ct);

    [HttpGet("purchases/{saleId:guid}")]
    [NoStore]
    public Task<PurchaseDto> Purchase(Guid saleId, CancellationToken ct) => Mediator.Send(new GetPurchaseQuery(saleId), ct);

    /// <summary>Work the lead: {status: in_work|converted|refused|deferred, saleAmount, reason, deferredUntil, note, assignee}.</summary>
    [HttpPatch("purchases/{saleId:guid}")]
    [NoStore]
    public Task<PurchaseDto> UpdatePurchase(Guid saleId, UpdatePurchaseInput input, CancellationToken ct) =>
        Mediator.Send(new UpdatePurchaseCommand(saleId, input), ct);

    /// <summary>
    /// Deliver this purchase to your webhook again (a new delivery id): 202 {deliveryId, queued}. While a delivery of the purchase
    /// is still pending, nothing is queued and its id is answered with queued=false; 429 with Retry-After over the limits.
    /// </summary>
    [HttpPost("purchases/{saleId:guid}/resend")]
    public async Task<IActionResult> Resend(Guid saleId, CancellationToken ct)
    {
        var result = await Mediator.Send(new ResendWebhookCommand(saleId), ct);
        return Accepted(new { deliveryId = result.DeliveryId, queued = result.Queued });
    }

    /// <summary>Your webhook: URL, on/off, the signing secret, and why it was switched off if it was.</summary>
    [HttpGet("webhook")]
    public Task<BuyerWebhookDto> Webhook(CancellationToken ct) => Mediator.Send(new GetBuyerWebhookQuery(), ct);

    [HttpPut("webhook")]
    public Task<BuyerWebhookDto> UpdateWebhook(BuyerWebhookRequest request, CancellationToken ct) =>
        Mediator.Send(new UpdateBuyerWebhookCommand(request.Url, request.Enabled), ct);

    [HttpPost("webhook/rotate-secret")]
    public Task<BuyerWebhookDto> RotateSecret(CancellationToken ct) => Mediator.Send(new RotateBuyerWebhookSecretCommand(), ct);

    /// <summary>Every delivery attempt with its response code; filter by saleId or failed.</summary>
    [HttpGet("webhook/deliveries")]
    public Task<PagedResult<WebhookDeliveryDto>> WebhookDeliveries([FromQuery] Guid? saleId, [FromQuery] bool? failed, [FromQuery] int? page,
        [FromQuery] int? pageSize, CancellationToken ct) => Mediator.Send(new ListWebhookDeliveriesQuery(saleId, failed, page, pageSize), ct);
}
