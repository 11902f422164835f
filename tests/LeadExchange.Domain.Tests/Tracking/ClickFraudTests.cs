using LeadExchange.Domain.Tracking;

namespace LeadExchange.Domain.Tests.Tracking;

public sealed class ClickFraudTests
{
    private static readonly ClickFraudOptions Options = new() { IpClicksPerMinute = 10, IpOfferClicksPerHour = 3 };

    private static ClickSignals Clean(long ip = 1, long ipOffer = 1, bool first = true) => new(ip, ipOffer, first, false, false);

    [Theory]
    [InlineData("curl/8.0")]
    [InlineData("Wget/1.21")]
    [InlineData("python-requests/2.31")]
    [InlineData("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)")]
    [InlineData("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0 Safari/537.36")]
    [InlineData("Baiduspider")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public void IsBotUserAgent_WhenToolCrawlerOrEmpty_ReturnsTrue(string? userAgent) =>
        Assert.True(ClickFraud.IsBotUserAgent(userAgent));

    [Theory]
    [InlineData("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36")]
    [InlineData("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1")]
    [InlineData("Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0")]
    public void IsBotUserAgent_WhenBrowser_ReturnsFalse(string userAgent) =>
        Assert.False(ClickFraud.IsBotUserAgent(userAgent));

    [Fact]
    public void Evaluate_WhenFirstVisitAndNoSignals_IsUniqueWithoutFlags() =>
        Assert.Equal(new ClickVerdict(null, true), ClickFraud.Evaluate(Clean(), Options));

    [Fact]
    public void Evaluate_WhenVisitorSeenToday_IsNotUniqueButNotFlagged() =>
        Assert.Equal(new ClickVerdict(null, false), ClickFraud.Evaluate(Clean(first: false), Options));

    [Fact]
    public void Evaluate_WhenCountsAtThresholds_IsNotFlagged() =>
        Assert.Null(ClickFraud.Evaluate(Clean(ip: 10, ipOffer: 3), Options).Flags);

    [Fact]
    public void Evaluate_WhenIpOverPerMinuteThreshold_FlagsIpVelocityAndIsNotUnique() =>
        Assert.Equal(new ClickVerdict("ip_velocity", false), ClickFraud.Evaluate(Clean(ip: 11), Options));

    [Fact]
    public void Evaluate_WhenIpOfferOverPerHourThreshold_FlagsIpOfferVelocity() =>
        Assert.Equal(new ClickVerdict("ip_offer_velocity", false), ClickFraud.Evaluate(Clean(ipOffer: 4), Options));

    [Fact]
    public void Evaluate_WhenEverySignal_ListsEveryReasonInAFixedOrder() =>
        Assert.Equal(new ClickVerdict("blocked_ip,bot_ua,ip_velocity,ip_offer_velocity", false),
            ClickFraud.Evaluate(new ClickSignals(11, 4, true, true, true), Options));

    [Fact]
    public void Evaluate_WhenBotUserAgentOnFirstVisit_IsFlaggedAndNotUnique() =>
        Assert.Equal(new ClickVerdict("bot_ua", false), ClickFraud.Evaluate(new ClickSignals(1, 1, true, true, false), Options));

    [Fact]
    public void Record_WhenValuesTooLong_TruncatesToColumnLimits()
    {
        var click = Click.Record(Guid.NewGuid(), Guid.NewGuid(), "wm", "adv",
            [new string('a', 150), "", null, "d", "e", "ignored sixth"], new string('1', 60), new string('u', 600), new string('r', 1200),
            DateTime.UtcNow, new ClickVerdict(null, true));

        Assert.Equal(Click.SubMaxLength, click.Sub1!.Length);
        Assert.Null(click.Sub2);
        Assert.Null(click.Sub3);
        Assert.Equal("e", click.Sub(5));
        Assert.Equal(Click.IpMaxLength, click.Ip.Length);
        Assert.Equal(Click.UserAgentMaxLength, click.UserAgent!.Length);
        Assert.Equal(Click.ReferrerMaxLength, click.Referrer!.Length);
        Assert.True(ClickId.IsWellFormed(click.Id));
        Assert.Equal(ClickId.Length, click.Id.Length);
    }

    [Fact]
    public void Record_WhenNoIp_RecordsUnknown() =>
        Assert.Equal(Click.UnknownIp, Click.Record(Guid.NewGuid(), Guid.NewGuid(), "wm", "adv", [], null, null, null, DateTime.UtcNow, default).Ip);
}
