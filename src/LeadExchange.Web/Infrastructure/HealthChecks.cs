using LeadExchange.Application.Common.Interfaces;
using LeadExchange.Infrastructure.Persistence;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LeadExchange.Web.Infrastructure;

public sealed class DatabaseHealthCheck(AppDbContext db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        await db.Database.CanConnectAsync(cancellationToken)
            ? HealthCheckResult.Healthy(db.Database.ProviderName)
            : HealthCheckResult.Unhealthy("Database unreachable.");
}

/// <summary>
/// Degraded, not unhealthy, without Redis: the node still tracks, takes leads and sells on the database path
/// (slower, fraud counters per node), so a load balancer should keep it. /health/ready answers 200 with
/// "Degraded" in the body; alert on that, do not drain on it.
/// </summary>
public sealed class RedisHealthCheck(IRedisStatus redis) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        await redis.PingAsync(cancellationToken)
            ? HealthCheckResult.Healthy(redis.Mode)
            : HealthCheckResult.Degraded($"Redis ({redis.Mode}) unreachable: serving on the database path, fraud counters per node.");
}
