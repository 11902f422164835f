namespace LeadExchange.Domain.Ledger;

/// <summary>
/// Splits a price between the webmaster and the platform. Commission is in basis points (1500 = 15%).
/// The webmaster share is rounded DOWN to the minor unit (the platform keeps the fraction), so
/// webmaster + platform == price exactly, always.
/// </summary>
public static class Commission
{
    public const int MaxBasisPoints = 10_000;

    public static (long Webmaster, long Platform) Split(long price, int commissionBp)
    {
        if (price < 0) throw new ArgumentOutOfRangeException(nameof(price), "Price cannot be negative.");
        if (commissionBp is < 0 or > MaxBasisPoints) throw new ArgumentOutOfRangeException(nameof(commissionBp));
        // Integer arithmetic: floor(price * (10000 - bp) / 10000); Int128 so large prices cannot overflow.
        var webmaster = (long)((Int128)price * (MaxBasisPoints - commissionBp) / MaxBasisPoints);
        return (webmaster, price - webmaster);
    }
}
