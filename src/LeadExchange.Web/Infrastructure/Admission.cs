using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.RateLimiting;
using LeadExchange.Application.Common;

namespace LeadExchange.Web.Infrastructure;

/// <summary>Section "Admission": how many money-writing requests of each lane one node runs at once.</summary>
public sealed class AdmissionOptions
{
    public const string Section = "Admission";

    /// <summary>Requests of one lane running at once on this node; 0 switches admission control off.</summary>
    public int MaxConcurrent { get; set; } = 16;
    /// <summary>Requests of one lane waiting for a place (oldest first); more are refused at once.</summary>
    public int QueueLimit { get; set; } = 128;
    /// <summary>How long a request waits for a place before it is refused.</summary>
    public int QueueTimeoutMilliseconds { get; set; } = 1000;
    /// <summary>The Retry-After of a refusal.</summary>
    public int RetryAfterSeconds { get; set; } = 1;
}

/// <summary>The lanes: each has its own places, so a flood of one kind cannot starve the others.</summary>
public static class AdmissionLanes
{
    public const string Postback = "postback";
    public const string Leads = "leads";
    public const string Purchases = "purchases";
}

/// <summary>Puts an endpoint in an admission lane (<see cref="AdmissionMiddleware"/>).</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class AdmissionLaneAttribute(string lane) : Attribute
{
    public string Lane { get; } = lane;
}

/// <summary>
/// Admission control for the write paths that share hot rows (an advertiser's balance and escrow accounts, an
/// offer's cap counters, an order's budget). Without it, a node past its capacity starts every request it is sent:
/// each opens a transaction that waits on the same row lock, the waiters hold connections and CPU, the lock holder
/// gets slower, and throughput collapses while every answer gets later (the soak's run 2 in docs/benchmarks.md).
/// With it, at most <see cref="AdmissionOptions.MaxConcurrent"/> requests of a lane run on this node, a bounded
/// queue waits briefly (oldest first), and the rest are refused at once with 503 and Retry-After, before any work
/// is done: nothing is half-stored, and the admitted requests keep their latency.
/// </summary>
public sealed class AdmissionControl : IDisposable
{
    private readonly AdmissionOptions _options;
    private readonly ConcurrentDictionary<string, ConcurrencyLimiter> _lanes = new(StringComparer.Ordinal);

    public AdmissionControl(Microsoft.Extensions.Options.IOptions<AdmissionOptions> options) => _options = options.Value;

    public bool Enabled => _options.MaxConcurrent > 0;

    public int RetryAfterSeconds => Math.Max(1, _options.RetryAfterSeconds);

    /// <summary>A lease that must be disposed when the request ends; not acquired when the lane stayed full for the whole wait.</summary>
    public async ValueTask<RateLimitLease> AcquireAsync(string lane, CancellationToken requestAborted)
    {
        var limiter = _lanes.GetOrAdd(lane, static (_, o) => new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = o.MaxConcurrent,
            QueueLimit = Math.Max(0, o.QueueLimit),
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        }), _options);
        var lease = limiter.AttemptAcquire();
        if (lease.IsAcquired || _options.QueueLimit <= 0) return lease;
        lease.Dispose();
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(requestAborted);
        wait.CancelAfter(Math.Max(1, _options.QueueTimeoutMilliseconds));
        try
        {
            return await limiter.AcquireAsync(1, wait.Token);
        }
        catch (OperationCanceledException) when (!requestAborted.IsCancellationRequested)
        {
            return Refused.Instance;
        }
    }

    /// <summary>Places in use and requests waiting, per lane (tests and /_bench/stats).</summary>
    public IReadOnlyDictionary<string, (long Available, long Queued)> Snapshot() =>
        _lanes.ToDictionary(l => l.Key, l => l.Value.GetStatistics() is { } s ? (s.CurrentAvailablePermits, s.CurrentQueuedCount) : (0L, 0L));

    public void Dispose()
    {
        foreach (var limiter in _lanes.Values) limiter.Dispose();
    }

    private sealed class Refused : RateLimitLease
    {
        public static readonly Refused Instance = new();
        public override bool IsAcquired => false;
        public override IEnumerable<string> MetadataNames => [];
        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }
}

/// <summary>Runs after routing and the per-client rate limits, before authentication: a refusal costs no database work.</summary>
public sealed class AdmissionMiddleware(RequestDelegate next, AdmissionControl admission, ILogger<AdmissionMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext http)
    {
        var lane = admission.Enabled ? http.GetEndpoint()?.Metadata.GetMetadata<AdmissionLaneAttribute>()?.Lane : null;
        if (lane is null)
        {
            await next(http);
            return;
        }
        using var lease = await admission.AcquireAsync(lane, http.RequestAborted);
        if (!lease.IsAcquired)
        {
            Telemetry.AdmissionRefused(lane);
            LogRefusal(lane);
            await RefuseAsync(http, lane);
            return;
        }
        await next(http);
    }

    private long _refusedSinceLog;
    private long _lastLogTicks;

    /// <summary>One warning per 10 seconds at most (with the count since the last one): an overload must not also flood the log.</summary>
    private void LogRefusal(string lane)
    {
        Interlocked.Increment(ref _refusedSinceLog);
        var now = Environment.TickCount64;
        var last = Interlocked.Read(ref _lastLogTicks);
        if (now - last < 10_000 || Interlocked.CompareExchange(ref _lastLogTicks, now, last) != last) return;
        logger.LogWarning("Admission control refused {Count} write request(s) with 503 (latest lane: {Lane}): this node is at its limit",
            Interlocked.Exchange(ref _refusedSinceLog, 0), lane);
    }

    private Task RefuseAsync(HttpContext http, string lane)
    {
        var response = http.Response;
        response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        response.Headers.RetryAfter = admission.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        response.Headers.CacheControl = "no-store";
        const string message = "The server is at capacity for this kind of request and did not start it; nothing was stored. Retry after the Retry-After seconds.";
        if (lane == AdmissionLanes.Postback)
            // The postback contract's error shape (API.md): the advertiser's server logs a reason and retries.
            return response.WriteAsJsonAsync(Tracking.PostbackEndpoint.ErrorBody("overloaded", message), http.RequestAborted);
        if (http.Request.Path.StartsWithSegments("/api"))
            return response.WriteAsJsonAsync(Api.ApiProblems.Details(503, "Server busy", message, "overloaded"),
                options: null, contentType: "application/problem+json", cancellationToken: http.RequestAborted);
        // A page (the public lead form): the status code pages show the 503 page.
        return Task.CompletedTask;
    }
}

public static class AdmissionExtensions
{
    public static IServiceCollection AddAdmissionControl(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<AdmissionOptions>(configuration.GetSection(AdmissionOptions.Section));
        services.AddSingleton<AdmissionControl>();
        return services;
    }
}
