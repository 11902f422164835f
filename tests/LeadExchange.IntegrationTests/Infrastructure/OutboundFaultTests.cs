using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using LeadExchange.Domain.Outbox;
using LeadExchange.Infrastructure.Buying;
using LeadExchange.Infrastructure.Outbox;
using LeadExchange.IntegrationTests.Conversions;
using LeadExchange.IntegrationTests.Leads;
using LeadExchange.IntegrationTests.Ledger;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using static LeadExchange.IntegrationTests.Conversions.PostbackHarness;

namespace LeadExchange.IntegrationTests.Infrastructure;

/// <summary>The postback app (jobs off, movable clock) with a short outbound timeout and a small per-node concurrency.</summary>
public sealed class OutboundFaultFactory() : PostbackFactory(TestDatabase.PostgreSql)
{
    public const int TimeoutSeconds = 2;
    public const int MaxConcurrency = 4;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Outbox:HttpTimeoutSeconds", TimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Outbox:MaxConcurrency", MaxConcurrency.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}

/// <summary>
/// Outbound targets (webmaster trackers, buyer CRMs) on 127.0.0.1 that misbehave by path: /slow hangs (far longer than the
/// app's timeout) while <see cref="SlowHangs"/>, /fail answers 500, /ok answers 200 after <see cref="OkDelay"/>. Counts the
/// requests in flight at once.
/// </summary>
public sealed class FaultyTargets : IAsyncDisposable
{
    private WebApplication? _app;
    private int _inFlight;
    private int _maxInFlight;

    public ConcurrentQueue<(string Path, DateTime At)> Received { get; } = new();
    public volatile bool SlowHangs = true;
    public TimeSpan OkDelay { get; set; }
    public string BaseUrl { get; private set; } = "";
    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    public int Count(string prefix) => Received.Count(r => r.Path.StartsWith(prefix, StringComparison.Ordinal));

    public void ResetMaxInFlight() => Volatile.Write(ref _maxInFlight, 0);

    public static async Task<FaultyTargets> StartAsync()
    {
        var targets = new FaultyTargets();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.Run(targets.HandleAsync);
        await app.StartAsync();
        targets._app = app;
        targets.BaseUrl = app.Urls.First().TrimEnd('/');
        return targets;
    }

    private async Task HandleAsync(HttpContext http)
    {
        var now = Interlocked.Increment(ref _inFlight);
        for (var max = Volatile.Read(ref _maxInFlight); now > max; max = Volatile.Read(ref _maxInFlight))
            if (Interlocked.CompareExchange(ref _maxInFlight, now, max) == max) break;
        try
        {
            var path = http.Request.Path.Value ?? "";
            Received.Enqueue((path + http.Request.QueryString, DateTime.UtcNow));
            if (path.StartsWith("/slow", StringComparison.Ordinal) && SlowHangs)
            {
                try { await Task.Delay(TimeSpan.FromMinutes(1), http.RequestAborted); }
                catch (OperationCanceledException) { return; }
            }
            else if (path.StartsWith("/fail", StringComparison.Ordinal))
            {
                http.Response.StatusCode = StatusCodes.Status500InternalServerError;
            }
            else if (OkDelay > TimeSpan.Zero)
            {
                await Task.Delay(OkDelay);
            }
            await http.Response.WriteAsync("ok");
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _app, null) is { } app) await app.DisposeAsync();
    }
}

/// <summary>
/// Issue #9 "Faults", outbound part: a target that hangs past the HTTP timeout does not hold up deliveries to healthy
/// targets (one call per tick to it, the rest of its messages wait) and is retried on its backoff; a target answering 500 is retried on the schedule and dead-lettered after the
/// last attempt; calls in flight per node are bounded by Outbox:MaxConcurrency, and one dispatch takes at most its batch.
/// The outbox is driven by the test (background jobs off) with a movable clock.
/// </summary>
public sealed class OutboundFaultTests(OutboundFaultFactory app) : IClassFixture<OutboundFaultFactory>, IAsyncLifetime
{
    private FaultyTargets _targets = null!;

    public async Task InitializeAsync() => _targets = await FaultyTargets.StartAsync();

    public async Task DisposeAsync() => await _targets.DisposeAsync();

