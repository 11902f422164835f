using LeadExchange.Domain.Common;
using LeadExchange.Domain.Offers;
using LeadExchange.Domain.Tracking;

namespace LeadExchange.Domain.Tests.Tracking;

public sealed class ConversionPayoutTests
{
    private static OfferGoal Goal(GoalSpec spec)
    {
        var offer = Offer.Create("adv", new OfferSpec("credit", "T", null, "https://x.example/", "RUB", OfferAccess.Public, 0, null, null, ["RU"], [spec]), DateTime.UtcNow);
        return offer.Goals[0];
    }

    [Fact]
    public void Compute_WhenFixedGoal_PaysFixedAmountsWhateverTheSale() =>
        Assert.Equal((80_000L, 55_000L), ConversionPayout.Compute(Goal(new GoalSpec("lead", "Lead", PayoutModel.Cpl, 80_000, 55_000)), 999_999));

    [Fact]
    public void Compute_WhenPercentGoal_PaysShareOfSaleRoundedDown() =>
        // 12.5% and 10% of 1,234.57 = 154.32125 and 123.457 -> 154.32 and 123.45
        Assert.Equal((15_432L, 12_345L), ConversionPayout.Compute(Goal(new GoalSpec("sale", "Sale", PayoutModel.Cps, 0, 0, 1250, 1000)), 123_457));

    [Fact]
    public void Compute_WhenPercentGoalWithoutAmount_RefusesWithBadAmount() =>
        Assert.Equal("bad_amount", Assert.Throws<DomainException>(() =>
            ConversionPayout.Compute(Goal(new GoalSpec("sale", "Sale", PayoutModel.Cps, 0, 0, 1250, 1000)), null)).Code);

    [Fact]
    public void NewClickId_WhenGenerated_IsUrlSafeAndAtMost32() =>
        Assert.All(Enumerable.Range(0, 100).Select(_ => ClickId.New()), id =>
        {
            Assert.True(ClickId.IsWellFormed(id));
            Assert.True(id.Length <= 32);
        });
}
