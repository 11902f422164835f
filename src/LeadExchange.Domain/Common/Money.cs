namespace LeadExchange.Domain.Common;

/// <summary>An amount in integer minor units of an ISO-4217 currency. Never a floating point.</summary>
public readonly record struct Money(long Minor, string Currency)
{
    public static Money Zero(string currency) => new(0, currency);

    public Money Add(Money other)
    {
        EnsureSameCurrency(other);
        return new Money(checked(Minor + other.Minor), Currency);
    }

    public Money Subtract(Money other)
    {
        EnsureSameCurrency(other);
        return new Money(checked(Minor - other.Minor), Currency);
    }

    public bool IsNegative => Minor < 0;

    private void EnsureSameCurrency(Money other)
    {
        if (!string.Equals(Currency, other.Currency, StringComparison.Ordinal))
            throw new InvalidOperationException($"Currency mismatch: {Currency} vs {other.Currency}.");
    }

    /// <summary>Minor units per major unit; all currencies the platform supports use two decimals.</summary>
    public static int MinorUnitsPerMajor(string currency) => Currencies.MinorUnits(currency);

    public override string ToString() => Currencies.Format(this);
}
