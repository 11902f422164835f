namespace LeadExchange.Domain.Identity;

public static class Roles
{
    public const string Advertiser = "Advertiser";
    public const string Webmaster = "Webmaster";
    public const string Moderator = "Moderator";
    public const string Admin = "Admin";

    public static readonly IReadOnlyList<string> All = [Advertiser, Webmaster, Moderator, Admin];

    /// <summary>Roles a person may pick when signing up; the others are granted by an admin.</summary>
    public static readonly IReadOnlyList<string> SelfService = [Advertiser, Webmaster];

    public static string? Normalize(string? role) =>
        All.FirstOrDefault(r => string.Equals(r, role?.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>Roles that may sign in, and use API keys, only with two-factor sign-in on: admins and moderators.</summary>
    public static readonly IReadOnlyList<string> NeedTwoFactor = [Moderator, Admin];

    public static bool RequireTwoFactor(IEnumerable<string> roles) =>
        roles.Any(r => NeedTwoFactor.Contains(r, StringComparer.OrdinalIgnoreCase));
}
