using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using LeadExchange.Application.Common;
using LeadExchange.IntegrationTests.Conversions;
using LeadExchange.IntegrationTests.Leads;
using LeadExchange.Web.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using static LeadExchange.IntegrationTests.Conversions.PostbackHarness;

namespace LeadExchange.IntegrationTests.Infrastructure;

/// <summary>
/// docs/operations.md "Monitoring": a click, postbacks and a lead through the real app produce the "LeadExchange" spans
/// and measurements with their outcomes. Other classes run in parallel in this process and share the static meter, so
/// each measurement is attributed by the span it was recorded in (Activity.Current in the listener's callback) and only
/// those carrying this test's offer id count.
/// </summary>
public sealed class TelemetryTests(PostbackSqliteFactory app) : IClassFixture<PostbackSqliteFactory>
{
    [Fact]
    public async Task ClickPostbackAndLead_AreCountedTimedAndTraced_WithOfferAndOutcome()
    {
        using var recorder = new TelemetryRecorder();
        var s = await SetupAsync(app);
        var offerId = Guid.Parse(s.OfferId);

        var clickId = await ClickAsync(app, s.LinkCode);
        var query = Query(("click_id", clickId), ("txid", "T-1"), ("token", s.Token));
        var (conversionId, _, _) = await (await GetAsync(app, query)).ExpectOkAsync();
        Assert.True((await (await GetAsync(app, query)).ExpectOkAsync()).Duplicate);
        await (await GetAsync(app, Query(("click_id", clickId), ("goal", "nope"), ("token", s.Token))))
            .ExpectErrorAsync(HttpStatusCode.UnprocessableEntity, "unknown_goal");
        var lead = LeadIntakeTests.Body();
        lead["offerId"] = s.OfferId;
        var leadId = (await (await s.Webmaster.Client.PostAsJsonAsync("/api/v1/leads", lead)).ExpectJsonAsync(HttpStatusCode.Created)).Str("leadId");

        // Spans end as their handlers return; the answers may reach the test a moment earlier.
        var spans = await recorder.WaitForSpansAsync(offerId, 5);

        var click = Assert.Single(spans, a => a.OperationName == Telemetry.Spans.Click);
        Assert.Equal(clickId, click.GetTagItem(Telemetry.Tags.ClickId));
        Assert.Equal("redirected", click.GetTagItem(Telemetry.Tags.Outcome));
        var postbacks = spans.Where(a => a.OperationName == Telemetry.Spans.Postback).ToList();
        Assert.Equal(new[] { "duplicate", "recorded", "rejected" }, postbacks.Select(a => (string)a.GetTagItem(Telemetry.Tags.Outcome)!).Order());
        Assert.All(postbacks, a => Assert.Equal(clickId, a.GetTagItem(Telemetry.Tags.ClickId)));
        Assert.Equal(Guid.Parse(conversionId), postbacks.First(a => "recorded".Equals(a.GetTagItem(Telemetry.Tags.Outcome))).GetTagItem(Telemetry.Tags.ConversionId));
        Assert.Equal("unknown_goal", postbacks.Single(a => "rejected".Equals(a.GetTagItem(Telemetry.Tags.Outcome))).GetTagItem(Telemetry.Tags.Code));
        var submit = Assert.Single(spans, a => a.OperationName == Telemetry.Spans.LeadSubmit);
        Assert.Equal("accepted", submit.GetTagItem(Telemetry.Tags.Outcome));
        Assert.Equal("api", submit.GetTagItem(Telemetry.Tags.Source));
        Assert.Equal(Guid.Parse(leadId), submit.GetTagItem(Telemetry.Tags.LeadId));
        // Intake offers the lead to standing orders at once, in a child span (no orders here: nothing sold).
        var distribute = Assert.Single(recorder.Spans, a => a.OperationName == Telemetry.Spans.LeadDistribute && a.ParentSpanId == submit.SpanId);
        Assert.Equal(0, distribute.GetTagItem(Telemetry.Tags.Sales));

        var mine = recorder.MeasurementsOf(offerId);
        Assert.Equal(new[] { "outcome=redirected" }, Counted(mine, "leadexchange.clicks"));
        Assert.Equal(new[] { "code=unknown_goal,outcome=rejected", "outcome=duplicate", "outcome=recorded" }, Counted(mine, "leadexchange.postbacks"));
        Assert.Equal(new[] { "outcome=accepted,source=api" }, Counted(mine, "leadexchange.leads"));
        foreach (var (histogram, count) in new[] { ("leadexchange.click.duration", 1), ("leadexchange.postback.duration", 3), ("leadexchange.lead.duration", 1) })
        {
            var durations = mine.Where(m => m.Instrument == histogram).ToList();
            Assert.Equal(count, durations.Count);
            Assert.All(durations, m => Assert.InRange(m.Value, 0.0001, 30_000));
        }

        // The click writer of every app instance in this process registers its queue; the gauge reports their sum.
        Assert.InRange(recorder.ObserveClickQueueDepth(), 0, 100_000);
    }

