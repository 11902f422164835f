using LeadExchange.Domain.Identity;
using LeadExchange.Web.Controllers;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace LeadExchange.Web.Areas.Advertiser.Controllers;

[Area("Advertiser")]
[Authorize(Roles = Roles.Advertiser)]
public abstract class AdvertiserController(IMediator mediator) : UiController(mediator);
