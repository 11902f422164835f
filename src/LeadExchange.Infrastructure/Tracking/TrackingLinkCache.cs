using System.Collections.Concurrent;
using LeadExchange.Application.Tracking;
using LeadExchange.Domain.Common;
using LeadExchange.Domain.Offers;
using LeadExchange.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LeadExchange.Infrastructure.Tracking;

/// <summary>Section "Tracking".</summary>
public sealed class TrackingOptions
{
    public const string Section = "Tracking";

    /// <summary>How long a known link stays cached; also the bound on staleness if an invalidation is lost.</summary>
    public int LinkCacheSeconds { get; set; } = 60;

    /// <summary>How long an unknown code is remembered, so random codes do not each cost a query.</summary>
    public int UnknownLinkCacheSeconds { get; set; } = 10;

    /// <summary>Entries kept before expired ones are swept (and, if still over, all dropped): memory stays bounded under random codes.</summary>
    public int LinkCacheMaxEntries { get; set; } = 200_000;

    /// <summary>Evicts an offer's links a second time this long after a change, for a reader that cached the row before the change committed.</summary>
    public int SecondEvictionMilliseconds { get; set; } = 2000;

    public int BlocklistRefreshSeconds { get; set; } = 60;
}

/// <summary>
/// linkCode to <see cref="LinkTarget"/>, in this process. One load per code at a time (parallel misses
/// share it), a TTL as the upper bound on staleness, and eviction by offer on change. A malformed code is
/// answered as unknown without a query or an entry.
/// </summary>
public sealed class TrackingLinkCache(IServiceScopeFactory scopes, TimeProvider time, IOptions<TrackingOptions> options, ILogger<TrackingLinkCache> logger)
    : ITrackingLinkCache
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    private sealed class Entry(Task<LinkTarget?> load, long expiresAt)
    {
        public readonly Task<LinkTarget?> Load = load;
        public long ExpiresAt = expiresAt;
    }

    public int Count => _entries.Count;

    public ValueTask<LinkTarget?> GetAsync(string linkCode, CancellationToken ct = default)
    {
        var now = time.GetTimestamp();
        if (_entries.TryGetValue(linkCode, out var entry) && now < Volatile.Read(ref entry.ExpiresAt))
        {
            if (entry.Load.IsCompletedSuccessfully) return ValueTask.FromResult(entry.Load.Result);
            return new ValueTask<LinkTarget?>(entry.Load.WaitAsync(ct));
        }
        // Checked on a miss only (a cached code was well formed when it was stored): a code that cannot exist
        // costs neither a query nor a cache entry.
        if (linkCode.Length != OfferParticipation.LinkCodeLength || !TokenGenerator.IsWellFormed(linkCode, OfferParticipation.LinkCodeLength))
            return ValueTask.FromResult<LinkTarget?>(null);
        return new ValueTask<LinkTarget?>(LoadAsync(linkCode, entry, ct));
    }

    private async Task<LinkTarget?> LoadAsync(string linkCode, Entry? stale, CancellationToken ct)
    {
        if (_entries.Count >= options.Value.LinkCacheMaxEntries) Trim();
        var fresh = new Entry(LoadFromDatabaseAsync(linkCode), time.GetTimestamp() + Ticks(options.Value.LinkCacheSeconds * 1000));
        // Whoever wins the race owns the load; the others await the same task.
        var entry = stale is null
            ? _entries.GetOrAdd(linkCode, fresh)
            : _entries.TryUpdate(linkCode, fresh, stale) ? fresh : _entries.GetOrAdd(linkCode, fresh);
        try
        {
            var target = await entry.Load.WaitAsync(ct);
            if (target is null)
                Volatile.Write(ref entry.ExpiresAt, time.GetTimestamp() + Ticks(options.Value.UnknownLinkCacheSeconds * 1000));
            return target;
        }
        catch (Exception) when (!entry.Load.IsCompletedSuccessfully && entry.Load.IsCompleted)
        {
            // A failed load (database down) must not be cached: the next click tries again.
            _entries.TryRemove(new KeyValuePair<string, Entry>(linkCode, entry));
            throw;
        }
    }

    private async Task<LinkTarget?> LoadFromDatabaseAsync(string linkCode)
    {
        // Not the caller's token: the load is shared by every click waiting for this code.
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return await (
            from p in db.OfferParticipations.AsNoTracking()
            join o in db.Offers.AsNoTracking() on p.OfferId equals o.Id
            where p.LinkCode == linkCode
            select new LinkTarget(p.Id, o.Id, p.WebmasterId, o.AdvertiserId, o.LandingUrl,
                p.Status == ParticipationStatus.Approved && o.Status == OfferStatus.Active)).FirstOrDefaultAsync();
    }

    /// <summary>Drops the offer's links now and once more shortly after (see <see cref="TrackingOptions.SecondEvictionMilliseconds"/>).</summary>
    public void EvictOffer(Guid offerId)
    {
        EvictOfferNow(offerId);
        var delay = TimeSpan.FromMilliseconds(options.Value.SecondEvictionMilliseconds);
        if (delay <= TimeSpan.Zero) return;
        _ = Task.Delay(delay, time).ContinueWith(_ => EvictOfferNow(offerId), TaskScheduler.Default);
    }

    private void EvictOfferNow(Guid offerId)
    {
        // A scan, not an index by offer: changes are rare next to clicks, and the scan needs no extra bookkeeping per click.
        foreach (var pair in _entries)
        {
            var load = pair.Value.Load;
            // A load still running may carry the old row: drop it too.
            if (!load.IsCompletedSuccessfully || load.Result?.OfferId == offerId)
                _entries.TryRemove(pair);
        }
    }

    private void Trim()
    {
        var now = time.GetTimestamp();
        foreach (var pair in _entries)
            if (now >= Volatile.Read(ref pair.Value.ExpiresAt)) _entries.TryRemove(pair);
        if (_entries.Count >= options.Value.LinkCacheMaxEntries)
        {
            logger.LogWarning("Tracking link cache over {Max} live entries; clearing it", options.Value.LinkCacheMaxEntries);
            _entries.Clear();
        }
    }

    private long Ticks(int milliseconds) => (long)(milliseconds / 1000.0 * time.TimestampFrequency);
}
