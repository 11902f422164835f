using LeadExchange.Application.Common.Interfaces;
using LeadExchange.Domain.Common;
using LeadExchange.Domain.Ledger;
using Microsoft.EntityFrameworkCore;

namespace LeadExchange.Application.Ledger;

/// <summary>The entry was already recorded (same type and reference): the event it records already happened.</summary>
public sealed class DuplicateEntryException(JournalEntryType type, string reference)
    : Exception($"{type} {reference} is already in the ledger.");

/// <summary>A non-negative account would go below zero.</summary>
public sealed class InsufficientFundsException(AccountType account, string currency)
    : DomainException("insufficient_funds", account switch
    {
        AccountType.AdvertiserBalance => $"Not enough balance ({currency}). Top up first.",
        AccountType.WebmasterAvailable => $"Not enough available earnings ({currency}).",
        _ => $"Not enough money in {account} ({currency}).",
    })
{
    public AccountType Account { get; } = account;
}

/// <summary>
/// A posting would take an account's balance past the Int64 range of minor units. Refused, so a balance never wraps and
/// never saturates (SQLite turns an overflowing integer sum into an inexact REAL, which then swallows later postings).
/// </summary>
public sealed class BalanceOutOfRangeException(AccountType account, string currency)
    : DomainException("balance_out_of_range", $"This would take the {account} balance ({currency}) past the largest amount the ledger records; nothing was posted.")
{
    public AccountType Account { get; } = account;
}

/// <summary>Ledger accounts by key, as read from the database: an account's id, type, owner and currency never change.</summary>
public sealed class LedgerAccountCache
{
    internal System.Collections.Concurrent.ConcurrentDictionary<AccountKey, LedgerAccount> Accounts { get; } = new();
}

/// <summary>An entry added to the unit but not yet applied to the balances: what <see cref="LedgerPoster.ApplyAsync"/> needs.</summary>
public sealed record StagedEntry(JournalEntry Entry, IReadOnlyList<(LedgerAccount Account, long Amount)> Lines);

/// <summary>
/// Records balanced journal entries and keeps cached balances in step, inside the caller's unit of work. Balances change
/// only through "UPDATE ... SET Balance = Balance + d WHERE Id = @id [AND Balance + d >= 0]": atomic on every provider,
/// so concurrent charges on one or many nodes can never take a non-negative account below zero, and never lose an
/// update. Accounts are updated in id order so two entries cannot deadlock each other.
/// Hot rows last: an advertiser's balance and escrow rows are shared by every conversion and sale of that advertiser,
/// and the UPDATE holds their row locks until commit. So every insert of the unit (the entry, and whatever the caller
/// added) is written first, the balance UPDATEs come after it, and callers post as their last step: under the lock
/// there is only the UPDATEs and the commit.
/// Round trips: an account's row is looked up once per node (<see cref="LedgerAccountCache"/>), and a repeated entry is
/// found by its unique (type, reference) index when it is saved, not by a query before.
/// </summary>
public sealed class LedgerPoster(IAppDbContext db, IClock clock, LedgerAccountCache cache)
{
    /// <summary>Accounts this poster created: not cached until their unit has committed (it may still roll back).</summary>
    private readonly HashSet<Guid> _created = [];

    public Task<bool> ExistsAsync(JournalEntryType type, string reference, CancellationToken ct) =>
        db.JournalEntries.AnyAsync(e => e.Type == type && e.Reference == reference, ct);

