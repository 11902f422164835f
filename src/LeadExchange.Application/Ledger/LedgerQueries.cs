using LeadExchange.Application.Common.Exceptions;
using LeadExchange.Application.Common.Interfaces;
using LeadExchange.Application.Common.Models;
using LeadExchange.Domain.Identity;
using LeadExchange.Domain.Ledger;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace LeadExchange.Application.Ledger;

/// <summary>
/// What a user has, per currency, in minor units. Advertiser: available = balance, held = escrow + frozen.
/// Webmaster: available = payable now, pending = their share of sales and conversions still in escrow (on hold,
/// not yet earned), held = payouts in transit. Owed: what the user owes
/// the platform (receivable accounts are negative while owing; shown here as a positive amount).
/// </summary>
public sealed record BalanceDto(string Currency, long Available, long Held, long Pending, long Owed);

public sealed record BalanceSummaryDto(string Currency, long Available, long Held, long Pending, long Owed, IReadOnlyList<BalanceDto> Balances);

public sealed record GetBalanceQuery(string? Currency = null) : IRequest<BalanceSummaryDto>;

public sealed class GetBalanceHandler(BalanceReader reader) : IRequestHandler<GetBalanceQuery, BalanceSummaryDto>
{
    public Task<BalanceSummaryDto> Handle(GetBalanceQuery request, CancellationToken ct) => reader.ReadAsync(request, ct);
}

/// <summary>The caller's balances (the balance and payouts pages, the API, and the advertiser's dashboard).</summary>
public sealed class BalanceReader(IAppDbContext db, ICurrentUser user)
{
    public async Task<BalanceSummaryDto> ReadAsync(GetBalanceQuery request, CancellationToken cancellationToken)
    {
        user.RequireRole(Roles.Advertiser, Roles.Webmaster);
        var userId = user.RequireUserId();
        var accounts = await db.LedgerAccounts.AsNoTracking().Where(a => a.OwnerId == userId)
            .Select(a => new { a.Type, a.Currency, a.Balance }).ToListAsync(cancellationToken);
        var advertiser = user.IsInRole(Roles.Advertiser);
        // The webmaster's pending earnings live in the advertisers' escrow until release: their share of open holds.
        var pending = advertiser ? [] : await db.EscrowHolds.AsNoTracking()
            .Where(h => h.WebmasterId == userId && h.Status == HoldStatus.Held)
            .GroupBy(h => h.Currency).Select(g => new { Currency = g.Key, Amount = g.Sum(h => h.WebmasterShare) })
            .ToListAsync(cancellationToken);
        // Checked like LINQ's Sum: a total past the Int64 range fails instead of wrapping.
        long Pending(string currency) => checked(pending.Where(p => p.Currency == currency).Sum(p => p.Amount) + Sum(currency, AccountType.WebmasterPending));
        long Sum(string currency, params AccountType[] types) =>
            accounts.Where(a => a.Currency == currency && types.Contains(a.Type)).Sum(a => a.Balance);

        var balances = accounts.Select(a => a.Currency).Concat(pending.Select(p => p.Currency)).Distinct().Order().Select(c => advertiser
                ? new BalanceDto(c, Sum(c, AccountType.AdvertiserBalance), Sum(c, AccountType.Escrow, AccountType.AdvertiserFrozen), 0, -Sum(c, AccountType.AdvertiserReceivable))
                : new BalanceDto(c, Sum(c, AccountType.WebmasterAvailable), Sum(c, AccountType.PayoutsInTransit), Pending(c), -Sum(c, AccountType.WebmasterReceivable)))
            .ToList();
        var currency = request.Currency?.Trim().ToUpperInvariant() ?? balances.OrderByDescending(b => (Int128)b.Available + b.Held + b.Pending).FirstOrDefault()?.Currency ?? "RUB";
        var main = balances.FirstOrDefault(b => b.Currency == currency) ?? new BalanceDto(currency, 0, 0, 0, 0);
        return new BalanceSummaryDto(main.Currency, main.Available, main.Held, main.Pending, main.Owed, balances);
    }
}

