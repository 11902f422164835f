using LeadExchange.Domain.Identity;
using LeadExchange.Web.Controllers;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace LeadExchange.Web.Areas.Webmaster.Controllers;

[Area("Webmaster")]
[Authorize(Roles = Roles.Webmaster)]
public abstract class WebmasterController(IMediator mediator) : UiController(mediator);
