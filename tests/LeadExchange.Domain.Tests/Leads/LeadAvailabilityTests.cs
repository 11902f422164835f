using LeadExchange.Domain.Leads;
using LeadExchange.Domain.Reference;

namespace LeadExchange.Domain.Tests.Leads;

public sealed class LeadAvailabilityTests
{
    private static readonly DateTime Now = new(2026, 12, 7, 12, 0, 0, DateTimeKind.Utc);

    private static LeadDraft Draft() => new(Guid.NewGuid(), "seller", "legal", "RU-MOW", LeadSource.Api, null, null, [], "Anna",
        new ParsedPhone("+79161234567", "RU", true), null, "cipher", new Dictionary<string, string>(), "I agree", Now, null, null, null, null, [], null);

    private static Lead OnSale() => Lead.Accept(Draft(), LeadScoring.Score(
        new ScoringFacts(true, false, 0, 0, false, null, false, null, null), new ScoringWeights(), 70, 40), 60_000, "RUB", "{}", Now, expiryDays: 3);

    [Fact]
    public void AcceptedLead_IsOpenForBoth_UntilItExpires_InMemoryAndAsTheSqlExpression()
    {
        var lead = OnSale();
        foreach (var (at, open) in new[] { (Now, true), (Now.AddDays(3).AddSeconds(-1), true), (Now.AddDays(3), false) })
        {
            Assert.Equal(open, lead.IsOpenForExclusive(at));
            Assert.Equal(open, lead.IsOpenForShared(at, maxShared: 3));
            // The expressions the sale's conditional UPDATE uses, evaluated on the same lead: one rule, the same answer.
            Assert.Equal(open, LeadAvailability.OpenForExclusive(at).Compile()(lead));
            Assert.Equal(open, LeadAvailability.OpenForShared(at, 3).Compile()(lead));
        }
        Assert.False(lead.IsOpenForShared(Now, maxShared: 0));
    }

    [Fact]
    public void RejectedLead_IsNeverOpen()
    {
        var rejected = Lead.Reject(Draft(), "duplicate", null, Now);
        Assert.False(rejected.IsOpenForExclusive(Now.AddDays(-1)));
        Assert.False(LeadAvailability.OpenForShared(Now.AddDays(-1), 3).Compile()(rejected));
    }
}
