namespace LeadExchange.Domain.Offers;

/// <summary>
/// A conversion event of an offer and what it pays. Amounts are minor units of the offer's currency.
/// For CPS in percent, <see cref="AdvertiserPercentBp"/> and <see cref="WebmasterPercentBp"/> are basis
/// points of the sale amount (1250 = 12.50%) and the fixed amounts are zero.
/// </summary>
public sealed class OfferGoal
{
    public const int CodeMaxLength = 40;

    private OfferGoal() { }

    public OfferGoal(GoalSpec spec)
    {
        Id = Guid.NewGuid();
        Apply(spec);
    }

    public Guid Id { get; private set; }
    public Guid OfferId { get; private set; }
    public string Code { get; private set; } = "";
    public string Name { get; private set; } = "";
    public PayoutModel Model { get; private set; }
    /// <summary>What the advertiser pays per event (fixed models), minor units.</summary>
    public long AdvertiserAmount { get; private set; }
    /// <summary>What the webmaster earns per event (fixed models), minor units.</summary>
    public long WebmasterAmount { get; private set; }
    public int? AdvertiserPercentBp { get; private set; }
    public int? WebmasterPercentBp { get; private set; }
    public bool IsDefault { get; private set; }

    public bool IsPercent => AdvertiserPercentBp is not null;

    internal void Apply(GoalSpec spec)
    {
        Code = spec.Code.Trim().ToLowerInvariant();
        Name = spec.Name.Trim();
        Model = spec.Model;
        AdvertiserAmount = spec.AdvertiserAmount;
        WebmasterAmount = spec.WebmasterAmount;
        AdvertiserPercentBp = spec.AdvertiserPercentBp;
        WebmasterPercentBp = spec.WebmasterPercentBp;
        IsDefault = spec.IsDefault;
    }
}

/// <summary>What a person asks a goal to be; checked by <see cref="GoalSpec.Validate"/>.</summary>
public sealed record GoalSpec(
    string Code,
    string Name,
    PayoutModel Model,
    long AdvertiserAmount,
    long WebmasterAmount,
    int? AdvertiserPercentBp = null,
    int? WebmasterPercentBp = null,
    bool IsDefault = false)
{
    public IEnumerable<(string Field, string Message)> Validate()
    {
        if (string.IsNullOrWhiteSpace(Code) || !System.Text.RegularExpressions.Regex.IsMatch(Code.Trim(), "^[A-Za-z0-9_-]{1,40}$"))
            yield return (nameof(Code), "Goal code is 1-40 letters, digits, '-' or '_'.");
        if (string.IsNullOrWhiteSpace(Name) || Name.Length > 100)
            yield return (nameof(Name), "Goal name is required (at most 100 characters).");
        var percent = AdvertiserPercentBp is not null || WebmasterPercentBp is not null;
        if (percent)
        {
            if (Model != PayoutModel.Cps)
                yield return (nameof(AdvertiserPercentBp), "Only CPS goals can pay a percent of the sale.");
            if (AdvertiserPercentBp is null or <= 0 or > 10000)
                yield return (nameof(AdvertiserPercentBp), "Advertiser percent must be above 0 and at most 100%.");
            if (WebmasterPercentBp is null or < 0 || WebmasterPercentBp > AdvertiserPercentBp)
                yield return (nameof(WebmasterPercentBp), "Webmaster percent must be between 0 and the advertiser percent.");
            if (AdvertiserAmount != 0 || WebmasterAmount != 0)
                yield return (nameof(AdvertiserAmount), "A percent goal has no fixed amount.");
        }
        else
        {
            if (AdvertiserAmount <= 0)
                yield return (nameof(AdvertiserAmount), "Advertiser payout must be greater than zero.");
            if (WebmasterAmount <= 0)
                yield return (nameof(WebmasterAmount), "Webmaster payout must be greater than zero.");
            else if (WebmasterAmount > AdvertiserAmount)
                yield return (nameof(WebmasterAmount), "Webmaster payout cannot exceed what the advertiser pays.");
        }
    }
}
