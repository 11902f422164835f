using LeadExchange.Domain.Offers;

namespace LeadExchange.Domain.Tests.Offers;

public sealed class OfferSpecTests
{
    private static OfferSpec Valid(params GoalSpec[] goals) => new(
        "credit", "Loans", null, "https://x.example/?c={click_id}&s={sub1}", "RUB", OfferAccess.Public, 7, 10, 100,
        ["RU"], goals.Length > 0 ? goals : [new GoalSpec("lead", "Lead", PayoutModel.Cpl, 1000, 700)]);

    private static List<string> Fields(OfferSpec spec) => spec.Validate().Select(e => e.Field).ToList();

    [Fact]
    public void Validate_WhenSpecIsValid_ReturnsNoErrors() => Assert.Empty(Valid().Validate());

    [Theory]
    [InlineData("", "Title")]
    [InlineData("ftp://x.example/", "LandingUrl")]
    [InlineData("/relative", "LandingUrl")]
    [InlineData("https://x.example/?c={clickid}", "LandingUrl")]
    public void Validate_WhenFieldIsBad_NamesThatField(string value, string field)
    {
        var spec = field == "Title" ? Valid() with { Title = value } : Valid() with { LandingUrl = value };
        Assert.Contains(field, Fields(spec));
    }

    [Fact]
    public void Validate_WhenCapsAndHoldOutOfRange_NamesEachField()
    {
        var fields = Fields(Valid() with { HoldDays = 91, DailyCap = 0, MonthlyCap = -1, Currency = "GBP", RegionCodes = [] });
        Assert.Contains("HoldDays", fields);
        Assert.Contains("DailyCap", fields);
        Assert.Contains("MonthlyCap", fields);
        Assert.Contains("Currency", fields);
        Assert.Contains("RegionCodes", fields);
    }

    [Fact]
    public void Validate_WhenDailyCapAboveMonthlyCap_FlagsMonthlyCap() =>
        Assert.Contains("MonthlyCap", Fields(Valid() with { DailyCap = 50, MonthlyCap = 10 }));

    [Fact]
    public void Validate_WhenWebmasterPaidMoreThanAdvertiserPays_FlagsGoalField() =>
        Assert.Contains("Goals[0].WebmasterAmount", Fields(Valid(new GoalSpec("lead", "Lead", PayoutModel.Cpl, 500, 600))));

    [Fact]
    public void Validate_WhenGoalCodesRepeat_FlagsGoals() =>
        Assert.Contains("Goals", Fields(Valid(new GoalSpec("lead", "A", PayoutModel.Cpl, 5, 4), new GoalSpec("LEAD", "B", PayoutModel.Cpa, 5, 4))));

    [Fact]
    public void Validate_WhenPercentOnNonCpsGoal_Flags() =>
        Assert.Contains("Goals[0].AdvertiserPercentBp", Fields(Valid(new GoalSpec("sale", "Sale", PayoutModel.Cpa, 0, 0, 1000, 500))));

    [Fact]
    public void Validate_WhenCpsPercentGoalIsConsistent_Passes() =>
        Assert.Empty(Valid(new GoalSpec("sale", "Sale", PayoutModel.Cps, 0, 0, 1250, 1000)).Validate());

    [Fact]
    public void Validate_WhenWebmasterPercentAboveAdvertiserPercent_Flags() =>
        Assert.Contains("Goals[0].WebmasterPercentBp", Fields(Valid(new GoalSpec("sale", "Sale", PayoutModel.Cps, 0, 0, 1000, 1500))));
}
