using LeadExchange.Infrastructure.Tracking;

namespace LeadExchange.Web.Tracking;

/// <summary>
/// Bare endpoints the hot paths are measured against (tests/load/bench-clicks.sh, docs/benchmarks.md), in the
/// same process and pipeline, doing nothing but answer. Mapped only when <c>Benchmark:BaselineEndpoints</c> is
/// true (default false), so they never exist in production. <c>/_bench/stats</c> exposes the click writer's
/// counters so the harness can check that every redirected click was stored.
/// </summary>
public static class BaselineEndpoints
{
    public const string Setting = "Benchmark:BaselineEndpoints";

    /// <summary>Same shape as a typical landing URL after macro substitution.</summary>
    private const string RedirectTarget = "https://landing.example/apply?click=0123456789abcdef&sub1=bench";

    public static WebApplication MapBenchmarkBaselines(this WebApplication app)
    {
        var bench = app.MapGroup("/_bench").ExcludeFromDescription().DisableAntiforgery();

        // Baseline for GET /c/{linkCode}: a plain request delegate answering the way the click does (Cache-Control,
        // then Response.Redirect), so the comparison measures the click's own work and nothing else.
        bench.MapGet("/redirect", (RequestDelegate)(http =>
        {
            http.Response.Headers.CacheControl = "no-store";
            http.Response.Redirect(RedirectTarget);
            return Task.CompletedTask;
        }));

        // Baseline for POST /postback.
        bench.MapGet("/ok", () => Results.Text("ok", "text/plain; charset=utf-8"));

        // Baseline for lead intake: read and deserialize a small JSON body, answer JSON.
        bench.MapPost("/json", (BenchLead lead) =>
            string.IsNullOrEmpty(lead.Phone)
                ? Results.BadRequest(new { error = "phone is required" })
                : Results.Ok(new { accepted = true, id = Guid.NewGuid(), lead.Phone, lead.Name, lead.Sub1 }));

        bench.MapGet("/stats", (ClickWriter writer, Infrastructure.AdmissionControl admission, IServiceProvider services) => Results.Json(new
        {
            // Clicks the Redis click stream took and its writer stored (with Redis), beside the in-memory writer's figures.
            streamWritten = services.GetService<ClickStreamWriter>()?.Written ?? 0,
            streamClaimed = services.GetService<ClickStreamWriter>()?.Claimed ?? 0,
            enqueued = writer.Enqueued,
            written = writer.Written,
            dropped = writer.Dropped,
            pending = writer.Pending,
            failedAttempts = writer.FailedAttempts,
            // The per-request profile (docs/benchmarks.md): differences over a run divided by its requests.
            dbCommands = LeadExchange.Infrastructure.Persistence.DbStatistics.Commands,
            dbCommits = LeadExchange.Infrastructure.Persistence.DbStatistics.Commits,
            allocatedBytes = GC.GetTotalAllocatedBytes(),
            cpuMilliseconds = (long)Environment.CpuUsage.TotalTime.TotalMilliseconds,
            // For the soak's leak check: RSS moves with the GC's budget; the heap left after a full collection does not.
            heapAfterLastGen2Bytes = HeapAfterLastGen2(),
            gen2Collections = GC.CollectionCount(2),
            // Admission control per lane: free places and requests waiting.
            admission = admission.Snapshot().ToDictionary(l => l.Key, l => new { available = l.Value.Available, queued = l.Value.Queued }),
        }));

        // For the soak's leak check: a full compacting collection at idle, then what is still alive. Only with the
        // baseline endpoints on (never in production): it pauses the process.
        bench.MapPost("/gc", () =>
        {
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            return Results.Json(new { liveBytes = GC.GetTotalMemory(false), heapAfterLastGen2Bytes = HeapAfterLastGen2() });
        });

        return app;
    }

    /// <summary>
    /// Managed heap in use right after the latest gen-2 collection (background or blocking): its size minus fragmentation (a
    /// background GC sweeps without compacting, so the free space it leaves counts in the size); 0 before the first.
    /// </summary>
    private static long HeapAfterLastGen2()
    {
        var background = GC.GetGCMemoryInfo(GCKind.Background);
        var blocking = GC.GetGCMemoryInfo(GCKind.FullBlocking);
        var last = background.Index >= blocking.Index ? background : blocking;
        return last.Index == 0 ? 0 : last.HeapSizeBytes - last.FragmentedBytes;
    }

    public sealed record BenchLead(string? Name, string? Phone, string? Email, string? Sub1);
}
