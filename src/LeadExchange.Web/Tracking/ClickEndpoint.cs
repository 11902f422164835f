using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using LeadExchange.Application.Common;
using LeadExchange.Application.Common.Interfaces;
using LeadExchange.Application.Tracking;
using LeadExchange.Domain.Offers;
using LeadExchange.Domain.Tracking;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace LeadExchange.Web.Tracking;

/// <summary>
/// GET /c/{linkCode}: the hottest path of the app. A plain request delegate (no MVC, no minimal-API binding,
/// no antiforgery, no app rate limit: abuse is flagged, not throttled) over singletons resolved once, with
/// the link from memory, the fraud counters in one Redis round trip and the click handed to the batched
/// writer; the database is not touched per click.
/// </summary>
public static class ClickEndpoint
{
    private const string RouteValue = "linkCode";

    public static IEndpointRouteBuilder MapClickEndpoint(this IEndpointRouteBuilder app)
    {
        // Every dependency is a singleton: resolved once here instead of from the request's scope on every click.
        var handler = ActivatorUtilities.CreateInstance<ClickHandler>(app.ServiceProvider);
        app.MapGet($"/c/{{{RouteValue}}}", handler.HandleAsync).ExcludeFromDescription().DisableAntiforgery();
        return app;
    }

    private sealed class ClickHandler(
        ITrackingLinkCache links, IClickCounters counters, IIpBlocklist blocklist, IClickQueue queue, IClock clock,
        IOptions<ClickFraudOptions> fraudOptions)
    {
        private static readonly string[] SubNames = ["sub1", "sub2", "sub3", "sub4", "sub5"];
        private static readonly byte[] NotFoundBody = Encoding.UTF8.GetBytes("This link is not active.");

        private readonly ClickFraudOptions _fraud = fraudOptions.Value;

        public async Task HandleAsync(HttpContext http)
        {
            var started = Stopwatch.GetTimestamp();
            using var span = Telemetry.Source.StartActivity(Telemetry.Spans.Click);
            span?.SetTag(Telemetry.Tags.LinkCode, http.Request.RouteValues[RouteValue]);
            var response = http.Response;
            response.Headers.CacheControl = "no-store";
            // Only the length here: the cache checks the characters on a miss, so a known code is not scanned per click.
            if (http.Request.RouteValues[RouteValue] is not string { Length: OfferParticipation.LinkCodeLength } linkCode
                || await links.GetAsync(linkCode, http.RequestAborted) is not { Active: true } link)
            {
                await NotFoundAsync(response);
                Telemetry.ClickHandled("not_found", started, span);
                return;
            }
            span?.SetTag(Telemetry.Tags.OfferId, link.OfferId);

            var request = http.Request;
            var ip = http.Connection.RemoteIpAddress?.ToString() ?? Click.UnknownIp;
            var userAgent = request.Headers.UserAgent.ToString();
            var referrer = request.Headers.Referer.ToString();
            var subs = ReadSubs(request.QueryString.Value);

            var now = clock.UtcNow;
            var botUserAgent = ClickFraud.IsBotUserAgent(userAgent);
            var blocked = await blocklist.IsBlockedAsync(ip, http.RequestAborted);
            // Never throws for Redis: without it the counters come from this node (RedisCircuit).
            var draft = new ClickDraft(ClickId.New(), link.OfferId, link.ParticipationId, link.WebmasterId, link.AdvertiserId, subs, ip, userAgent,
                referrer, now, botUserAgent, blocked);
            // With Redis the same script that counts also appends the click to the durable click stream: stored before its
            // redirect, in one round trip. Otherwise (no Redis, or Redis away) it goes to this node's in-memory writer.
            var counts = await counters.CountAsync(CounterKeys(link, ip, userAgent, now), draft, http.RequestAborted);
            var click = draft.ToClick(counts, _fraud);
            // Not the request's token: a visitor closing the tab must not lose the click.
            var queued = counts.Stored || await queue.EnqueueAsync(click, CancellationToken.None);

            // What Results.Redirect does, without its per-request logger lookup (the baseline answers the same way).
            response.Redirect(LandingUrlRules.Fill(link.LandingUrl, macro => macro switch
            {
                "click_id" => click.Id,
                "offer_id" => click.OfferId.ToString("N"),
                "webmaster_id" => click.WebmasterId,
                ['s', 'u', 'b', var n] => click.Sub(n - '0'),
                _ => null,
            }));
            span?.SetTag(Telemetry.Tags.ClickId, click.Id);
            Telemetry.ClickHandled(!queued ? "dropped" : click.FraudFlags is null ? "redirected" : "flagged", started, span);
        }

        /// <summary>
        /// sub1..sub5 as <c>Request.Query[name].ToString()</c> gives them (names case-insensitive, values decoded,
        /// repeated values joined with commas), without building the whole query dictionary.
        /// </summary>
        private static string?[] ReadSubs(string? queryString)
        {
            var subs = new string?[SubNames.Length];
            foreach (var pair in new QueryStringEnumerable(queryString))
            {
                var name = pair.DecodeName().Span;
                for (var i = 0; i < SubNames.Length; i++)
                {
                    if (!name.Equals(SubNames[i], StringComparison.OrdinalIgnoreCase)) continue;
                    var value = pair.DecodeValue().ToString();
                    subs[i] = subs[i] is { } earlier ? earlier + "," + value : value;
                    break;
                }
            }
            return subs;
        }

        private static ClickCounterKeys CounterKeys(LinkTarget link, string ip, string userAgent, DateTime now) => new(
            "click:ip:" + ip, TimeSpan.FromMinutes(1),
            string.Create(CultureInfo.InvariantCulture, $"click:ipo:{link.OfferId:N}:{ip}"), TimeSpan.FromHours(1),
            // The key lives until the end of the UTC day (plus slack for clock skew between nodes).
            string.Create(CultureInfo.InvariantCulture, $"click:u:{now:yyyyMMdd}:{link.OfferId:N}:{VisitorHash(ip, userAgent)}"),
            now.Date.AddDays(1) - now + TimeSpan.FromMinutes(5),
            TrafficKeys.Clicks(link.OfferId, link.WebmasterId, now));

        /// <summary>A visitor is IP plus user agent; hashed so the key is short and holds no personal data in clear.</summary>
        private static string VisitorHash(string ip, string userAgent)
        {
            // SHA-256 of UTF-8 "ip\nuserAgent", first 12 bytes in hex: the same key as before, encoded without temporary strings.
            var length = Encoding.UTF8.GetMaxByteCount(ip.Length + 1 + userAgent.Length);
            var rented = length <= 1024 ? null : System.Buffers.ArrayPool<byte>.Shared.Rent(length);
            try
            {
                Span<byte> utf8 = rented is null ? stackalloc byte[1024] : rented;
                var written = Encoding.UTF8.GetBytes(ip, utf8);
                utf8[written++] = (byte)'\n';
                written += Encoding.UTF8.GetBytes(userAgent, utf8[written..]);
                Span<byte> hash = stackalloc byte[32];
                SHA256.HashData(utf8[..written], hash);
                return Convert.ToHexString(hash[..12]);
            }
            finally
            {
                if (rented is not null) System.Buffers.ArrayPool<byte>.Shared.Return(rented);
            }
        }

        private static Task NotFoundAsync(HttpResponse response)
        {
            response.StatusCode = StatusCodes.Status404NotFound;
            response.ContentType = "text/plain; charset=utf-8";
            response.ContentLength = NotFoundBody.Length;
            return response.Body.WriteAsync(NotFoundBody).AsTask();
        }
    }
}
