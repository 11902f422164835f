using System.Globalization;
using LeadExchange.Application.Common.Exceptions;
using LeadExchange.Application.Common.Interfaces;
using LeadExchange.Domain.Identity;
using Microsoft.AspNetCore.Identity;

namespace LeadExchange.Infrastructure.Identity;

/// <summary>Two-factor sign-in on ASP.NET Core Identity: the authenticator key, once-only codes, hashed recovery codes.</summary>
public sealed class TwoFactorService(UserManager<ApplicationUser> users, IUserStore<ApplicationUser> store) : ITwoFactorService
{
    public const int RecoveryCodeCount = 10;
    public const string Issuer = "LeadExchange";

    public async Task<TwoFactorStatus> GetStatusAsync(string userId, CancellationToken ct)
    {
        var user = await FindAsync(userId);
        var required = Roles.RequireTwoFactor(await users.GetRolesAsync(user));
        return new TwoFactorStatus(user.TwoFactorEnabled, required, user.TwoFactorEnabled ? await users.CountRecoveryCodesAsync(user) : 0);
    }

    /// <summary>
    /// Writes a new key through the store, not UserManager.ResetAuthenticatorKeyAsync: that one also changes the security
    /// stamp, which would end the very session that is setting two-factor up. A pending key signs nobody in.
    /// </summary>
    public async Task<AuthenticatorSetup> GetSetupAsync(string userId, CancellationToken ct)
    {
        var user = await FindAsync(userId);
        var key = await users.GetAuthenticatorKeyAsync(user);
        if (string.IsNullOrWhiteSpace(key))
        {
            key = users.GenerateNewAuthenticatorKey();
            await KeyStore.SetAuthenticatorKeyAsync(user, key, ct);
            Check(await users.UpdateAsync(user));
        }
        return new AuthenticatorSetup(FormatKey(key), AuthenticatorUri(user.Email ?? user.UserName ?? "", key));
    }

    public async Task<IReadOnlyList<string>?> EnableAsync(string userId, string code, CancellationToken ct)
    {
        var user = await FindAsync(userId);
        if (!await VerifyAsync(user, code, allowRecoveryCode: false)) return null;
        Check(await users.SetTwoFactorEnabledAsync(user, true));
        return (await users.GenerateNewTwoFactorRecoveryCodesAsync(user, RecoveryCodeCount))?.ToList() ?? [];
    }

    public async Task<bool> DisableAsync(string userId, string code, CancellationToken ct)
    {
        var user = await FindAsync(userId);
        if (!await VerifyAsync(user, code, allowRecoveryCode: true)) return false;
        Check(await users.SetTwoFactorEnabledAsync(user, false));
        await users.RemoveAuthenticationTokenAsync(user, OnceOnlyAuthenticatorTokenProvider.LoginProvider, OnceOnlyAuthenticatorTokenProvider.LastStepToken);
        await ((IUserTwoFactorRecoveryCodeStore<ApplicationUser>)store).ReplaceCodesAsync(user, [], ct);
        // A new key (and a new security stamp: every other session of the account ends) so the old app's codes are dead.
        Check(await users.ResetAuthenticatorKeyAsync(user));
        return true;
    }

    public async Task<IReadOnlyList<string>?> ResetRecoveryCodesAsync(string userId, string code, CancellationToken ct)
    {
        var user = await FindAsync(userId);
        if (!await VerifyAsync(user, code, allowRecoveryCode: false)) return null;
        return (await users.GenerateNewTwoFactorRecoveryCodesAsync(user, RecoveryCodeCount))?.ToList() ?? [];
    }

    public async Task<SecondFactorCheck> CheckForNewKeyAsync(string userId, string? code, CancellationToken ct)
    {
        var user = await FindAsync(userId);
        if (!user.TwoFactorEnabled)
            return Roles.RequireTwoFactor(await users.GetRolesAsync(user)) ? SecondFactorCheck.SetupRequired : SecondFactorCheck.NotRequired;
        if (string.IsNullOrWhiteSpace(code)) return SecondFactorCheck.Missing;
        if (await users.IsLockedOutAsync(user)) return SecondFactorCheck.Wrong;
        if (await VerifyAsync(user, code, allowRecoveryCode: true))
        {
            await users.ResetAccessFailedCountAsync(user);
            return SecondFactorCheck.Passed;
        }
        // Like a wrong password: ten in a row lock the account's sign-in for 15 minutes.
        await users.AccessFailedAsync(user);
        return SecondFactorCheck.Wrong;
    }

    /// <summary>otpauth://totp/LeadExchange:email?secret=...&amp;issuer=LeadExchange&amp;digits=6 (Google Authenticator's key URI format).</summary>
    public static string AuthenticatorUri(string account, string key) =>
        string.Create(CultureInfo.InvariantCulture,
            $"otpauth://totp/{Uri.EscapeDataString(Issuer)}:{Uri.EscapeDataString(account)}?secret={key}&issuer={Uri.EscapeDataString(Issuer)}&digits=6");

    /// <summary>The key in groups of four, lower case, as people type it into an app.</summary>
    public static string FormatKey(string key) =>
        string.Join(' ', key.ToLowerInvariant().Chunk(4).Select(c => new string(c)));

    private async Task<bool> VerifyAsync(ApplicationUser user, string code, bool allowRecoveryCode)
    {
        if (OnceOnlyAuthenticatorTokenProvider.Normalize(code) is { } totp)
            return await users.VerifyTwoFactorTokenAsync(user, OnceOnlyAuthenticatorTokenProvider.Name, totp);
        return allowRecoveryCode && !string.IsNullOrWhiteSpace(code) && (await users.RedeemTwoFactorRecoveryCodeAsync(user, code)).Succeeded;
    }

    private IUserAuthenticatorKeyStore<ApplicationUser> KeyStore => (IUserAuthenticatorKeyStore<ApplicationUser>)store;

    private async Task<ApplicationUser> FindAsync(string userId) =>
        await users.FindByIdAsync(userId) ?? throw new NotFoundException("User");

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
            throw new ConflictException("account_changed", "The account changed at the same time; try again.");
    }
}
