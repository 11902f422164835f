using System.Globalization;
using System.Text;
using LeadExchange.Domain.Common;

namespace LeadExchange.Domain.Conversions;

/// <summary>
/// A webmaster's outbound postback: a URL template with macros, fired (through the outbox) on every
/// status change of their conversions. Disabled automatically after <see cref="DisableAfterFailures"/>
/// failed deliveries in a row, with the reason shown to the webmaster; saving the settings again re-enables it.
/// </summary>
public sealed class WebmasterPostbackSettings
{
    public const int UrlMaxLength = 2000;
    public const int DisableAfterFailures = 10;
    public const int ReasonMaxLength = 500;

    private WebmasterPostbackSettings() { }

    public WebmasterPostbackSettings(string webmasterId, DateTime now)
    {
        WebmasterId = webmasterId;
        CreatedAt = now;
        UpdatedAt = now;
    }

    public string WebmasterId { get; private set; } = "";
    public string UrlTemplate { get; private set; } = "";
    public bool Enabled { get; private set; }
    public int ConsecutiveFailures { get; private set; }
    public DateTime? DisabledAt { get; private set; }
    public string? DisabledReason { get; private set; }
    public DateTime CreatedAt { get; private set; }
    public DateTime UpdatedAt { get; private set; }

    public void Update(string? urlTemplate, bool enabled, DateTime now)
    {
        var url = urlTemplate?.Trim() ?? "";
        if (enabled || url.Length > 0)
        {
            var error = PostbackMacros.ValidateTemplate(url);
            if (error is not null) throw new DomainException("bad_url", error, "urlTemplate");
        }
        UrlTemplate = url;
        Enabled = enabled;
        ConsecutiveFailures = 0;
        DisabledAt = null;
        DisabledReason = null;
        UpdatedAt = now;
    }
}

/// <summary>One attempt to deliver a webmaster postback: what was called and what came back.</summary>
public sealed class PostbackDelivery
{
    public const int UrlMaxLength = 2000;
    public const int ErrorMaxLength = 500;

    private PostbackDelivery() { }

    public static PostbackDelivery Record(string webmasterId, Guid conversionId, Guid outboxMessageId, int attempt, string status,
        string url, int? httpStatus, string? error, long durationMs, DateTime now) => new()
    {
        Id = Guid.NewGuid(),
        WebmasterId = webmasterId,
        ConversionId = conversionId,
        OutboxMessageId = outboxMessageId,
        Attempt = attempt,
        ConversionStatus = status,
        Url = url.Length > UrlMaxLength ? url[..UrlMaxLength] : url,
        HttpStatus = httpStatus,
        Error = error is { Length: > ErrorMaxLength } ? error[..ErrorMaxLength] : error,
        DurationMs = durationMs,
        Success = httpStatus is >= 200 and < 300,
        CreatedAt = now,
    };

    public Guid Id { get; private set; }
    public string WebmasterId { get; private set; } = "";
    public Guid ConversionId { get; private set; }
    public Guid OutboxMessageId { get; private set; }
    public int Attempt { get; private set; }
    public string ConversionStatus { get; private set; } = "";
    public string Url { get; private set; } = "";
    public int? HttpStatus { get; private set; }
    public string? Error { get; private set; }
    public long DurationMs { get; private set; }
    public bool Success { get; private set; }
    public DateTime CreatedAt { get; private set; }
}

/// <summary>The values a webmaster postback fills into its template, captured when the status changed.</summary>
public sealed record PostbackMacroValues(
    string ClickId, string? Sub1, string? Sub2, string? Sub3, string? Sub4, string? Sub5, Guid OfferId, string Goal,
    long Payout, string Currency, string Status, Guid ConversionId, Guid? LeadId, string? TxId)
{
    public static PostbackMacroValues From(Conversion c, string status) => new(
        c.ClickId, c.Sub1, c.Sub2, c.Sub3, c.Sub4, c.Sub5, c.OfferId, c.GoalCode, c.WebmasterAmount, c.Currency, status, c.Id, c.LeadId, c.TxId);
}

/// <summary>API.md "Webmaster outbound postback": the macros and how they are filled (URL-encoded).</summary>
public static class PostbackMacros
{
    public static readonly IReadOnlyList<string> Names =
    [
        "click_id", "sub1", "sub2", "sub3", "sub4", "sub5", "offer_id", "goal", "payout", "currency", "status", "conversion_id", "lead_id", "txid",
    ];

    public static string? ValidateTemplate(string url)
    {
        if (url.Length == 0) return "Enter the URL your tracker receives postbacks on.";
        if (url.Length > WebmasterPostbackSettings.UrlMaxLength) return $"The URL is at most {WebmasterPostbackSettings.UrlMaxLength} characters.";
        // Check the URL with every macro replaced by a harmless value.
        var probe = Fill(url, new PostbackMacroValues("x", "x", "x", "x", "x", "x", Guid.Empty, "x", 0, "RUB", "x", Guid.Empty, null, "x"));
        if (!Uri.TryCreate(probe, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            return "The URL must be an absolute http:// or https:// address.";
        var unknown = System.Text.RegularExpressions.Regex.Matches(url, @"\{([A-Za-z0-9_]+)\}").Select(m => m.Groups[1].Value.ToLowerInvariant())
            .Where(n => !Names.Contains(n)).Distinct().ToList();
        if (unknown.Count > 0) return $"Unknown macro: {string.Join(", ", unknown.Select(u => "{" + u + "}"))}. Known: {string.Join(" ", Names.Select(n => "{" + n + "}"))}.";
        return null;
    }

    /// <summary>Replaces every known macro with its URL-encoded value (empty when unknown); other text is kept.</summary>
    public static string Fill(string template, PostbackMacroValues v)
    {
        var sb = new StringBuilder(template.Length + 64);
        var i = 0;
        while (i < template.Length)
        {
            var open = template.IndexOf('{', i);
            if (open < 0) { sb.Append(template, i, template.Length - i); break; }
            var close = template.IndexOf('}', open + 1);
            if (close < 0) { sb.Append(template, i, template.Length - i); break; }
            sb.Append(template, i, open - i);
            var name = template.Substring(open + 1, close - open - 1);
            var value = Value(name.ToLowerInvariant(), v, out var known);
            if (known) sb.Append(Uri.EscapeDataString(value ?? ""));
            else sb.Append(template, open, close - open + 1);
            i = close + 1;
        }
        return sb.ToString();
    }

    private static string? Value(string name, PostbackMacroValues v, out bool known)
    {
        known = true;
        switch (name)
        {
            case "click_id": return v.ClickId;
            case "sub1": return v.Sub1;
            case "sub2": return v.Sub2;
            case "sub3": return v.Sub3;
            case "sub4": return v.Sub4;
            case "sub5": return v.Sub5;
            case "offer_id": return v.OfferId.ToString();
            case "goal": return v.Goal;
            case "payout": return Currencies.ToMajor(v.Payout, v.Currency).ToString("0.00", CultureInfo.InvariantCulture);
            case "currency": return v.Currency;
            case "status": return v.Status;
            case "conversion_id": return v.ConversionId.ToString();
            case "lead_id": return v.LeadId?.ToString();
            case "txid": return v.TxId;
            default:
                known = false;
                return null;
        }
    }
}