public sealed record StatementLineDto(
    Guid EntryId, DateTime CreatedAt, JournalEntryType Type, string Reference, string Description,
    AccountType Account, string OwnerId, string Currency, long Amount, string? CreatedBy);

/// <summary>
/// Journal lines. Owners see their own accounts' lines; an admin sees everyone's (optionally one user's,
/// or the platform's with OwnerId = "platform").
/// </summary>
public sealed record GetStatementQuery(
    DateTime? From = null, DateTime? To = null, JournalEntryType? Type = null, AccountType? Account = null,
    string? Currency = null, string? OwnerId = null, int? Page = null, int? PageSize = null, bool All = false)
    : IRequest<PagedResult<StatementLineDto>>;

public sealed class GetStatementHandler(IAppDbContext db, ICurrentUser user) : IRequestHandler<GetStatementQuery, PagedResult<StatementLineDto>>
{
    public async Task<PagedResult<StatementLineDto>> Handle(GetStatementQuery request, CancellationToken cancellationToken)
    {
        var userId = user.RequireUserId();
        var admin = user.IsInRole(Roles.Admin);
        if (!admin) user.RequireRole(Roles.Advertiser, Roles.Webmaster);
        var (page, pageSize) = request.All ? (1, int.MaxValue) : Paging.Normalize(request.Page, request.PageSize);

        var query = from p in db.Postings
                    join a in db.LedgerAccounts on p.AccountId equals a.Id
                    join e in db.JournalEntries on p.JournalEntryId equals e.Id
                    select new { p, a, e };
        var owner = admin ? request.OwnerId : userId;
        if (owner is not null) query = query.Where(x => x.a.OwnerId == owner);
        if (request.From is { } from) query = query.Where(x => x.e.CreatedAt >= from);
        if (request.To is { } to) query = query.Where(x => x.e.CreatedAt < to);
        if (request.Type is { } type) query = query.Where(x => x.e.Type == type);
        if (request.Account is { } account) query = query.Where(x => x.a.Type == account);
        if (!string.IsNullOrWhiteSpace(request.Currency)) query = query.Where(x => x.a.Currency == request.Currency.ToUpper());

        var total = await query.CountAsync(cancellationToken);
        var ordered = query.OrderByDescending(x => x.e.CreatedAt).ThenBy(x => x.e.Id).ThenBy(x => x.p.Id);
        var paged = request.All ? ordered : ordered.Skip((page - 1) * pageSize).Take(pageSize);
        var items = await paged.AsNoTracking()
            .Select(x => new StatementLineDto(x.e.Id, x.e.CreatedAt, x.e.Type, x.e.Reference, x.e.Description, x.a.Type, x.a.OwnerId, x.a.Currency, x.p.Amount, x.e.CreatedBy))
            .ToListAsync(cancellationToken);
        return new PagedResult<StatementLineDto>(items, page, request.All ? Math.Max(1, items.Count) : pageSize, total);
    }
}

/// <summary>
/// <see cref="TotalOfAllPostings"/> is null when the total does not fit in Int64; <see cref="Overflows"/> then says so, with
/// every account whose postings sum outside the Int64 range (its cached balance cannot hold that sum).
/// </summary>
public sealed record ReconciliationDto(
    bool Balanced, long? TotalOfAllPostings, int Accounts, int Entries,
    IReadOnlyList<string> UnbalancedEntries, IReadOnlyList<string> DriftedAccounts, IReadOnlyList<string> NegativeAccounts, DateTime CheckedAt,
    IReadOnlyList<string> Overflows);

/// <summary>
/// The ledger's invariants, checked from the postings: every entry sums to zero, the sum of everything is
/// zero, every cached balance equals the sum of its postings, no guarded account is negative, and no sum leaves the
/// Int64 range (reported as a finding, never as an error).
/// </summary>
public sealed record ReconcileLedgerQuery : IRequest<ReconciliationDto>;

