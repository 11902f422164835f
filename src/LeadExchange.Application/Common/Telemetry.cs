using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace LeadExchange.Application.Common;

/// <summary>
/// The product's own spans and metrics, all in one place (docs/operations.md "Monitoring" lists them): one
/// <see cref="ActivitySource"/> and one <see cref="Meter"/>, both named "LeadExchange". The hot paths call these on
/// every request, so nothing here costs more than a flag check when nobody listens: <c>StartActivity</c> returns null
/// without a listener, counters take a stack-only <see cref="TagList"/> of constant strings, and durations are only
/// computed when their histogram is enabled. Span attributes holding ids are set only on a span being recorded.
/// Metric attributes stay low-cardinality (outcomes, codes, kinds); ids go on spans only.
/// </summary>
public static class Telemetry
{
    public const string Name = "LeadExchange";

    public static readonly ActivitySource Source = new(Name);
    public static readonly Meter Meter = new(Name);

    /// <summary>Span names.</summary>
    public static class Spans
    {
        public const string Click = "leadexchange.click";
        public const string Postback = "leadexchange.postback";
        public const string LeadSubmit = "leadexchange.lead.submit";
        public const string LeadDistribute = "leadexchange.lead.distribute";
        public const string LeadSell = "leadexchange.lead.sell";
        public const string OutboxDeliver = "leadexchange.outbox.deliver";
    }

    /// <summary>Attribute names: the first group on spans and metrics, the ids on spans only.</summary>
    public static class Tags
    {
        public const string Outcome = "outcome";
        public const string Code = "code";
        public const string Source = "source";
        public const string Channel = "channel";
        public const string Exclusive = "exclusive";
        public const string Kind = "kind";
        public const string Operation = "operation";

        public const string OfferId = "leadexchange.offer_id";
        public const string LinkCode = "leadexchange.link_code";
        public const string ClickId = "leadexchange.click_id";
        public const string ConversionId = "leadexchange.conversion_id";
        public const string LeadId = "leadexchange.lead_id";
        public const string Niche = "leadexchange.niche";
        public const string Sales = "leadexchange.sales";
        public const string MessageId = "leadexchange.outbox.message_id";
        public const string Attempt = "leadexchange.outbox.attempt";
    }

    /// <summary>Milliseconds: the click path answers in well under one, a lead with its distribution in tens to hundreds.</summary>
    private static readonly InstrumentAdvice<double> DurationBuckets = new()
    {
        HistogramBucketBoundaries = [0.25, 0.5, 1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000],
    };

    private static readonly Counter<long> Clicks = Meter.CreateCounter<long>(
        "leadexchange.clicks", "{click}", "Clicks on tracking links, by outcome: redirected, flagged (redirected with a fraud flag), not_found, dropped (queue full).");
    private static readonly Histogram<double> ClickDuration = Meter.CreateHistogram(
        "leadexchange.click.duration", "ms", "Time to answer GET /c/{linkCode}.", null, DurationBuckets);
    private static readonly Counter<long> Postbacks = Meter.CreateCounter<long>(
        "leadexchange.postbacks", "{postback}", "Postback and pixel calls, by outcome (recorded, duplicate, test, rejected, error) and, when rejected, the answer code.");
    private static readonly Histogram<double> PostbackDuration = Meter.CreateHistogram(
        "leadexchange.postback.duration", "ms", "Time to handle a postback or pixel call.", null, DurationBuckets);
    private static readonly Counter<long> Leads = Meter.CreateCounter<long>(
        "leadexchange.leads", "{lead}", "Lead submissions, by outcome (accepted, duplicate, rejected, rate_limited, invalid, forbidden, replayed, error) and source.");
    private static readonly Histogram<double> LeadDuration = Meter.CreateHistogram(
        "leadexchange.lead.duration", "ms", "Time to handle a lead submission, distribution included.", null, DurationBuckets);
    private static readonly Counter<long> LeadSales = Meter.CreateCounter<long>(
        "leadexchange.lead.sales", "{sale}", "Attempts to sell a lead to a buyer (orders and catalog purchases), by channel, exclusive and outcome (sold or the refusal).");
    private static readonly Counter<long> OutboxDeliveries = Meter.CreateCounter<long>(
        "leadexchange.outbox.deliveries", "{delivery}", "Outbox delivery attempts, by kind and outcome: sent, retry, dead.");
    private static readonly Counter<long> RedisFallbacks = Meter.CreateCounter<long>(
        "leadexchange.redis.fallbacks", "{fallback}", "Redis calls answered without Redis (the call failed, or the circuit was open), by operation.");

    private static readonly Counter<long> AdmissionRefusals = Meter.CreateCounter<long>(
        "leadexchange.admission.refused", "{request}", "Write requests turned away with 503 because this node already runs as many of their lane as it admits (postback, leads, purchases).");

    private static readonly object ClickQueuesLock = new();
    private static readonly List<Func<int>> ClickQueues = [];

