namespace LeadExchange.Domain.Common;

/// <summary>
/// Section "Money": upper bounds for amounts that come in from outside (a buyer's sale amount, a tracker's CPS amount).
/// Every such amount is bounded so that no realistic sum of them comes near the Int64 range of minor units; the sums
/// themselves are checked too (the ledger's balance updates, reconciliation and report totals), so an overflow is
/// refused or reported, never wrapped or saturated.
/// </summary>
public sealed class MoneyLimitsOptions
{
    public const string Section = "Money";

    /// <summary>100,000,000.00 in a currency with two decimals.</summary>
    public const long DefaultMaxSaleAmount = 10_000_000_000;

    /// <summary>
    /// No money setting (a sale amount maximum, the top-up maximum, the payout minimum) may be set above this:
    /// 10,000,000,000,000.00, about 1/900 of the Int64 range.
    /// </summary>
    public const long Ceiling = 1_000_000_000_000_000;

    /// <summary>The largest sale amount (minor units) a purchase update or a CPS postback may report.</summary>
    public long MaxSaleAmount { get; set; } = DefaultMaxSaleAmount;

    public static bool IsValid(MoneyLimitsOptions o) => o.MaxSaleAmount is >= 1 and <= Ceiling;

    public const string InvalidMessage = "Money:MaxSaleAmount must be 1 to 1000000000000000 (minor units).";
}
