namespace LeadExchange.Domain.Reports;

/// <summary>
/// One pre-aggregated report row: the facts of one UTC hour for one combination of dimensions
/// (docs/architecture.md "Reports"). Rows are rebuilt whole for an hour from the raw tables (clicks, leads,
/// lead sales, disputes, conversions), never incremented, so a rebuild is idempotent and a report always equals a
/// recount of the raw rows of the hours it covers.
/// <para>
/// Every fact is counted in two views. The advertiser view (<see cref="WebmasterId"/> empty; slot 0 only) keys by
/// advertiser, offer, niche, region, lead order and goal: advertisers and the platform read it, and it stays compact
/// however many webmasters send traffic. The webmaster view (<see cref="WebmasterId"/> set, <see cref="AdvertiserId"/>
/// empty) keys slot 0 by webmaster, offer, niche, region and goal, and slots 1..5 by webmaster, offer and that sub-id's
/// value, so "by sub3" reads slot 3 rows and never multiplies the main grain by five sub-id columns.
/// </para>
/// Money is in minor units of <see cref="Currency"/>; click-only rows have an empty currency.
/// Ids that do not apply are empty (<c>""</c> or <see cref="Guid.Empty"/>), never null, so they group cleanly.
/// </summary>
public sealed class ReportRollup
{
    public const int SubValueMaxLength = 255;

    public long Id { get; private set; }
    public DateTime HourUtc { get; private set; }
    /// <summary>Advertiser view: the offer owner for clicks and conversions, the buyer for lead sales, empty for lead intake. Empty in the webmaster view.</summary>
    public string AdvertiserId { get; private set; } = "";
    /// <summary>Webmaster view: the webmaster for clicks and conversions, the seller for leads and lead sales. Empty in the advertiser view.</summary>
    public string WebmasterId { get; private set; } = "";
    public Guid OfferId { get; private set; }
    public string NicheCode { get; private set; } = "";
    public string RegionCode { get; private set; } = "";
    public Guid LeadOrderId { get; private set; }
    public string GoalCode { get; private set; } = "";
    public int SubSlot { get; private set; }
    public string SubValue { get; private set; } = "";
    public string Currency { get; private set; } = "";

    public ReportCounters Counters { get; private set; } = new();

    private ReportRollup()
    {
    }

    public static ReportRollup Create(DateTime hourUtc, ReportRollupKey key, ReportCounters counters) => new()
    {
        HourUtc = hourUtc,
        AdvertiserId = key.AdvertiserId,
        WebmasterId = key.WebmasterId,
        OfferId = key.OfferId,
        NicheCode = key.NicheCode,
        RegionCode = key.RegionCode,
        LeadOrderId = key.LeadOrderId,
        GoalCode = key.GoalCode,
        SubSlot = key.SubSlot,
        SubValue = key.SubValue.Length > SubValueMaxLength ? key.SubValue[..SubValueMaxLength] : key.SubValue,
        Currency = key.Currency,
        Counters = counters,
    };

    /// <summary>The hour a fact at <paramref name="utc"/> belongs to.</summary>
    public static DateTime HourOf(DateTime utc) => new(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, DateTimeKind.Utc);
}

/// <summary>The dimensions of a rollup row.</summary>
public sealed record ReportRollupKey(
    string AdvertiserId, string WebmasterId, Guid OfferId, string NicheCode, string RegionCode, Guid LeadOrderId, string GoalCode,
    int SubSlot, string SubValue, string Currency);

/// <summary>
/// The additive facts of a rollup row (owned by it). Everything a report shows is a sum of these or a ratio of sums
/// (<see cref="ReportFigures"/>), so any grouping of rows is exact.
/// </summary>
public sealed class ReportCounters
{
    public long Clicks { get; set; }
    public long UniqueClicks { get; set; }
    /// <summary>Leads the seller submitted that intake accepted.</summary>
    public long Leads { get; set; }
    public long LeadsRejected { get; set; }
    /// <summary>Lead sales (a shared lead sold to three buyers is three sales).</summary>
    public long Sales { get; set; }
    /// <summary>What buyers paid for those sales (gross of returns).</summary>
    public long SalesAmount { get; set; }
    /// <summary>The sellers' share of those sales (gross of returns).</summary>
    public long SellerShare { get; set; }
    /// <summary>Sales returned by an upheld dispute, and what they had cost and paid.</summary>
    public long Returns { get; set; }
    public long ReturnedAmount { get; set; }
    public long ReturnedSellerShare { get; set; }
    /// <summary>Sales the buyer marked converted, and the sale amounts the buyer entered.</summary>
    public long SalesConverted { get; set; }
    public long SalesRevenue { get; set; }
    public long ConversionsApproved { get; set; }
    public long ConversionsPending { get; set; }
    public long ConversionsRejected { get; set; }
    /// <summary>Advertiser cost and webmaster payout of approved and pending conversions.</summary>
    public long ConversionCost { get; set; }
    public long ConversionPayout { get; set; }
    /// <summary>Sale amounts reported with conversions (CPS), approved and pending.</summary>
    public long ConversionRevenue { get; set; }

    /// <summary>Checked: a total past the Int64 range throws instead of wrapping to a negative figure.</summary>
    public void Add(ReportCounters o)
    {
        checked
        {
            Clicks += o.Clicks;
            UniqueClicks += o.UniqueClicks;
            Leads += o.Leads;
            LeadsRejected += o.LeadsRejected;
            Sales += o.Sales;
            SalesAmount += o.SalesAmount;
            SellerShare += o.SellerShare;
            Returns += o.Returns;
            ReturnedAmount += o.ReturnedAmount;
            ReturnedSellerShare += o.ReturnedSellerShare;
            SalesConverted += o.SalesConverted;
            SalesRevenue += o.SalesRevenue;
            ConversionsApproved += o.ConversionsApproved;
            ConversionsPending += o.ConversionsPending;
            ConversionsRejected += o.ConversionsRejected;
            ConversionCost += o.ConversionCost;
            ConversionPayout += o.ConversionPayout;
            ConversionRevenue += o.ConversionRevenue;
        }
    }

    public bool IsZero() =>
        Clicks == 0 && UniqueClicks == 0 && Leads == 0 && LeadsRejected == 0 && Sales == 0 && SalesAmount == 0 && SellerShare == 0
        && Returns == 0 && ReturnedAmount == 0 && ReturnedSellerShare == 0 && SalesConverted == 0 && SalesRevenue == 0
        && ConversionsApproved == 0 && ConversionsPending == 0 && ConversionsRejected == 0 && ConversionCost == 0
        && ConversionPayout == 0 && ConversionRevenue == 0;
}

/// <summary>The rollup job's shared state: how far it has looked for changes, and which node holds the lease.</summary>
public sealed class ReportRollupState
{
    public const int SingletonId = 1;

    public int Id { get; private set; } = SingletonId;
    /// <summary>Facts changed before this instant are in the rollups (up to the overlap the job re-reads).</summary>
    public DateTime? ScannedUntil { get; private set; }
    public string? LeaseOwner { get; private set; }
    public DateTime? LeaseUntil { get; private set; }

    public static ReportRollupState Create() => new();
}
