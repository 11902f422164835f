using LeadExchange.Application.Common.Interfaces;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace LeadExchange.Application.Common.Behaviours;

/// <summary>Marks a request that changes state: it runs in one database transaction.</summary>
public interface ICommand<out TResponse> : IRequest<TResponse>;

/// <summary>
/// Runs every <see cref="ICommand{TResponse}"/> inside one database transaction (through the provider's
/// execution strategy, so transient-failure retries replay the whole unit). Nested commands join the
/// outer transaction. Queries pass straight through. A unit that fails leaves nothing in the change tracker:
/// the rows it added but never committed would otherwise be written by the replay, or by the caller's next
/// save (the scheduled payout run goes on to the next webmaster after a refused payout, in the same scope).
/// </summary>
public sealed class TransactionBehaviour<TRequest, TResponse>(IAppDbContext db) : IPipelineBehavior<TRequest, TResponse>
{
    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        if (request is not ICommand<TResponse> || db.Database.CurrentTransaction is not null)
            return await next();

        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async ct =>
        {
            try
            {
                await using var tx = await db.Database.BeginTransactionAsync(ct);
                var response = await next();
                await tx.CommitAsync(ct);
                return response;
            }
            catch
            {
                db.ClearChangeTracker();
                throw;
            }
        }, cancellationToken);
    }
}
