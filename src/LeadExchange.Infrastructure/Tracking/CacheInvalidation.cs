using LeadExchange.Application.Tracking;
using LeadExchange.Infrastructure.Redis;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace LeadExchange.Infrastructure.Tracking;

/// <summary>One node: evicting this process's cache is the whole job.</summary>
public sealed class InProcessCacheInvalidation(TrackingLinkCache cache) : ICacheInvalidation
{
    public Task PublishOfferChangedAsync(Guid offerId, CancellationToken ct = default)
    {
        cache.EvictOffer(offerId);
        return Task.CompletedTask;
    }
}

/// <summary>
/// Several nodes: evict here at once (the caller's next click must see the change), then tell every
/// node through Redis pub/sub. Pub/sub is fire-and-forget: a node that misses the message serves the
/// old link for at most the cache TTL.
/// </summary>
public sealed class RedisCacheInvalidation(TrackingLinkCache cache, RedisCircuit circuit, RedisKeyPrefix prefix)
    : ICacheInvalidation
{
    public static RedisChannel Channel(RedisKeyPrefix prefix) => RedisChannel.Literal(prefix.Value + "offer-changed");

    public async Task PublishOfferChangedAsync(Guid offerId, CancellationToken ct = default)
    {
        cache.EvictOffer(offerId);
        // The business change is already made; failing it for a cache message would be worse than the TTL bound.
        // Without Redis other nodes catch up within the link cache TTL (the circuit logs the outage once).
        await circuit.RunAsync("publish-offer-change", db => db.Multiplexer.GetSubscriber().PublishAsync(Channel(prefix), offerId.ToString("N")));
    }
}

/// <summary>Listens for other nodes' offer changes and evicts them from this node's cache.</summary>
public sealed class OfferChangeSubscriber(TrackingLinkCache cache, IConnectionMultiplexer redis, RedisKeyPrefix prefix, ILogger<OfferChangeSubscriber> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await redis.GetSubscriber().SubscribeAsync(RedisCacheInvalidation.Channel(prefix), (_, message) =>
            {
                if (Guid.TryParseExact(message.ToString(), "N", out var offerId)) cache.EvictOffer(offerId);
            });
        }
        catch (RedisException ex)
        {
            // Without the subscription this node learns of other nodes' changes only through the cache TTL.
            logger.LogWarning(ex, "Could not subscribe to offer changes yet");
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await redis.GetSubscriber().UnsubscribeAsync(RedisCacheInvalidation.Channel(prefix));
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // Stopping anyway: the subscription dies with the connection, so a failed unsubscribe loses nothing.
            logger.LogInformation(ex, "Could not unsubscribe from offer changes while stopping");
        }
    }
}
