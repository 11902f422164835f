using System.Collections.Concurrent;
using LeadExchange.Application.Common.Interfaces;
using LeadExchange.Application.Conversions;
using LeadExchange.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LeadExchange.Infrastructure.Conversions;

/// <summary>
/// Postback tokens resolved from memory: a found token is kept <see cref="Ttl"/>, an unknown one
/// <see cref="MissTtl"/> (so random tokens cannot make every call a query). A change on this node evicts at
/// once; other nodes see a rotated token, a new allow-list or signing rule within <see cref="Ttl"/>.
/// </summary>
public sealed class PostbackAuthCache(IServiceScopeFactory scopes, IClock clock) : IPostbackAuthCache
{
    public static readonly TimeSpan Ttl = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan MissTtl = TimeSpan.FromSeconds(5);
    private const int MaxEntries = 100_000;

    private readonly ConcurrentDictionary<string, (PostbackAuth? Auth, DateTime Until)> _byToken = new(StringComparer.Ordinal);

    public async ValueTask<PostbackAuth?> FindByTokenAsync(string token, CancellationToken ct = default)
    {
        var now = clock.UtcNow;
        if (_byToken.TryGetValue(token, out var hit) && hit.Until > now) return hit.Auth;
        if (token.Length > 64) return null;

        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var settings = await db.AdvertiserPostbackSettings.AsNoTracking().FirstOrDefaultAsync(s => s.Token == token, ct);
        var auth = settings is null ? null : PostbackAuth.From(settings);
        if (_byToken.Count >= MaxEntries) _byToken.Clear();
        _byToken[token] = (auth, now + (auth is null ? MissTtl : Ttl));
        return auth;
    }

    public Task InvalidateAsync(string advertiserId, CancellationToken ct = default)
    {
        foreach (var (token, entry) in _byToken)
            if (entry.Auth?.AdvertiserId == advertiserId) _byToken.TryRemove(token, out _);
        return Task.CompletedTask;
    }
}
