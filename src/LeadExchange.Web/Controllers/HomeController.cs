using LeadExchange.Web.Models;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace LeadExchange.Web.Controllers;

[AllowAnonymous]
public sealed class HomeController(IMediator mediator) : UiController(mediator)
{
    /// <summary>Anonymous: what LeadExchange is. Signed in: the dashboard of the person's role.</summary>
    [HttpGet]
    public IActionResult Index() =>
        User.Identity?.IsAuthenticated == true && NavMenu.DashboardPath(User) is { } dashboard
            ? Redirect(dashboard)
            : View();
}
