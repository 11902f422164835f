namespace LeadExchange.Domain.Reference;

/// <summary>
/// A geographic region in ISO 3166 style: a country ("RU", "US", "DE") or a subdivision
/// ("RU-MOW", "US-CA", "DE-BY"). Subdivisions point at their parent; matching an order for
/// "RU" includes every "RU-*" region.
/// </summary>
public sealed class Region
{
    public const int CodeMaxLength = 10;

    private Region() { }

    public Region(string code, string name, string? parentCode)
    {
        Code = code;
        Name = name;
        ParentCode = parentCode;
        CountryCode = code.Split('-')[0];
    }

    public string Code { get; private set; } = "";
    public string Name { get; set; } = "";
    public string? NameRu { get; set; }
    public string? ParentCode { get; private set; }
    /// <summary>ISO 3166-1 alpha-2 of the country the region belongs to.</summary>
    public string CountryCode { get; private set; } = "";
    public bool IsActive { get; set; } = true;

    public bool IsCountry => ParentCode is null;

    public static bool IsWellFormedCode(string? code) =>
        code is not null && code.Length <= CodeMaxLength &&
        System.Text.RegularExpressions.Regex.IsMatch(code, "^[A-Z]{2}(-[A-Z0-9]{1,3})?$");

    /// <summary>True when <paramref name="candidate"/> is this region or lies inside it.</summary>
    public static bool Covers(string regionCode, string candidate, Func<string, string?> parentOf)
    {
        for (string? c = candidate; c is not null; c = parentOf(c))
            if (string.Equals(c, regionCode, StringComparison.Ordinal)) return true;
        return false;
    }
}
