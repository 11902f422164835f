using LeadExchange.Application.Common;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace LeadExchange.Infrastructure.Redis;

/// <summary>
/// Redis is a fast path, never the record of truth, so when it is away the hot paths must not wait for it.
/// Every Redis port calls through here. While the multiplexer is disconnected, or for
/// <see cref="BreakDuration"/> after a call failed (timeout, connection or server error), calls are not
/// made at all: the caller's fallback answers at once (the database check, per-node counters). After the
/// break one caller probes Redis; its success closes the circuit, its failure opens it again. So an outage
/// costs at most one timeout per break per node, instead of a timeout per request, and recovery needs no restart.
/// </summary>
public sealed class RedisCircuit(IConnectionMultiplexer redis, TimeProvider time, TimeSpan breakDuration, ILogger<RedisCircuit> logger)
{
    private long _openUntilTicks; // 0 = closed
    private int _probing;
    private long _fallbacks;
    private int _disconnectedNoted;

    public TimeSpan BreakDuration { get; } = breakDuration;

    /// <summary>Whether calls go to Redis now (connected, circuit closed).</summary>
    public bool IsClosed => redis.IsConnected && Volatile.Read(ref _openUntilTicks) == 0;

    /// <summary>Calls answered by a fallback since start (also the metric leadexchange.redis.fallbacks).</summary>
    public long Fallbacks => Interlocked.Read(ref _fallbacks);

    public async Task<T> RunAsync<T>(string operation, Func<IDatabase, Task<T>> call, Func<T> fallback)
    {
        if (!TryEnter(out var probe))
        {
            Fell(operation);
            return fallback();
        }
        try
        {
            var result = await call(redis.GetDatabase()).ConfigureAwait(false);
            if (Volatile.Read(ref _openUntilTicks) != 0) Close();
            return result;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            Open(operation, ex);
            Fell(operation);
            return fallback();
        }
        finally
        {
            if (probe) Volatile.Write(ref _probing, 0);
        }
    }

    public Task RunAsync(string operation, Func<IDatabase, Task> call) =>
        RunAsync(operation, async db =>
        {
            await call(db).ConfigureAwait(false);
            return true;
        }, () => false);

    private void Fell(string operation)
    {
        Interlocked.Increment(ref _fallbacks);
        Telemetry.RedisFallback(operation);
    }

    private bool TryEnter(out bool probe)
    {
        probe = false;
        // Disconnected: the multiplexer would queue the command until its timeout. It reconnects by itself.
        if (!redis.IsConnected)
        {
            if (Interlocked.Exchange(ref _disconnectedNoted, 1) == 0)
                logger.LogWarning("Redis is disconnected; using the database path and per-node counters until it reconnects");
            return false;
        }
        if (Volatile.Read(ref _disconnectedNoted) == 1 && Interlocked.Exchange(ref _disconnectedNoted, 0) == 1) logger.LogInformation("Redis reconnected");
        var openUntil = Volatile.Read(ref _openUntilTicks);
        if (openUntil == 0) return true;
        if (time.GetUtcNow().UtcTicks < openUntil) return false;
        // Half-open: exactly one caller tries Redis; the others keep to the fallback until it answers.
        probe = Interlocked.CompareExchange(ref _probing, 1, 0) == 0;
        return probe;
    }

    private void Open(string operation, Exception ex)
    {
        var wasClosed = Interlocked.Exchange(ref _openUntilTicks, (time.GetUtcNow() + BreakDuration).UtcTicks) == 0;
        if (wasClosed)
            logger.LogWarning(ex, "Redis {Operation} failed; using the database path and per-node counters for {Seconds} s before trying Redis again",
                operation, BreakDuration.TotalSeconds);
    }

    private void Close()
    {
        if (Interlocked.Exchange(ref _openUntilTicks, 0) != 0)
            logger.LogInformation("Redis answers again; fast paths back on Redis");
    }
}
