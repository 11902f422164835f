using System.Globalization;
using LeadExchange.Domain.Reference;

namespace LeadExchange.Domain.Buying;

public enum LeadOrderStatus { Active, Paused }

/// <summary>What an advertiser fills in for an auto-buy order (create and edit).</summary>
public sealed record LeadOrderTerms(
    string Name, string NicheCode, IReadOnlyList<string> RegionCodes, long MaxPrice, Temperature MinTemperature, bool Exclusive,
    int? DailyCap, int? MonthlyCap, long? Budget, IReadOnlyList<DayOfWeek> Days, int HourFrom, int HourTo, string TimeZone);

/// <summary>
/// An advertiser's standing order to buy leads automatically: niche, regions (a country covers its
/// subdivisions), a price ceiling, a minimum temperature, exclusive or shared, daily and monthly caps in
/// the order's own time zone, a total budget, and a weekly schedule. Caps and budget are enforced by
/// conditional updates at sale time; this class checks the terms and answers "open now?".
/// </summary>
public sealed class LeadOrder
{
    public const int NameMaxLength = 100;
    public const int MaxRegions = 50;
    public const int ReasonMaxLength = 300;
    public const int AllDays = 0b111_1111;

    private LeadOrder() { }

    public Guid Id { get; private set; }
    public string AdvertiserId { get; private set; } = "";
    public string Name { get; private set; } = "";
    public string NicheCode { get; private set; } = "";
    /// <summary>Comma-separated region codes; empty = every region.</summary>
    public string RegionCodes { get; private set; } = "";
    public string Currency { get; private set; } = "";
    /// <summary>Highest lead price (minor units) the order pays.</summary>
    public long MaxPrice { get; private set; }
    public Temperature MinTemperature { get; private set; }
    public bool Exclusive { get; private set; }
    public int? DailyCap { get; private set; }
    public int? MonthlyCap { get; private set; }
    /// <summary>Total spend allowed (minor units); null = no limit but the balance.</summary>
    public long? Budget { get; private set; }
    /// <summary>Spent so far by this order (minor units), raised in the sale transaction.</summary>
    public long Spent { get; private set; }
    /// <summary>Bit i set = open on DayOfWeek i (Sunday = 0).</summary>
    public int ScheduleDays { get; private set; } = AllDays;
    /// <summary>Open from this hour (0..23) to <see cref="HourTo"/> (1..24, exclusive), local time; From &gt; To wraps midnight.</summary>
    public int HourFrom { get; private set; }
    public int HourTo { get; private set; } = 24;
    /// <summary>IANA time zone id the schedule and the daily/monthly caps are counted in.</summary>
    public string TimeZone { get; private set; } = "UTC";
    public LeadOrderStatus Status { get; private set; }
    /// <summary>Why the order is paused (by the advertiser, or automatically when money ran out).</summary>
    public string? PausedReason { get; private set; }
    public bool PausedAutomatically { get; private set; }
    public DateTime? PausedAt { get; private set; }
    /// <summary>When it last won a lead: the round-robin tie-break (longest since last win goes first).</summary>
    public DateTime? LastWonAt { get; private set; }
    public int LeadsBought { get; private set; }
    /// <summary>Set for a subscription to a seller offer: only that seller's leads, at the offer's price, before the open exchange.</summary>
    public Guid? SellerOfferId { get; private set; }
    public string? SellerId { get; private set; }
    /// <summary>The seller paused this subscription (the buyer cannot resume it; the seller can).</summary>
    public bool SellerPaused { get; private set; }
    /// <summary>Ended by either side: never buys again.</summary>
    public DateTime? EndedAt { get; private set; }
    public DateTime CreatedAt { get; private set; }
    public DateTime UpdatedAt { get; private set; }

    public IReadOnlyList<string> Regions => RegionCodes.Split(',', StringSplitOptions.RemoveEmptyEntries);

    public IReadOnlyList<DayOfWeek> Days => Enum.GetValues<DayOfWeek>().Where(d => (ScheduleDays & (1 << (int)d)) != 0).ToList();

