using System.ComponentModel.DataAnnotations;
using LeadExchange.Application.Identity;
using LeadExchange.Domain.Identity;

namespace LeadExchange.Web.Models;

public sealed class LoginModel
{
    [Required, EmailAddress, Display(Name = "Email")]
    public string? Email { get; set; }

    [Required, DataType(DataType.Password), Display(Name = "Password")]
    [MaxLength(PasswordRules.MaxLength, ErrorMessage = PasswordRules.TooLongMessage)]
    public string? Password { get; set; }

    [Display(Name = "Keep me signed in")]
    public bool RememberMe { get; set; }

    public string? ReturnUrl { get; set; }
}

/// <summary>Sign-up form; the rules live in RegisterValidator and Identity's password options.</summary>
public sealed class RegisterModel
{
    [Display(Name = "Email")]
    public string? Email { get; set; }

    [DataType(DataType.Password), Display(Name = "Password")]
    public string? Password { get; set; }

    [Display(Name = "Display name")]
    public string? DisplayName { get; set; }

    [Display(Name = "I am")]
    public string? Role { get; set; } = "advertiser";
}

public sealed class ProfileModel
{
    /// <summary>A reasonable choice of IANA zones; the person's current zone is added when it is not here.</summary>
    public static readonly IReadOnlyList<string> CommonTimeZones =
    [
        "UTC", "Europe/London", "Europe/Lisbon", "Europe/Berlin", "Europe/Paris", "Europe/Madrid", "Europe/Rome", "Europe/Warsaw",
        "Europe/Kyiv", "Europe/Istanbul", "Europe/Minsk", "Europe/Moscow", "Europe/Samara", "Asia/Yekaterinburg", "Asia/Omsk",
        "Asia/Novosibirsk", "Asia/Krasnoyarsk", "Asia/Irkutsk", "Asia/Yakutsk", "Asia/Vladivostok", "Asia/Magadan",
        "Asia/Kamchatka", "Asia/Almaty", "Asia/Tashkent", "Asia/Tbilisi", "Asia/Yerevan", "Asia/Baku", "Asia/Dubai",
        "Asia/Kolkata", "Asia/Bangkok", "Asia/Shanghai", "Asia/Singapore", "Asia/Tokyo", "Australia/Sydney",
        "America/Sao_Paulo", "America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles",
    ];

    public static readonly IReadOnlyDictionary<string, string> Languages = new Dictionary<string, string> { ["en"] = "English", ["ru"] = "Русский" };

    public string Email { get; set; } = "";

    [Display(Name = "Display name")]
    public string? DisplayName { get; set; }

    [Display(Name = "Time zone")]
    public string? TimeZone { get; set; }

    [Display(Name = "Language")]
    public string? Culture { get; set; }

    public IEnumerable<string> TimeZoneChoices() =>
        TimeZone is { Length: > 0 } current && !CommonTimeZones.Contains(current) ? CommonTimeZones.Prepend(current) : CommonTimeZones;
}

public sealed class NewApiKeyModel
{
    [Display(Name = "Key name")]
    public string? Name { get; set; }
}

public sealed record ApiKeysPage(IReadOnlyList<ApiKeyDto> Keys, NewApiKeyModel Form);

/// <summary>The sign-in's second step: the authenticator app's code.</summary>
public sealed class TwoFactorLoginModel
{
    [Required, Display(Name = "Authentication code")]
    [StringLength(16)]
    public string? Code { get; set; }

    [Display(Name = "Don't ask for a code on this browser for 30 days")]
    public bool RememberMachine { get; set; }

    public bool RememberMe { get; set; }

    public string? ReturnUrl { get; set; }
}

/// <summary>The sign-in's second step with a recovery code instead of the app.</summary>
public sealed class RecoveryCodeLoginModel
{
    [Required, Display(Name = "Recovery code")]
    [StringLength(32)]
    public string? RecoveryCode { get; set; }

    public string? ReturnUrl { get; set; }
}

/// <summary>A code that confirms a change of the two-factor settings (turn on, new recovery codes, turn off).</summary>
public sealed class TwoFactorCodeModel
{
    [Display(Name = "Authentication code")]
    public string? Code { get; set; }
}

/// <summary>The two-factor page: the state, and while it is off the secret to add to an app (key and QR code).</summary>
public sealed record TwoFactorPage(
    LeadExchange.Application.Common.Interfaces.TwoFactorStatus Status,
    LeadExchange.Application.Common.Interfaces.AuthenticatorSetup? Setup,
    string? QrCodeDataUri,
    TwoFactorCodeModel Form);
