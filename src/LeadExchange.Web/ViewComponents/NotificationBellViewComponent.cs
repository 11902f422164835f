using LeadExchange.Application.Buying;
using LeadExchange.Infrastructure.Persistence;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace LeadExchange.Web.ViewComponents;

/// <summary>
/// The bell in the top navigation with the unread count: one COUNT query per page, for signed-in people only. Without a
/// database (the 503 page, <see cref="DatabaseUnavailableKey"/>) the bell shows no count instead of failing the page.
/// </summary>
public sealed class NotificationBellViewComponent(IMediator mediator) : ViewComponent
{
    /// <summary>HttpContext.Items key set by the error page when it renders because the database is unavailable.</summary>
    public const string DatabaseUnavailableKey = "lx.database-unavailable";

    public async Task<IViewComponentResult> InvokeAsync()
    {
        if (HttpContext.Items.ContainsKey(DatabaseUnavailableKey)) return View(0);
        try
        {
            return View(await mediator.Send(new CountUnreadNotificationsQuery(), HttpContext.RequestAborted));
        }
        catch (Exception ex) when (DatabaseFailures.IsUnavailable(ex))
        {
            return View(0);
        }
    }
}
