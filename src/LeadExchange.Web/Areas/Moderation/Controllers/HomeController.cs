using LeadExchange.Application.Disputes;
using LeadExchange.Web.Models;
using LeadExchange.Application.Reports;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace LeadExchange.Web.Areas.Moderation.Controllers;

/// <summary>The moderator's dashboard: how many disputes wait and which is next.</summary>
public sealed class HomeController(IMediator mediator) : ModerationController(mediator)
{
    [HttpGet]
    public async Task<IActionResult> Index(CancellationToken ct)
    {
        // Totals only: one row each is enough for the counts the page shows.
        var open = await Mediator.Send(new ListDisputesQuery(Status: "open", PageSize: 1), ct);
        var overdue = await Mediator.Send(new ListDisputesQuery(Overdue: true, PageSize: 1), ct);
        var activity = new DashboardPage("Moderation", await Mediator.Send(new GetDashboardQuery("platform"), ct));
        return View(new ModerationHomePage(open.Total, overdue.Total, open.Items.FirstOrDefault(), activity));
    }
}
