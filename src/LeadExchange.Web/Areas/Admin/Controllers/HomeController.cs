using LeadExchange.Application.Identity;
using LeadExchange.Application.Reference;
using LeadExchange.Application.Reports;
using LeadExchange.Web.Models;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace LeadExchange.Web.Areas.Admin.Controllers;

public sealed class HomeController(IMediator mediator) : AdminController(mediator)
{
    [HttpGet]
    public async Task<IActionResult> Index(CancellationToken ct)
    {
        var niches = await Mediator.Send(new ListNichesQuery(IncludeInactive: true), ct);
        var regions = await Mediator.Send(new ListRegionsQuery(IncludeInactive: true), ct);
        var users = await Mediator.Send(new ListUsersQuery(PageSize: 1), ct);
        // The platform's activity, as moderators see it (plus the admin's own items: manual payouts); its report links go to
        // Moderation/Reports, which admins may open.
        var activity = new DashboardPage("Moderation", await Mediator.Send(new GetDashboardQuery("platform"), ct));
        return View(new AdminDashboard(niches.Count, niches.Count(n => n.IsActive), regions.Count, users.Total, activity));
    }
}