public sealed class ReconcileLedgerHandler(IAppDbContext db, ICurrentUser user, IClock clock) : IRequestHandler<ReconcileLedgerQuery, ReconciliationDto>
{
    public async Task<ReconciliationDto> Handle(ReconcileLedgerQuery request, CancellationToken cancellationToken)
    {
        if (user.UserId is not null) user.RequireRole(Roles.Admin);
        return await LedgerReconciliation.RunAsync(db, clock.UtcNow, cancellationToken);
    }
}

public static class LedgerReconciliation
{
    /// <summary>2^32: the split that lets the database sum any number of Int64 postings (fewer than 2^31) without overflowing.</summary>
    private const long Split = 4_294_967_296;

    public static async Task<ReconciliationDto> RunAsync(IAppDbContext db, DateTime now, CancellationToken ct)
    {
        // A plain SUM of the postings overflows once an account passes the Int64 range (SQLite and SQL Server raise an
        // error, so the check itself would fail). So each amount is summed as a high and a low part, Amount = High * 2^32
        // + Low with |Low| < 2^32 and |High| <= 2^31 (division and remainder truncate toward zero on every provider),
        // and the parts are combined exactly in Int128 here.
        var candidates = await db.Postings.GroupBy(p => p.JournalEntryId)
            .Select(g => new { g.Key, High = g.Sum(p => p.Amount / Split), Low = g.Sum(p => p.Amount % Split) })
            // Both parts zero means the entry sums to zero; the exact test of the rest (rarely more than the unbalanced) is below.
            .Where(g => g.High != 0 || g.Low != 0).ToListAsync(ct);
        var unbalanced = candidates.Where(c => Combine(c.High, c.Low) != 0).Select(c => c.Key).ToList();
        var parts = await db.Postings.GroupBy(p => p.AccountId)
            .Select(g => new { AccountId = g.Key, High = g.Sum(p => p.Amount / Split), Low = g.Sum(p => p.Amount % Split) }).ToListAsync(ct);
        var accounts = await db.LedgerAccounts.AsNoTracking().ToListAsync(ct);
        var sumByAccount = parts.ToDictionary(s => s.AccountId, s => Combine(s.High, s.Low));
        Int128 Sum(LedgerAccount a) => sumByAccount.GetValueOrDefault(a.Id);
        static string Name(LedgerAccount a) => $"{a.Type}/{a.OwnerId}/{a.Currency}";

        var drifted = accounts.Where(a => a.Balance != Sum(a)).Select(a => $"{Name(a)}: cached {a.Balance}, postings {Sum(a)}").ToList();
        var negative = accounts.Where(a => AccountTypes.IsNonNegative(a.Type) && Sum(a) < 0).Select(a => $"{Name(a)}: {Sum(a)}").ToList();
        var overflows = accounts.Where(a => Sum(a) > long.MaxValue || Sum(a) < long.MinValue)
            .Select(a => $"{Name(a)}: postings sum to {Sum(a)}, outside the Int64 range of a balance").ToList();
        var total = sumByAccount.Values.Aggregate(Int128.Zero, (sum, next) => sum + next);
        var fits = total >= long.MinValue && total <= long.MaxValue;
        if (!fits) overflows.Add($"All postings sum to {total}, outside the Int64 range");
        var entries = await db.JournalEntries.CountAsync(ct);
        return new ReconciliationDto(unbalanced.Count == 0 && drifted.Count == 0 && negative.Count == 0 && overflows.Count == 0 && total == 0,
            fits ? (long)total : null, accounts.Count, entries, unbalanced.Select(u => u.ToString()).ToList(), drifted, negative, now, overflows);
    }

    private static Int128 Combine(long high, long low) => (Int128)high * Split + low;
}