    [Fact]
    public async Task NotFoundClick_IsCountedAsNotFound()
    {
        using var recorder = new TelemetryRecorder();
        using var client = app.CreateAnonymousClient();
        var linkCode = TestServices.ShortId(); // the length of a real code, so the link cache is asked

        using var response = await client.GetAsync($"/c/{linkCode}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var span = await recorder.WaitForAsync(a => a.OperationName == Telemetry.Spans.Click && linkCode.Equals(a.GetTagItem(Telemetry.Tags.LinkCode)));
        Assert.Equal("not_found", span.GetTagItem(Telemetry.Tags.Outcome));
        Assert.Null(span.GetTagItem(Telemetry.Tags.OfferId));
    }

    private static List<string> Counted(IEnumerable<TelemetryRecorder.Measurement> measurements, string counter) =>
        measurements.Where(m => m.Instrument == counter)
            .SelectMany(m => Enumerable.Repeat(string.Join(",", m.Tags.OrderBy(t => t.Key).Select(t => $"{t.Key}={t.Value}")), (int)m.Value))
            .Order().ToList();
}

/// <summary>The start-up choice: with no OTLP endpoint nothing of the OpenTelemetry SDK is registered; with one, spans reach it.</summary>
public sealed class TelemetrySetupTests
{
    private static IConfiguration Config(string? endpoint, string? protocol = null) => new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?> { [TelemetrySetup.EndpointSetting] = endpoint, [TelemetrySetup.ProtocolSetting] = protocol })
        .Build();

    [Fact]
    public void AddAppTelemetry_WhenNoEndpoint_RegistersNoProviderAndNoExporter()
    {
        var services = new ServiceCollection();

        var export = services.AddAppTelemetry(Config(endpoint: null));

        Assert.Null(export.Endpoint);
        using var provider = services.BuildServiceProvider();
        Assert.Null(provider.GetService<TracerProvider>());
        Assert.Null(provider.GetService<MeterProvider>());
        Assert.DoesNotContain(services, d => d.ServiceType.Namespace?.StartsWith("OpenTelemetry", StringComparison.Ordinal) == true);
    }

