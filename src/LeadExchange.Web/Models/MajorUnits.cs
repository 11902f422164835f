using System.Globalization;
using LeadExchange.Domain.Common;

namespace LeadExchange.Web.Models;

/// <summary>Amounts and percents as people type them ("2500", "2 500.50", "2500,5"), read exactly (decimal, never double).</summary>
public static class MajorUnits
{
    /// <summary>Parses a number with at most two decimals; null text is "no value".</summary>
    public static bool TryParse(string? text, out decimal? value, out string? error)
    {
        value = null;
        error = null;
        if (string.IsNullOrWhiteSpace(text)) return true;
        var normalized = text.Trim().Replace(" ", "", StringComparison.Ordinal).Replace("\u00a0", "", StringComparison.Ordinal)
            .Replace(',', '.');
        if (!decimal.TryParse(normalized, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed))
        {
            error = "Enter a number, e.g. 2500.00.";
            return false;
        }
        if (parsed.Scale > 2 && parsed != decimal.Round(parsed, 2))
        {
            error = "Use at most 2 decimals.";
            return false;
        }
        value = parsed;
        return true;
    }

    /// <summary>Major units of <paramref name="currency"/> to minor units; null text is "no value".</summary>
    public static bool TryParseMoney(string? text, string currency, out long? minor, out string? error)
    {
        minor = null;
        if (!TryParse(text, out var major, out error)) return false;
        if (major is null) return true;
        if (!Currencies.TryToMinor(major.Value, Currencies.IsSupported(currency) ? currency : "RUB", out var value))
        {
            error = "The amount is out of range.";
            return false;
        }
        minor = value;
        return true;
    }
}
