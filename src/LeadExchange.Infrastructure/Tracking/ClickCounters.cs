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
public sealed class RedisClickCounters(RedisCircuit circuit, RedisKeyPrefix prefix, InProcessClickCounters local, ClickStreamOptions stream) : IClickCounters
{
    // KEYS[5] (the click stream) and ARGV[5..6] (its length bound and the click) only when the click is to be stored: the
    // counts go into the stream entry with it, so the writer computes the same verdict the click path would have.
    private const string Script = """
        local ip = redis.call('INCR', KEYS[1])
        if ip == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
        local ipOffer = redis.call('INCR', KEYS[2])
        if ipOffer == 1 then redis.call('PEXPIRE', KEYS[2], ARGV[2]) end
        local first = 0
        if redis.call('SET', KEYS[3], '1', 'NX', 'PX', ARGV[3]) then first = 1 end
        if redis.call('INCR', KEYS[4]) == 1 then redis.call('PEXPIRE', KEYS[4], ARGV[4]) end
        if KEYS[5] then
          redis.call('XADD', KEYS[5], 'MAXLEN', '~', ARGV[5], '*', 'c', ARGV[6], 'n', ip .. ',' .. ipOffer .. ',' .. first)
        end
        return { ip, ipOffer, first }
        """;

    private static readonly byte[] ScriptSha1 = SHA1.HashData(Encoding.UTF8.GetBytes(Script));

    public async Task<ClickCounts> CountAsync(ClickCounterKeys keys, ClickDraft? draft = null, CancellationToken ct = default)
    {
        // The arrays are not pooled: the library holds them until the command is written, which can outlive a timed-out call.
        var store = draft is not null && stream.Enabled;
        RedisKey[] redisKeys = store
            ? [prefix.Of(keys.Ip), prefix.Of(keys.IpOffer), prefix.Of(keys.VisitorOfferDay), prefix.Of(keys.TrafficHour), prefix.Of(ClickStreamOptions.Key)]
            : [prefix.Of(keys.Ip), prefix.Of(keys.IpOffer), prefix.Of(keys.VisitorOfferDay), prefix.Of(keys.TrafficHour)];
        RedisValue[] args = store
            ? [Millis(keys.IpWindow), Millis(keys.IpOfferWindow), Millis(keys.VisitorTtl), Millis(TrafficKeys.Ttl), stream.MaxLength, ClickStreamEntry.Serialize(draft!)]
            : [Millis(keys.IpWindow), Millis(keys.IpOfferWindow), Millis(keys.VisitorTtl), Millis(TrafficKeys.Ttl)];
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
        if (counts is null) return await local.CountAsync(keys, null, ct);
        return new ClickCounts(counts[0], counts[1], counts[2] == 1, Stored: store);
    }

    private static long Millis(TimeSpan span) => Math.Max(1, (long)span.TotalMilliseconds);
}

/// <summary>The same contract in this process (one node only); the click is never stored here (the in-memory writer does that).</summary>
public sealed class InProcessClickCounters(InProcessKeyValueStore store) : IClickCounters
{
    public Task<ClickCounts> CountAsync(ClickCounterKeys keys, ClickDraft? draft = null, CancellationToken ct = default)
    {
        store.Increment(keys.TrafficHour, TrafficKeys.Ttl);
        return Task.FromResult(new ClickCounts(
            store.Increment("rate:" + keys.Ip, keys.IpWindow),
            store.Increment("rate:" + keys.IpOffer, keys.IpOfferWindow),
            store.TryAdd("dedup:" + keys.VisitorOfferDay, keys.VisitorTtl)));
    }
}
