using System.Net;
using System.Text.Json;
using LeadExchange.IntegrationTests.Conversions;
using LeadExchange.IntegrationTests.Infrastructure;
using LeadExchange.Web.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using static LeadExchange.IntegrationTests.Buying.BuyingApi;

namespace LeadExchange.IntegrationTests.Platform;

/// <summary>
/// The app with two places per write lane, a queue of one that waits one second, and postbacks for unknown clicks that
/// take three seconds (the wait for a click still in another node's write buffer): two of those fill the postback lane.
/// </summary>
public sealed class AdmissionFactory() : PostbackFactory(TestDatabase.Sqlite)
{
    public const int Places = 2;
    public const int SlowMilliseconds = 3000;

    protected override int AdmissionMaxConcurrent => Places;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Admission:QueueLimit", "1");
        builder.UseSetting("Admission:QueueTimeoutMilliseconds", "1000");
        builder.UseSetting("Tracking:Postback:UnknownClickWaitMilliseconds", SlowMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}

/// <summary>
/// Admission control (docs/operations.md "Failure behaviour"): a node runs at most Admission:MaxConcurrent requests of a
/// write lane (postback, leads, purchases), a few more wait briefly, the rest are refused with 503 + Retry-After before
/// any work, so nothing is half-stored and a retry later is recorded once. Lanes do not share places.
/// </summary>
public sealed class AdmissionTests(AdmissionFactory app) : IClassFixture<AdmissionFactory>
{
    [Fact]
    public async Task Postbacks_BeyondTheLanesPlacesAndQueue_Answer503Overloaded_StoreNothing_AndARetryIsRecordedOnce()
    {
        var setup = await PostbackHarness.SetupAsync(app);
        var clickId = await PostbackHarness.ClickAsync(app, setup.LinkCode);
        var valid = PostbackHarness.Query(("click_id", clickId), ("goal", "deposit"), ("token", setup.Token));
        string Unknown() => PostbackHarness.Query(("click_id", Domain.Tracking.ClickId.New()), ("token", setup.Token));
        var admission = app.Services.GetRequiredService<AdmissionControl>();

        // Two slow postbacks take both places of the postback lane.
        var slow = Enumerable.Range(0, AdmissionFactory.Places).Select(_ => PostbackHarness.GetAsync(app, Unknown())).ToArray();
        await WaitUntilAsync(() => admission.Snapshot().TryGetValue(AdmissionLanes.Postback, out var lane) && lane.Available == 0);

        // The next one waits in the queue for a second, no place frees, so it is refused; one more meanwhile finds the queue full.
        var queued = PostbackHarness.GetAsync(app, valid);
        await WaitUntilAsync(() => admission.Snapshot()[AdmissionLanes.Postback].Queued == 1);
        using var queueFull = await PostbackHarness.GetAsync(app, valid);
        using var timedOut = await queued;

        foreach (var refused in new[] { queueFull, timedOut })
        {
            var body = await refused.ExpectErrorAsync(HttpStatusCode.ServiceUnavailable, "overloaded");
            Assert.Contains("nothing was stored", body.Str("message"), StringComparison.Ordinal);
            Assert.Equal("1", Assert.Single(refused.Headers.GetValues("Retry-After")));
        }
        Assert.Equal(0, await app.WithDbAsync(db => db.Conversions.CountAsync(c => c.ClickId == clickId)));

        // Another lane has its own places: a lead goes in while the postback lane is full.
        Assert.True(slow.All(t => !t.IsCompleted), "The slow postbacks finished early; the lane was not full.");
        var webmaster = await app.RegisterAsync("webmaster");
        var lead = await SubmitLeadAsync(webmaster.Client, await NicheAsync(app));
        Assert.NotEqual(Guid.Empty, lead.Id);

        // The slow ones are answered as usual, and the lane admits again: the advertiser's retry is recorded once.
        foreach (var response in await Task.WhenAll(slow))
            using (response)
                await response.ExpectErrorAsync(HttpStatusCode.NotFound, "unknown_click");
        var (id, _, duplicate) = await (await PostbackHarness.GetAsync(app, valid)).ExpectOkAsync();
        Assert.False(duplicate);
        Assert.Equal(1, await app.WithDbAsync(db => db.Conversions.CountAsync(c => c.ClickId == clickId)));
        Assert.Equal(id, (await app.WithDbAsync(db => db.Conversions.SingleAsync(c => c.ClickId == clickId))).Id.ToString());
    }

    [Theory]
    [InlineData("/api/v1/leads", AdmissionLanes.Leads)]
    [InlineData("/api/v1/catalog/6d3c1f9e-3f0e-4a43-9b1e-4f0f3f8a2b11/buy", AdmissionLanes.Purchases)]
    public async Task ApiRequests_WhenTheirLaneIsFull_Answer503ProblemDetailsWithCodeOverloaded_WithoutRunningTheEndpoint(string path, string lane)
    {
        var admission = app.Services.GetRequiredService<AdmissionControl>();
        var release = new TaskCompletionSource();
        var ran = 0;
        var middleware = new AdmissionMiddleware(async _ =>
        {
            Interlocked.Increment(ref ran);
            await release.Task;
        }, admission, NullLogger<AdmissionMiddleware>.Instance);
        HttpContext Request()
        {
            var http = new DefaultHttpContext { RequestServices = app.Services };
            http.Request.Method = "POST";
            http.Request.Path = path;
            http.Response.Body = new MemoryStream();
            http.SetEndpoint(new Endpoint(_ => Task.CompletedTask, new EndpointMetadataCollection(new AdmissionLaneAttribute(lane)), path));
            return http;
        }

        var holders = Enumerable.Range(0, AdmissionFactory.Places + 1).Select(_ => middleware.InvokeAsync(Request())).ToArray(); // two run, one queues
        await WaitUntilAsync(() => admission.Snapshot()[lane] is { Available: 0, Queued: 1 });
        var refused = Request();
        await middleware.InvokeAsync(refused);
        release.SetResult(); // at once: the queued one waits at most a second

        Assert.Equal(503, refused.Response.StatusCode);
        Assert.Equal("1", refused.Response.Headers.RetryAfter.ToString());
        Assert.Equal("application/problem+json", refused.Response.ContentType?.Split(';')[0]);
        refused.Response.Body.Position = 0;
        using var problem = await JsonDocument.ParseAsync(refused.Response.Body);
        Assert.Equal("overloaded", problem.RootElement.GetProperty("code").GetString());
        Assert.Equal(503, problem.RootElement.GetProperty("status").GetInt32());

        // When the running ones end, the queued one runs; the refused one never did.
        await Task.WhenAll(holders);
        Assert.Equal(AdmissionFactory.Places + 1, Volatile.Read(ref ran));
    }

    [Fact]
    public async Task RequestsWithoutALane_AreNeverHeld()
    {
        var admission = app.Services.GetRequiredService<AdmissionControl>();
        var ran = false;
        var middleware = new AdmissionMiddleware(_ => { ran = true; return Task.CompletedTask; }, admission, NullLogger<AdmissionMiddleware>.Instance);
        var http = new DefaultHttpContext();
        http.Request.Path = "/c/abc";
        http.SetEndpoint(new Endpoint(_ => Task.CompletedTask, EndpointMetadataCollection.Empty, "click"));

        await middleware.InvokeAsync(http);

        Assert.True(ran);
        Assert.Equal(200, http.Response.StatusCode);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "Timed out waiting for the admission state.");
            await Task.Delay(10);
        }
    }
}