    private static async Task EnablePostbackAsync(TestUser webmaster, string template) =>
        await (await webmaster.Client.PutJsonAsync("/api/v1/webmaster-postback", new { urlTemplate = template, enabled = true })).ExpectJsonAsync(HttpStatusCode.OK);

    /// <summary>A webmaster with a postback to <paramref name="path"/> and <paramref name="conversions"/> conversions, each queueing one postback.</summary>
    private async Task<PostbackSetup> WebmasterWithConversionsAsync(string path, int conversions)
    {
        var s = await SetupAsync(app);
        await EnablePostbackAsync(s.Webmaster, _targets.BaseUrl + path + "?c={click_id}&s={status}");
        for (var i = 0; i < conversions; i++)
            await (await GetAsync(app, Query(("click_id", await ClickAsync(app, s.LinkCode)), ("token", s.Token)))).ExpectOkAsync();
        return s;
    }

    private Task<List<OutboxMessage>> MessagesOfAsync(string userId) =>
        app.WithDbAsync(db => db.OutboxMessages.AsNoTracking().Where(m => m.Payload.Contains(userId)).ToListAsync());

    [Fact]
    public async Task HangingTarget_DoesNotHoldUpHealthyTargets_AndIsRetriedOnItsBackoff()
    {
        var slow = await WebmasterWithConversionsAsync("/slow", 3);
        var healthy = await WebmasterWithConversionsAsync("/ok", 3); // queued after the slow ones: first come, first served would starve them

        var started = DateTime.UtcNow;
        var watch = Stopwatch.StartNew();
        var delivered = await app.DispatchOutboxAsync();
        watch.Stop();

        var timeout = TimeSpan.FromSeconds(OutboundFaultFactory.TimeoutSeconds);
        Assert.Equal(3, delivered);
        // One call to the hanging target; the rest of its lane waits for the next tick instead of a timeout each.
        Assert.Equal(1, _targets.Count("/slow"));
        var healthyCalls = _targets.Received.Where(r => r.Path.StartsWith("/ok", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, healthyCalls.Count);
        // Every healthy delivery arrived while the slow call was still hanging (before its timeout), not after it.
        Assert.All(healthyCalls, c => Assert.True(c.At - started < timeout, $"healthy call {c.At - started} after the dispatch started"));
        // The dispatch waited for the timeout once, not once per message of the hanging target (3 x 2 s).
        Assert.True(watch.Elapsed < 2 * timeout, $"dispatch took {watch.Elapsed}");
        Assert.All(await MessagesOfAsync(healthy.Webmaster.UserId), m => Assert.NotNull(m.ProcessedAt));

        var hanging = await MessagesOfAsync(slow.Webmaster.UserId);
        Assert.Equal(3, hanging.Count);
        var timedOut = Assert.Single(hanging, m => m.Attempts > 0);
        Assert.Null(timedOut.ProcessedAt);
        Assert.False(timedOut.DeadLettered);
        Assert.Equal(1, timedOut.Attempts);
        Assert.Null(timedOut.LockedUntil);
        Assert.Contains("Timed out", timedOut.LastError);
        // First retry after the postback backoff (30 s).
        Assert.InRange(timedOut.NextAttemptAt - app.Clock.UtcNow, TimeSpan.FromSeconds(20), OutboxMessage.Backoff(1));
        Assert.All(hanging.Where(m => m.Id != timedOut.Id), m => Assert.Equal((0, (DateTime?)null, (string?)null), (m.Attempts, m.ProcessedAt, m.LastError)));

        // The target recovers: the next tick delivers the two that waited; the timed-out one is not due yet.
        _targets.SlowHangs = false;
        Assert.Equal(2, await app.DispatchOutboxAsync());
        Assert.Equal(3, _targets.Count("/slow"));
        Assert.Equal(0, await app.DispatchOutboxAsync());

        // Once its backoff has passed, the retry delivers it.
        app.Clock.Advance(OutboxMessage.Backoff(1) + TimeSpan.FromSeconds(1));
        Assert.Equal(1, await app.DispatchOutboxAsync());
        Assert.Equal(4, _targets.Count("/slow"));
        Assert.All(await MessagesOfAsync(slow.Webmaster.UserId), m => Assert.NotNull(m.ProcessedAt));
        Assert.Equal(2, (await MessagesOfAsync(slow.Webmaster.UserId)).Single(m => m.Id == timedOut.Id).Attempts);
        var log = await app.WithDbAsync(db => db.PostbackDeliveries.Where(d => d.WebmasterId == slow.Webmaster.UserId).Select(d => d.Error).ToListAsync());
        Assert.Equal(1, log.Count(e => e == "Timed out."));
        Assert.Equal(3, log.Count(e => e == null));
    }

    [Fact]
    public async Task FailingTarget_IsRetriedOnTheScheduleThenDeadLettered()
    {
        var buyer = await app.RegisterAsync("advertiser");
        await LedgerHarness.TopUpAsync(app, buyer.Email, 10_000_000);
        await (await buyer.Client.PutJsonAsync("/api/v1/webhook", new { url = _targets.BaseUrl + "/fail/crm", enabled = true })).ExpectJsonAsync(HttpStatusCode.OK);
        var webmaster = await app.RegisterAsync("webmaster");
        var lead = await (await webmaster.Client.PostAsJsonAsync("/api/v1/leads", LeadIntakeTests.Body(email: $"fail.{TestServices.ShortId()}@example.com")))
            .ExpectJsonAsync(HttpStatusCode.Created);
        await (await buyer.Client.PostJsonAsync($"/api/v1/catalog/{lead.Str("leadId")}/buy", new { exclusive = true })).ExpectJsonAsync(HttpStatusCode.Created);

        var attempts = BuyerWebhookOutboxHandler.Schedule.Length + 1;
        for (var attempt = 1; attempt <= attempts; attempt++)
        {
            Assert.Equal(0, await app.DispatchOutboxAsync());
            Assert.Equal(attempt, _targets.Count("/fail"));
            var message = Assert.Single(await MessagesOfAsync(buyer.UserId));
            Assert.Equal(attempt, message.Attempts);
            Assert.Null(message.ProcessedAt);
            Assert.Equal(attempt == attempts, message.DeadLettered);
            Assert.Contains("500", message.LastError);
            if (attempt == attempts) break;
            // Not a moment before the schedule says.
            app.Clock.Advance(BuyerWebhookOutboxHandler.Schedule[attempt - 1] - TimeSpan.FromSeconds(5));
            Assert.Equal(0, await app.DispatchOutboxAsync());
            Assert.Equal(attempt, _targets.Count("/fail"));
            app.Clock.Advance(TimeSpan.FromSeconds(6));
        }

        // Dead-lettered: never tried again, whatever the time.
        app.Clock.Advance(TimeSpan.FromDays(3));
        await app.DispatchOutboxAsync();
        Assert.Equal(attempts, _targets.Count("/fail"));
        var deliveries = (await (await buyer.Client.GetAsync("/api/v1/webhook/deliveries")).ExpectJsonAsync(HttpStatusCode.OK)).Items().ToList();
        Assert.Equal(attempts, deliveries.Count);
        Assert.All(deliveries, d => Assert.Equal(500, d.GetProperty("statusCode").GetInt32()));
    }

    [Fact]
    public async Task OutboundCalls_AreBoundedPerNode_AndADispatchTakesAtMostItsBatch()
    {
        // Eight webmasters with a postback each: eight lanes (one per recipient), more than the four slots.
        var webmasters = new List<PostbackSetup>();
        for (var i = 0; i < 8; i++) webmasters.Add(await WebmasterWithConversionsAsync("/ok", 1));
        _targets.OkDelay = TimeSpan.FromMilliseconds(400);
        _targets.ResetMaxInFlight();
        var dispatcher = app.Services.GetRequiredService<OutboxDispatcher>();

        Assert.Equal(6, await dispatcher.DispatchDueAsync(6, CancellationToken.None));
        Assert.Equal(6, _targets.Count("/ok"));
        Assert.Equal(2, await dispatcher.DispatchDueAsync(100, CancellationToken.None));

        // Recipients in parallel, but never more calls at once than the configured number.
        Assert.InRange(_targets.MaxInFlight, 2, OutboundFaultFactory.MaxConcurrency);
        foreach (var w in webmasters) Assert.All(await MessagesOfAsync(w.Webmaster.UserId), m => Assert.NotNull(m.ProcessedAt));
    }
}
