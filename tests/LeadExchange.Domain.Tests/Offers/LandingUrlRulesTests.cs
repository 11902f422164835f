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
    public void Validate_WhenAMacroCouldChooseTheSite_Refuses(string url) =>
        Assert.Contains("never choose the site", Assert.Single(LandingUrlRules.Validate(url)));

    [Theory]
    [InlineData("https://landing.example/{sub1}/?s={sub2}#{sub3}")]
    [InlineData("https://{sub1}.{sub2}.landing.example/?c={click_id}")]
    [InlineData("https://{sub1}.landing.example:8443/")]
    public void Validate_WhenMacrosCannotLeaveTheAdvertisersDomain_Accepts(string url) => Assert.Empty(LandingUrlRules.Validate(url));
}
