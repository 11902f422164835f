using LeadExchange.Application.Buying;
using LeadExchange.Web.Models;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace LeadExchange.Web.Controllers;

/// <summary>In-app notifications for every role (subscriptions to seller offers and their changes): newest first, and "Mark all read".</summary>
[Authorize]
public sealed class NotificationsController(IMediator mediator) : UiController(mediator)
{
    [HttpGet]
    public async Task<IActionResult> Index(int? page, CancellationToken ct) =>
        View(new NotificationsPage(await Mediator.Send(new ListNotificationsQuery(false, page), ct)));

    [HttpPost]
    public async Task<IActionResult> MarkAllRead(CancellationToken ct)
    {
        var marked = await Mediator.Send(new MarkNotificationsReadCommand(), ct);
        Notice(marked == 0 ? "Nothing was unread." : $"Marked {marked} {(marked == 1 ? "notification" : "notifications")} read.");
        return RedirectToAction(nameof(Index));
    }
}
