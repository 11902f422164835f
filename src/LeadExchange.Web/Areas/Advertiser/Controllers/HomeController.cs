using LeadExchange.Application.Offers.Queries;
using LeadExchange.Domain.Offers;
using LeadExchange.Web.Models;
using LeadExchange.Application.Reports;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace LeadExchange.Web.Areas.Advertiser.Controllers;

public sealed class HomeController(IMediator mediator) : AdvertiserController(mediator)
{
    [HttpGet]
    public async Task<IActionResult> Index(CancellationToken ct)
    {
        var active = await Mediator.Send(new ListOffersQuery(Status: OfferStatus.Active, PageSize: 1), ct);
        var all = await Mediator.Send(new ListOffersQuery(PageSize: 1), ct);
        var pending = await Mediator.Send(new ListParticipationsQuery(Status: ParticipationStatus.Pending, PageSize: 1), ct);
        var approved = await Mediator.Send(new ListParticipationsQuery(Status: ParticipationStatus.Approved, PageSize: 1), ct);
        var activity = new DashboardPage("Advertiser", await Mediator.Send(new GetDashboardQuery("advertiser"), ct));
        return View(new AdvertiserDashboard(active.Total, all.Total, pending.Total, approved.Total, activity));
    }
}
