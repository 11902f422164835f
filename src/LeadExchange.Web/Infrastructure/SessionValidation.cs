using System.Security.Claims;
using LeadExchange.Infrastructure.Persistence;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Controllers;
using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LeadExchange.Web.Infrastructure;

/// <summary>
/// The sign-in cookie's check on every page request. A session ends on the server when the account's security stamp
/// changes (sign-out, a role change): the cookie carries the stamp it was issued with, and a copy of it is refused from the
/// next request on. Identity's own validator would do that only once per interval, and each of its checks rebuilds the
/// principal (roles, claims) and re-issues the cookie; here each page pays one primary-key read of the stamp, and Identity's
/// validator keeps its one-minute refresh of the claims. Only MVC pages check: the API authenticates by key and ignores the
/// cookie, and the tracking endpoints (click, postback, pixel), health and Swagger never use it, so they pay nothing.
/// </summary>
public static class SessionValidation
{
    public static async Task ValidatePrincipalAsync(CookieValidatePrincipalContext context)
    {
        if (!IsPage(context.HttpContext)) return;
        try
        {
            if (!await StampIsCurrentAsync(context))
            {
                context.RejectPrincipal();
                await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
                return;
            }
            await SecurityStampValidator.ValidatePrincipalAsync(context);
        }
        // While the database is away the check would throw inside authentication, again when the error page is rendered,
        // and end as a bare 500; instead the session is kept as it is (checked on the next request) and the page's own
        // work answers 503.
        catch (Exception ex) when (DatabaseFailures.IsUnavailable(ex))
        {
            context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("LeadExchange.Identity")
                .LogWarning("Security stamp not checked: the database is unavailable; checked again on the next request");
        }
    }

    private static bool IsPage(HttpContext http) =>
        http.GetEndpoint()?.Metadata is { } metadata
        && metadata.GetMetadata<ControllerActionDescriptor>() is not null
        && metadata.GetMetadata<IApiBehaviorMetadata>() is null;

    private static async Task<bool> StampIsCurrentAsync(CookieValidatePrincipalContext context)
    {
        var services = context.HttpContext.RequestServices;
        var claimTypes = services.GetRequiredService<IOptions<IdentityOptions>>().Value.ClaimsIdentity;
        var userId = context.Principal?.FindFirstValue(claimTypes.UserIdClaimType);
        var stamp = context.Principal?.FindFirstValue(claimTypes.SecurityStampClaimType);
        if (userId is null || stamp is null) return false;
        var current = await services.GetRequiredService<AppDbContext>().Users.AsNoTracking()
            .Where(u => u.Id == userId).Select(u => u.SecurityStamp).FirstOrDefaultAsync(context.HttpContext.RequestAborted);
        return current == stamp;
    }
}