    public static LeadOrder Create(string advertiserId, string currency, LeadOrderTerms terms, DateTime now)
    {
        var order = new LeadOrder { Id = Guid.NewGuid(), AdvertiserId = advertiserId, Currency = currency, CreatedAt = now, Status = LeadOrderStatus.Active };
        order.Apply(terms, now);
        return order;
    }

    /// <summary>
    /// A subscription to a seller offer: the buyer's caps, budget, schedule and regions, the offer's niche and
    /// exclusivity, and for a fixed-price offer its price as the max price (an exchange-priced offer keeps the
    /// buyer's max price as a ceiling).
    /// </summary>
    public static LeadOrder Subscribe(string advertiserId, SellerOffer offer, LeadOrderTerms terms, DateTime now)
    {
        if (offer.Status != SellerOfferStatus.Active) throw new Common.DomainException("offer_not_active", "The offer is not taking subscribers.");
        var bound = offer.Bind(terms);
        var order = Create(advertiserId, offer.Currency, bound, now);
        order.SellerOfferId = offer.Id;
        order.SellerId = offer.SellerId;
        return order;
    }

    public bool IsSubscription => SellerOfferId is not null;

    /// <summary>The seller pauses or resumes a subscription to their offer.</summary>
    public void SetSellerPaused(bool paused, DateTime now)
    {
        if (!IsSubscription) throw new Common.DomainException("not_subscription", "Only subscriptions can be paused by the seller.");
        SellerPaused = paused;
        UpdatedAt = now;
    }

    /// <summary>Either side ends a subscription (or the buyer an order): it stops for good.</summary>
    public void End(string reason, DateTime now)
    {
        if (EndedAt is not null) return;
        Pause(reason, false, now);
        EndedAt = now;
    }

    /// <summary>Edits the terms; the niche (and so the currency) stays. Spend and caps counted so far stay too.</summary>
    public void Update(LeadOrderTerms terms, DateTime now)
    {
        if (terms.NicheCode != NicheCode)
            throw new Common.DomainException("niche_fixed", "The niche of an order cannot change; create a new order.", "niche");
        Apply(terms, now);
        // Money added to the budget (or the limit removed) lifts a budget pause; a balance pause is lifted by the advertiser.
        if (Status == LeadOrderStatus.Paused && PausedAutomatically && PausedReason == BudgetSpentReason && (Budget is not { } b || Spent < b))
            Resume(now);
    }

    private void Apply(LeadOrderTerms t, DateTime now)
    {
        var errors = Validate(t).ToList();
        if (errors.Count > 0) throw new LeadOrderInvalidException(errors);
        Name = t.Name.Trim();
        NicheCode = t.NicheCode;
        RegionCodes = string.Join(",", t.RegionCodes.Select(r => r.Trim().ToUpperInvariant()).Distinct().OrderBy(r => r, StringComparer.Ordinal));
        MaxPrice = t.MaxPrice;
        MinTemperature = t.MinTemperature;
        Exclusive = t.Exclusive;
        DailyCap = t.DailyCap;
        MonthlyCap = t.MonthlyCap;
        Budget = t.Budget;
        ScheduleDays = t.Days.Aggregate(0, (bits, d) => bits | (1 << (int)d));
        HourFrom = t.HourFrom;
        HourTo = t.HourTo;
        TimeZone = t.TimeZone;
        UpdatedAt = now;
    }

