namespace LeadExchange.Domain.Conversions;

/// <summary>Section "Tracking:ConversionFraud": thresholds of the conversion fraud rules.</summary>
public sealed class ConversionFraudOptions
{
    public const string Section = "Tracking:ConversionFraud";

    /// <summary>A conversion sooner than this after its click is flagged (no human fills a form that fast).</summary>
    public int MinSecondsAfterClick { get; set; } = 5;
    /// <summary>A click older than this cannot convert: the postback is refused as unknown_click (expired).</summary>
    public int ClickLifetimeDays { get; set; } = 30;
    /// <summary>Conversion-rate anomaly: at least this many conversions of one webmaster on one offer in 24 h ...</summary>
    public int CrAnomalyMinConversions { get; set; } = 5;
    /// <summary>... at a conversion rate (conversions / clicks in 24 h) above this share is flagged.</summary>
    public double CrAnomalyMaxRate { get; set; } = 0.5;
    /// <summary>A second conversion on one offer from the same click IP within this many hours is flagged.</summary>
    public int DuplicateIpWindowHours { get; set; } = 24;
}

/// <summary>What the fraud rules know about a conversion about to be recorded.</summary>
public sealed record ConversionFraudFacts(
    TimeSpan SinceClick,
    bool ClickFlagged,
    bool ClickIpBlocked,
    int WebmasterClicks24h,
    int WebmasterConversions24h,
    bool SameIpConvertedRecently);

/// <summary>
/// Conversion fraud rules. <see cref="Reject"/> refuses the postback (rejected_fraud); flags send the
/// conversion to review instead of approval. Every reason is stored with the conversion.
/// </summary>
public static class ConversionFraud
{
    public const string TooFast = "fast_conversion";
    public const string FlaggedClick = "flagged_click";
    public const string CrAnomaly = "cr_anomaly";
    public const string DuplicateIp = "duplicate_ip";
    public const string BlockedIp = "blocked_ip";

    /// <summary>A reason to refuse outright, or null.</summary>
    public static string? Reject(ConversionFraudFacts facts) => facts.ClickIpBlocked ? BlockedIp : null;

    public static IReadOnlyList<string> Flags(ConversionFraudFacts facts, ConversionFraudOptions options)
    {
        var flags = new List<string>();
        if (facts.SinceClick < TimeSpan.FromSeconds(options.MinSecondsAfterClick)) flags.Add(TooFast);
        if (facts.ClickFlagged) flags.Add(FlaggedClick);
        var conversions = facts.WebmasterConversions24h + 1; // including this one
        if (conversions >= options.CrAnomalyMinConversions
            && conversions > options.CrAnomalyMaxRate * Math.Max(1, facts.WebmasterClicks24h))
            flags.Add(CrAnomaly);
        if (facts.SameIpConvertedRecently) flags.Add(DuplicateIp);
        return flags;
    }

    public static string Describe(string flag) => flag switch
    {
        TooFast => "converted too soon after the click",
        FlaggedClick => "the click was flagged (bot, velocity or blocklist)",
        CrAnomaly => "the webmaster's conversion rate on this offer is abnormally high",
        DuplicateIp => "another conversion on this offer came from the same IP recently",
        BlockedIp => "the click came from a blocklisted IP",
        _ => flag,
    };
}
