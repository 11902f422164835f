namespace LeadExchange.Application.Common.Interfaces;

/// <summary>
/// Fast once-only reservations (Redis SET NX with TTL, or the in-process stand-in). A fast path only:
/// every rule that uses it is also enforced by a database constraint.
/// </summary>
public interface IDedupStore
{
    /// <summary>True when this call reserved the key; false when it was already reserved and not expired.</summary>
    Task<bool> TryReserveAsync(string key, TimeSpan ttl, CancellationToken ct = default);

    /// <summary>Frees a reservation, e.g. when the business transaction that took it failed.</summary>
    Task ReleaseAsync(string key, CancellationToken ct = default);
}

/// <summary>Sliding-window-free fixed-window counters (INCR + EXPIRE in one atomic step).</summary>
public interface IRateCounters
{
    /// <summary>Increments every key by one in one round trip; each key expires <paramref name="window"/> after its first increment.</summary>
    Task<long[]> IncrementAsync(IReadOnlyList<string> keys, TimeSpan window, CancellationToken ct = default);
}

/// <summary>Which implementation of the Redis ports is running, for logs and health.</summary>
public interface IRedisStatus
{
    string Mode { get; }
    Task<bool> PingAsync(CancellationToken ct = default);
}
