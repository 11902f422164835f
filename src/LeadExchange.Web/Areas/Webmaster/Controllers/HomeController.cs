using LeadExchange.Application.Offers.Queries;
using LeadExchange.Domain.Offers;
using LeadExchange.Web.Models;
using LeadExchange.Application.Reports;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace LeadExchange.Web.Areas.Webmaster.Controllers;

public sealed class HomeController(IMediator mediator) : WebmasterController(mediator)
{
    [HttpGet]
    public async Task<IActionResult> Index(CancellationToken ct)
    {
        var catalog = await Mediator.Send(new ListOffersQuery(PageSize: 1), ct);
        var joined = await Mediator.Send(new ListOffersQuery(JoinedOnly: true, PageSize: 1), ct);
        var approved = await Mediator.Send(new ListParticipationsQuery(Status: ParticipationStatus.Approved, PageSize: 1), ct);
        var pending = await Mediator.Send(new ListParticipationsQuery(Status: ParticipationStatus.Pending, PageSize: 1), ct);
        var activity = new DashboardPage("Webmaster", await Mediator.Send(new GetDashboardQuery("webmaster"), ct));
        return View(new WebmasterDashboard(catalog.Total, joined.Total, approved.Total, pending.Total, activity));
    }
}
