using LeadExchange.Domain.Tracking;

namespace LeadExchange.Application.Tracking;

/// <summary>What a tracking link code resolves to; <see cref="Active"/> only when the participation is approved and the offer active.</summary>
public sealed record LinkTarget(Guid ParticipationId, Guid OfferId, string WebmasterId, string AdvertiserId, string LandingUrl, bool Active);

/// <summary>Link codes resolved from memory: the click path must not query the database per click.</summary>
public interface ITrackingLinkCache
{
    /// <summary>The link, or null for an unknown code.</summary>
    ValueTask<LinkTarget?> GetAsync(string linkCode, CancellationToken ct = default);
}

/// <summary>Tells every node that an offer or one of its participations changed, so cached links are dropped.</summary>
public interface ICacheInvalidation
{
    Task PublishOfferChangedAsync(Guid offerId, CancellationToken ct = default);
}

/// <summary>The keys and windows of one click's fraud counters, and its hour's traffic bucket (<see cref="TrafficKeys"/>).</summary>
public sealed record ClickCounterKeys(string Ip, TimeSpan IpWindow, string IpOffer, TimeSpan IpOfferWindow, string VisitorOfferDay, TimeSpan VisitorTtl,
    string TrafficHour);

/// <summary>
/// Counts including this click; <see cref="FirstForVisitor"/> when this call took the visitor's key; <see cref="Stored"/>
/// when the click itself was appended to the durable click stream in the same call (then it must not be queued again).
/// </summary>
public readonly record struct ClickCounts(long IpClicks, long IpOfferClicks, bool FirstForVisitor, bool Stored = false);

/// <summary>
/// A click as the click path knows it before its counters: everything but the fraud verdict, which follows from the
/// counters (<see cref="Domain.Tracking.ClickFraud.Evaluate"/>) wherever the click is finally written.
/// </summary>
public sealed record ClickDraft(
    string Id, Guid OfferId, Guid ParticipationId, string WebmasterId, string AdvertiserId, string?[] Subs, string Ip, string? UserAgent,
    string? Referrer, DateTime At, bool BotUserAgent, bool IpBlocked)
{
    public Domain.Tracking.Click ToClick(ClickCounts counts, Domain.Tracking.ClickFraudOptions fraud) =>
        Domain.Tracking.Click.Record(OfferId, ParticipationId, WebmasterId, AdvertiserId, Subs, Ip, UserAgent, Referrer, At,
            Domain.Tracking.ClickFraud.Evaluate(new Domain.Tracking.ClickSignals(counts.IpClicks, counts.IpOfferClicks, counts.FirstForVisitor,
                BotUserAgent, IpBlocked), fraud), Id);
}

/// <summary>The click's velocity counters and uniqueness reservation in one round trip (Redis script, or in-process).</summary>
public interface IClickCounters
{
    /// <summary>
    /// Counts the click; with <paramref name="draft"/> and Redis up, the same script also appends it to the click stream, so
    /// the click is durable before its redirect without another round trip (<see cref="ClickCounts.Stored"/>).
    /// </summary>
    Task<ClickCounts> CountAsync(ClickCounterKeys keys, ClickDraft? draft = null, CancellationToken ct = default);
}

/// <summary>Blocklisted addresses, held in memory and refreshed from the database.</summary>
public interface IIpBlocklist
{
    ValueTask<bool> IsBlockedAsync(string ip, CancellationToken ct = default);

    /// <summary>Reloads now, e.g. after an address was added on this node; other nodes catch up on their next refresh.</summary>
    Task RefreshAsync(CancellationToken ct = default);
}

/// <summary>Hands a click to the batched writer; false when it had to be dropped (queue full or shutting down).</summary>
public interface IClickQueue
{
    ValueTask<bool> EnqueueAsync(Click click, CancellationToken ct = default);

    /// <summary>
    /// Returns once every click enqueued before the call has been written to the database (or its write failed
    /// for good and it was dropped), e.g. before looking up a click id that may still be in memory.
    /// </summary>
    Task FlushAsync(CancellationToken ct = default);
}
