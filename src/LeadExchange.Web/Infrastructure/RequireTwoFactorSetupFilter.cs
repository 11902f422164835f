using LeadExchange.Domain.Identity;
using LeadExchange.Infrastructure.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace LeadExchange.Web.Infrastructure;

/// <summary>Pages an admin or moderator without two-factor sign-in may still open: setting it up, signing out, errors, the language.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class AllowWithoutTwoFactorAttribute : Attribute;

/// <summary>
/// Admins and moderators use the site only with two-factor sign-in on: signed in by password alone (an account that has
/// none yet, such as the bootstrap admin, or a person just granted the role), every page sends them to the two-factor
/// page until it is on. The flag is a claim of the sign-in cookie (no database read); turning two-factor on refreshes it,
/// and a role change renews the cookie's claims through the security stamp. API keys have their own check
/// (ApiKeyAuthenticationHandler: a staff key works only while its owner's two-factor is on).
/// </summary>
public sealed class RequireTwoFactorSetupFilter : IAuthorizationFilter
{
    public const string SetupPath = "/account/2fa";

    public void OnAuthorization(AuthorizationFilterContext context)
    {
        var user = context.HttpContext.User;
        if (user.Identity is not { IsAuthenticated: true, AuthenticationType: var scheme } || scheme != IdentityConstants.ApplicationScheme) return;
        if (user.HasClaim(c => c.Type == AppClaimTypes.TwoFactor) || !Roles.NeedTwoFactor.Any(user.IsInRole)) return;
        if (context.ActionDescriptor.EndpointMetadata.OfType<AllowWithoutTwoFactorAttribute>().Any()) return;
        context.Result = new RedirectResult(SetupPath);
    }
}
