using System.Text.RegularExpressions;

namespace LeadExchange.Domain.Tracking;

/// <summary>Thresholds for click fraud flags (section "Tracking:Fraud").</summary>
public sealed record ClickFraudOptions
{
    public const string Section = "Tracking:Fraud";

    /// <summary>Clicks from one IP across all offers in a minute before the rest are flagged.</summary>
    public int IpClicksPerMinute { get; init; } = 120;

    /// <summary>Clicks from one IP on one offer in an hour before the rest are flagged.</summary>
    public int IpOfferClicksPerHour { get; init; } = 20;
}

/// <summary>What the fraud check saw for one click; counts include this click.</summary>
public readonly record struct ClickSignals(long IpClicks, long IpOfferClicks, bool FirstForVisitorToday, bool BotUserAgent, bool IpBlocked);

public readonly record struct ClickVerdict(string? Flags, bool IsUnique);

/// <summary>Pure click fraud rules: the counters come from Redis (or the in-process stand-in), the decision from here.</summary>
public static partial class ClickFraud
{
    public const string BlockedIp = "blocked_ip";
    public const string BotUserAgent = "bot_ua";
    public const string IpVelocity = "ip_velocity";
    public const string IpOfferVelocity = "ip_offer_velocity";

    // Substrings that honest browsers never send; a short list on purpose (it runs on every click).
    [GeneratedRegex("bot|crawl|spider|slurp|curl|wget|python-requests|python-urllib|aiohttp|httpclient|okhttp|go-http-client|java/|libwww|scrapy|headless|phantomjs|selenium|puppeteer|playwright|facebookexternalhit",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex BotPattern();

    /// <summary>An empty user agent counts as a bot: every real browser sends one.</summary>
    public static bool IsBotUserAgent(string? userAgent) =>
        string.IsNullOrWhiteSpace(userAgent) || BotPattern().IsMatch(userAgent);

    public static ClickVerdict Evaluate(ClickSignals signals, ClickFraudOptions options)
    {
        List<string>? flags = null;
        void Add(string flag) => (flags ??= []).Add(flag);
        if (signals.IpBlocked) Add(BlockedIp);
        if (signals.BotUserAgent) Add(BotUserAgent);
        if (signals.IpClicks > options.IpClicksPerMinute) Add(IpVelocity);
        if (signals.IpOfferClicks > options.IpOfferClicksPerHour) Add(IpOfferVelocity);
        var joined = flags is null ? null : string.Join(',', flags);
        return new ClickVerdict(joined, IsUnique: signals.FirstForVisitorToday && joined is null);
    }
}
