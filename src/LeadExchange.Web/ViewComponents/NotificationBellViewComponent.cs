using LeadExchange.Application.Buying;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace LeadExchange.Web.ViewComponents;

/// <summary>The bell in the top navigation with the unread count: one COUNT query per page, for signed-in people only.</summary>
public sealed class NotificationBellViewComponent(IMediator mediator) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync() =>
        View(await mediator.Send(new CountUnreadNotificationsQuery(), HttpContext.RequestAborted));
}
