using LeadExchange.Domain.Common;

namespace LeadExchange.Domain.Ledger;

public enum HoldStatus { Held, Released, Refunded }

/// <summary>
/// Money charged from an advertiser into escrow for one sale or conversion, waiting for its dispute
/// window / hold period. Release pays the webmaster share and the platform commission; refund returns
/// it to the advertiser. Either happens once: the status change is a conditional update and the
/// journal entry's (type, reference) is unique.
/// </summary>
public sealed class EscrowHold
{
    public const int SourceTypeMaxLength = 32;

    private EscrowHold() { }

    public Guid Id { get; private set; }
    /// <summary>What caused it: "sale", "conversion".</summary>
    public string SourceType { get; private set; } = "";
    public Guid SourceId { get; private set; }
    public string AdvertiserId { get; private set; } = "";
    public string WebmasterId { get; private set; } = "";
    public string Currency { get; private set; } = "";
    public long Amount { get; private set; }
    public long WebmasterShare { get; private set; }
    public long PlatformShare { get; private set; }
    public DateTime CreatedAt { get; private set; }
    public DateTime ReleaseAt { get; private set; }
    public HoldStatus Status { get; private set; }
    /// <summary>True while a dispute is open: the release job skips it.</summary>
    public bool Frozen { get; private set; }
    public DateTime? SettledAt { get; private set; }

    public static EscrowHold Create(string sourceType, Guid sourceId, string advertiserId, string webmasterId, string currency,
        long amount, int commissionBp, DateTime now, DateTime releaseAt)
    {
        if (amount <= 0) throw new DomainException("hold_amount", "A hold needs a positive amount.");
        return WithShares(sourceType, sourceId, advertiserId, webmasterId, currency, amount, Commission.Split(amount, commissionBp).Webmaster, now, releaseAt);
    }

    /// <summary>A hold whose webmaster share is set by the caller (a goal's webmaster payout); the platform keeps the rest.</summary>
    public static EscrowHold WithShares(string sourceType, Guid sourceId, string advertiserId, string webmasterId, string currency,
        long amount, long webmasterShare, DateTime now, DateTime releaseAt)
    {
        if (amount <= 0) throw new DomainException("hold_amount", "A hold needs a positive amount.");
        if (webmasterShare < 0 || webmasterShare > amount)
            throw new DomainException("hold_amount", "The webmaster share must be between zero and the amount.");
        var (webmaster, platform) = (webmasterShare, amount - webmasterShare);
        return new EscrowHold
        {
            Id = Guid.NewGuid(),
            SourceType = sourceType,
            SourceId = sourceId,
            AdvertiserId = advertiserId,
            WebmasterId = webmasterId,
            Currency = currency,
            Amount = amount,
            WebmasterShare = webmaster,
            PlatformShare = platform,
            CreatedAt = now,
            ReleaseAt = releaseAt,
            Status = HoldStatus.Held,
        };
    }

    public string Reference => $"hold:{Id:N}";

    /// <summary>Created frozen: the release job leaves it until a person decides (a conversion under fraud review).</summary>
    public void FreezeForReview()
    {
        if (Status != HoldStatus.Held) throw new DomainException("hold_settled", "A settled hold cannot be frozen.");
        Frozen = true;
    }

    public IReadOnlyList<(AccountKey Account, long Amount)> ChargeLines() =>
    [
        (new AccountKey(AccountType.AdvertiserBalance, AdvertiserId, Currency), -Amount),
        (new AccountKey(AccountType.Escrow, AdvertiserId, Currency), Amount),
    ];

    /// <summary>
    /// Escrow to the webmaster and the platform. <paramref name="owedByWebmaster"/> (from earlier clawbacks, positive)
    /// is repaid first out of the webmaster's share; only the rest becomes available.
    /// </summary>
    public IReadOnlyList<(AccountKey Account, long Amount)> ReleaseLines(long owedByWebmaster = 0)
    {
        var lines = new List<(AccountKey, long)>
        {
            (new AccountKey(AccountType.Escrow, AdvertiserId, Currency), -Amount),
        };
        var repay = Math.Clamp(owedByWebmaster, 0, WebmasterShare);
        if (repay > 0) lines.Add((new AccountKey(AccountType.WebmasterReceivable, WebmasterId, Currency), repay));
        if (WebmasterShare - repay > 0) lines.Add((new AccountKey(AccountType.WebmasterAvailable, WebmasterId, Currency), WebmasterShare - repay));
        if (PlatformShare > 0) lines.Add((AccountKey.Platform(AccountType.PlatformRevenue, Currency), PlatformShare));
        return lines;
    }

    /// <summary>
    /// Takes a released sale back for the advertiser: the platform returns its commission, the webmaster's share
    /// comes from their available balance up to <paramref name="webmasterAvailable"/>, and the rest is booked as
    /// owed (receivable, negative), which later releases repay.
    /// </summary>
    public IReadOnlyList<(AccountKey Account, long Amount)> ClawbackLines(long webmasterAvailable)
    {
        var fromAvailable = Math.Clamp(webmasterAvailable, 0, WebmasterShare);
        var lines = new List<(AccountKey, long)> { (new AccountKey(AccountType.AdvertiserBalance, AdvertiserId, Currency), Amount) };
        if (PlatformShare > 0) lines.Add((AccountKey.Platform(AccountType.PlatformRevenue, Currency), -PlatformShare));
        if (fromAvailable > 0) lines.Add((new AccountKey(AccountType.WebmasterAvailable, WebmasterId, Currency), -fromAvailable));
        if (WebmasterShare - fromAvailable > 0) lines.Add((new AccountKey(AccountType.WebmasterReceivable, WebmasterId, Currency), -(WebmasterShare - fromAvailable)));
        return lines;
    }

    public IReadOnlyList<(AccountKey Account, long Amount)> RefundLines() =>
    [
        (new AccountKey(AccountType.Escrow, AdvertiserId, Currency), -Amount),
        (new AccountKey(AccountType.AdvertiserBalance, AdvertiserId, Currency), Amount),
    ];
}
