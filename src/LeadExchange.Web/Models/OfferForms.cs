using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;
using LeadExchange.Application.Common.Models;
using LeadExchange.Application.Offers.Dtos;
using LeadExchange.Application.Offers.Queries;
using LeadExchange.Application.Reference;
using LeadExchange.Domain.Offers;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace LeadExchange.Web.Models;

public enum PayoutUnit { Amount, Percent }

/// <summary>One goal row of the offer form. Payouts are typed in major units ("2500.00") or, for CPS, in percent.</summary>
public sealed class GoalFormModel
{
    public string? Code { get; set; }
    public string? Name { get; set; }
    public PayoutModel Model { get; set; } = PayoutModel.Cpl;
    public PayoutUnit Unit { get; set; }
    public string? AdvertiserPayout { get; set; }
    public string? WebmasterPayout { get; set; }
}

/// <summary>The offer create/edit form. Rules live in the application's OfferInputValidator; this only converts units.</summary>
public sealed class OfferFormModel
{
    [Display(Name = "Niche")]
    public string? NicheCode { get; set; }

    [Display(Name = "Title")]
    public string? Title { get; set; }

    [Display(Name = "Description")]
    public string? Description { get; set; }

    [Display(Name = "Landing URL")]
    public string? LandingUrl { get; set; }

    [Display(Name = "Currency")]
    public string? Currency { get; set; } = "RUB";

    [Display(Name = "Access")]
    public OfferAccess Access { get; set; }

    [Display(Name = "Hold period, days")]
    public int? HoldDays { get; set; } = 14;

    [Display(Name = "Daily cap")]
    public int? DailyCap { get; set; }

    [Display(Name = "Monthly cap")]
    public int? MonthlyCap { get; set; }

    [Display(Name = "Daily cap per webmaster")]
    public int? WebmasterDailyCap { get; set; }

    [Display(Name = "Monthly cap per webmaster")]
    public int? WebmasterMonthlyCap { get; set; }

    [Display(Name = "Regions")]
    public List<string> Regions { get; set; } = [];

    public List<GoalFormModel> Goals { get; set; } = [];

    /// <summary>Index of the default goal row (a radio group across rows).</summary>
    public int DefaultGoal { get; set; }

    public static OfferFormModel New() => new() { Goals = [new GoalFormModel { Code = "lead", Name = "Lead", Model = PayoutModel.Cpl }] };

    public static OfferFormModel From(OfferDto offer) => new()
    {
        NicheCode = offer.NicheCode,
        Title = offer.Title,
        Description = offer.Description,
        LandingUrl = offer.LandingUrl,
        Currency = offer.Currency,
        Access = offer.Access,
        HoldDays = offer.HoldDays,
        DailyCap = offer.DailyCap,
        MonthlyCap = offer.MonthlyCap,
        WebmasterDailyCap = offer.WebmasterDailyCap,
        WebmasterMonthlyCap = offer.WebmasterMonthlyCap,
        Regions = offer.Regions.ToList(),
        DefaultGoal = Math.Max(0, offer.Goals.ToList().FindIndex(g => g.IsDefault)),
        Goals = offer.Goals.Select(g => g.AdvertiserPercent is not null
            ? new GoalFormModel
            {
                Code = g.Code, Name = g.Name, Model = g.Model, Unit = PayoutUnit.Percent,
                AdvertiserPayout = Percent(g.AdvertiserPercent), WebmasterPayout = Percent(g.WebmasterPercent),
            }
            : new GoalFormModel
            {
                Code = g.Code, Name = g.Name, Model = g.Model, Unit = PayoutUnit.Amount,
                AdvertiserPayout = Display.Major(g.AdvertiserAmount, offer.Currency), WebmasterPayout = Display.Major(g.WebmasterAmount, offer.Currency),
            }).ToList(),
    };