    [Theory]
    [InlineData("otel-collector:4317")]
    [InlineData("ftp://otel-collector:4317")]
    public void AddAppTelemetry_WhenEndpointIsNotAnHttpUrl_FailsAtStartUp(string endpoint) =>
        Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddAppTelemetry(Config(endpoint)));

    [Fact]
    public void AddAppTelemetry_WhenGrpcEndpoint_UsesItAsIs()
    {
        var export = new ServiceCollection().AddAppTelemetry(Config("http://otel-collector:4317"));

        Assert.Equal(new Uri("http://otel-collector:4317"), export.Endpoint);
        Assert.Equal(OtlpExportProtocol.Grpc, export.Protocol);
    }

    [Fact]
    public async Task AddAppTelemetry_WhenHttpEndpoint_ExportsLeadExchangeSpansToItsTracesPath()
    {
        using var collector = new TcpListener(IPAddress.Loopback, 0);
        collector.Start();
        var port = ((IPEndPoint)collector.LocalEndpoint).Port;
        var services = new ServiceCollection();
        services.AddLogging();
        var export = services.AddAppTelemetry(Config($"http://127.0.0.1:{port}", "http/protobuf"));
        await using var provider = services.BuildServiceProvider();
        var tracing = provider.GetRequiredService<TracerProvider>();
        var received = ReadRequestLineAsync(collector);

        using (Telemetry.Source.StartActivity("telemetry-setup-test")) { }
        tracing.ForceFlush(10_000);

        Assert.NotNull(export.Endpoint);
        Assert.Equal("POST /v1/traces HTTP/1.1", await received.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    /// <summary>A collector that takes one request, answers 200 and tells its request line.</summary>
    private static async Task<string> ReadRequestLineAsync(TcpListener listener)
    {
        using var connection = await listener.AcceptTcpClientAsync();
        var stream = connection.GetStream();
        var received = new StringBuilder();
        var buffer = new byte[8192];
        while (!received.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer);
            if (read == 0) break;
            received.Append(Encoding.Latin1.GetString(buffer, 0, read));
        }
        await stream.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray());
        var text = received.ToString();
        return text[..Math.Max(0, text.IndexOf("\r\n", StringComparison.Ordinal))];
    }
}

/// <summary>
/// Listens to the "LeadExchange" source and meter for the life of one test (every span of the process is recorded
/// meanwhile). Each measurement keeps the product span it was recorded in.
/// </summary>
internal sealed class TelemetryRecorder : IDisposable
{
    public sealed record Measurement(string Instrument, double Value, IReadOnlyList<KeyValuePair<string, object?>> Tags, Activity? Span);

    private readonly ActivityListener _activities;
    private readonly MeterListener _meters;
    private readonly ConcurrentQueue<Activity> _spans = new();
    private readonly ConcurrentQueue<Measurement> _measurements = new();
    private int _clickQueueDepth = -1;

    public TelemetryRecorder()
    {
        _activities = new ActivityListener
        {
            ShouldListenTo = source => source.Name == Telemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _spans.Enqueue,
        };
        ActivitySource.AddActivityListener(_activities);
        _meters = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == Telemetry.Name) listener.EnableMeasurementEvents(instrument);
            },
        };
        _meters.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _meters.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _meters.SetMeasurementEventCallback<int>((instrument, value, _, _) =>
        {
            if (instrument.Name == "leadexchange.click_queue.depth") _clickQueueDepth = value;
        });
        _meters.Start();
    }

    public IEnumerable<Activity> Spans => _spans;

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags) =>
        _measurements.Enqueue(new Measurement(instrument.Name, value, tags.ToArray(), Telemetry.CurrentSpan));

    /// <summary>Measurements recorded inside a product span tagged with this offer.</summary>
    public List<Measurement> MeasurementsOf(Guid offerId) =>
        _measurements.Where(m => Equals(m.Span?.GetTagItem(Telemetry.Tags.OfferId), offerId)).ToList();

    /// <summary>Waits until at least <paramref name="count"/> stopped product spans carry this offer id.</summary>
    public async Task<List<Activity>> WaitForSpansAsync(Guid offerId, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (true)
        {
            var spans = _spans.Where(a => Equals(a.GetTagItem(Telemetry.Tags.OfferId), offerId)).ToList();
            if (spans.Count >= count || DateTime.UtcNow > deadline) return spans;
            await Task.Delay(20);
        }
    }

    public async Task<Activity> WaitForAsync(Func<Activity, bool> match)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (true)
        {
            if (_spans.FirstOrDefault(match) is { } span) return span;
            Assert.True(DateTime.UtcNow < deadline, "The expected span was not recorded within 5 s.");
            await Task.Delay(20);
        }
    }

    public int ObserveClickQueueDepth()
    {
        _meters.RecordObservableInstruments();
        return _clickQueueDepth;
    }

    public void Dispose()
    {
        _meters.Dispose();
        _activities.Dispose();
    }
}
