using System.Globalization;
using LeadExchange.Application.Offers.Dtos;
using LeadExchange.Domain.Common;
using LeadExchange.Domain.Offers;

namespace LeadExchange.Web.Models;

/// <summary>How values are shown on pages: money, payouts, dates and status badges.</summary>
public static class Display
{
    /// <summary>
    /// Minor units for people, in the request's culture: "2,500.00 RUB" in English, "2 500,00 ₽" in Russian.
    /// Pages only: CSV exports and the API write invariant numbers of their own.
    /// </summary>
    public static string Money(long minor, string currency) =>
        IsEnglish ? Currencies.Format(new Money(minor, currency)) : MoneyNumber(minor, currency) + "\u00a0" + CurrencySign(currency);

    /// <summary>The number of an amount without its currency in the request's culture: "101,234.56" or "101 234,56".</summary>
    public static string MoneyNumber(long minor, string currency) =>
        Currencies.ToMajor(minor, currency).ToString("N2", IsEnglish ? CultureInfo.InvariantCulture : CultureInfo.CurrentCulture);

    /// <summary>How the currency follows an amount: the code in English, the rouble sign in Russian.</summary>
    public static string CurrencySign(string currency) => !IsEnglish && currency == "RUB" ? "₽" : currency;

    /// <summary>English keeps the invariant forms the pages always had (and the browser tests read).</summary>
    private static bool IsEnglish => CultureInfo.CurrentCulture.TwoLetterISOLanguageName is "en" or "iv";

    /// <summary>What a goal pays the advertiser's or the webmaster's side: an amount, or a percent of the sale.</summary>
    public static string Payout(GoalDto goal, string currency, bool webmaster) =>
        (webmaster ? goal.WebmasterPercent : goal.AdvertiserPercent) is { } percent
            ? percent.ToString("0.##", CultureInfo.InvariantCulture) + "% of sale"
            : Money(webmaster ? goal.WebmasterAmount : goal.AdvertiserAmount, currency);

    /// <summary>The best fixed webmaster payout of an offer, for catalog cards.</summary>
    public static string BestPayout(OfferDto offer)
    {
        var best = offer.Goals.OrderByDescending(g => g.WebmasterAmount).FirstOrDefault();
        return best is null ? "—" : Payout(best, offer.Currency, webmaster: true);
    }

    /// <summary>Minor units as a plain major-unit number for form inputs ("2500.00").</summary>
    public static string Major(long minor, string currency) =>
        Currencies.ToMajor(minor, currency).ToString("0.00", CultureInfo.InvariantCulture);

    public static string Date(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC";

    public static string Date(DateTime? utc) => utc is { } value ? Date(value) : "—";

    public static string Badge(OfferStatus status) => status switch
    {
        OfferStatus.Active => "text-bg-success",
        OfferStatus.Paused => "text-bg-warning",
        _ => "text-bg-secondary",
    };

    public static string Badge(ParticipationStatus status) => status switch
    {
        ParticipationStatus.Approved => "text-bg-success",
        ParticipationStatus.Pending => "text-bg-warning",
        _ => "text-bg-danger",
    };

    public static string Access(OfferAccess access) => access == OfferAccess.Public ? "Public" : "Approval required";

    public static string Model(PayoutModel model) => model.ToString().ToUpperInvariant();
}
