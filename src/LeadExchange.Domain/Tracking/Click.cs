namespace LeadExchange.Domain.Tracking;

/// <summary>
/// One visit through a tracking link. Written in batches by a background writer, so everything the
/// record needs is copied in here (no navigation, no lookups at write time).
/// </summary>
public sealed class Click
{
    public const int SubMaxLength = 100;
    public const int IpMaxLength = 45;
    public const int UserAgentMaxLength = 512;
    public const int ReferrerMaxLength = 1000;
    public const int FraudFlagsMaxLength = 200;
    public const int SubCount = 5;

    /// <summary>Recorded when the connection has no remote address (in-memory test servers, some proxies).</summary>
    public const string UnknownIp = "unknown";

    private Click() { }

    public string Id { get; private set; } = "";
    public Guid OfferId { get; private set; }
    public Guid ParticipationId { get; private set; }
    public string WebmasterId { get; private set; } = "";
    public string AdvertiserId { get; private set; } = "";
    public string? Sub1 { get; private set; }
    public string? Sub2 { get; private set; }
    public string? Sub3 { get; private set; }
    public string? Sub4 { get; private set; }
    public string? Sub5 { get; private set; }
    public string Ip { get; private set; } = UnknownIp;
    public string? UserAgent { get; private set; }
    public string? Referrer { get; private set; }
    public DateTime CreatedAt { get; private set; }
    public bool IsUnique { get; private set; }
    /// <summary>Comma-separated reason codes (see <see cref="ClickFraud"/>); null for a clean click.</summary>
    public string? FraudFlags { get; private set; }

    /// <summary>
    /// Values longer than the columns are truncated, never refused: the visitor must be redirected
    /// whatever a traffic source appends to the link.
    /// </summary>
    public static Click Record(
        Guid offerId, Guid participationId, string webmasterId, string advertiserId,
        IReadOnlyList<string?> subs, string? ip, string? userAgent, string? referrer,
        DateTime now, ClickVerdict verdict, string? id = null)
    {
        string? Sub(int i) => i < subs.Count ? Truncate(subs[i], SubMaxLength) : null;
        return new Click
        {
            Id = id ?? ClickId.New(),
            OfferId = offerId,
            ParticipationId = participationId,
            WebmasterId = webmasterId,
            AdvertiserId = advertiserId,
            Sub1 = Sub(0),
            Sub2 = Sub(1),
            Sub3 = Sub(2),
            Sub4 = Sub(3),
            Sub5 = Sub(4),
            Ip = Truncate(ip, IpMaxLength) ?? UnknownIp,
            UserAgent = Truncate(userAgent, UserAgentMaxLength),
            Referrer = Truncate(referrer, ReferrerMaxLength),
            CreatedAt = now,
            IsUnique = verdict.IsUnique,
            FraudFlags = Truncate(verdict.Flags, FraudFlagsMaxLength),
        };
    }

    /// <summary>The sub value by number 1..5, as the landing macros {sub1}..{sub5} use it.</summary>
    public string? Sub(int number) => number switch
    {
        1 => Sub1, 2 => Sub2, 3 => Sub3, 4 => Sub4, 5 => Sub5, _ => null,
    };

    private static string? Truncate(string? value, int max) =>
        string.IsNullOrEmpty(value) ? null : value.Length <= max ? value : value[..max];
}

/// <summary>An address on the click blocklist: its clicks are recorded and redirected, but flagged.</summary>
public sealed class BlockedIp
{
    public const string Table = "IpBlocklist";

    private BlockedIp() { }

    public BlockedIp(string ip, string? reason, DateTime now)
    {
        Ip = ip.Trim();
        Reason = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();
        CreatedAt = now;
    }

    public string Ip { get; private set; } = "";
    public string? Reason { get; private set; }
    public DateTime CreatedAt { get; private set; }
}
