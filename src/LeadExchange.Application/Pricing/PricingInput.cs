using LeadExchange.Application.Common.Validation;
using LeadExchange.Domain.Reference;

namespace LeadExchange.Application.Pricing;

/// <summary>The field rules the pricing requests share: known active niche and region, temperature word, month 1..12.</summary>
public static class PricingInput
{
    /// <summary>"hot", "warm" or "cold" in any case; numbers are refused (an enum parse would take "2").</summary>
    public static bool TryParseTemperature(string? text, out Temperature temperature)
    {
        temperature = Temperature.Warm;
        var value = text?.Trim();
        return !string.IsNullOrEmpty(value) && char.IsLetter(value[0]) && Enum.TryParse(value, ignoreCase: true, out temperature);
    }

    public static ValidationErrors CheckNiche(this ValidationErrors errors, PricingTables tables, string? code, string field = "Niche")
    {
        if (string.IsNullOrWhiteSpace(code)) errors.Add(field, "Niche is required.");
        else if (tables.Niche(code) is not { IsActive: true }) errors.Add(field, $"Unknown niche '{Shorten(code)}'.");
        return errors;
    }

    public static ValidationErrors CheckRegion(this ValidationErrors errors, PricingTables tables, string? code, string field = "Region")
    {
        if (string.IsNullOrWhiteSpace(code)) errors.Add(field, "Region is required.");
        else if (tables.Region(code) is not { IsActive: true }) errors.Add(field, $"Unknown region '{Shorten(code)}'.");
        return errors;
    }

    /// <summary>Absent is fine (the callers default to warm); anything else must be a temperature word.</summary>
    public static ValidationErrors CheckTemperature(this ValidationErrors errors, string? text, string field = "Temperature")
    {
        if (!string.IsNullOrWhiteSpace(text) && !TryParseTemperature(text, out _))
            errors.Add(field, "Temperature is hot, warm or cold.");
        return errors;
    }

    /// <summary>Absent is fine (the callers default to the current UTC month).</summary>
    public static ValidationErrors CheckMonth(this ValidationErrors errors, int? month, string field = "Month")
    {
        if (month is < 1 or > 12) errors.Add(field, "Month is 1 (January) to 12 (December).");
        return errors;
    }

    /// <summary>A niche filter of a list: the code as stored (lowercase), or null for "all".</summary>
    public static string? NicheFilter(string? niche) => string.IsNullOrWhiteSpace(niche) ? null : niche.Trim().ToLowerInvariant();

    public static Temperature TemperatureOrWarm(string? text) => TryParseTemperature(text, out var t) ? t : Temperature.Warm;

    /// <summary>Echoes user input in a message without letting a long value flood it.</summary>
    private static string Shorten(string value) => value.Length <= 40 ? value.Trim() : value.Trim()[..40] + "…";
}
