namespace LeadExchange.Domain.Identity;

/// <summary>
/// The longest password accepted anywhere: sign-up, sign-in, a key by password, and Identity itself (so any later password
/// change too). Hashing reads the whole password: a 25 MB one took 3.5 s of CPU, so a handful of such requests could keep a
/// node busy. 128 characters is more than password managers generate. The check runs before any hash is computed.
/// </summary>
public static class PasswordRules
{
    public const int MaxLength = 128;

    /// <summary>The field message (pages translate it: Resources/i18n/ru/account.json); keep the number equal to <see cref="MaxLength"/>.</summary>
    public const string TooLongMessage = "Password is at most 128 characters.";

    public static bool IsTooLong(string? password) => password is { Length: > MaxLength };
}
