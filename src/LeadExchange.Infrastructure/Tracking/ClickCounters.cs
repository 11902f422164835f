using LeadExchange.Application.Tracking;
using LeadExchange.Infrastructure.Redis;
using StackExchange.Redis;

namespace LeadExchange.Infrastructure.Tracking;

/// <summary>
/// Both velocity counters (INCR, PEXPIRE on the first increment) and the visitor's daily uniqueness key
/// (SET NX PX) in one script: one round trip per click, and atomic, so parallel clicks get distinct counts.
/// </summary>
public sealed class RedisClickCounters(IConnectionMultiplexer redis, RedisKeyPrefix prefix) : IClickCounters
{
    private const string Script = """
        local ip = redis.call('INCR', KEYS[1])
        if ip == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
        local ipOffer = redis.call('INCR', KEYS[2])
        if ipOffer == 1 then redis.call('PEXPIRE', KEYS[2], ARGV[2]) end
        local first = 0
        if redis.call('SET', KEYS[3], '1', 'NX', 'PX', ARGV[3]) then first = 1 end
        return { ip, ipOffer, first }
        """;

    public async Task<ClickCounts> CountAsync(ClickCounterKeys keys, CancellationToken ct = default)
    {
        var result = (long[])(await redis.GetDatabase().ScriptEvaluateAsync(Script,
            [prefix.Of(keys.Ip), prefix.Of(keys.IpOffer), prefix.Of(keys.VisitorOfferDay)],
            [Millis(keys.IpWindow), Millis(keys.IpOfferWindow), Millis(keys.VisitorTtl)]))!;
        return new ClickCounts(result[0], result[1], result[2] == 1);
    }

    private static long Millis(TimeSpan span) => Math.Max(1, (long)span.TotalMilliseconds);
}

/// <summary>The same contract in this process (one node only).</summary>
public sealed class InProcessClickCounters(InProcessKeyValueStore store) : IClickCounters
{
    public Task<ClickCounts> CountAsync(ClickCounterKeys keys, CancellationToken ct = default) =>
        Task.FromResult(new ClickCounts(
            store.Increment("rate:" + keys.Ip, keys.IpWindow),
            store.Increment("rate:" + keys.IpOffer, keys.IpOfferWindow),
            store.TryAdd("dedup:" + keys.VisitorOfferDay, keys.VisitorTtl)));
}
