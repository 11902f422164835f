using System.Net.Mail;
using PhoneNumbers;

namespace LeadExchange.Domain.Leads;

/// <summary>A phone parsed and checked for a country: E.164 form, the country it belongs to, mobile or not.</summary>
public sealed record ParsedPhone(string E164, string CountryCode, bool IsMobile);

/// <summary>Contact normalisation: the same person always gives the same phone and email keys for dedup.</summary>
public static class LeadContact
{
    public const int NameMaxLength = 100;
    public const int EmailMaxLength = 254;
    public const int PhoneMaxLength = 32;

    private static readonly PhoneNumberUtil Phones = PhoneNumberUtil.GetInstance();

    /// <summary>
    /// Parses <paramref name="raw"/> (international "+7 916 ..." or national for <paramref name="countryCode"/>),
    /// requires a valid mobile or fixed-line number, and returns it in E.164. Null with the reason otherwise.
    /// </summary>
    public static ParsedPhone? ParsePhone(string? raw, string countryCode, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(raw)) { error = "Phone is required."; return null; }
        if (raw.Length > PhoneMaxLength) { error = $"Phone is at most {PhoneMaxLength} characters."; return null; }
        PhoneNumber number;
        try
        {
            number = Phones.Parse(raw, countryCode);
        }
        catch (NumberParseException)
        {
            error = "Phone is not a phone number.";
            return null;
        }
        if (!Phones.IsValidNumber(number)) { error = "Phone is not a valid number."; return null; }
        var type = Phones.GetNumberType(number);
        if (type is not (PhoneNumberType.MOBILE or PhoneNumberType.FIXED_LINE or PhoneNumberType.FIXED_LINE_OR_MOBILE))
        {
            error = "Phone must be a mobile or landline number (not premium, toll-free or VoIP).";
            return null;
        }
        var region = Phones.GetRegionCodeForNumber(number) ?? "";
        return new ParsedPhone(Phones.Format(number, PhoneNumberFormat.E164), region, type is PhoneNumberType.MOBILE or PhoneNumberType.FIXED_LINE_OR_MOBILE);
    }

    /// <summary>Lower-cased, trimmed; null with the reason when it is not an address.</summary>
    public static string? NormalizeEmail(string? raw, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(raw)) return null;
        var email = raw.Trim().ToLowerInvariant();
        if (email.Length > EmailMaxLength) { error = $"Email is at most {EmailMaxLength} characters."; return null; }
        if (!MailAddress.TryCreate(email, out var parsed) || parsed.Address != email || !email.Contains('@')
            || !parsed.Host.Contains('.') || parsed.Host.StartsWith('.') || parsed.Host.EndsWith('.') || email.Any(char.IsWhiteSpace))
        {
            error = "Email is not a valid address.";
            return null;
        }
        if (DisposableEmailDomains.IsDisposable(parsed.Host))
        {
            error = $"Email addresses at {parsed.Host} are disposable; ask for a real address.";
            return null;
        }
        return email;
    }

    /// <summary>"Ivan Petrov" → "I*** P*****": what the catalog shows before purchase.</summary>
    public static string MaskName(string name) =>
        string.Join(' ', name.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(w => w[..1] + new string('*', Math.Max(1, w.Length - 1))));

    /// <summary>"+79161234567" → "+7916***4567".</summary>
    public static string MaskPhone(string e164) => e164.Length <= 8 ? new string('*', e164.Length) : e164[..5] + "***" + e164[^4..];

    public static string MaskEmail(string email)
    {
        var at = email.IndexOf('@');
        return at <= 1 ? "***" + email[at..] : email[..1] + "***" + email[at..];
    }
}

/// <summary>Throwaway mailbox providers: leads with such addresses are refused.</summary>
public static class DisposableEmailDomains
{
    private static readonly HashSet<string> Domains = new(StringComparer.OrdinalIgnoreCase)
    {
        "mailinator.com", "guerrillamail.com", "guerrillamail.net", "guerrillamail.org", "sharklasers.com", "10minutemail.com",
        "10minutemail.net", "tempmail.com", "temp-mail.org", "temp-mail.io", "tempmailo.com", "throwawaymail.com", "yopmail.com",
        "yopmail.net", "yopmail.fr", "getnada.com", "nada.email", "trashmail.com", "trashmail.net", "dispostable.com", "maildrop.cc",
        "mailnesia.com", "mintemail.com", "mohmal.com", "fakeinbox.com", "emailondeck.com", "spamgourmet.com", "mytemp.email",
        "tempinbox.com", "tempr.email", "discard.email", "mailcatch.com", "burnermail.io", "moakt.com", "inboxkitten.com",
        "dropmail.me", "emailfake.com", "crazymailing.com", "mail-temp.com", "minuteinbox.com", "tmpmail.org", "tmpmail.net",
        "spambox.us", "armyspy.com", "cuvox.de", "dayrep.com", "einrot.com", "fleckens.hu", "gustr.com", "jourrapide.com",
        "rhyta.com", "superrito.com", "teleworm.us", "1secmail.com", "1secmail.org", "1secmail.net", "mailpoof.com", "tempmail.plus",
        "harakirimail.com", "33mail.com", "anonbox.net", "mvrht.com", "spam4.me", "grr.la", "pokemail.net", "byom.de",
    };

    public static bool IsDisposable(string host)
    {
        var h = host.Trim().TrimEnd('.').ToLowerInvariant();
        // Subdomains of a disposable provider count too.
        while (true)
        {
            if (Domains.Contains(h)) return true;
            var dot = h.IndexOf('.');
            if (dot < 0 || h.IndexOf('.', dot + 1) < 0) return false;
            h = h[(dot + 1)..];
        }
    }
}
