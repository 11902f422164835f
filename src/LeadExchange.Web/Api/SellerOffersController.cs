using LeadExchange.Application.Buying;
using LeadExchange.Application.Common.Models;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace LeadExchange.Web.Api;

public sealed record SellerOfferStatusRequest(string? Action);

public sealed record SubscriptionActionRequest(string? Action);

/// <summary>API.md: GET/POST /api/v1/seller-offers, PUT /api/v1/seller-offers/{id}, POST /api/v1/seller-offers/{id}/subscribe; subscriptions; notifications.</summary>
[Route("api/v1")]
public sealed class SellerOffersController(IMediator mediator) : ApiControllerBase(mediator)
{
    /// <summary>Webmaster: your offers (filter status). Advertiser: active offers; filters niche, region, maxPrice, minVolume, exclusive, maxReturnRate; sort newest|price|volume|quality.</summary>
    [HttpGet("seller-offers")]
    public Task<PagedResult<SellerOfferDto>> List([FromQuery] string? niche, [FromQuery] string? region, [FromQuery] long? maxPrice, [FromQuery] int? minVolume,
        [FromQuery] bool? exclusive, [FromQuery] double? maxReturnRate, [FromQuery] string? sort, [FromQuery] string? status, [FromQuery] int? page,
        [FromQuery] int? pageSize, CancellationToken ct) =>
        Mediator.Send(new ListSellerOffersQuery(niche, region, maxPrice, minVolume, exclusive, maxReturnRate, sort, status, page, pageSize), ct);

    [HttpGet("seller-offers/{id:guid}")]
    public Task<SellerOfferDto> Get(Guid id, CancellationToken ct) => Mediator.Send(new GetSellerOfferQuery(id), ct);

    /// <summary>Publish: {title, niche, regions, trafficSources, expectedPerDay, exclusive, pricing: fixed|exchange, fixedPrice, deliveredFields, description, sample}.</summary>
    [HttpPost("seller-offers")]
    public async Task<ActionResult<SellerOfferDto>> Create(SellerOfferInput input, CancellationToken ct)
    {
        var offer = await Mediator.Send(new CreateSellerOfferCommand(input), ct);
        return CreatedAtAction(nameof(Get), new { id = offer.Id }, offer);
    }

    [HttpPut("seller-offers/{id:guid}")]
    public Task<SellerOfferDto> Update(Guid id, SellerOfferInput input, CancellationToken ct) => Mediator.Send(new UpdateSellerOfferCommand(id, input), ct);

    /// <summary>{action: pause|resume|close}; closing ends every subscription.</summary>
    [HttpPost("seller-offers/{id:guid}/status")]
    public Task<SellerOfferDto> Status(Guid id, SellerOfferStatusRequest request, CancellationToken ct) =>
        Mediator.Send(new SetSellerOfferStatusCommand(id, request.Action), ct);

    /// <summary>Advertiser: subscribe with your caps, budget, schedule and regions (a lead order bound to the offer) → 201 the order.</summary>
    [HttpPost("seller-offers/{id:guid}/subscribe")]
    public async Task<ActionResult<LeadOrderDto>> Subscribe(Guid id, LeadOrderInput input, CancellationToken ct)
    {
        var order = await Mediator.Send(new SubscribeToSellerOfferCommand(id, input), ct);
        return CreatedAtAction(nameof(BuyingController.Order), "Buying", new { id = order.Id }, order);
    }

    /// <summary>Webmaster: the offer's subscriptions, anonymous, with delivered leads, spend and return rate.</summary>
    [HttpGet("seller-offers/{id:guid}/subscriptions")]
    public Task<IReadOnlyList<OfferSubscriptionDto>> Subscriptions(Guid id, CancellationToken ct) => Mediator.Send(new ListOfferSubscriptionsQuery(id), ct);

    /// <summary>Either side: {action: pause|resume|end}; the other side is notified.</summary>
    [HttpPost("subscriptions/{id:guid}")]
    public Task<OfferSubscriptionDto> ChangeSubscription(Guid id, SubscriptionActionRequest request, CancellationToken ct) =>
        Mediator.Send(new ChangeSubscriptionCommand(id, request.Action), ct);

    [HttpGet("notifications")]
    public Task<PagedResult<NotificationDto>> Notifications([FromQuery] bool? unread, [FromQuery] int? page, [FromQuery] int? pageSize, CancellationToken ct) =>
        Mediator.Send(new ListNotificationsQuery(unread ?? false, page, pageSize), ct);

    [HttpPost("notifications/read")]
    public async Task<IActionResult> MarkRead(CancellationToken ct) => Ok(new { marked = await Mediator.Send(new MarkNotificationsReadCommand(), ct) });
}
