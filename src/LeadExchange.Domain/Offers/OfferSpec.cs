using LeadExchange.Domain.Common;

namespace LeadExchange.Domain.Offers;

/// <summary>Everything an advertiser sets on an offer. <see cref="Validate"/> gives field-level errors.</summary>
public sealed record OfferSpec(
    string NicheCode,
    string Title,
    string? Description,
    string LandingUrl,
    string Currency,
    OfferAccess Access,
    int HoldDays,
    int? DailyCap,
    int? MonthlyCap,
    IReadOnlyList<string> RegionCodes,
    IReadOnlyList<GoalSpec> Goals,
    int? WebmasterDailyCap = null,
    int? WebmasterMonthlyCap = null)
{
    public IEnumerable<(string Field, string Message)> Validate()
    {
        if (string.IsNullOrWhiteSpace(Title) || Title.Trim().Length > Offer.TitleMaxLength)
            yield return (nameof(Title), $"Title is required (at most {Offer.TitleMaxLength} characters).");
        else if (DisplayText.HasHiddenCharacters(Title))
            yield return (nameof(Title), DisplayText.HiddenCharactersMessage("Title"));
        if (Description is { Length: > Offer.DescriptionMaxLength })
            yield return (nameof(Description), $"Description is at most {Offer.DescriptionMaxLength} characters.");
        foreach (var error in LandingUrlRules.Validate(LandingUrl))
            yield return (nameof(LandingUrl), error);
        if (!Currencies.IsSupported(Currency))
            yield return (nameof(Currency), $"Currency must be one of {string.Join(", ", Currencies.Supported)}.");
        if (HoldDays is < 0 or > 90)
            yield return (nameof(HoldDays), "Hold period is 0 to 90 days.");
        if (DailyCap is <= 0)
            yield return (nameof(DailyCap), "Daily cap must be positive, or empty for no cap.");
        if (MonthlyCap is <= 0)
            yield return (nameof(MonthlyCap), "Monthly cap must be positive, or empty for no cap.");
        if (DailyCap is > 0 && MonthlyCap is > 0 && DailyCap > MonthlyCap)
            yield return (nameof(MonthlyCap), "Monthly cap cannot be below the daily cap.");
        if (WebmasterDailyCap is <= 0)
            yield return (nameof(WebmasterDailyCap), "Daily cap per webmaster must be positive, or empty for no cap.");
        if (WebmasterMonthlyCap is <= 0)
            yield return (nameof(WebmasterMonthlyCap), "Monthly cap per webmaster must be positive, or empty for no cap.");
        if (WebmasterDailyCap is > 0 && WebmasterMonthlyCap is > 0 && WebmasterDailyCap > WebmasterMonthlyCap)
            yield return (nameof(WebmasterMonthlyCap), "Monthly cap per webmaster cannot be below its daily cap.");
        if (RegionCodes.Count == 0)
            yield return (nameof(RegionCodes), "Choose at least one region.");
        if (Goals.Count == 0)
            yield return (nameof(Goals), "An offer needs at least one goal.");
        if (Goals.Count > 20)
            yield return (nameof(Goals), "An offer has at most 20 goals.");
        var dupes = Goals.GroupBy(g => g.Code.Trim().ToLowerInvariant()).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (dupes.Count > 0)
            yield return (nameof(Goals), $"Goal codes must be unique: {string.Join(", ", dupes)}.");
        if (Goals.Count(g => g.IsDefault) > 1)
            yield return (nameof(Goals), "Only one goal can be the default.");
        for (var i = 0; i < Goals.Count; i++)
            foreach (var (field, message) in Goals[i].Validate())
                yield return ($"{nameof(Goals)}[{i}].{field}", message);
    }
}
