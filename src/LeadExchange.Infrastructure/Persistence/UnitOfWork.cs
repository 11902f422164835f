using LeadExchange.Application.Common.Interfaces;
using Microsoft.EntityFrameworkCore;

namespace LeadExchange.Infrastructure.Persistence;

/// <inheritdoc cref="IUnitOfWork"/>
public sealed class UnitOfWork(AppDbContext db) : IUnitOfWork
{
    public Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> work, CancellationToken ct)
    {
        if (db.Database.CurrentTransaction is not null)
            throw new InvalidOperationException("A unit of work is already running in this scope: units do not nest (run them one after the other).");
        return db.Database.CreateExecutionStrategy().ExecuteAsync(async token =>
        {
            try
            {
                await using var tx = await db.Database.BeginTransactionAsync(token);
                var result = await work(token);
                await tx.CommitAsync(token);
                return result;
            }
            catch
            {
                db.ChangeTracker.Clear();
                throw;
            }
        }, ct);
    }
}