    /// <summary>Posts the entry; throws <see cref="DuplicateEntryException"/> if (type, reference) exists and <see cref="InsufficientFundsException"/> if a guarded account would go negative.</summary>
    public async Task<JournalEntry> PostAsync(JournalEntryType type, string reference, string description, string currency,
        IReadOnlyList<(AccountKey Account, long Amount)> lines, string? createdBy, CancellationToken ct)
    {
        var staged = await StageAsync(type, reference, description, currency, lines, createdBy, ct);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another transaction recorded the same event first; ours rolls back with the caller's transaction.
            // (Inside a user transaction EF wraps SaveChanges in a savepoint, so this query can still run.)
            foreach (var posting in staged.Entry.Postings.ToList()) db.Entry(posting).State = EntityState.Detached;
            db.Entry(staged.Entry).State = EntityState.Detached;
            if (await ExistsAsync(type, reference, ct)) throw new DuplicateEntryException(type, reference);
            throw;
        }
        await ApplyAsync(staged, ct);
        return staged.Entry;
    }

    /// <summary>
    /// Adds the entry to the unit without saving it, so the caller saves it with its own rows in one batch and then calls
    /// <see cref="ApplyAsync"/>. A repeated (type, reference) then fails that save.
    /// </summary>
    public async Task<StagedEntry> StageAsync(JournalEntryType type, string reference, string description, string currency,
        IReadOnlyList<(AccountKey Account, long Amount)> lines, string? createdBy, CancellationToken ct)
    {
        if (db.Database.CurrentTransaction is null)
            throw new InvalidOperationException("Ledger postings must run inside the business transaction.");
        // Merge lines on the same account so each account is updated once.
        var merged = lines.GroupBy(l => l.Account).Select(g => (Account: g.Key, Amount: g.Sum(l => l.Amount))).Where(l => l.Amount != 0).ToList();
        var accounts = new List<(LedgerAccount Account, long Amount)>();
        foreach (var (key, amount) in merged)
            accounts.Add((await GetOrCreateAccountAsync(key, ct), amount));
        var entry = JournalEntry.Create(type, reference, description, currency, accounts, clock.UtcNow, createdBy);
        db.JournalEntries.Add(entry);
        return new StagedEntry(entry, accounts);
    }

    /// <summary>The balance updates of a saved entry, guarded, in account id order; the unit's last writes before its commit.</summary>
    public Task ApplyAsync(StagedEntry staged, CancellationToken ct) => ApplyAsync([staged], ct);

    /// <summary>
    /// The balance updates of several saved entries: one update per account with the sum of its postings (guarded when the
    /// sum takes a non-negative account down, so the whole set fails when the account cannot pay all of it).
    /// </summary>
    public async Task ApplyAsync(IReadOnlyCollection<StagedEntry> staged, CancellationToken ct)
    {
        var sums = staged.SelectMany(s => s.Lines).GroupBy(l => l.Account.Id)
            .Select(g => (g.First().Account, Amount: g.Sum(l => l.Amount))).Where(l => l.Amount != 0);
        foreach (var (account, amount) in sums.OrderBy(a => a.Account.Id))
        {
            var guarded = AccountTypes.IsNonNegative(account.Type) && amount < 0;
            var id = account.Id;
            // Checked arithmetic in SQL: the sum must stay inside the Int64 range, compared without computing it (a credit
            // needs Balance <= MaxValue - amount, a debit of an unguarded account Balance >= MinValue - amount; both
            // bounds are exact longs). A guarded debit (Balance + amount >= 0, amount < 0) cannot overflow.
            var ceiling = amount > 0 ? long.MaxValue - amount : long.MaxValue;
            var floor = amount < 0 ? long.MinValue - amount : long.MinValue;
            var updated = guarded
                ? await db.LedgerAccounts.Where(a => a.Id == id && a.Balance + amount >= 0)
                    .ExecuteUpdateAsync(s => s.SetProperty(a => a.Balance, a => a.Balance + amount), ct)
                : await db.LedgerAccounts.Where(a => a.Id == id && a.Balance <= ceiling && a.Balance >= floor)
                    .ExecuteUpdateAsync(s => s.SetProperty(a => a.Balance, a => a.Balance + amount), ct);
            // The entry written above rolls back with the caller's transaction.
            if (updated == 0 && guarded) throw new InsufficientFundsException(account.Type, account.Currency);
            if (updated == 0) throw new BalanceOutOfRangeException(account.Type, account.Currency);
        }
    }

    /// <summary>Current balances by account key (zero for accounts that do not exist yet).</summary>
    public async Task<long> BalanceAsync(AccountKey key, CancellationToken ct) =>
        await db.LedgerAccounts.AsNoTracking()
            .Where(a => a.Type == key.Type && a.OwnerId == key.OwnerId && a.Currency == key.Currency)
            .Select(a => (long?)a.Balance).FirstOrDefaultAsync(ct) ?? 0;

    private async Task<LedgerAccount> GetOrCreateAccountAsync(AccountKey key, CancellationToken ct)
    {
        if (cache.Accounts.TryGetValue(key, out var known)) return known;
        var existing = await FindAsync(key, ct);
        if (existing is not null)
        {
            // Committed by another transaction (or created by this poster, whose unit may still roll back: not cached then).
            if (!_created.Contains(existing.Id)) cache.Accounts.TryAdd(key, existing);
            return existing;
        }
        var account = new LedgerAccount(key.Type, key.OwnerId, key.Currency);
        db.LedgerAccounts.Add(account);
        try
        {
            // Inside a user transaction EF wraps SaveChanges in a savepoint, so a lost creation race
            // (unique index on type, owner, currency) rolls back only this insert.
            await db.SaveChangesAsync(ct);
            _created.Add(account.Id);
            return account;
        }
        catch (DbUpdateException)
        {
            // This save also wrote what the caller added before posting: when the account exists now, another
            // transaction created it; when it does not, the failure was the caller's row (e.g. a duplicate), so it goes up.
            db.Entry(account).State = EntityState.Detached;
            var created = await FindAsync(key, ct);
            if (created is null) throw;
            cache.Accounts.TryAdd(key, created);
            return created;
        }
    }

    private Task<LedgerAccount?> FindAsync(AccountKey key, CancellationToken ct) =>
        db.LedgerAccounts.AsNoTracking().FirstOrDefaultAsync(a => a.Type == key.Type && a.OwnerId == key.OwnerId && a.Currency == key.Currency, ct);
}
