using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LeadExchange.Infrastructure.Identity;

/// <summary>
/// A sign-in with an unknown email hashes the password like a real check, so it costs as long as a wrong password
/// and its timing does not tell which emails have accounts.
/// </summary>
public static class UnknownAccount
{
    private static readonly ApplicationUser Nobody = new();
    private static string? _hash;

    public static void CheckDummyPassword(IPasswordHasher<ApplicationUser> hasher, string password)
    {
        var hash = _hash ??= hasher.HashPassword(Nobody, Guid.NewGuid().ToString("N"));
        hasher.VerifyHashedPassword(Nobody, hash, password);
    }
}

/// <summary>Identity's sign-in manager, except that an unknown user name costs a password hash (see <see cref="UnknownAccount"/>).</summary>
public sealed class TimingSafeSignInManager(
    UserManager<ApplicationUser> users, IHttpContextAccessor context, IUserClaimsPrincipalFactory<ApplicationUser> claims,
    IOptions<IdentityOptions> options, ILogger<SignInManager<ApplicationUser>> logger, IAuthenticationSchemeProvider schemes,
    IUserConfirmation<ApplicationUser> confirmation)
    : SignInManager<ApplicationUser>(users, context, claims, options, logger, schemes, confirmation)
{
    public override async Task<SignInResult> PasswordSignInAsync(string userName, string password, bool isPersistent, bool lockoutOnFailure)
    {
        var user = await UserManager.FindByNameAsync(userName);
        if (user is not null) return await PasswordSignInAsync(user, password, isPersistent, lockoutOnFailure);
        UnknownAccount.CheckDummyPassword(UserManager.PasswordHasher, password);
        return SignInResult.Failed;
    }

    /// <summary>
    /// "Don't ask for a code on this browser" holds only while the account's security stamp is the one it was given with:
    /// checked now, not at Identity's periodic check, so a sign-out, a role change or turning two-factor off or on forgets
    /// every remembered browser at once.
    /// </summary>
    public override async Task<bool> IsTwoFactorClientRememberedAsync(ApplicationUser user)
    {
        var remembered = await Context.AuthenticateAsync(IdentityConstants.TwoFactorRememberMeScheme);
        if (remembered.Principal?.FindFirstValue(ClaimTypes.Name) != await UserManager.GetUserIdAsync(user)) return false;
        var stamp = remembered.Principal.FindFirstValue(Options.ClaimsIdentity.SecurityStampClaimType);
        return stamp is not null && stamp == await UserManager.GetSecurityStampAsync(user);
    }
}
