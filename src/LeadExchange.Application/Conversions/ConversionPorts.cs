using LeadExchange.Domain.Conversions;

namespace LeadExchange.Application.Conversions;

/// <summary>Postback calls are logged off the request path, in batches (like clicks).</summary>
public interface IPostbackLogSink
{
    void Write(PostbackLogEntry entry);
}

/// <summary>The advertiser's postback settings by token, from memory (the postback path must not look the token up per call).</summary>
public interface IPostbackAuthCache
{
    /// <summary>A snapshot of the settings, or null for a token that matches no advertiser.</summary>
    ValueTask<PostbackAuth?> FindByTokenAsync(string token, CancellationToken ct = default);

    /// <summary>Drops an advertiser's cached settings here at once and on other nodes soon (they also expire by TTL).</summary>
    Task InvalidateAsync(string advertiserId, CancellationToken ct = default);
}

/// <summary>What the postback endpoint needs to authenticate a call.</summary>
public sealed record PostbackAuth(string AdvertiserId, string Token, string SigningSecret, bool RequireSignature, IReadOnlyList<string> AllowedIps)
{
    public static PostbackAuth From(AdvertiserPostbackSettings s) => new(s.AdvertiserId, s.Token, s.SigningSecret, s.RequireSignature, s.AllowedIpList);

    public bool IsIpAllowed(System.Net.IPAddress? address) => AdvertiserPostbackSettings.IsIpAllowed(AllowedIps, address);
}
