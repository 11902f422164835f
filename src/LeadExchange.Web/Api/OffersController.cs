using LeadExchange.Application.Common.Models;
using LeadExchange.Application.Offers.Commands;
using LeadExchange.Application.Offers.Dtos;
using LeadExchange.Application.Offers.Queries;
using LeadExchange.Domain.Offers;
using LeadExchange.Domain.Identity;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace LeadExchange.Web.Api;

public sealed record OfferStatusRequest(OfferStatusAction Action);

public sealed record ParticipationDecisionRequest(bool Approve, string? Note);

[Route("api/v1/offers")]
public sealed class OffersController(IMediator mediator) : ApiControllerBase(mediator)
{
    /// <summary>Advertisers: their own offers. Webmasters: the catalog of active offers. Filters combine.</summary>
    [HttpGet]
    public Task<PagedResult<OfferDto>> List(
        [FromQuery] string? niche, [FromQuery] string? region, [FromQuery] PayoutModel? model, [FromQuery] long? minPayout,
        [FromQuery] OfferStatus? status, [FromQuery] string? search, [FromQuery] bool joined = false,
        [FromQuery] OfferSort sort = OfferSort.Newest, [FromQuery] int? page = null, [FromQuery] int? pageSize = null,
        CancellationToken ct = default) =>
        Mediator.Send(new ListOffersQuery(niche, region, model, minPayout, status, search, joined, sort, page, pageSize), ct);

    [HttpGet("{id:guid}")]
    public Task<OfferDto> Get(Guid id, CancellationToken ct) => Mediator.Send(new GetOfferQuery(id), ct);

    [HttpPost]
    [Authorize(AuthenticationSchemes = Infrastructure.ApiKeyAuthenticationHandler.SchemeName, Roles = Roles.Advertiser)]
    [ProducesResponseType<OfferDto>(201)]
    [ProducesResponseType<ValidationProblemDetails>(422)]
    public async Task<IActionResult> Create(OfferInput input, CancellationToken ct)
    {
        var id = await Mediator.Send(new CreateOfferCommand(input), ct);
        return CreatedAtAction(nameof(Get), new { id }, await Mediator.Send(new GetOfferQuery(id), ct));
    }

    [HttpPut("{id:guid}")]
    [Authorize(AuthenticationSchemes = Infrastructure.ApiKeyAuthenticationHandler.SchemeName, Roles = Roles.Advertiser)]
    public async Task<OfferDto> Update(Guid id, OfferInput input, CancellationToken ct)
    {
        await Mediator.Send(new UpdateOfferCommand(id, input), ct);
        return await Mediator.Send(new GetOfferQuery(id), ct);
    }

    /// <summary>Pause, activate or archive an offer.</summary>
    [HttpPost("{id:guid}/status")]
    [Authorize(AuthenticationSchemes = Infrastructure.ApiKeyAuthenticationHandler.SchemeName, Roles = Roles.Advertiser)]
    public async Task<IActionResult> ChangeStatus(Guid id, OfferStatusRequest request, CancellationToken ct) =>
        Ok(new { status = await Mediator.Send(new ChangeOfferStatusCommand(id, request.Action), ct) });

    /// <summary>Webmaster joins: {status, linkCode, trackingUrl}; pending offers give the link after approval.</summary>
    [HttpPost("{id:guid}/join")]
    [Authorize(AuthenticationSchemes = Infrastructure.ApiKeyAuthenticationHandler.SchemeName, Roles = Roles.Webmaster)]
    public Task<JoinOfferResult> Join(Guid id, CancellationToken ct) => Mediator.Send(new JoinOfferCommand(id), ct);

    /// <summary>Advertiser: webmasters in this offer. Webmaster: their own participation.</summary>
    [HttpGet("{id:guid}/participations")]
    public Task<PagedResult<ParticipationDto>> Participations(Guid id, [FromQuery] ParticipationStatus? status, [FromQuery] int? page, [FromQuery] int? pageSize, CancellationToken ct) =>
        Mediator.Send(new ListParticipationsQuery(id, status, page, pageSize), ct);
}

[Route("api/v1/participations")]
public sealed class ParticipationsController(IMediator mediator) : ApiControllerBase(mediator)
{
    [HttpGet]
    public Task<PagedResult<ParticipationDto>> List([FromQuery] Guid? offerId, [FromQuery] ParticipationStatus? status, [FromQuery] int? page, [FromQuery] int? pageSize, CancellationToken ct) =>
        Mediator.Send(new ListParticipationsQuery(offerId, status, page, pageSize), ct);

    /// <summary>The offer's advertiser approves or rejects a webmaster.</summary>
    [HttpPost("{id:guid}/decision")]
    public async Task<IActionResult> Decide(Guid id, ParticipationDecisionRequest request, CancellationToken ct) =>
        Ok(new { status = await Mediator.Send(new DecideParticipationCommand(id, request.Approve, request.Note), ct) });
}
