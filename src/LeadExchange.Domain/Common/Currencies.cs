using System.Globalization;

namespace LeadExchange.Domain.Common;

/// <summary>The currencies the platform settles in. All use two minor digits.</summary>
public static class Currencies
{
    public static readonly IReadOnlyList<string> Supported = ["RUB", "USD", "EUR"];

    public static bool IsSupported(string? code) => code is not null && Supported.Contains(code);

    public static int MinorUnits(string currency) => 100;

    public static string Format(Money money)
    {
        var major = money.Minor / (decimal)MinorUnits(money.Currency);
        return major.ToString("N2", CultureInfo.InvariantCulture) + " " + money.Currency;
    }

    /// <summary>Converts a major-unit decimal (as typed by a person) to minor units, refusing sub-minor precision.</summary>
    public static bool TryToMinor(decimal major, string currency, out long minor)
    {
        // Checked before scaling: decimal multiplication throws past about 7.9e28.
        if (Math.Abs(major) > long.MaxValue / (decimal)MinorUnits(currency))
        {
            minor = 0;
            return false;
        }
        var scaled = major * MinorUnits(currency);
        if (scaled != decimal.Truncate(scaled))
        {
            minor = 0;
            return false;
        }
        minor = (long)scaled;
        return true;
    }

    public static decimal ToMajor(long minor, string currency) => minor / (decimal)MinorUnits(currency);
}
