using LeadExchange.Domain.Common;

namespace LeadExchange.Domain.Ledger;

/// <summary>
/// One balanced money movement. (Type, Reference) is unique, so the same business event (a Stripe session,
/// a sale, a payout) can be recorded only once, whichever node or retry tries it.
/// </summary>
public sealed class JournalEntry
{
    private readonly List<Posting> _postings = [];

    private JournalEntry() { }

    public Guid Id { get; private set; }
    public JournalEntryType Type { get; private set; }
    public string Reference { get; private set; } = "";
    public string Description { get; private set; } = "";
    public string Currency { get; private set; } = "";
    public DateTime CreatedAt { get; private set; }
    /// <summary>User who caused it (admin for manual entries), or null for the system.</summary>
    public string? CreatedBy { get; private set; }
    public IReadOnlyList<Posting> Postings => _postings;

    /// <summary>Builds an entry from (account, amount) lines; refuses anything that does not sum to zero.</summary>
    public static JournalEntry Create(JournalEntryType type, string reference, string description, string currency,
        IReadOnlyList<(LedgerAccount Account, long Amount)> lines, DateTime now, string? createdBy = null)
    {
        if (string.IsNullOrWhiteSpace(reference))
            throw new ArgumentException("A journal entry needs a reference.", nameof(reference));
        if (lines.Count < 2)
            throw new DomainException("ledger_unbalanced", "A journal entry needs at least two postings.");
        if (lines.Any(l => l.Amount == 0))
            throw new DomainException("ledger_zero_posting", "Postings of zero are not recorded.");
        if (lines.Any(l => l.Account.Currency != currency))
            throw new DomainException("ledger_currency", "All postings of an entry are in the entry's currency.");
        long sum = 0;
        foreach (var line in lines) sum = checked(sum + line.Amount);
        if (sum != 0)
            throw new DomainException("ledger_unbalanced", $"Postings must sum to zero (sum {sum}).");

        var entry = new JournalEntry
        {
            Id = Guid.NewGuid(),
            Type = type,
            Reference = reference,
            Description = description,
            Currency = currency,
            CreatedAt = now,
            CreatedBy = createdBy,
        };
        foreach (var (account, amount) in lines)
            entry._postings.Add(new Posting(entry.Id, account.Id, amount, now));
        return entry;
    }
}

public sealed class Posting
{
    private Posting() { }

    internal Posting(Guid entryId, Guid accountId, long amount, DateTime createdAt)
    {
        Id = Guid.NewGuid();
        JournalEntryId = entryId;
        AccountId = accountId;
        Amount = amount;
        CreatedAt = createdAt;
    }

    public Guid Id { get; private set; }
    public Guid JournalEntryId { get; private set; }
    public Guid AccountId { get; private set; }
    /// <summary>Signed minor units: positive raises the account's balance.</summary>
    public long Amount { get; private set; }
    public DateTime CreatedAt { get; private set; }
}
