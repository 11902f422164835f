using System.Globalization;
using System.Text.RegularExpressions;
using LeadExchange.Domain.Ledger;
using LeadExchange.Domain.Payments;

namespace LeadExchange.Web.Models;

/// <summary>How ledger and payment values are shown on the money pages (amounts via <see cref="Display.Money"/>).</summary>
public static partial class MoneyDisplay
{
    /// <summary>
    /// A signed amount: "+1,234.56 RUB" or "−500.00 RUB" ("+1 234,56 ₽" in Russian). The sign is in the text, so the colour
    /// (<see cref="AmountClass"/>) is only a second cue and the statement reads the same without it.
    /// </summary>
    public static string Signed(long minor, string currency) => minor switch
    {
        > 0 => "+" + Display.Money(minor, currency),
        < 0 => "\u2212" + Display.Money(-minor, currency),
        _ => Display.Money(0, currency),
    };

    /// <summary>The number of an amount without its currency: "101,234.56".</summary>
    public static string Number(long minor, string currency) => Display.MoneyNumber(minor, currency);

    public static string AmountClass(long minor) => minor switch
    {
        > 0 => "text-success",
        < 0 => "text-danger",
        _ => "text-body-secondary",
    };

    public static string CsvDate(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    public static string EntryType(JournalEntryType type) => type switch
    {
        JournalEntryType.TopUp => "Top-up",
        JournalEntryType.TopUpReversal => "Top-up reversal",
        JournalEntryType.PayoutPaid => "Payout paid",
        JournalEntryType.PayoutFailure => "Payout failed",
        _ => Words(type.ToString()),
    };

    public static string Account(AccountType type) => type switch
    {
        AccountType.AdvertiserBalance => "Balance",
        AccountType.Escrow => "Escrow",
        AccountType.AdvertiserFrozen => "Frozen",
        AccountType.AdvertiserReceivable => "Owed by advertiser",
        AccountType.WebmasterPending => "Pending",
        AccountType.WebmasterAvailable => "Available",
        AccountType.WebmasterReceivable => "Owed to platform",
        AccountType.PayoutsInTransit => "In transit",
        AccountType.PlatformRevenue => "Platform revenue",
        AccountType.PaymentClearing => "Payment clearing",
        _ => Words(type.ToString()),
    };

    public static string Owner(string ownerId, IReadOnlyDictionary<string, string>? labels) =>
        ownerId == AccountTypes.PlatformOwner ? "Platform" : labels?.GetValueOrDefault(ownerId) ?? ownerId;

    public static string Status(PayoutStatus status, PaymentMethod method) => status switch
    {
        PayoutStatus.Requested => method == PaymentMethod.Stripe ? "Sending via Stripe" : "Requested",
        PayoutStatus.AwaitingManual => "Awaiting bank transfer",
        _ => status.ToString(),
    };

    public static string Badge(PayoutStatus status) => status switch
    {
        PayoutStatus.Paid => "text-bg-success",
        PayoutStatus.Failed => "text-bg-danger",
        PayoutStatus.AwaitingManual => "text-bg-warning",
        _ => "text-bg-info",
    };

    public static string Badge(TopUpStatus status) => status switch
    {
        TopUpStatus.Paid => "text-bg-success",
        TopUpStatus.Pending => "text-bg-warning",
        TopUpStatus.Failed => "text-bg-danger",
        _ => "text-bg-secondary",
    };

    public static string Method(PaymentMethod method) => method == PaymentMethod.Stripe ? "Stripe" : "Bank transfer";

    /// <summary>Basis points as a percent for people: 2000 → "20", 1250 → "12.5".</summary>
    public static string Percent(int basisPoints) => (basisPoints / 100m).ToString("0.##", CultureInfo.InvariantCulture);

    private static string Words(string pascal) =>
        CamelBoundary().Replace(pascal, " $1").ToLowerInvariant() is var words && words.Length > 0
            ? char.ToUpperInvariant(words[0]) + words[1..]
            : pascal;

    [GeneratedRegex("(?<=[a-z])([A-Z])")]
    private static partial Regex CamelBoundary();
}
