using LeadExchange.Domain.Common;

namespace LeadExchange.Domain.Tracking;

/// <summary>Click ids: 24 random URL-safe characters (~143 bits), well under API.md's limit of 32.</summary>
public static class ClickId
{
    public const int Length = 24;
    public const int MaxLength = 32;

    public static string New() => TokenGenerator.New(Length);

    public static bool IsWellFormed(string? value) => TokenGenerator.IsWellFormed(value, MaxLength);
}
