using LeadExchange.Application.Common.Exceptions;
using LeadExchange.Application.Common.Interfaces;
using LeadExchange.Application.Common.Models;
using LeadExchange.Infrastructure.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace LeadExchange.Infrastructure.Identity;

public sealed class IdentityService(UserManager<ApplicationUser> users, AppDbContext db, IClock clock) : IIdentityService
{
    public async Task<string> CreateUserAsync(string email, string password, string displayName, string role, CancellationToken ct)
    {
        var user = new ApplicationUser
        {
            UserName = email,
            Email = email,
            DisplayName = displayName,
            CreatedAt = clock.UtcNow,
            EmailConfirmed = true,
        };
        var result = await users.CreateAsync(user, password);
        if (!result.Succeeded) throw ToValidation(result);
        result = await users.AddToRoleAsync(user, role);
        if (!result.Succeeded) throw ToValidation(result);
        return user.Id;
    }

    public async Task<string?> CheckPasswordAsync(string email, string password, CancellationToken ct)
    {
        var user = await users.FindByEmailAsync(email.Trim());
        if (user is null)
        {
            UnknownAccount.CheckDummyPassword(users.PasswordHasher, password);
            return null;
        }
        if (await users.IsLockedOutAsync(user)) return null;
        if (await users.CheckPasswordAsync(user, password))
        {
            await users.ResetAccessFailedCountAsync(user);
            return user.Id;
        }
        await users.AccessFailedAsync(user);
        return null;
    }

    public async Task<UserSummary?> FindByIdAsync(string userId, CancellationToken ct)
    {
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == userId, ct);
        return user is null ? null : await ToSummaryAsync(user, ct);
    }

    public async Task<UserSummary?> FindByEmailAsync(string email, CancellationToken ct)
    {
        var normalized = users.NormalizeEmail(email.Trim());
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.NormalizedEmail == normalized, ct);
        return user is null ? null : await ToSummaryAsync(user, ct);
    }

    public async Task<PagedResult<UserSummary>> ListAsync(string? search, string? role, int page, int pageSize, CancellationToken ct)
    {
        var query = db.Users.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(search))
        {
            var term = search.Trim().ToUpperInvariant();
            query = query.Where(u => u.NormalizedEmail!.Contains(term) || u.DisplayName.ToUpper().Contains(term));
        }
        if (role is not null)
        {
            var normalizedRole = role.ToUpperInvariant();
            query = query.Where(u => db.UserRoles.Any(ur => ur.UserId == u.Id &&
                db.Roles.Any(r => r.Id == ur.RoleId && r.NormalizedName == normalizedRole)));
        }
        var total = await query.CountAsync(ct);
        var page1 = await query.OrderBy(u => u.Email).Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(ct);
        var ids = page1.Select(u => u.Id).ToList();
        var roles = await (from ur in db.UserRoles
                           join r in db.Roles on ur.RoleId equals r.Id
                           where ids.Contains(ur.UserId)
                           select new { ur.UserId, r.Name }).ToListAsync(ct);
        var items = page1.Select(u => Summary(u, roles.Where(r => r.UserId == u.Id).Select(r => r.Name!).OrderBy(n => n).ToList())).ToList();
        return new PagedResult<UserSummary>(items, page, pageSize, total);
    }

    public async Task SetRoleAsync(string userId, string role, bool granted, CancellationToken ct)
    {
        var user = await users.FindByIdAsync(userId) ?? throw new NotFoundException("User");
        var has = await users.IsInRoleAsync(user, role);
        var result = granted switch
        {
            true when !has => await users.AddToRoleAsync(user, role),
            false when has => await users.RemoveFromRoleAsync(user, role),
            _ => IdentityResult.Success,
        };
        if (!result.Succeeded) throw ToValidation(result);
        // Sign-in cookies carry roles: bump the stamp so the change takes effect at the next validation.
        await users.UpdateSecurityStampAsync(user);
    }

    public async Task UpdateProfileAsync(string userId, string displayName, string timeZone, string culture, CancellationToken ct)
    {
        var user = await users.FindByIdAsync(userId) ?? throw new NotFoundException("User");
        user.DisplayName = displayName;
        user.TimeZone = timeZone;
        user.Culture = culture;
        var result = await users.UpdateAsync(user);
        if (!result.Succeeded) throw ToValidation(result);
    }

    private async Task<UserSummary> ToSummaryAsync(ApplicationUser user, CancellationToken ct)
    {
        var roles = await (from ur in db.UserRoles
                           join r in db.Roles on ur.RoleId equals r.Id
                           where ur.UserId == user.Id
                           select r.Name!).ToListAsync(ct);
        return Summary(user, roles);
    }

    private static UserSummary Summary(ApplicationUser u, IReadOnlyList<string> roles) =>
        new(u.Id, u.Email ?? "", u.DisplayName, roles, u.CreatedAt, u.TimeZone, u.Culture);

    /// <summary>Identity error codes to the request's field names.</summary>
    private static ValidationException ToValidation(IdentityResult result) =>
        ValidationException.From(result.Errors.Select(e => (
            e.Code.StartsWith("Password", StringComparison.Ordinal) ? "Password"
            : e.Code.Contains("Email", StringComparison.Ordinal) || e.Code.Contains("UserName", StringComparison.Ordinal) ? "Email"
            : "General",
            e.Code is "DuplicateUserName" or "DuplicateEmail" ? "An account with this email exists." : e.Description)));
}
