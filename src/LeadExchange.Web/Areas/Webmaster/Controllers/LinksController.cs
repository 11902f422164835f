using LeadExchange.Application.Offers.Queries;
using LeadExchange.Domain.Offers;
using LeadExchange.Web.Models;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace LeadExchange.Web.Areas.Webmaster.Controllers;

/// <summary>The webmaster's offers and tracking links.</summary>
public sealed class LinksController(IMediator mediator) : WebmasterController(mediator)
{
    [HttpGet]
    public async Task<IActionResult> Index(ParticipationStatus? status, int? page, CancellationToken ct) =>
        View(new LinksPage(status, await Mediator.Send(new ListParticipationsQuery(Status: status, Page: page), ct)));
}
