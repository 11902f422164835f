using LeadExchange.Application.Offers.Commands;
using LeadExchange.Application.Offers.Queries;
using LeadExchange.Domain.Offers;
using LeadExchange.Web.Controllers;
using LeadExchange.Web.Models;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace LeadExchange.Web.Areas.Advertiser.Controllers;

/// <summary>Webmasters in the advertiser's offers: requests to approve or reject.</summary>
public sealed class ParticipationsController(IMediator mediator) : AdvertiserController(mediator)
{
    [HttpGet]
    public async Task<IActionResult> Index(ParticipationStatus? status, Guid? offerId, int? page, CancellationToken ct)
    {
        var items = await Mediator.Send(new ListParticipationsQuery(offerId, status, page), ct);
        var offers = await Mediator.Send(new ListOffersQuery(Sort: OfferSort.Title, PageSize: 200), ct);
        return View(new ParticipationsPage(status, offerId, items, offers.Items));
    }

    [HttpPost]
    public async Task<IActionResult> Decide(Guid id, bool approve, string? note, string? returnUrl, CancellationToken ct)
    {
        var status = await Mediator.Send(new DecideParticipationCommand(id, approve, note), ct);
        Notice(status == ParticipationStatus.Approved ? "Webmaster approved: their tracking link works now." : "Request rejected.");
        return Redirect(Url.LocalOr(returnUrl, Url.Action(nameof(Index))!));
    }
}