    private static string? Percent(decimal? value) => value?.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// The application input, with payouts in minor units (or percents). Unparseable payouts become
    /// field errors in <paramref name="modelState"/> under <paramref name="prefix"/>, and the answer is null.
    /// </summary>
    public OfferInput? ToInput(ModelStateDictionary modelState, string prefix)
    {
        var currency = Currency ?? "";
        var goals = new List<GoalInput>();
        var ok = true;
        for (var i = 0; i < Goals.Count; i++)
        {
            var row = Goals[i];
            var goal = new GoalInput { Code = row.Code ?? "", Name = row.Name ?? "", Model = row.Model, IsDefault = i == DefaultGoal };
            if (row.Unit == PayoutUnit.Percent)
                goal = goal with
                {
                    AdvertiserPercent = Percent(row.AdvertiserPayout, $"Goals[{i}].AdvertiserPayout") ?? 0,
                    WebmasterPercent = Percent(row.WebmasterPayout, $"Goals[{i}].WebmasterPayout") ?? 0,
                };
            else
                goal = goal with
                {
                    AdvertiserAmount = Amount(row.AdvertiserPayout, $"Goals[{i}].AdvertiserPayout") ?? 0,
                    WebmasterAmount = Amount(row.WebmasterPayout, $"Goals[{i}].WebmasterPayout") ?? 0,
                };
            goals.Add(goal);
        }
        if (!ok) return null;
        return new OfferInput
        {
            NicheCode = NicheCode ?? "",
            Title = Title ?? "",
            Description = Description,
            LandingUrl = LandingUrl ?? "",
            Currency = currency,
            Access = Access,
            HoldDays = HoldDays ?? 0,
            DailyCap = DailyCap,
            MonthlyCap = MonthlyCap,
            WebmasterDailyCap = WebmasterDailyCap,
            WebmasterMonthlyCap = WebmasterMonthlyCap,
            Regions = Regions,
            Goals = goals,
        };

        decimal? Percent(string? text, string field)
        {
            if (MajorUnits.TryParse(text, out var value, out var error)) return value;
            Fail(field, error!);
            return null;
        }

        long? Amount(string? text, string field)
        {
            if (MajorUnits.TryParseMoney(text, currency, out var minor, out var error)) return minor;
            Fail(field, error!);
            return null;
        }

        void Fail(string field, string error)
        {
            modelState.AddModelError($"{prefix}.{field}", error);
            ok = false;
        }
    }

    /// <summary>The form field an application error belongs to: amounts and percents are one payout input per side.</summary>
    public static string FieldName(string applicationField) =>
        Regex.Replace(applicationField, @"\.(Advertiser|Webmaster)(Amount|PercentBp)$", ".$1Payout");
}

public sealed record OfferFormPage(Guid? Id, OfferFormModel Form, IReadOnlyList<NicheDto> Niches, IReadOnlyList<RegionDto> Regions);

/// <summary>One row of the goals editor; Index is "__i__" in the template the script clones.</summary>
public sealed record GoalRowView(string Index, GoalFormModel Row, bool IsDefault, string Prefix = "Form");

public sealed class OfferListFilter
{
    public OfferStatus? Status { get; set; }
    public string? Niche { get; set; }
    public string? Search { get; set; }
    public int? Page { get; set; }
}

public sealed record OfferListPage(OfferListFilter Filter, PagedResult<OfferDto> Offers, IReadOnlyList<NicheDto> Niches);

public sealed class CatalogFilter
{
    public string? Niche { get; set; }
    public string? Region { get; set; }
    public PayoutModel? Model { get; set; }
    /// <summary>Minimum webmaster payout in major units, as typed.</summary>
    public string? MinPayout { get; set; }
    public string? Search { get; set; }
    public OfferSort Sort { get; set; }
    public int? Page { get; set; }
}

public sealed record CatalogPage(CatalogFilter Filter, PagedResult<OfferDto> Offers, IReadOnlyList<NicheDto> Niches, IReadOnlyList<RegionDto> Regions);

public sealed record OfferDetailsPage(OfferDto Offer, IReadOnlyList<RegionDto> AllRegions, PagedResult<ParticipationDto>? Participants = null)
{
    public string RegionName(string code) =>
        AllRegions.FirstOrDefault(r => r.Code == code) is { } region ? $"{region.Name} ({code})" : code;
}

public sealed record ParticipationsPage(ParticipationStatus? Status, Guid? OfferId, PagedResult<ParticipationDto> Items, IReadOnlyList<OfferDto> Offers);

/// <summary>The participations table, with approve/reject buttons for the advertiser.</summary>
public sealed record ParticipationsTable(IReadOnlyList<ParticipationDto> Items, bool ShowOffer, string ReturnUrl);

public sealed record LinksPage(ParticipationStatus? Status, PagedResult<ParticipationDto> Items);

/// <summary>A tracking link with its copy button and, optionally, the sub-id builder.</summary>
public sealed record TrackingLinkView(string Url, string Id, bool SubIdBuilder);

/// <summary>The goals table of an offer; the advertiser also sees what they pay.</summary>
public sealed record GoalsTableView(OfferDto Offer, bool ForAdvertiser);
