namespace LeadExchange.Application.Common.Interfaces;

/// <summary>What a second factor given for a new API key (POST /api/v1/auth/keys) came to.</summary>
public enum SecondFactorCheck
{
    /// <summary>The account has no two-factor sign-in and its role does not need one.</summary>
    NotRequired,
    Passed,
    /// <summary>The account signs in with two factors and no code came.</summary>
    Missing,
    /// <summary>An admin or moderator without two-factor sign-in: they must set it up in the browser first.</summary>
    SetupRequired,
    /// <summary>A wrong, reused or expired code (counted as a failed sign-in), or the account is locked.</summary>
    Wrong,
}

public sealed record TwoFactorStatus(bool Enabled, bool Required, int RecoveryCodesLeft);

/// <summary>The authenticator app's secret, as the person types it (groups of four) and as the QR code carries it (otpauth URI).</summary>
public sealed record AuthenticatorSetup(string SharedKey, string AuthenticatorUri);

/// <summary>
/// TOTP two-factor sign-in of an account (ASP.NET Core Identity's authenticator support): a code is accepted once
/// (replays are refused), recovery codes are single-use and stored hashed by Identity.
/// </summary>
public interface ITwoFactorService
{
    Task<TwoFactorStatus> GetStatusAsync(string userId, CancellationToken ct);

    /// <summary>The secret to add to an authenticator app: created on first call, kept until two-factor is turned on or off.</summary>
    Task<AuthenticatorSetup> GetSetupAsync(string userId, CancellationToken ct);

    /// <summary>Turns two-factor on when <paramref name="code"/> is the app's current code; the new recovery codes, or null for a wrong code.</summary>
    Task<IReadOnlyList<string>?> EnableAsync(string userId, string code, CancellationToken ct);

    /// <summary>Turns two-factor off and forgets the secret when the code is right; false for a wrong code.</summary>
    Task<bool> DisableAsync(string userId, string code, CancellationToken ct);

    /// <summary>Ten new recovery codes (the old ones stop working) when the code is right; null for a wrong code.</summary>
    Task<IReadOnlyList<string>?> ResetRecoveryCodesAsync(string userId, string code, CancellationToken ct);

    /// <summary>The second factor of a key request proven by password: an authenticator code or a recovery code.</summary>
    Task<SecondFactorCheck> CheckForNewKeyAsync(string userId, string? code, CancellationToken ct);
}
