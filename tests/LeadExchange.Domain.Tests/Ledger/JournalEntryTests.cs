using LeadExchange.Domain.Common;
using LeadExchange.Domain.Ledger;

namespace LeadExchange.Domain.Tests.Ledger;

public sealed class JournalEntryTests
{
    private static readonly DateTime Now = new(2026, 11, 23, 0, 0, 0, DateTimeKind.Utc);
    private readonly LedgerAccount _clearing = new(AccountType.PaymentClearing, AccountTypes.PlatformOwner, "RUB");
    private readonly LedgerAccount _balance = new(AccountType.AdvertiserBalance, "adv", "RUB");

    [Fact]
    public void Create_WhenBalanced_KeepsEveryPosting()
    {
        var entry = JournalEntry.Create(JournalEntryType.TopUp, "cs_1", "Top-up", "RUB", [(_clearing, -5000), (_balance, 5000)], Now);
        Assert.Equal(0, entry.Postings.Sum(p => p.Amount));
        Assert.Equal(2, entry.Postings.Count);
        Assert.All(entry.Postings, p => Assert.Equal(entry.Id, p.JournalEntryId));
    }

    [Fact]
    public void Create_WhenUnbalanced_Throws() =>
        Assert.Equal("ledger_unbalanced", Assert.Throws<DomainException>(() =>
            JournalEntry.Create(JournalEntryType.TopUp, "cs_1", "x", "RUB", [(_clearing, -5000), (_balance, 4999)], Now)).Code);

    [Fact]
    public void Create_WhenCurrencyMixed_Throws()
    {
        var usd = new LedgerAccount(AccountType.AdvertiserBalance, "adv", "USD");
        Assert.Equal("ledger_currency", Assert.Throws<DomainException>(() =>
            JournalEntry.Create(JournalEntryType.TopUp, "cs_1", "x", "RUB", [(_clearing, -5000), (usd, 5000)], Now)).Code);
    }

    [Fact]
    public void Create_WhenZeroOrSingleLine_Throws()
    {
        Assert.Throws<DomainException>(() => JournalEntry.Create(JournalEntryType.TopUp, "r", "x", "RUB", [(_clearing, 0), (_balance, 0)], Now));
        Assert.Throws<DomainException>(() => JournalEntry.Create(JournalEntryType.TopUp, "r", "x", "RUB", [(_clearing, 0)], Now));
        Assert.Throws<ArgumentException>(() => JournalEntry.Create(JournalEntryType.TopUp, " ", "x", "RUB", [(_clearing, -1), (_balance, 1)], Now));
    }
}
