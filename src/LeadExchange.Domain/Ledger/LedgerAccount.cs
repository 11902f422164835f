namespace LeadExchange.Domain.Ledger;

/// <summary>
/// One account of the ledger, identified by (Type, OwnerId, Currency). <see cref="Balance"/> is a cache
/// of the sum of its postings, changed only by atomic conditional updates and checked by reconciliation.
/// </summary>
public sealed class LedgerAccount
{
    private LedgerAccount() { }

    public LedgerAccount(AccountType type, string ownerId, string currency)
    {
        Id = Guid.NewGuid();
        Type = type;
        OwnerId = ownerId;
        Currency = currency;
    }

    public Guid Id { get; private set; }
    public AccountType Type { get; private set; }
    /// <summary>User id, or <see cref="AccountTypes.PlatformOwner"/> for platform accounts (never null, so unique indexes behave the same on every provider).</summary>
    public string OwnerId { get; private set; } = "";
    public string Currency { get; private set; } = "";
    public long Balance { get; private set; }
}

public readonly record struct AccountKey(AccountType Type, string OwnerId, string Currency)
{
    public static AccountKey Platform(AccountType type, string currency) => new(type, AccountTypes.PlatformOwner, currency);
}
