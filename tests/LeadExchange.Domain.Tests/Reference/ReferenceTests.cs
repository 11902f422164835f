using LeadExchange.Domain.Reference;

namespace LeadExchange.Domain.Tests.Reference;

public sealed class ReferenceTests
{
    [Theory]
    [InlineData("RU", true)]
    [InlineData("RU-MOW", true)]
    [InlineData("IT-25", true)]
    [InlineData("ru-mow", false)]
    [InlineData("RUS", false)]
    [InlineData("RU-MOSCOW", false)]
    public void IsWellFormedCode_WhenChecked_FollowsIso3166Shape(string code, bool expected) =>
        Assert.Equal(expected, Region.IsWellFormedCode(code));

    [Fact]
    public void Covers_WhenCandidateInsideCountry_IsTrue()
    {
        string? ParentOf(string c) => c.Contains('-') ? c.Split('-')[0] : null;
        Assert.True(Region.Covers("RU", "RU-MOW", ParentOf));
        Assert.True(Region.Covers("RU-MOW", "RU-MOW", ParentOf));
        Assert.False(Region.Covers("RU-MOW", "RU", ParentOf));
        Assert.False(Region.Covers("US", "RU-MOW", ParentOf));
    }

    [Theory]
    [InlineData(85, Temperature.Hot)]
    [InlineData(70, Temperature.Hot)]
    [InlineData(69, Temperature.Warm)]
    [InlineData(40, Temperature.Warm)]
    [InlineData(39, Temperature.Cold)]
    public void TemperatureFor_WhenScoreOnThresholds_MapsInclusively(int score, Temperature expected) =>
        Assert.Equal(expected, new Niche("x", "X", "RUB") { HotThreshold = 70, WarmThreshold = 40 }.TemperatureFor(score));

    [Fact]
    public void Validate_WhenWarmNotBelowHot_FlagsWarmThreshold()
    {
        var niche = new Niche("x", "X", "RUB") { HotThreshold = 50, WarmThreshold = 50 };
        Assert.Contains(niche.Validate(), e => e.Field == nameof(Niche.WarmThreshold));
    }

    [Fact]
    public void Validate_WhenChoiceFieldHasNoChoices_FlagsFields()
    {
        var niche = new Niche("x", "X", "RUB") { Fields = [new NicheField("timeframe", "When", LeadFieldType.Choice, true)] };
        Assert.Contains(niche.Validate(), e => e.Field == nameof(Niche.Fields));
    }
}
