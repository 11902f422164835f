using LeadExchange.Domain.Common;
using LeadExchange.Domain.Offers;

namespace LeadExchange.Domain.Tests.Offers;

public sealed class OfferTests
{
    private static readonly DateTime Now = new(2026, 11, 23, 10, 0, 0, DateTimeKind.Utc);

    private static OfferSpec Spec(OfferAccess access = OfferAccess.Public) => new(
        "credit", "Loans", "d", "https://x.example/?c={click_id}", "RUB", access, 7, null, null, ["RU", "KZ"],
        [new GoalSpec("lead", "Lead", PayoutModel.Cpl, 1000, 700), new GoalSpec("sale", "Sale", PayoutModel.Cps, 0, 0, 1000, 800)]);

    [Fact]
    public void Create_WhenNoGoalIsDefault_MakesTheFirstDefault()
    {
        var offer = Offer.Create("adv", Spec(), Now);
        Assert.Equal("lead", offer.DefaultGoal!.Code);
        Assert.Single(offer.Goals, g => g.IsDefault);
        Assert.Equal(OfferStatus.Active, offer.Status);
    }

    [Fact]
    public void Update_WhenGoalCodeStays_KeepsGoalId()
    {
        var offer = Offer.Create("adv", Spec(), Now);
        var leadId = offer.Goals.Single(g => g.Code == "lead").Id;
        offer.Update(Spec() with { Goals = [new GoalSpec("LEAD", "Lead v2", PayoutModel.Cpl, 2000, 1500)], RegionCodes = ["RU"] }, Now.AddHours(1));
        var goal = Assert.Single(offer.Goals);
        Assert.Equal(leadId, goal.Id);
        Assert.Equal(2000, goal.AdvertiserAmount);
        Assert.Equal(["RU"], offer.Regions.Select(r => r.RegionCode));
    }

    [Fact]
    public void Update_WhenArchived_Throws()
    {
        var offer = Offer.Create("adv", Spec(), Now);
        offer.Archive(Now);
        var ex = Assert.Throws<DomainException>(() => offer.Update(Spec(), Now));
        Assert.Equal("offer_archived", ex.Code);
        Assert.Throws<DomainException>(() => offer.Activate(Now));
    }

    [Fact]
    public void Join_WhenPublic_ApprovesAtOnceWithUrlSafeCode()
    {
        var offer = Offer.Create("adv", Spec(), Now);
        var p = OfferParticipation.Join(offer, "wm", Now);
        Assert.Equal(ParticipationStatus.Approved, p.Status);
        Assert.Matches("^[A-Za-z0-9]{12}$", p.LinkCode);
    }

    [Fact]
    public void Join_WhenApprovalRequired_IsPending()
    {
        var offer = Offer.Create("adv", Spec(OfferAccess.ApprovalRequired), Now);
        Assert.Equal(ParticipationStatus.Pending, OfferParticipation.Join(offer, "wm", Now).Status);
    }

    [Fact]
    public void Join_WhenPausedOrOwnOffer_Throws()
    {
        var offer = Offer.Create("adv", Spec(), Now);
        Assert.Equal("own_offer", Assert.Throws<DomainException>(() => OfferParticipation.Join(offer, "adv", Now)).Code);
        offer.Pause(Now);
        Assert.Equal("offer_not_active", Assert.Throws<DomainException>(() => OfferParticipation.Join(offer, "wm", Now)).Code);
    }

    [Fact]
    public void Join_WhenManyTimes_GivesDistinctLinkCodes()
    {
        var offer = Offer.Create("adv", Spec(), Now);
        var codes = Enumerable.Range(0, 1000).Select(i => OfferParticipation.Join(offer, "wm" + i, Now).LinkCode).ToHashSet();
        Assert.Equal(1000, codes.Count);
    }
}
