using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace LeadExchange.Web.Infrastructure;

/// <summary>Section "RateLimits": requests per minute per client IP on public endpoints.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";
    public int AuthPerMinute { get; set; } = 20;
}

public static class RateLimitPolicies
{
    public const string Auth = "auth";

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
                await context.HttpContext.Response.WriteAsJsonAsync(new Microsoft.AspNetCore.Mvc.ProblemDetails
                {
                    Status = 429,
                    Title = "Too many requests",
                    Detail = "Slow down and retry after the time in the Retry-After header.",
                }, options: null, contentType: "application/problem+json", cancellationToken: ct);
            };
            limiter.AddPolicy(Auth, http => RateLimitPartition.GetFixedWindowLimiter(
                http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = options.AuthPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
        });
        return services;
    }
}
