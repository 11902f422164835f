using LeadExchange.Domain.Offers;

namespace LeadExchange.Application.Offers.Dtos;

public static class OfferInputMapping
{
    /// <summary>Percent to basis points; null when it is not a whole number of basis points.</summary>
    private static int? ToBasisPoints(decimal? percent) =>
        percent is null ? null : percent * 100 == decimal.Truncate(percent.Value * 100) ? (int)(percent.Value * 100) : -1;

    public static OfferSpec ToSpec(this OfferInput input) => new(
        (input.NicheCode ?? "").Trim(),
        input.Title ?? "",
        input.Description,
        input.LandingUrl ?? "",
        (input.Currency ?? "").Trim().ToUpperInvariant(),
        input.Access,
        input.HoldDays,
        input.DailyCap,
        input.MonthlyCap,
        (input.Regions ?? []).Where(r => !string.IsNullOrWhiteSpace(r)).Select(r => r.Trim().ToUpperInvariant()).Distinct().ToList(),
        (input.Goals ?? []).Select(g => new GoalSpec(
            g.Code ?? "", g.Name ?? "", g.Model, g.AdvertiserAmount, g.WebmasterAmount,
            ToBasisPoints(g.AdvertiserPercent), ToBasisPoints(g.WebmasterPercent), g.IsDefault)).ToList(),
        input.WebmasterDailyCap,
        input.WebmasterMonthlyCap);

    public static OfferInput ToInput(this OfferDto dto) => new()
    {
        NicheCode = dto.NicheCode,
        Title = dto.Title,
        Description = dto.Description,
        LandingUrl = dto.LandingUrl,
        Currency = dto.Currency,
        Access = dto.Access,
        HoldDays = dto.HoldDays,
        DailyCap = dto.DailyCap,
        MonthlyCap = dto.MonthlyCap,
        WebmasterDailyCap = dto.WebmasterDailyCap,
        WebmasterMonthlyCap = dto.WebmasterMonthlyCap,
        Regions = dto.Regions,
        Goals = dto.Goals.Select(g => new GoalInput
        {
            Code = g.Code, Name = g.Name, Model = g.Model, AdvertiserAmount = g.AdvertiserAmount,
            WebmasterAmount = g.WebmasterAmount, AdvertiserPercent = g.AdvertiserPercent,
            WebmasterPercent = g.WebmasterPercent, IsDefault = g.IsDefault,
        }).ToList(),
    };
}
