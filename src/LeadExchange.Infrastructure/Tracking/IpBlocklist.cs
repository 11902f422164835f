using System.Collections.Frozen;
using LeadExchange.Application.Tracking;
using LeadExchange.Domain.Leads;
using LeadExchange.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LeadExchange.Infrastructure.Tracking;

/// <summary>
/// The blocklist as an in-memory set. The first check loads it; later checks answer from the current set
/// and, once it is older than the refresh interval, reload it in the background (one reload at a time),
/// so no click waits for the database after start-up.
/// </summary>
public sealed class IpBlocklist(IServiceScopeFactory scopes, TimeProvider time, IOptions<TrackingOptions> options, ILogger<IpBlocklist> logger)
    : IIpBlocklist
{
    private readonly SemaphoreSlim _loading = new(1, 1);
    private volatile FrozenSet<string>? _ips;
    private long _loadedAt;

    public async ValueTask<bool> IsBlockedAsync(string ip, CancellationToken ct = default)
    {
        var ips = _ips;
        if (ips is null)
        {
            await RefreshAsync(ct);
            ips = _ips ?? FrozenSet<string>.Empty;
        }
        else if (time.GetElapsedTime(Interlocked.Read(ref _loadedAt)) > TimeSpan.FromSeconds(options.Value.BlocklistRefreshSeconds)
                 && _loading.Wait(0))
        {
            // Only the click that got the lock starts a reload; the rest answer from the current set.
            _ = Task.Run(() => LoadHoldingLockAsync(CancellationToken.None), CancellationToken.None);
        }
        return ips.Contains(ip);
    }

    public async Task RefreshAsync(CancellationToken ct = default)
    {
        await _loading.WaitAsync(ct);
        await LoadHoldingLockAsync(ct);
    }

    private async Task LoadHoldingLockAsync(CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var ips = await db.IpBlocklist.AsNoTracking().Select(b => b.Ip).ToListAsync(ct);
            // Addresses blocked on the admin blocklist page, beside those in the click blocklist table.
            ips.AddRange(await db.Blocklist.AsNoTracking().Where(b => b.Kind == BlocklistKind.Ip).Select(b => b.Value).ToListAsync(ct));
            // A dual-stack listener reports IPv4 clients as IPv4-mapped IPv6 ("::ffff:203.0.113.7"): both forms match.
            ips.AddRange(ips.Where(ip => ip.Contains('.') && !ip.Contains(':')).Select(ip => "::ffff:" + ip).ToList());
            _ips = ips.ToFrozenSet(StringComparer.OrdinalIgnoreCase);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Keep the last known set (or none): the click path must not fail because the blocklist could not load.
            logger.LogWarning(ex, "Could not load the IP blocklist");
            _ips ??= FrozenSet<string>.Empty;
        }
        finally
        {
            // Also after a failure, so a database outage costs one attempt per interval, not one per click.
            Interlocked.Exchange(ref _loadedAt, time.GetTimestamp());
            _loading.Release();
        }
    }
}
