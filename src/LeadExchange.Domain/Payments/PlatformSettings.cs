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

    public IEnumerable<(string Field, string Message)> Validate()
    {
        if (CommissionBp is < 0 or > 10_000) yield return (nameof(CommissionBp), "Commission is 0% to 100%.");
        if (TopUpMin <= 0) yield return (nameof(TopUpMin), "Minimum top-up must be positive.");
        if (TopUpMax < TopUpMin) yield return (nameof(TopUpMax), "Maximum top-up cannot be below the minimum.");
        if (PayoutMin <= 0) yield return (nameof(PayoutMin), "Minimum payout must be positive.");
        if (PayoutScheduleDays is < 0 or > 90) yield return (nameof(PayoutScheduleDays), "Payout schedule is 0 to 90 days.");
    }
}
