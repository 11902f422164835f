namespace LeadExchange.Domain.Conversions;

/// <summary>
/// One postback or pixel call as received, with its answer: the advertiser's postback log (every refused
/// call with its reason). The token is redacted before the query is stored.
/// </summary>
public sealed class PostbackLogEntry
{
    public const int QueryMaxLength = 2000;
    public const int MessageMaxLength = 500;

    private PostbackLogEntry() { }

    public static PostbackLogEntry Record(string? advertiserId, string source, string method, string query, string? ip, int httpStatus,
        string result, string? message, Guid? conversionId, string? clickId, DateTime now) => new()
    {
        Id = Guid.NewGuid(),
        AdvertiserId = advertiserId,
        Source = source,
        Method = method,
        Query = query.Length > QueryMaxLength ? query[..QueryMaxLength] : query,
        Ip = ip is { Length: > 45 } ? ip[..45] : ip,
        HttpStatus = httpStatus,
        Result = result,
        Message = message is { Length: > MessageMaxLength } ? message[..MessageMaxLength] : message,
        ConversionId = conversionId,
        ClickId = clickId is { Length: > 32 } ? clickId[..32] : clickId,
        ReceivedAt = now,
    };

    public Guid Id { get; private set; }
    /// <summary>Null when the token matched no advertiser (such calls are visible to admins only).</summary>
    public string? AdvertiserId { get; private set; }
    /// <summary>postback, pixel or test.</summary>
    public string Source { get; private set; } = "";
    public string Method { get; private set; } = "";
    public string Query { get; private set; } = "";
    public string? Ip { get; private set; }
    public int HttpStatus { get; private set; }
    /// <summary>"ok", "duplicate", or the error code.</summary>
    public string Result { get; private set; } = "";
    public string? Message { get; private set; }
    public Guid? ConversionId { get; private set; }
    public string? ClickId { get; private set; }
    public DateTime ReceivedAt { get; private set; }

    /// <summary>Replaces the value of every token alias with "***" so secrets never reach the log.</summary>
    public static string Redact(string query, IEnumerable<string> secretNames)
    {
        if (string.IsNullOrEmpty(query)) return "";
        var names = new HashSet<string>(secretNames, StringComparer.OrdinalIgnoreCase);
        var parts = query.TrimStart('?').Split('&');
        for (var i = 0; i < parts.Length; i++)
        {
            var eq = parts[i].IndexOf('=');
            var name = Uri.UnescapeDataString((eq < 0 ? parts[i] : parts[i][..eq]).Replace('+', ' '));
            if (eq >= 0 && names.Contains(name)) parts[i] = parts[i][..eq] + "=***";
        }
        return string.Join("&", parts);
    }
}

/// <summary>
/// A cap counter: conversions counted against one cap scope (offer, or offer and webmaster) in one period
/// (a UTC day or month). Incremented with a conditional update "Count &lt; cap", so parallel postbacks on
/// any number of nodes can never exceed the cap.
/// </summary>
public sealed class CapCounter
{
    private CapCounter() { }

    public CapCounter(string scope, string period)
    {
        Scope = scope;
        Period = period;
    }

    public string Scope { get; private set; } = "";
    public string Period { get; private set; } = "";
    public int Count { get; private set; }

    public static string OfferScope(Guid offerId) => $"offer:{offerId:N}";
    public static string WebmasterScope(Guid offerId, string webmasterId) => $"offer:{offerId:N}:wm:{webmasterId}";
    public static string DayPeriod(DateTime utc) => "d" + utc.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);
    public static string MonthPeriod(DateTime utc) => "m" + utc.ToString("yyyyMM", System.Globalization.CultureInfo.InvariantCulture);
}
