using LeadExchange.Application.Common.Interfaces;
using StackExchange.Redis;

namespace LeadExchange.Infrastructure.Redis;

/// <summary>Keys are namespaced so one Redis can serve several environments.</summary>
public sealed class RedisKeyPrefix(string value)
{
    public string Value { get; } = value;
    public RedisKey Of(string key) => Value + key;
}

/// <summary>
/// Without Redis a reservation answers false ("not reserved here"): every caller then asks the database,
/// which holds the once-only constraint anyway. A key that cannot be freed simply expires.
/// </summary>
public sealed class RedisDedupStore(RedisCircuit circuit, RedisKeyPrefix prefix) : IDedupStore
{
    public Task<bool> TryReserveAsync(string key, TimeSpan ttl, CancellationToken ct = default) =>
        circuit.RunAsync("dedup", db => db.StringSetAsync(prefix.Of(key), "1", ttl, When.NotExists), static () => false);

    public Task ReleaseAsync(string key, CancellationToken ct = default) =>
        circuit.RunAsync("dedup-release", db => db.KeyDeleteAsync(prefix.Of(key)));
}

/// <summary>
/// INCR and, on the first increment, EXPIRE, for every key in one script call (one round trip, atomic).
/// Without Redis the counts come from this node only (limits then hold per node, not per cluster).
/// </summary>
public sealed class RedisRateCounters(RedisCircuit circuit, RedisKeyPrefix prefix, InProcessRateCounters local) : IRateCounters
{
    private const string Script = """
        local result = {}
        for i, key in ipairs(KEYS) do
          local n = redis.call('INCR', key)
          if n == 1 then redis.call('PEXPIRE', key, ARGV[1]) end
          result[i] = n
        end
        return result
        """;

    public async Task<long[]> IncrementAsync(IReadOnlyList<string> keys, TimeSpan window, CancellationToken ct = default)
    {
        if (keys.Count == 0) return [];
        var counts = await circuit.RunAsync("rate-counters", async db =>
        {
            var result = await db.ScriptEvaluateAsync(Script, keys.Select(prefix.Of).ToArray(), [(long)window.TotalMilliseconds]);
            return (long[]?)result;
        }, static () => null);
        return counts ?? await local.IncrementAsync(keys, window, ct);
    }
}

public sealed class RedisStatus(IConnectionMultiplexer redis) : IRedisStatus
{
    public string Mode => "redis";

    public async Task<bool> PingAsync(CancellationToken ct = default)
    {
        // Disconnected: a ping would wait in the multiplexer's backlog until its timeout.
        if (!redis.IsConnected) return false;
        try
        {
            await redis.GetDatabase().PingAsync();
            return true;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return false;
        }
    }
}
