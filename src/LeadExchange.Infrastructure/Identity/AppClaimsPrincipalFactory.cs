using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace LeadExchange.Infrastructure.Identity;

/// <summary>Claims of the app's own beyond Identity's (name, roles, security stamp).</summary>
public static class AppClaimTypes
{
    /// <summary>The person's UI language (ApplicationUser.Culture), read by the web's request localization.</summary>
    public const string Culture = "lx:culture";

    /// <summary>Present ("on") when the account has two-factor sign-in on; admins and moderators without it are sent to set it up.</summary>
    public const string TwoFactor = "lx:2fa";
}

/// <summary>
/// Builds the sign-in cookie's principal: Identity's claims plus the UI language and the two-factor flag, so the language of every
/// page is known without a database read. The cookie is rebuilt on sign-in, on RefreshSignInAsync (the
/// profile and language pages call it after a change) and at each security stamp validation.
/// </summary>
public sealed class AppClaimsPrincipalFactory(
    UserManager<ApplicationUser> users, RoleManager<IdentityRole> roles, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<ApplicationUser, IdentityRole>(users, roles, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(ApplicationUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(AppClaimTypes.Culture, user.Culture));
        if (user.TwoFactorEnabled) identity.AddClaim(new Claim(AppClaimTypes.TwoFactor, "on"));
        return identity;
    }
}