    // Kept alive by the meter; observed only when a listener collects.
    private static readonly ObservableGauge<int> ClickQueueDepth = Meter.CreateObservableGauge(
        "leadexchange.click_queue.depth", ObserveClickQueues, "{click}", "Clicks waiting in memory to be written to the database.");

    private static readonly object True = true;
    private static readonly object False = false;

    /// <summary>
    /// The product span in progress on this flow, when it is one of ours and being recorded; null otherwise, so callers
    /// box ids only for a listener (<c>Telemetry.CurrentSpan?.SetTag(...)</c>).
    /// </summary>
    public static Activity? CurrentSpan =>
        Activity.Current is { IsAllDataRequested: true } current && ReferenceEquals(current.Source, Source) ? current : null;

    public static void ClickHandled(string outcome, long startedTimestamp, Activity? span)
    {
        span?.SetTag(Tags.Outcome, outcome);
        var tags = new TagList { { Tags.Outcome, outcome } };
        Clicks.Add(1, in tags);
        if (ClickDuration.Enabled) ClickDuration.Record(Stopwatch.GetElapsedTime(startedTimestamp).TotalMilliseconds, in tags);
    }

    /// <param name="code">The answer code of a rejected call (bad_token, unknown_click, cap_reached, ...); null otherwise.</param>
    public static void PostbackHandled(string outcome, string? code, long startedTimestamp, Activity? span)
    {
        var tags = new TagList { { Tags.Outcome, outcome } };
        if (code is not null) tags.Add(Tags.Code, code);
        if (span is not null)
        {
            span.SetTag(Tags.Outcome, outcome);
            span.SetTag(Tags.Code, code);
        }
        Postbacks.Add(1, in tags);
        if (PostbackDuration.Enabled) PostbackDuration.Record(Stopwatch.GetElapsedTime(startedTimestamp).TotalMilliseconds, in tags);
    }

    /// <param name="source">api or form.</param>
    public static void LeadSubmitted(string outcome, string source, long startedTimestamp, Activity? span)
    {
        span?.SetTag(Tags.Outcome, outcome);
        var tags = new TagList { { Tags.Outcome, outcome }, { Tags.Source, source } };
        Leads.Add(1, in tags);
        if (LeadDuration.Enabled) LeadDuration.Record(Stopwatch.GetElapsedTime(startedTimestamp).TotalMilliseconds, in tags);
    }

    /// <param name="channel">order (distribution at intake) or catalog (a buyer's purchase).</param>
    /// <param name="outcome">sold, or why not: already_sold, expired, order_cap, order_exhausted, insufficient_funds, ...</param>
    public static void LeadSaleAttempted(string channel, bool exclusive, string outcome, Activity? span)
    {
        span?.SetTag(Tags.Outcome, outcome);
        var tags = new TagList { { Tags.Channel, channel }, { Tags.Exclusive, exclusive ? True : False }, { Tags.Outcome, outcome } };
        LeadSales.Add(1, in tags);
    }

    /// <param name="kind">The outbox message type (buyer.webhook, webmaster.postback, payout.transfer, ...).</param>
    /// <param name="outcome">sent, retry (failed, will be tried again) or dead (failed for the last time).</param>
    public static void OutboxDelivered(string kind, string outcome, Activity? span)
    {
        span?.SetTag(Tags.Outcome, outcome);
        var tags = new TagList { { Tags.Kind, kind }, { Tags.Outcome, outcome } };
        OutboxDeliveries.Add(1, in tags);
    }

    /// <summary>A Redis call was answered by its fallback (the database or per-node counters): it failed, or the circuit was open.</summary>
    /// <param name="operation">The call site: dedup, dedup-release, rate-counters, click-counters, publish-offer-change.</param>
    public static void RedisFallback(string operation) =>
        RedisFallbacks.Add(1, new KeyValuePair<string, object?>(Tags.Operation, operation));

    /// <summary>A write request was refused by admission control (its lane was full and the queue wait ran out).</summary>
    /// <param name="lane">postback, leads or purchases.</param>
    public static void AdmissionRefused(string lane) =>
        AdmissionRefusals.Add(1, new KeyValuePair<string, object?>(Tags.Kind, lane));

    /// <summary>
    /// Registers a click queue for the <c>leadexchange.click_queue.depth</c> gauge (one per app instance; several only
    /// when tests host many in one process, then the gauge reports their sum). Dispose to unregister.
    /// </summary>
    public static IDisposable ObserveClickQueue(Func<int> depth)
    {
        lock (ClickQueuesLock) ClickQueues.Add(depth);
        return new Registration(depth);
    }

    private static int ObserveClickQueues()
    {
        lock (ClickQueuesLock)
        {
            var sum = 0;
            foreach (var depth in ClickQueues) sum += depth();
            return sum;
        }
    }

    private sealed class Registration(Func<int> depth) : IDisposable
    {
        public void Dispose()
        {
            lock (ClickQueuesLock) ClickQueues.Remove(depth);
        }
    }
}
