using System.Security.Cryptography;
using System.Text;
using LeadExchange.Application.Tracking;
using LeadExchange.Infrastructure.Redis;
using StackExchange.Redis;

namespace LeadExchange.Infrastructure.Tracking;

/// <summary>
/// Both velocity counters (INCR, PEXPIRE on the first increment), the visitor's daily uniqueness key (SET NX PX) and the
/// hour's traffic bucket for the conversion-rate rule (<see cref="TrafficKeys"/>) in one script: one round trip per click,
/// and atomic, so parallel clicks get distinct counts.
/// The script is called by its SHA-1 (EVALSHA), computed here once; the text is sent again only when the
/// server answers NOSCRIPT (restart, SCRIPT FLUSH, failover), which also loads it for the next calls.
/// Without Redis (circuit open) the counts and the uniqueness come from this node only.
/// </summary>
public sealed class RedisClickCounters(RedisCircuit circuit, RedisKeyPrefix prefix, InProcessClickCounters local) : IClickCounters
{
    private const string Script = """
        local ip = redis.call('INCR', KEYS[1])
        if ip == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
        local ipOffer = redis.call('INCR', KEYS[2])
        if ipOffer == 1 then redis.call('PEXPIRE', KEYS[2], ARGV[2]) end
        local first = 0
        if redis.call('SET', KEYS[3], '1', 'NX', 'PX', ARGV[3]) then first = 1 end
        if redis.call('INCR', KEYS[4]) == 1 then redis.call('PEXPIRE', KEYS[4], ARGV[4]) end
        return { ip, ipOffer, first }
        """;

    private static readonly byte[] ScriptSha1 = SHA1.HashData(Encoding.UTF8.GetBytes(Script));

    public async Task<ClickCounts> CountAsync(ClickCounterKeys keys, CancellationToken ct = default)
    {
        // The arrays are not pooled: the library holds them until the command is written, which can outlive a timed-out call.
        RedisKey[] redisKeys = [prefix.Of(keys.Ip), prefix.Of(keys.IpOffer), prefix.Of(keys.VisitorOfferDay), prefix.Of(keys.TrafficHour)];
        RedisValue[] args = [Millis(keys.IpWindow), Millis(keys.IpOfferWindow), Millis(keys.VisitorTtl), Millis(TrafficKeys.Ttl)];
        var counts = await circuit.RunAsync("click-counters", async db =>
        {
            RedisResult result;
            try
            {
                result = await db.ScriptEvaluateAsync(ScriptSha1, redisKeys, args);
            }
            catch (RedisServerException ex) when (ex.Message.StartsWith("NOSCRIPT", StringComparison.Ordinal))
            {
                // The script did not run, so running it now counts the click once. EVAL caches it on the server again.
                result = await db.ScriptEvaluateAsync(Script, redisKeys, args);
            }
            return (long[]?)result;
        }, static () => null);
        if (counts is null) return await local.CountAsync(keys, ct);
        return new ClickCounts(counts[0], counts[1], counts[2] == 1);
    }

    private static long Millis(TimeSpan span) => Math.Max(1, (long)span.TotalMilliseconds);
}

/// <summary>The same contract in this process (one node only).</summary>
public sealed class InProcessClickCounters(InProcessKeyValueStore store) : IClickCounters
{
    public Task<ClickCounts> CountAsync(ClickCounterKeys keys, CancellationToken ct = default)
    {
        store.Increment(keys.TrafficHour, TrafficKeys.Ttl);
        return Task.FromResult(new ClickCounts(
            store.Increment("rate:" + keys.Ip, keys.IpWindow),
            store.Increment("rate:" + keys.IpOffer, keys.IpOfferWindow),
            store.TryAdd("dedup:" + keys.VisitorOfferDay, keys.VisitorTtl)));
    }
}
