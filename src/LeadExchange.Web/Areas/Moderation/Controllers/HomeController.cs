using LeadExchange.Domain.Identity;
using LeadExchange.Web.Controllers;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace LeadExchange.Web.Areas.Moderation.Controllers;

[Area("Moderation")]
[Authorize(Roles = Roles.Moderator + "," + Roles.Admin)]
public sealed class HomeController(IMediator mediator) : UiController(mediator)
{
    [HttpGet]
    public IActionResult Index() => View();
}
