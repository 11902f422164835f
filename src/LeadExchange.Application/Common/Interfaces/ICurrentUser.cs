namespace LeadExchange.Application.Common.Interfaces;

/// <summary>Who is asking: the signed-in browser user or the owner of the API key.</summary>
public interface ICurrentUser
{
    string? UserId { get; }
    bool IsInRole(string role);
}

public static class CurrentUserExtensions
{
    public static string RequireUserId(this ICurrentUser user) =>
        user.UserId ?? throw new Exceptions.ForbiddenException("Sign in first.");

    public static void RequireRole(this ICurrentUser user, params string[] roles)
    {
        if (user.UserId is null || !roles.Any(user.IsInRole))
            throw new Exceptions.ForbiddenException($"This needs the {string.Join(" or ", roles)} role.");
    }
}
