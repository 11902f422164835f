using LeadExchange.Application.Identity;
using LeadExchange.Web.Controllers;
using LeadExchange.Web.Models;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace LeadExchange.Web.Areas.Admin.Controllers;

public sealed class UsersController(IMediator mediator) : AdminController(mediator)
{
    [HttpGet]
    public async Task<IActionResult> Index(string? search, string? role, int? page, CancellationToken ct) =>
        View(new UsersPage(search, role, await Mediator.Send(new ListUsersQuery(search, role, page), ct)));

    /// <summary>Grants or removes Moderator or Admin.</summary>
    [HttpPost]
    public async Task<IActionResult> SetRole(string id, string role, bool granted, string? returnUrl, CancellationToken ct)
    {
        await Mediator.Send(new SetUserRoleCommand(id, role, granted), ct);
        Notice(granted ? $"{role} role granted." : $"{role} role removed.");
        return Redirect(Url.LocalOr(returnUrl, Url.Action(nameof(Index))!));
    }
}
