using LeadExchange.Application.Tracking;
using LeadExchange.Infrastructure.Redis;
using StackExchange.Redis;

namespace LeadExchange.Infrastructure.Tracking;

/// <summary>
/// <see cref="ITrafficCounters"/> on Redis: one MGET of the window's click and conversion buckets per postback, and one
/// script call (INCRBY, PEXPIRE) per counted conversion. Without Redis (circuit open) reading answers null, so the caller
/// reads the hourly rollups, and a conversion counted meanwhile is lost from the bucket (the rule is a heuristic that
/// flags for review; it never refuses money).
/// </summary>
public sealed class RedisTrafficCounters(RedisCircuit circuit, RedisKeyPrefix prefix) : ITrafficCounters
{
    private const string AddScript = """
        if redis.call('INCRBY', KEYS[1], ARGV[1]) == tonumber(ARGV[1]) then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
        return 1
        """;

    public Task<RecentTraffic?> RecentAsync(Guid offerId, string webmasterId, DateTime now, CancellationToken ct = default)
    {
        var hours = TrafficKeys.Hours(now).ToList();
        var keys = new RedisKey[hours.Count * 2];
        for (var i = 0; i < hours.Count; i++)
        {
            keys[i] = prefix.Of(TrafficKeys.Clicks(offerId, webmasterId, hours[i]));
            keys[hours.Count + i] = prefix.Of(TrafficKeys.Conversions(offerId, webmasterId, hours[i]));
        }
        return circuit.RunAsync<RecentTraffic?>("traffic-counters", async db =>
        {
            var values = await db.StringGetAsync(keys);
            long clicks = 0, conversions = 0;
            for (var i = 0; i < values.Length; i++)
            {
                var n = values[i].IsNull ? 0 : (long)values[i];
                if (i < hours.Count) clicks += n;
                else conversions += n;
            }
            return new RecentTraffic(clicks, Math.Max(0, conversions));
        }, static () => null);
    }

    public Task CountConversionAsync(Guid offerId, string webmasterId, DateTime createdAt, int delta, CancellationToken ct = default) =>
        circuit.RunAsync("traffic-count", db => db.ScriptEvaluateAsync(AddScript,
            [prefix.Of(TrafficKeys.Conversions(offerId, webmasterId, createdAt))], [delta, (long)TrafficKeys.Ttl.TotalMilliseconds]));
}

/// <summary>The same counters in this process (one node; the click path's in-process counters fill the click buckets).</summary>
public sealed class InProcessTrafficCounters(InProcessKeyValueStore store) : ITrafficCounters
{
    public Task<RecentTraffic?> RecentAsync(Guid offerId, string webmasterId, DateTime now, CancellationToken ct = default)
    {
        long clicks = 0, conversions = 0;
        foreach (var hour in TrafficKeys.Hours(now))
        {
            clicks += store.Get(TrafficKeys.Clicks(offerId, webmasterId, hour));
            conversions += store.Get(TrafficKeys.Conversions(offerId, webmasterId, hour));
        }
        return Task.FromResult<RecentTraffic?>(new RecentTraffic(clicks, Math.Max(0, conversions)));
    }

    public Task CountConversionAsync(Guid offerId, string webmasterId, DateTime createdAt, int delta, CancellationToken ct = default)
    {
        store.Add(TrafficKeys.Conversions(offerId, webmasterId, createdAt), delta, TrafficKeys.Ttl);
        return Task.CompletedTask;
    }
}
