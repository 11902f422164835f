using System.Collections.Concurrent;
using LeadExchange.Application.Common.Interfaces;

namespace LeadExchange.Infrastructure.Redis;

/// <summary>
/// Stand-in for Redis when ConnectionStrings:Redis is not set: the same ports, in this process only.
/// Right for one node (demo, development); with several nodes configure Redis.
/// </summary>
public sealed class InProcessKeyValueStore(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private long _operations;

    private sealed class Entry(long value, DateTimeOffset expiresAt)
    {
        public long Value = value;
        public readonly DateTimeOffset ExpiresAt = expiresAt;
    }

    public bool TryAdd(string key, TimeSpan ttl)
    {
        SweepNow();
        var now = time.GetUtcNow();
        while (true)
        {
            if (_entries.TryAdd(key, new Entry(1, now + ttl))) return true;
            if (!_entries.TryGetValue(key, out var existing)) continue;
            if (existing.ExpiresAt > now) return false;
            // Expired: replace only the entry we saw, so two racers cannot both win.
            if (_entries.TryUpdate(key, new Entry(1, now + ttl), existing)) return true;
        }
    }

    public void Remove(string key) => _entries.TryRemove(key, out _);

    /// <summary>A counter's value now (0 when absent or expired).</summary>
    public long Get(string key) => _entries.TryGetValue(key, out var e) && e.ExpiresAt > time.GetUtcNow() ? Interlocked.Read(ref e.Value) : 0;

    /// <summary>Adds <paramref name="delta"/> (negative to take back) to a counter living <paramref name="window"/> from its first add.</summary>
    public long Add(string key, long delta, TimeSpan window)
    {
        SweepNow();
        var now = time.GetUtcNow();
        while (true)
        {
            var entry = _entries.GetOrAdd(key, _ => new Entry(0, now + window));
            if (entry.ExpiresAt <= now)
            {
                _entries.TryUpdate(key, new Entry(0, now + window), entry);
                continue;
            }
            return Interlocked.Add(ref entry.Value, delta);
        }
    }

    public long Increment(string key, TimeSpan window) => Add(key, 1, window);

    /// <summary>Drops expired entries now and then so memory stays bounded.</summary>
    private void SweepNow()
    {
        if (Interlocked.Increment(ref _operations) % 10_000 != 0) return;
        var now = time.GetUtcNow();
        foreach (var pair in _entries)
            if (pair.Value.ExpiresAt <= now) _entries.TryRemove(pair);
    }
}

public sealed class InProcessDedupStore(InProcessKeyValueStore store) : IDedupStore
{
    public Task<bool> TryReserveAsync(string key, TimeSpan ttl, CancellationToken ct = default) =>
        Task.FromResult(store.TryAdd("dedup:" + key, ttl));

    public Task ReleaseAsync(string key, CancellationToken ct = default)
    {
        store.Remove("dedup:" + key);
        return Task.CompletedTask;
    }
}

public sealed class InProcessRateCounters(InProcessKeyValueStore store) : IRateCounters
{
    public Task<long[]> IncrementAsync(IReadOnlyList<string> keys, TimeSpan window, CancellationToken ct = default) =>
        Task.FromResult(keys.Select(k => store.Increment("rate:" + k, window)).ToArray());
}

public sealed class InProcessRedisStatus : IRedisStatus
{
    public string Mode => "in-process";
    public Task<bool> PingAsync(CancellationToken ct = default) => Task.FromResult(true);
}
