using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace LeadExchange.Web.Infrastructure;

/// <summary>Section "RateLimits": requests per minute per client IP on public endpoints.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";
    public int AuthPerMinute { get; set; } = 20;
    /// <summary>Postbacks and pixels per second per client address (a token bucket, so short bursts pass).</summary>
    public int PostbackPerSecond { get; set; } = 500;
    /// <summary>Lead submissions per second per API key (or address without one); the per-seller business limit is Leads:PerSellerPerMinute.</summary>
    public int LeadsPerSecond { get; set; } = 200;
    /// <summary>
    /// Every /api/v1 request per client address (a token bucket of twice this), on top of the limits above: a flood of
    /// random or wrong API keys is throttled before it reaches the key lookup. 0 switches it off (benchmarks).
    /// </summary>
    public int ApiPerSecond { get; set; } = 300;
}

public static class RateLimitPolicies
{
    public const string Auth = "auth";
    public const string Postback = "postback";
    public const string Leads = "leads";

    public static IServiceCollection AddAppRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(RateLimitOptions.Section).Get<RateLimitOptions>() ?? new RateLimitOptions();
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = async (context, ct) =>
            {
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                    context.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                if (context.HttpContext.Request.Path.StartsWithSegments("/postback") || context.HttpContext.Request.Path.StartsWithSegments("/pixel.gif"))
                {
                    // The postback contract's error shape, not problem details.
                    await context.HttpContext.Response.WriteAsJsonAsync(Tracking.PostbackEndpoint.ErrorBody("rate_limited", "Too many postbacks from this address; retry after the Retry-After seconds."), ct);
                    return;
                }
                await context.HttpContext.Response.WriteAsJsonAsync(
                    Api.ApiProblems.Details(429, "Too many requests", "Slow down and retry after the time in the Retry-After header.", "rate_limited"),
                    options: null, contentType: "application/problem+json", cancellationToken: ct);
            };
            if (options.ApiPerSecond > 0)
                limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
                    http.Request.Path.StartsWithSegments("/api/v1")
                        ? RateLimitPartition.GetTokenBucketLimiter(http.Connection.RemoteIpAddress?.ToString() ?? "unknown", _ => new TokenBucketRateLimiterOptions
                        {
                            TokenLimit = options.ApiPerSecond * 2,
                            TokensPerPeriod = options.ApiPerSecond,
                            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                            QueueLimit = 0,
                        })
                        : RateLimitPartition.GetNoLimiter("other"));
            limiter.AddPolicy(Auth, http => RateLimitPartition.GetFixedWindowLimiter(
                http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = options.AuthPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
            limiter.AddPolicy(Leads, http => RateLimitPartition.GetTokenBucketLimiter(
                http.Request.Headers["X-Api-Key"].ToString() is { Length: > 12 } key ? "k:" + key[..12] : "ip:" + (http.Connection.RemoteIpAddress?.ToString() ?? "unknown"),
                _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = options.LeadsPerSecond * 2,
                    TokensPerPeriod = options.LeadsPerSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                }));
            limiter.AddPolicy(Postback, http => RateLimitPartition.GetTokenBucketLimiter(
                http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = options.PostbackPerSecond * 2,
                    TokensPerPeriod = options.PostbackPerSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                }));
        });
        return services;
    }
}
