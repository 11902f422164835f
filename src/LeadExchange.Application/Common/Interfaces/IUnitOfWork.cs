namespace LeadExchange.Application.Common.Interfaces;

/// <summary>
/// The one explicit unit of work of a use case: what must commit together runs inside <see cref="RunAsync{T}"/>, and
/// nothing else does. One transaction through the provider's execution strategy (a transient failure replays the whole
/// unit, so <paramref name="work"/> must build its rows inside), committed when the work returns; on any failure it rolls
/// back and the change tracker forgets everything the unit added, so nothing half-done is saved by a later
/// <c>SaveChanges</c> of the same scope (a job that goes on to its next item, a replay). Units do not nest: a use case
/// that needs several (a lead accepted, then sold to each buyer in turn) runs them one after the other.
/// </summary>
public interface IUnitOfWork
{
    Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> work, CancellationToken ct);
}

public static class UnitOfWorkExtensions
{
    public static Task RunAsync(this IUnitOfWork unit, Func<CancellationToken, Task> work, CancellationToken ct) =>
        unit.RunAsync(async token =>
        {
            await work(token);
            return true;
        }, ct);
}
