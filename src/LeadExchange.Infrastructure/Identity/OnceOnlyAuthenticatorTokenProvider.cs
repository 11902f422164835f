using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Identity;

namespace LeadExchange.Infrastructure.Identity;

/// <summary>
/// Checks authenticator codes like Identity's own provider (the 30-second step, two steps of clock drift either way), and
/// accepts each code once (RFC 6238, section 5.2): the step of the last accepted code is stored with the account and
/// only a later step is accepted after it. Two requests racing with one code both write the account row; its
/// concurrency stamp lets one of them through.
/// </summary>
public sealed class OnceOnlyAuthenticatorTokenProvider(TimeProvider time) : IUserTwoFactorTokenProvider<ApplicationUser>
{
    public const string Name = "LxAuthenticator";
    public const string LoginProvider = "[LeadExchange]";
    public const string LastStepToken = "AuthenticatorLastStep";
    private const int DriftSteps = 2;

    public Task<string> GenerateAsync(string purpose, UserManager<ApplicationUser> manager, ApplicationUser user) =>
        Task.FromResult(string.Empty);

    public async Task<bool> CanGenerateTwoFactorTokenAsync(UserManager<ApplicationUser> manager, ApplicationUser user) =>
        !string.IsNullOrWhiteSpace(await manager.GetAuthenticatorKeyAsync(user));

    public async Task<bool> ValidateAsync(string purpose, string token, UserManager<ApplicationUser> manager, ApplicationUser user)
    {
        var code = Normalize(token);
        if (code is null) return false;
        var key = await manager.GetAuthenticatorKeyAsync(user);
        if (string.IsNullOrWhiteSpace(key)) return false;
        var last = await LastStepAsync(manager, user);
        var now = Totp.StepAt(time.GetUtcNow());
        for (var step = now - DriftSteps; step <= now + DriftSteps; step++)
        {
            if (step <= last) continue;
            if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Totp.Code(key, step)), Encoding.ASCII.GetBytes(code))) continue;
            // Saves the account row (with its concurrency stamp): a parallel use of the same code fails here.
            var saved = await manager.SetAuthenticationTokenAsync(user, LoginProvider, LastStepToken, step.ToString(CultureInfo.InvariantCulture));
            return saved.Succeeded;
        }
        return false;
    }

    /// <summary>The time step of the last code accepted for the account (none yet: long.MinValue).</summary>
    public static async Task<long> LastStepAsync(UserManager<ApplicationUser> manager, ApplicationUser user) =>
        long.TryParse(await manager.GetAuthenticationTokenAsync(user, LoginProvider, LastStepToken), NumberStyles.None, CultureInfo.InvariantCulture, out var last)
            ? last : long.MinValue;

    /// <summary>Six digits, spaces and dashes allowed between them ("123 456"); anything else is not a code.</summary>
    public static string? Normalize(string? token)
    {
        var code = (token ?? "").Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        return code.Length == 6 && code.All(char.IsAsciiDigit) ? code : null;
    }
}
