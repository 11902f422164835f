using LeadExchange.Domain.Identity;
using LeadExchange.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LeadExchange.Infrastructure.Identity;

public sealed record ApiKeyPrincipal(string UserId, string UserName, IReadOnlyList<string> Roles, string SecurityStamp);

/// <summary>Resolves an X-Api-Key to its owner: the prefix finds the row, a constant-time hash comparison proves it.</summary>
public sealed class ApiKeyAuthenticator(AppDbContext db)
{
    public async Task<ApiKeyPrincipal?> AuthenticateAsync(string? plain, CancellationToken ct)
    {
        var prefix = ApiKey.PrefixOf(plain);
        if (prefix is null) return null;
        var key = await db.ApiKeys.AsNoTracking().FirstOrDefaultAsync(k => k.Prefix == prefix, ct);
        if (key is null || !key.Matches(plain!)) return null;
        // Not refused while the password is locked out: that lockout stops password guessing, and a key is a separate random
        // credential. Honouring it here let anyone who knows a seller's email switch off their lead API for 15 minutes at a
        // time by failing ten sign-ins. Revoking the key is how a key is stopped.
        var user = await db.Users.AsNoTracking().Where(u => u.Id == key.UserId)
            .Select(u => new { u.Id, u.UserName, u.SecurityStamp }).FirstOrDefaultAsync(ct);
        if (user is null) return null;
        var roles = await (from ur in db.UserRoles
                           join r in db.Roles on ur.RoleId equals r.Id
                           where ur.UserId == user.Id
                           select r.Name!).ToListAsync(ct);
        return new ApiKeyPrincipal(user.Id, user.UserName ?? "", roles, user.SecurityStamp ?? "");
    }
}
