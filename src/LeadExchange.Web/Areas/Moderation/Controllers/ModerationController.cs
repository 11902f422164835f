using LeadExchange.Domain.Identity;
using LeadExchange.Web.Controllers;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace LeadExchange.Web.Areas.Moderation.Controllers;

/// <summary>Every moderation page: moderators, and admins (who may do what moderators do).</summary>
[Area("Moderation")]
[Authorize(Roles = Roles.Moderator + "," + Roles.Admin)]
public abstract class ModerationController(IMediator mediator) : UiController(mediator);
