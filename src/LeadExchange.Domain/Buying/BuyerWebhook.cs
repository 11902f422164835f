using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using LeadExchange.Domain.Common;

namespace LeadExchange.Domain.Buying;

/// <summary>
/// Where a buyer wants bought leads pushed (API.md "Lead delivery"): a URL and the secret the deliveries
/// are signed with. The secret is shown to the buyer (they verify with it), so it is stored as it is and
/// can be rotated. After <see cref="DisableAfterFailures"/> failed deliveries in a row spanning at least
/// <see cref="DisableAfterHours"/> hours the webhook is switched off with the reason, which the buyer sees until they switch it on again.
/// </summary>
public sealed class BuyerWebhookSettings
{
    public const int UrlMaxLength = 1000;
    public const int ReasonMaxLength = 400;
    public const int DisableAfterFailures = 10;
    /// <summary>...and the failures in a row span at least this long (one bad hour with many sales does not switch it off).</summary>
    public const int DisableAfterHours = 24;

    private BuyerWebhookSettings() { }

    public static BuyerWebhookSettings Create(string advertiserId, DateTime now) => new()
    {
        AdvertiserId = advertiserId,
        Secret = "whsec_" + TokenGenerator.New(32),
        CreatedAt = now,
        UpdatedAt = now,
    };

    public string AdvertiserId { get; private set; } = "";
    public string Url { get; private set; } = "";
    public string Secret { get; private set; } = "";
    public bool Enabled { get; private set; }
    public int ConsecutiveFailures { get; private set; }
    /// <summary>When the current run of failures began; null while deliveries succeed.</summary>
    public DateTime? FailingSince { get; private set; }
    public DateTime? DisabledAt { get; private set; }
    public string? DisabledReason { get; private set; }
    public DateTime CreatedAt { get; private set; }
    public DateTime UpdatedAt { get; private set; }

    public static string? ValidateUrl(string? url)
    {
        if (string.IsNullOrWhiteSpace(url)) return "The webhook URL is required.";
        if (url.Length > UrlMaxLength) return $"The URL is at most {UrlMaxLength} characters.";
        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            return "The webhook URL must be an absolute http(s) URL.";
        if (!string.IsNullOrEmpty(uri.UserInfo)) return "Put credentials in the signature check, not the URL.";
        return null;
    }

    /// <summary>Sets the URL and the switch; switching on clears a previous automatic switch-off.</summary>
    public void Update(string url, bool enabled, DateTime now)
    {
        if (ValidateUrl(url) is { } error) throw new DomainException("bad_url", error, "url");
        Url = url.Trim();
        if (enabled && !Enabled)
        {
            ConsecutiveFailures = 0;
            FailingSince = null;
            DisabledAt = null;
            DisabledReason = null;
        }
        Enabled = enabled;
        UpdatedAt = now;
    }

    public void RotateSecret(DateTime now)
    {
        Secret = "whsec_" + TokenGenerator.New(32);
        UpdatedAt = now;
    }
}

/// <summary>One delivery attempt of a bought lead to the buyer's webhook, with what came back.</summary>
public sealed class WebhookDelivery
{
    public const int ErrorMaxLength = 500;

    private WebhookDelivery() { }

    public Guid Id { get; private set; }
    public string AdvertiserId { get; private set; } = "";
    public Guid SaleId { get; private set; }
    /// <summary>X-LeadExchange-Delivery: the same for every retry of one delivery, so the receiver can de-duplicate.</summary>
    public Guid DeliveryId { get; private set; }
    public int Attempt { get; private set; }
    public string Url { get; private set; } = "";
    public int? StatusCode { get; private set; }
    public string? Error { get; private set; }
    public long DurationMs { get; private set; }
    public DateTime At { get; private set; }
    public bool Succeeded => Error is null && StatusCode is >= 200 and < 300;

    public static WebhookDelivery Record(string advertiserId, Guid saleId, Guid deliveryId, int attempt, string url, int? statusCode, string? error,
        long durationMs, DateTime now) => new()
    {
        Id = Guid.NewGuid(),
        AdvertiserId = advertiserId,
        SaleId = saleId,
        DeliveryId = deliveryId,
        Attempt = attempt,
        Url = url.Length > BuyerWebhookSettings.UrlMaxLength ? url[..BuyerWebhookSettings.UrlMaxLength] : url,
        StatusCode = statusCode,
        Error = error is { Length: > ErrorMaxLength } ? error[..ErrorMaxLength] : error,
        DurationMs = durationMs,
        At = now,
    };
}

/// <summary>X-LeadExchange-Signature: t=&lt;unix&gt;,v1=&lt;hex HMAC-SHA256 of "&lt;t&gt;.&lt;body&gt;" with the buyer's secret&gt;.</summary>
public static class WebhookSignature
{
    public static string Sign(string secret, long unixSeconds, string body)
    {
        var t = unixSeconds.ToString(CultureInfo.InvariantCulture);
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(t + "." + body));
        return $"t={t},v1={Convert.ToHexStringLower(mac)}";
    }

    /// <summary>What a receiver does: recompute and compare in constant time, and refuse stale timestamps.</summary>
    public static bool Verify(string secret, string header, string body, long nowUnixSeconds, long toleranceSeconds = 300)
    {
        string? t = null, v1 = null;
        foreach (var part in header.Split(',', StringSplitOptions.TrimEntries))
        {
            if (part.StartsWith("t=", StringComparison.Ordinal)) t = part[2..];
            else if (part.StartsWith("v1=", StringComparison.Ordinal)) v1 = part[3..];
        }
        if (t is null || v1 is null || !long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var ts)) return false;
        if (Math.Abs(nowUnixSeconds - ts) > toleranceSeconds) return false;
        var expected = Sign(secret, ts, body);
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes($"t={t},v1={v1}"));
    }
}
