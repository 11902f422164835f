using System.Globalization;

namespace LeadExchange.Domain.Common;

/// <summary>
/// Names that people choose and others read: display names, offer and seller-offer titles. They may hold any letters,
/// digits, punctuation and emoji, but no character that is invisible or changes how the text around it is shown:
/// control characters (Cc), format characters (Cf: zero-width spaces and joiners U+200B–U+200D, word joiner U+2060,
/// byte order mark U+FEFF, soft hyphen, and the direction marks and overrides U+200E/U+200F, U+202A–U+202E, U+2066–U+2069),
/// line and paragraph separators, a lone surrogate, and the Hangul fillers that render as blanks. With them one account
/// can pass for another ("Sber\u200Bbank") or turn the rest of a line around in other people's pages, CSVs and e-mails.
/// Emoji joined by U+200D (family emoji) are refused with them: a small price for one simple rule.
/// </summary>
public static class DisplayText
{
    private static readonly int[] BlankLetters = [0x115F, 0x1160, 0x3164, 0xFFA0];

    public static bool HasHiddenCharacters(string? text)
    {
        if (string.IsNullOrEmpty(text)) return false;
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                if (IsHidden(CharUnicodeInfo.GetUnicodeCategory(text, i), char.ConvertToUtf32(text[i], text[i + 1]))) return true;
                i++;
                continue;
            }
            if (char.IsSurrogate(text[i]) || IsHidden(CharUnicodeInfo.GetUnicodeCategory(text[i]), text[i])) return true;
        }
        return false;
    }

    /// <summary>The field message, e.g. "Display name may not contain …" (pages translate each label's message).</summary>
    public static string HiddenCharactersMessage(string label) => $"{label} may not contain control, invisible or text-direction characters.";

    private static bool IsHidden(UnicodeCategory category, int codePoint) =>
        category is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
            or UnicodeCategory.Surrogate
        || BlankLetters.Contains(codePoint);
}
