using LeadExchange.Domain.Offers;

namespace LeadExchange.Domain.Tests.Offers;

public sealed class LandingUrlRulesTests
{
    [Fact]
    public void Fill_WhenValuesNeedEncoding_UrlEncodesEachMacro()
    {
        var url = LandingUrlRules.Fill("https://x.example/?c={click_id}&s={sub1}&w={webmaster_id}", k => k switch
        {
            "click_id" => "abc123",
            "sub1" => "fb campaign&x=1",
            _ => null,
        });
        Assert.Equal("https://x.example/?c=abc123&s=fb%20campaign%26x%3D1&w=", url);
    }

    [Fact]
    public void Fill_WhenNoMacros_ReturnsTemplateUnchanged() =>
        Assert.Equal("https://x.example/a", LandingUrlRules.Fill("https://x.example/a", _ => "z"));

    [Fact]
    public void Validate_WhenMacroUnknown_NamesIt() =>
        Assert.Contains("{foo}", Assert.Single(LandingUrlRules.Validate("https://x.example/?a={foo}")));

    [Fact]
    public void Validate_WhenMacroInHost_StillAbsoluteUrl() =>
        Assert.Empty(LandingUrlRules.Validate("https://{sub1}.x.example/?a={click_id}"));

    [Theory]
    [InlineData("https://{sub1}/")]
    [InlineData("https://{sub1}")]
    [InlineData("https://landing{sub1}/")]
    [InlineData("https://landing.example{sub1}/")]
    [InlineData("https://{sub1}.com/")]
    [InlineData("https://{sub1}@landing.example/")]
    [InlineData("https://user:{sub1}@landing.example/")]
    // Security review finding 5: a macro in front of a public suffix lets the clicker pick whose site it is.
    [InlineData("https://{sub1}.github.io/")]
    [InlineData("https://{sub1}.co.uk/")]
    [InlineData("https://{sub1}.blogspot.com/path")]
    [InlineData("https://{sub1}.herokuapp.com/")]
    [InlineData("https://{sub1}.GitHub.IO/")]
    [InlineData("https://{sub1}.any.ck/")]           // "*.ck": every name under .ck is a suffix
    public void Validate_WhenAMacroCouldChooseTheSite_Refuses(string url) =>
        Assert.Contains("never choose the site", Assert.Single(LandingUrlRules.Validate(url)));

    [Theory]
    [InlineData("https://landing.example/{sub1}/?s={sub2}#{sub3}")]
    [InlineData("https://{sub1}.{sub2}.landing.example/?c={click_id}")]
    [InlineData("https://{sub1}.landing.example:8443/")]
    [InlineData("https://{sub1}.acme.github.io/")]   // one fixed label below the public suffix: acme's own site
    [InlineData("https://{sub1}.shop.co.uk/")]
    [InlineData("https://{sub1}.www.ck/")]           // "!www.ck" excepts it from "*.ck"
    public void Validate_WhenMacrosCannotLeaveTheAdvertisersDomain_Accepts(string url) => Assert.Empty(LandingUrlRules.Validate(url));

    [Theory]
    [InlineData("a.b.github.io", "github.io")]
    [InlineData("x.landing.example", "example")]
    [InlineData("shop.co.uk", "co.uk")]
    [InlineData("foo.bar.ck", "bar.ck")]
    [InlineData("www.ck", "ck")]
    [InlineData("пример.рф", "xn--p1ai")]
    public void PublicSuffixList_SuffixOf_FollowsTheListsAlgorithm(string host, string suffix)
    {
        Assert.True(PublicSuffixList.Count > 9000);
        Assert.Equal(suffix, PublicSuffixList.SuffixOf(host));
    }
}
