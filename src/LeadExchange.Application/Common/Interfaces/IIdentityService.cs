using LeadExchange.Application.Common.Models;

namespace LeadExchange.Application.Common.Interfaces;

public sealed record UserSummary(string Id, string Email, string DisplayName, IReadOnlyList<string> Roles, DateTime CreatedAt, string TimeZone, string Culture);

/// <summary>Port to ASP.NET Core Identity, so handlers never touch UserManager directly.</summary>
public interface IIdentityService
{
    /// <summary>Creates the user in the role; throws ValidationException with field errors on bad input.</summary>
    Task<string> CreateUserAsync(string email, string password, string displayName, string role, CancellationToken ct);

    /// <summary>The user id when the password is right and the account is not locked out; otherwise null.</summary>
    Task<string?> CheckPasswordAsync(string email, string password, CancellationToken ct);

    Task<UserSummary?> FindByIdAsync(string userId, CancellationToken ct);

    Task<UserSummary?> FindByEmailAsync(string email, CancellationToken ct);

    Task<PagedResult<UserSummary>> ListAsync(string? search, string? role, int page, int pageSize, CancellationToken ct);

    Task SetRoleAsync(string userId, string role, bool granted, CancellationToken ct);

    Task UpdateProfileAsync(string userId, string displayName, string timeZone, string culture, CancellationToken ct);
}
