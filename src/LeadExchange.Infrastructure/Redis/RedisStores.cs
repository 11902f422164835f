using LeadExchange.Application.Common.Interfaces;
using StackExchange.Redis;

namespace LeadExchange.Infrastructure.Redis;

/// <summary>Keys are namespaced so one Redis can serve several environments.</summary>
public sealed class RedisKeyPrefix(string value)
{
    public string Value { get; } = value;
    public RedisKey Of(string key) => Value + key;
}

public sealed class RedisDedupStore(IConnectionMultiplexer redis, RedisKeyPrefix prefix) : IDedupStore
{
    public Task<bool> TryReserveAsync(string key, TimeSpan ttl, CancellationToken ct = default) =>
        redis.GetDatabase().StringSetAsync(prefix.Of(key), "1", ttl, When.NotExists);

    public Task ReleaseAsync(string key, CancellationToken ct = default) =>
        redis.GetDatabase().KeyDeleteAsync(prefix.Of(key));
}

/// <summary>INCR and, on the first increment, EXPIRE, for every key in one script call (one round trip, atomic).</summary>
public sealed class RedisRateCounters(IConnectionMultiplexer redis, RedisKeyPrefix prefix) : IRateCounters
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
        var result = await redis.GetDatabase().ScriptEvaluateAsync(Script,
            keys.Select(prefix.Of).ToArray(), [(long)window.TotalMilliseconds]);
        return (long[])result!;
    }
}

public sealed class RedisStatus(IConnectionMultiplexer redis) : IRedisStatus
{
    public string Mode => "redis";

    public async Task<bool> PingAsync(CancellationToken ct = default)
    {
        try
        {
            await redis.GetDatabase().PingAsync();
            return true;
        }
        catch (RedisException)
        {
            return false;
        }
    }
}
