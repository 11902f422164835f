using LeadExchange.Application.Common.Interfaces;
using LeadExchange.Domain.Conversions;
using Microsoft.EntityFrameworkCore;

namespace LeadExchange.Application.Common;

/// <summary>
/// Counters behind every cap (offer and webmaster conversion caps, lead order caps): a row per (scope, period),
/// taken by a conditional increment so parallel requests on any number of nodes never exceed the limit.
/// </summary>
public static class CapCounting
{
    /// <summary>
    /// Creates the row if it is missing. Two nodes creating it at once is fine: one insert wins, the other is
    /// dropped. Inside a transaction EF wraps the insert in a savepoint, so a lost race undoes only the insert.
    /// </summary>
    public static async Task EnsureAsync(IAppDbContext db, string scope, string period, CancellationToken ct)
    {
        if (await db.CapCounters.AnyAsync(c => c.Scope == scope && c.Period == period, ct)) return;
        var counter = new CapCounter(scope, period);
        db.CapCounters.Add(counter);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Created by someone else in the meantime.
        }
        db.Entry(counter).State = EntityState.Detached;
    }

    /// <summary>
    /// Takes <paramref name="places"/> places (one by default) under <paramref name="limit"/>, all or none; false when they
    /// do not all fit (the row must exist).
    /// </summary>
    public static async Task<bool> TryTakeAsync(IAppDbContext db, string scope, string period, int limit, CancellationToken ct, int places = 1) =>
        await db.CapCounters.Where(c => c.Scope == scope && c.Period == period && c.Count + places <= limit)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Count, c => c.Count + places), ct) > 0;
}
