using System.Text;
using LeadExchange.Domain.Conversions;
using LeadExchange.Domain.Tracking;

namespace LeadExchange.Domain.Tests.Conversions;

public sealed class ConversionStatusRulesTests
{
    [Theory]
    [InlineData(ConversionStatus.Pending, ConversionStatus.Pending, true, StatusChangeOutcome.NoChange)]
    [InlineData(ConversionStatus.Pending, ConversionStatus.Approved, true, StatusChangeOutcome.Approve)]
    [InlineData(ConversionStatus.Pending, ConversionStatus.Rejected, true, StatusChangeOutcome.Reject)]
    [InlineData(ConversionStatus.Approved, ConversionStatus.Rejected, true, StatusChangeOutcome.Reject)]
    [InlineData(ConversionStatus.Approved, ConversionStatus.Rejected, false, StatusChangeOutcome.Final)]
    [InlineData(ConversionStatus.Approved, ConversionStatus.Pending, true, StatusChangeOutcome.NotAllowed)]
    [InlineData(ConversionStatus.Rejected, ConversionStatus.Approved, true, StatusChangeOutcome.Final)]
    [InlineData(ConversionStatus.Rejected, ConversionStatus.Rejected, false, StatusChangeOutcome.NoChange)]
    public void Decide_FollowsTheStatusFlow(ConversionStatus current, ConversionStatus requested, bool holdOpen, StatusChangeOutcome expected) =>
        Assert.Equal(expected, ConversionStatusRules.Decide(current, requested, holdOpen));
}

public sealed class ConversionFraudRulesTests
{
    private static readonly ConversionFraudOptions Options = new() { MinSecondsAfterClick = 10, CrAnomalyMinConversions = 5, CrAnomalyMaxRate = 0.5 };

    private static ConversionFraudFacts Facts(double seconds = 60, bool flagged = false, bool blocked = false, int clicks = 100, int conversions = 0, bool sameIp = false) =>
        new(TimeSpan.FromSeconds(seconds), flagged, blocked, clicks, conversions, sameIp);

    [Fact]
    public void CleanConversion_HasNoFlags() => Assert.Empty(ConversionFraud.Flags(Facts(), Options));

    [Fact]
    public void EachRule_AddsItsFlag()
    {
        Assert.Equal([ConversionFraud.TooFast], ConversionFraud.Flags(Facts(seconds: 9.9), Options));
        Assert.Equal([ConversionFraud.FlaggedClick], ConversionFraud.Flags(Facts(flagged: true), Options));
        Assert.Equal([ConversionFraud.DuplicateIp], ConversionFraud.Flags(Facts(sameIp: true), Options));
        Assert.Equal([ConversionFraud.CrAnomaly], ConversionFraud.Flags(Facts(clicks: 6, conversions: 4), Options));
    }

    [Theory]
    [InlineData(10, 4, false)] // 5 of 10: at the rate, not above
    [InlineData(9, 4, true)]   // 5 of 9
    [InlineData(3, 3, false)]  // 4 of 3 but under the minimum count
    [InlineData(0, 4, true)]   // conversions without any click counted
    public void CrAnomaly_NeedsTheMinimumCountAndARateAboveTheLimit(int clicks, int earlierConversions, bool flagged) =>
        Assert.Equal(flagged, ConversionFraud.Flags(Facts(clicks: clicks, conversions: earlierConversions), Options).Contains(ConversionFraud.CrAnomaly));

    [Fact]
    public void BlocklistedClick_IsRejectedNotFlagged() => Assert.Equal(ConversionFraud.BlockedIp, ConversionFraud.Reject(Facts(blocked: true)));
}

public sealed class PostbackMacrosTests
{
    private static readonly PostbackMacroValues Values = new("CLICK", "camp 7&x=1", null, "s3", null, null,
        Guid.Parse("11111111-2222-3333-4444-555555555555"), "lead", 18_050, "RUB", "approved", Guid.Parse("aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"), null, "ord/1");

    [Fact]
    public void Fill_EncodesValues_LeavesEmptyForMissing_AndKeepsUnknownText()
    {
        var url = PostbackMacros.Fill("https://t.example/pb?c={click_id}&s1={sub1}&s2={sub2}&p={payout}&st={status}&tx={txid}&o={offer_id}&l={lead_id}&{other}", Values);
        Assert.Equal("https://t.example/pb?c=CLICK&s1=camp%207%26x%3D1&s2=&p=180.50&st=approved&tx=ord%2F1&o=11111111-2222-3333-4444-555555555555&l=&{other}", url);
    }

    [Theory]
    [InlineData("https://t.example/pb?c={click_id}", null)]
    [InlineData("http://t.example/{click_id}/{status}", null)]
    [InlineData("t.example/pb", "absolute")]
    [InlineData("ftp://t.example/pb", "absolute")]
    [InlineData("https://t.example/pb?x={clickid}", "Unknown macro")]
    [InlineData("", "Enter")]
    public void ValidateTemplate_ExplainsWhatIsWrong(string template, string? error)
    {
        var result = PostbackMacros.ValidateTemplate(template);
        if (error is null) Assert.Null(result);
        else Assert.Contains(error, result);
    }
}

public sealed class PostbackSecurityTests
{
    [Fact]
    public void Signature_VerifiesOnlyTheExactBytesAndSecret()
    {
        var payload = Encoding.UTF8.GetBytes("click_id=abc&token=t");
        var signature = Signatures.Sign("secret", payload);
        Assert.StartsWith("sha256=", signature);
        Assert.True(Signatures.Verify("secret", signature, payload));
        Assert.True(Signatures.Verify("secret", signature.ToUpperInvariant().Replace("SHA256=", "sha256="), payload));
        Assert.False(Signatures.Verify("other", signature, payload));
        Assert.False(Signatures.Verify("secret", signature, Encoding.UTF8.GetBytes("click_id=abd&token=t")));
        Assert.False(Signatures.Verify("secret", "sha256=zz", payload));
        Assert.False(Signatures.Verify("secret", null, payload));
    }

    [Fact]
    public void Redact_HidesEveryTokenAlias()
    {
        var redacted = PostbackLogEntry.Redact("click_id=a&token=SECRET&Secure=SECRET2&security_token=x&goal=lead", ["token", "secure", "security_token"]);
        Assert.Equal("click_id=a&token=***&Secure=***&security_token=***&goal=lead", redacted);
    }

    [Fact]
    public void IpAllowList_EmptyAllowsAll_OtherwiseExactAddressesIncludingMappedIpv4()
    {
        Assert.True(AdvertiserPostbackSettings.IsIpAllowed([], null));
        Assert.True(AdvertiserPostbackSettings.IsIpAllowed(["203.0.113.5"], System.Net.IPAddress.Parse("::ffff:203.0.113.5")));
        Assert.False(AdvertiserPostbackSettings.IsIpAllowed(["203.0.113.5"], System.Net.IPAddress.Parse("203.0.113.6")));
        Assert.False(AdvertiserPostbackSettings.IsIpAllowed(["203.0.113.5"], null));
    }
}