    /// <summary>Every broken rule as (field, message), camelCase fields as the API names them.</summary>
    public static IEnumerable<(string Field, string Message)> Validate(LeadOrderTerms t)
    {
        var name = t.Name?.Trim() ?? "";
        if (name.Length == 0) yield return ("name", "Name is required.");
        else if (name.Length > NameMaxLength) yield return ("name", $"Name is at most {NameMaxLength} characters.");
        if (string.IsNullOrWhiteSpace(t.NicheCode)) yield return ("niche", "Niche is required.");
        if (t.RegionCodes.Count > MaxRegions) yield return ("regions", $"At most {MaxRegions} regions.");
        foreach (var r in t.RegionCodes.Where(r => !Region.IsWellFormedCode(r?.Trim().ToUpperInvariant())))
            yield return ("regions", $"'{r}' is not a region code (e.g. RU or RU-MOW).");
        if (t.MaxPrice <= 0) yield return ("maxPrice", "Max price must be positive (minor units).");
        if (t.DailyCap is < 1) yield return ("dailyCap", "Daily cap must be at least 1, or empty for none.");
        if (t.MonthlyCap is < 1) yield return ("monthlyCap", "Monthly cap must be at least 1, or empty for none.");
        if (t is { DailyCap: { } d, MonthlyCap: { } m } && d > m) yield return ("dailyCap", "Daily cap cannot exceed the monthly cap.");
        if (t.Budget is < 1) yield return ("budget", "Budget must be positive (minor units), or empty for none.");
        if (t.Budget is { } b && b < t.MaxPrice) yield return ("budget", "Budget must cover at least one lead at the max price.");
        if (t.Days.Count == 0) yield return ("days", "Pick at least one day.");
        if (t.HourFrom is < 0 or > 23) yield return ("hourFrom", "Hour from is 0 to 23.");
        if (t.HourTo is < 1 or > 24) yield return ("hourTo", "Hour to is 1 to 24.");
        if (t.HourFrom == t.HourTo) yield return ("hourTo", "Hour to must differ from hour from (0 to 24 means all day).");
        if (FindZone(t.TimeZone) is null) yield return ("timeZone", $"Unknown time zone '{t.TimeZone}' (use an IANA id such as Europe/Moscow).");
    }

    public static TimeZoneInfo? FindZone(string? id) =>
        !string.IsNullOrWhiteSpace(id) && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : null;

    public DateTime LocalTime(DateTime utc) => TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), FindZone(TimeZone) ?? TimeZoneInfo.Utc);

    /// <summary>Whether the schedule is open at this instant (its day and hour in the order's time zone).</summary>
    public bool IsOpenAt(DateTime utc)
    {
        var local = LocalTime(utc);
        if ((ScheduleDays & (1 << (int)local.DayOfWeek)) == 0) return false;
        var hour = local.Hour;
        return HourFrom < HourTo ? hour >= HourFrom && hour < HourTo : hour >= HourFrom || hour < HourTo;
    }

    /// <summary>True when the order buys leads in this region (its list is empty, or names the region or one containing it).</summary>
    public bool Covers(string regionCode, Func<string, string?> parentOf) =>
        RegionCodes.Length == 0 || Regions.Any(r => Region.Covers(r, regionCode, parentOf));

    public bool Accepts(Temperature temperature) => temperature >= MinTemperature;

    /// <summary>Cap counter scope and the day/month periods in the order's time zone.</summary>
    public string CapScope => $"order:{Id:N}";

    public string DayPeriod(DateTime utc) => "d" + LocalTime(utc).ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    public string MonthPeriod(DateTime utc) => "m" + LocalTime(utc).ToString("yyyyMM", CultureInfo.InvariantCulture);

    public const string BalanceRanOutReason = "Paused automatically: the balance ran out. Top up, then resume.";
    public const string BudgetSpentReason = "Paused automatically: the budget is spent. Raise the budget to resume.";

    public void Pause(string reason, bool automatic, DateTime now)
    {
        Status = LeadOrderStatus.Paused;
        PausedReason = reason.Length > ReasonMaxLength ? reason[..ReasonMaxLength] : reason;
        PausedAutomatically = automatic;
        PausedAt = now;
        UpdatedAt = now;
    }

    public void Resume(DateTime now)
    {
        if (EndedAt is not null) throw new Common.DomainException("ended", "This order has ended; create a new one.");
        if (Budget is { } b && Spent >= b)
            throw new Common.DomainException("budget_spent", "The budget is spent; raise it to resume the order.", "budget");
        Status = LeadOrderStatus.Active;
        PausedReason = null;
        PausedAutomatically = false;
        PausedAt = null;
        UpdatedAt = now;
    }
}

/// <summary>Invalid order terms, every error with its field.</summary>
public sealed class LeadOrderInvalidException(IReadOnlyList<(string Field, string Message)> errors)
    : Common.DomainException("invalid_order", errors[0].Message, errors[0].Field)
{
    public IReadOnlyList<(string Field, string Message)> Errors { get; } = errors;
}
