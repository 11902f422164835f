using System.Security.Cryptography;
using System.Text;
using LeadExchange.Infrastructure.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;

namespace LeadExchange.Infrastructure.Identity;

/// <summary>
/// Identity's EF user store, except that two-factor recovery codes are kept as SHA-256 hashes (Identity keeps them as they
/// are): a copy of the database does not sign anyone in. A code is compared in its normal form (upper case, no spaces),
/// so "abcde-12345" typed from a printout works. A redeemed code is removed in the account row's update, whose
/// concurrency stamp stops two parallel sign-ins with one code.
/// </summary>
public sealed class HashedRecoveryCodesUserStore(AppDbContext context, IdentityErrorDescriber? describer = null)
    : UserStore<ApplicationUser, IdentityRole, AppDbContext>(context, describer)
{
    // Where Identity's own store keeps the codes (UserStoreBase's private constants), so CountCodesAsync keeps working.
    private const string InternalLoginProvider = "[AspNetUserStore]";
    private const string RecoveryCodeTokenName = "RecoveryCodes";

    public override Task ReplaceCodesAsync(ApplicationUser user, IEnumerable<string> recoveryCodes, CancellationToken cancellationToken = default) =>
        SetTokenAsync(user, InternalLoginProvider, RecoveryCodeTokenName, string.Join(";", recoveryCodes.Select(Hash)), cancellationToken);

    /// <summary>Not the base's: it calls <see cref="ReplaceCodesAsync"/> with the remaining (already hashed) codes.</summary>
    public override async Task<bool> RedeemCodeAsync(ApplicationUser user, string code, CancellationToken cancellationToken = default)
    {
        var hashes = (await GetTokenAsync(user, InternalLoginProvider, RecoveryCodeTokenName, cancellationToken) ?? "")
            .Split(';', StringSplitOptions.RemoveEmptyEntries);
        var hash = Hash(code ?? "");
        if (!hashes.Contains(hash, StringComparer.Ordinal)) return false;
        await SetTokenAsync(user, InternalLoginProvider, RecoveryCodeTokenName, string.Join(";", hashes.Where(h => h != hash)), cancellationToken);
        return true;
    }

    public static string Normalize(string code) =>
        code.Replace(" ", "", StringComparison.Ordinal).Trim().ToUpperInvariant();

    private static string Hash(string code) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(Normalize(code))));
}
