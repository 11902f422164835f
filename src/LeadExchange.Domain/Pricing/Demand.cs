namespace LeadExchange.Domain.Pricing;

/// <summary>An active buy order that would take a lead of the niche and region: its max price and daily cap (null: none).</summary>
public sealed record BuyOrderSignal(long MaxPrice, int? DailyCap);

/// <summary>
/// The demand factor of one (niche, region), recomputed on a schedule from live buy orders against recent
/// supply. Every node computes the same value from the same data, so concurrent recomputes only rewrite it.
/// </summary>
public sealed class DemandFactor
{
    private DemandFactor() { }

    public DemandFactor(string nicheCode, string regionCode)
    {
        NicheCode = nicheCode;
        RegionCode = regionCode;
    }

    public string NicheCode { get; private set; } = "";
    public string RegionCode { get; private set; } = "";
    public decimal Factor { get; private set; } = DemandCalculator.Neutral;
    public int ActiveOrders { get; private set; }
    public int RecentSupply { get; private set; }
    public DateTime ComputedAt { get; private set; }

    /// <summary>Records a computed value; false when nothing but the time changed.</summary>
    public bool Set(decimal factor, int activeOrders, int recentSupply, DateTime at)
    {
        var changed = Factor != factor || ActiveOrders != activeOrders || RecentSupply != recentSupply;
        Factor = DemandCalculator.Bound(factor);
        ActiveOrders = activeOrders;
        RecentSupply = recentSupply;
        ComputedAt = at;
        return changed;
    }
}

/// <summary>
/// demand = clamp(sqrt(price appetite) x volume pressure^(1/4), 0.8, 1.5), to 2 decimals:
/// <list type="bullet">
/// <item>price appetite: the orders' mean max price over the reference price (the quote without demand), each capped at 3x;
/// 1.0 without orders;</item>
/// <item>volume pressure: (leads a day the orders want + 1) / (leads a day supplied recently + 1); an order without a
/// daily cap counts as <see cref="UncappedDailyWant"/> a day.</item>
/// </list>
/// No orders and no supply: 1.0 (nothing known, nothing changes). Orders paying more than the list price for
/// scarce leads push towards 1.5; plenty of supply nobody bids for pushes towards 0.8.
/// The powers are taken in double and the result rounded to 0.01, so every node computes the same value.
/// </summary>
public static class DemandCalculator
{
    public const decimal Min = 0.8m, Max = 1.5m, Neutral = 1.0m;
    public const int UncappedDailyWant = 10;
    private const double MaxAppetite = 3.0;

    public static decimal Bound(decimal factor) => Math.Clamp(factor, Min, Max);

    public static decimal Compute(IReadOnlyCollection<BuyOrderSignal> orders, int recentSupply, int supplyDays, long referencePrice)
    {
        if (orders.Count == 0 && recentSupply <= 0) return Neutral;
        var appetite = orders.Count == 0 || referencePrice <= 0
            ? 1.0
            : orders.Average(o => Math.Min(MaxAppetite, Math.Max(0, o.MaxPrice) / (double)referencePrice));
        var wantedPerDay = orders.Sum(o => (double)Math.Max(0, o.DailyCap ?? UncappedDailyWant));
        var suppliedPerDay = Math.Max(0, recentSupply) / (double)Math.Max(1, supplyDays);
        var pressure = (wantedPerDay + 1) / (suppliedPerDay + 1);
        var raw = Math.Sqrt(appetite) * Math.Pow(pressure, 0.25);
        return Bound(decimal.Round((decimal)raw, 2, MidpointRounding.AwayFromZero));
    }
}
