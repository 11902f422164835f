using System.Security.Claims;
using LeadExchange.Application.Common.Interfaces;

namespace LeadExchange.Web.Infrastructure;

public sealed class CurrentUser(IHttpContextAccessor accessor) : ICurrentUser
{
    private ClaimsPrincipal? Principal => accessor.HttpContext?.User;

    public string? UserId => Principal?.Identity?.IsAuthenticated == true ? Principal.FindFirstValue(ClaimTypes.NameIdentifier) : null;

    public bool IsInRole(string role) => Principal?.IsInRole(role) == true;
}
