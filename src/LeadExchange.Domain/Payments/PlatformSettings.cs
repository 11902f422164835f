namespace LeadExchange.Domain.Payments;

/// <summary>Money settings an admin edits; one row. Amounts are minor units and apply in every currency.</summary>
public sealed class PlatformSettings
{
    public const int SingletonId = 1;

    public int Id { get; private set; } = SingletonId;
    /// <summary>Platform commission in basis points (2000 = 20%); niches may override.</summary>
    public int CommissionBp { get; set; } = 2000;
    public long TopUpMin { get; set; } = 1_000_00;
    public long TopUpMax { get; set; } = 1_000_000_00;
    public long PayoutMin { get; set; } = 500_00;
    /// <summary>Days between scheduled payout runs of a webmaster's whole available balance (0 = only on request).</summary>
    public int PayoutScheduleDays { get; set; } = 7;
    /// <summary>Moderators should decide an open dispute within this many hours (the queue marks it overdue after).</summary>
    public int DisputeSlaHours { get; set; } = 48;
    /// <summary>A buyer who disputed more than this share (basis points) of their purchases in 30 days needs evidence and a fuller comment.</summary>
    public int BuyerDisputeRateLimitBp { get; set; } = 2000;
    /// <summary>The buyer limit applies from this many purchases in 30 days (below, rates say little).</summary>
    public int BuyerDisputeRateMinPurchases { get; set; } = 10;
    /// <summary>A seller whose return rate (upheld disputes / sales, 90 days) exceeds this (basis points) is suspended from selling.</summary>
    public int SellerSuspendReturnRateBp { get; set; } = 3000;
    /// <summary>Seller suspension applies from this many sales in 90 days.</summary>
    public int SellerSuspendMinSales { get; set; } = 20;

    public IEnumerable<(string Field, string Message)> Validate()
    {
        if (CommissionBp is < 0 or > 10_000) yield return (nameof(CommissionBp), "Commission is 0% to 100%.");
        if (TopUpMin <= 0) yield return (nameof(TopUpMin), "Minimum top-up must be positive.");
        if (TopUpMax < TopUpMin) yield return (nameof(TopUpMax), "Maximum top-up cannot be below the minimum.");
        // A top-up maximum near the Int64 range would let one credit saturate a balance (security review, "Trust").
        else if (TopUpMax > Common.MoneyLimitsOptions.Ceiling) yield return (nameof(TopUpMax), "Maximum top-up is at most 10,000,000,000,000.00.");
        if (PayoutMin <= 0) yield return (nameof(PayoutMin), "Minimum payout must be positive.");
        else if (PayoutMin > Common.MoneyLimitsOptions.Ceiling) yield return (nameof(PayoutMin), "Minimum payout is at most 10,000,000,000,000.00.");
        if (PayoutScheduleDays is < 0 or > 90) yield return (nameof(PayoutScheduleDays), "Payout schedule is 0 to 90 days.");
        if (DisputeSlaHours is < 1 or > 720) yield return (nameof(DisputeSlaHours), "Dispute SLA is 1 to 720 hours.");
        if (BuyerDisputeRateLimitBp is < 100 or > 10_000) yield return (nameof(BuyerDisputeRateLimitBp), "Buyer dispute limit is 1% to 100%.");
        if (BuyerDisputeRateMinPurchases is < 1 or > 10_000) yield return (nameof(BuyerDisputeRateMinPurchases), "Minimum purchases is 1 to 10000.");
        if (SellerSuspendReturnRateBp is < 100 or > 10_000) yield return (nameof(SellerSuspendReturnRateBp), "Seller suspension threshold is 1% to 100%.");
        if (SellerSuspendMinSales is < 1 or > 100_000) yield return (nameof(SellerSuspendMinSales), "Minimum sales is 1 to 100000.");
    }
}
