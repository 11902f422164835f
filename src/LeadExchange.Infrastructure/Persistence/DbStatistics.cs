using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace LeadExchange.Infrastructure.Persistence;

/// <summary>
/// Process-wide counts of database round trips (commands executed) and commits, for the benchmarks' per-request profile
/// (<c>/_bench/stats</c>: statements per postback or lead = the difference over a run / requests). An interlocked
/// increment per command: always on, since it costs nothing next to the command itself.
/// </summary>
public static class DbStatistics
{
    private static long _commands;
    private static long _commits;

    public static long Commands => Interlocked.Read(ref _commands);
    public static long Commits => Interlocked.Read(ref _commits);

    public static readonly IInterceptor[] Interceptors = [new CommandCounter(), new CommitCounter()];

    private sealed class CommandCounter : DbCommandInterceptor
    {
        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _commands);
            return ValueTask.FromResult(result);
        }

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _commands);
            return ValueTask.FromResult(result);
        }

        public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<object> result, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _commands);
            return ValueTask.FromResult(result);
        }

        public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
        {
            Interlocked.Increment(ref _commands);
            return result;
        }

        public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
        {
            Interlocked.Increment(ref _commands);
            return result;
        }

        public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
        {
            Interlocked.Increment(ref _commands);
            return result;
        }
    }

    private sealed class CommitCounter : DbTransactionInterceptor
    {
        public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _commits);
            return Task.CompletedTask;
        }

        public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Interlocked.Increment(ref _commits);
    }
}
