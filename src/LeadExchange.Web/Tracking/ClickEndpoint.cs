using System.Security.Cryptography;
using System.Text;
using LeadExchange.Application.Common.Interfaces;
using LeadExchange.Application.Tracking;
using LeadExchange.Domain.Common;
using LeadExchange.Domain.Offers;
using LeadExchange.Domain.Tracking;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace LeadExchange.Web.Tracking;

/// <summary>
/// GET /c/{linkCode}: the hottest path of the app. A minimal API (no MVC, no antiforgery, no app rate
/// limit: abuse is flagged, not throttled), with the link from memory, the fraud counters in one Redis
/// round trip and the click handed to the batched writer; the database is not touched per click.
/// </summary>
public static class ClickEndpoint
{
    private static readonly string[] SubNames = ["sub1", "sub2", "sub3", "sub4", "sub5"];

    public static IEndpointRouteBuilder MapClickEndpoint(this IEndpointRouteBuilder app)
    {
        app.MapGet("/c/{linkCode}", HandleAsync).ExcludeFromDescription().DisableAntiforgery();
        return app;
    }

    private static async Task<IResult> HandleAsync(
        string linkCode, HttpContext http, ITrackingLinkCache links, IClickCounters counters, IIpBlocklist blocklist,
        IClickQueue queue, IClock clock, IOptions<ClickFraudOptions> fraudOptions, ILoggerFactory loggers, CancellationToken ct)
    {
        http.Response.Headers.CacheControl = "no-store";
        if (linkCode.Length != OfferParticipation.LinkCodeLength || !TokenGenerator.IsWellFormed(linkCode, OfferParticipation.LinkCodeLength))
            return NotFound();
        var link = await links.GetAsync(linkCode, ct);
        if (link is not { Active: true }) return NotFound();

        var request = http.Request;
        var ip = http.Connection.RemoteIpAddress?.ToString() ?? Click.UnknownIp;
        var userAgent = request.Headers.UserAgent.ToString();
        var referrer = request.Headers.Referer.ToString();
        var subs = new string?[SubNames.Length];
        for (var i = 0; i < SubNames.Length; i++)
            subs[i] = request.Query.TryGetValue(SubNames[i], out var value) ? value.ToString() : null;

        var now = clock.UtcNow;
        var botUserAgent = ClickFraud.IsBotUserAgent(userAgent);
        var blocked = await blocklist.IsBlockedAsync(ip, ct);
        var verdict = ClickFraud.Evaluate(
            await CountAsync(counters, link.OfferId, ip, userAgent, now, loggers, ct) is { } counts
                ? new ClickSignals(counts.IpClicks, counts.IpOfferClicks, counts.FirstForVisitor, botUserAgent, blocked)
                // Counters unavailable: record and redirect anyway, but do not claim the click is unique.
                : new ClickSignals(0, 0, false, botUserAgent, blocked),
            fraudOptions.Value);

        var click = Click.Record(link.OfferId, link.ParticipationId, link.WebmasterId, link.AdvertiserId,
            subs, ip, userAgent, referrer, now, verdict);
        // Not the request's token: a visitor closing the tab must not lose the click.
        await queue.EnqueueAsync(click, CancellationToken.None);

        var location = LandingUrlRules.Fill(link.LandingUrl, macro => macro switch
        {
            "click_id" => click.Id,
            "offer_id" => click.OfferId.ToString("N"),
            "webmaster_id" => click.WebmasterId,
            ['s', 'u', 'b', var n] => click.Sub(n - '0'),
            _ => null,
        });
        return Results.Redirect(location);
    }

    private static async Task<ClickCounts?> CountAsync(IClickCounters counters, Guid offerId, string ip, string userAgent, DateTime now,
        ILoggerFactory loggers, CancellationToken ct)
    {
        var offer = offerId.ToString("N");
        var day = now.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);
        var keys = new ClickCounterKeys(
            $"click:ip:{ip}", TimeSpan.FromMinutes(1),
            $"click:ipo:{offer}:{ip}", TimeSpan.FromHours(1),
            // The key lives until the end of the UTC day (plus slack for clock skew between nodes).
            $"click:u:{day}:{offer}:{VisitorHash(ip, userAgent)}", now.Date.AddDays(1) - now + TimeSpan.FromMinutes(5));
        try
        {
            return await counters.CountAsync(keys, ct);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            loggers.CreateLogger(typeof(ClickEndpoint).FullName!).LogWarning(ex, "Click counters unavailable; click recorded as not unique");
            return null;
        }
    }

    /// <summary>A visitor is IP plus user agent; hashed so the key is short and holds no personal data in clear.</summary>
    private static string VisitorHash(string ip, string userAgent)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(ip + "\n" + userAgent), hash);
        return Convert.ToHexString(hash[..12]);
    }

    private static IResult NotFound() =>
        Results.Text("This link is not active.", "text/plain; charset=utf-8", Encoding.UTF8, StatusCodes.Status404NotFound);
}
