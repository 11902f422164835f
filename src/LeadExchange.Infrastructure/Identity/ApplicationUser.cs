using Microsoft.AspNetCore.Identity;

namespace LeadExchange.Infrastructure.Identity;

public sealed class ApplicationUser : IdentityUser
{
    public string DisplayName { get; set; } = "";
    /// <summary>IANA time zone for reports and day boundaries.</summary>
    public string TimeZone { get; set; } = "UTC";
    /// <summary>UI language: en or ru.</summary>
    public string Culture { get; set; } = "en";
    public DateTime CreatedAt { get; set; }
}
