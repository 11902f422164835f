using System.Globalization;

namespace LeadExchange.Domain.Tracking;

public enum ConversionStatus { Pending, Approved, Rejected }

/// <summary>A postback's parameters after alias resolution (API.md "Postback").</summary>
public sealed record PostbackParameters(
    string? ClickId, string? Goal, decimal? Amount, string? Currency, string? TxId, ConversionStatus? Status, string? Token,
    IReadOnlyList<(string Code, string Field, string Message)> Errors)
{
    /// <summary>Canonical name → accepted names, in order of precedence (the canonical name first).</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Aliases = new Dictionary<string, string[]>
    {
        ["click_id"] = ["click_id", "clickid", "transaction_id", "subid", "cid", "cnv_id"],
        ["goal"] = ["goal", "event", "goal_id", "et", "type"],
        ["amount"] = ["amount", "sum", "payout", "revenue"],
        ["currency"] = ["currency", "cnv_currency"],
        ["txid"] = ["txid", "tid", "order_id", "adv_sub", "action_id"],
        ["status"] = ["status", "cnv_status"],
        ["token"] = ["token", "security_token", "verification_token", "secure"],
    };

    public const int MaxTxIdLength = 100;

    public static PostbackParameters Parse(IEnumerable<KeyValuePair<string, string?>> raw)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in raw)
            if (!string.IsNullOrWhiteSpace(value) && !values.ContainsKey(key)) values[key] = value.Trim();

        string? Get(string canonical) => Aliases[canonical].Select(a => values.GetValueOrDefault(a)).FirstOrDefault(v => v is not null);

        var errors = new List<(string, string, string)>();
        var clickId = Get("click_id");
        decimal? amount = null;
        if (Get("amount") is { } amountText)
        {
            if (decimal.TryParse(amountText, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var parsed) && parsed >= 0)
                amount = parsed;
            else
                errors.Add(("bad_amount", "amount", "amount must be a non-negative decimal number with a dot, e.g. 1250.50"));
        }
        ConversionStatus? status = null;
        if (Get("status") is { } statusText)
        {
            status = ParseStatus(statusText);
            if (status is null) errors.Add(("bad_status", "status", "status must be approved, pending, rejected (or 1, 2, 3; lead and sale mean pending)"));
        }
        var txid = Get("txid");
        if (txid is { Length: > MaxTxIdLength })
            errors.Add(("bad_txid", "txid", $"txid is at most {MaxTxIdLength} characters"));
        var currency = Get("currency")?.ToUpperInvariant();
        return new PostbackParameters(clickId, Get("goal")?.ToLowerInvariant(), amount, currency, txid, status, Get("token"), errors);
    }

    public static ConversionStatus? ParseStatus(string value) => value.Trim().ToLowerInvariant() switch
    {
        "approved" or "approve" or "1" => ConversionStatus.Approved,
        "pending" or "2" or "lead" or "sale" => ConversionStatus.Pending,
        "rejected" or "reject" or "declined" or "3" => ConversionStatus.Rejected,
        _ => null,
    };
}
