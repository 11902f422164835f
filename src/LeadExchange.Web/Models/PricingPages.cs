using System.ComponentModel.DataAnnotations;
using System.Globalization;
using LeadExchange.Application.Common.Models;
using LeadExchange.Application.Pricing;
using LeadExchange.Application.Pricing.Commands;
using LeadExchange.Application.Pricing.Queries;
using LeadExchange.Application.Reference;
using LeadExchange.Domain.Pricing;
using LeadExchange.Domain.Reference;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace LeadExchange.Web.Models;

/// <summary>How pricing values read on pages, and how typed factors are parsed (exactly, as decimals).</summary>
public static class PricingDisplay
{
    public static readonly IReadOnlyList<string> MonthNames = CultureInfo.InvariantCulture.DateTimeFormat.MonthNames.Take(12).ToList();

    public static string Month(int month) => month is >= 1 and <= 12 ? MonthNames[month - 1] : month.ToString(CultureInfo.InvariantCulture);

    public static string ShortMonth(int month) => CultureInfo.InvariantCulture.DateTimeFormat.GetAbbreviatedMonthName(month);

    /// <summary>A factor as typed back into a form and shown in tables: "2.4", "0.85", "1.0".</summary>
    public static string Factor(decimal factor) => NichePriceSettings.Normalize(factor).ToString("0.0###", CultureInfo.InvariantCulture);

    public static string Temperature(Temperature t) => t.ToString().ToLowerInvariant();

    public static string Niche(string code) => code == GeoFactor.AllNiches ? "All niches" : code;

    /// <summary>A factor as people type it ("1.5", "0,85"); null text is "no value".</summary>
    public static bool TryParseFactor(string? text, out decimal? value, out string? error)
    {
        value = null;
        error = null;
        if (string.IsNullOrWhiteSpace(text)) return true;
        var normalized = text.Trim().Replace(',', '.');
        if (!decimal.TryParse(normalized, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed))
        {
            error = "Enter a number, e.g. 1.25.";
            return false;
        }
        value = parsed;
        return true;
    }
}

/// <summary>Collects form parse errors into ModelState under one prefix, so they show beside their fields.</summary>
public sealed class FormErrors(ModelStateDictionary modelState, string prefix)
{
    public bool Ok { get; private set; } = true;

    public void Fail(string field, string message)
    {
        modelState.AddModelError(prefix.Length == 0 ? field : $"{prefix}.{field}", message);
        Ok = false;
    }

    public long? Money(string? text, string currency, string field, bool required = true)
    {
        if (!MajorUnits.TryParseMoney(text, currency, out var minor, out var error)) Fail(field, error!);
        else if (minor is null && required) Fail(field, "Enter an amount.");
        return minor;
    }

    public decimal? Factor(string? text, string field, string missing = "Enter a factor, e.g. 1.0.")
    {
        if (!PricingDisplay.TryParseFactor(text, out var value, out var error)) Fail(field, error!);
        else if (value is null) Fail(field, missing);
        return value;
    }

    public decimal? Percent(string? text, string field)
    {
        if (!MajorUnits.TryParse(text, out var value, out var error)) Fail(field, error!);
        else if (value is null) Fail(field, "Enter a percent, e.g. 10.");
        return value;
    }
}

public sealed class NichePricesFormModel
{
    [Display(Name = "Base price")]
    public string? BasePrice { get; set; }

    [Display(Name = "Floor")]
    public string? FloorPrice { get; set; }

    [Display(Name = "Ceiling")]
    public string? CeilingPrice { get; set; }

    public static NichePricesFormModel From(NichePricingDto s) => new()
    {
        BasePrice = Display.Major(s.BasePrice, s.Currency),
        FloorPrice = Display.Major(s.FloorPrice, s.Currency),
        CeilingPrice = Display.Major(s.CeilingPrice, s.Currency),
    };

    public UpdateNichePricesCommand? ToCommand(string niche, string currency, ModelStateDictionary modelState, string prefix)
    {
        var errors = new FormErrors(modelState, prefix);
        var basePrice = errors.Money(BasePrice, currency, nameof(BasePrice));
        var floor = errors.Money(FloorPrice, currency, nameof(FloorPrice));
        var ceiling = errors.Money(CeilingPrice, currency, nameof(CeilingPrice));
        return errors.Ok ? new UpdateNichePricesCommand(niche, basePrice!.Value, floor!.Value, ceiling!.Value) : null;
    }
}

public sealed class MultipliersFormModel
{
    [Display(Name = "Hot")]
    public string? HotMultiplier { get; set; }

    [Display(Name = "Warm")]
    public string? WarmMultiplier { get; set; }

    [Display(Name = "Cold")]
    public string? ColdMultiplier { get; set; }

    public static MultipliersFormModel From(NichePricingDto s) => new()
    {
        HotMultiplier = PricingDisplay.Factor(s.HotMultiplier),
        WarmMultiplier = PricingDisplay.Factor(s.WarmMultiplier),
        ColdMultiplier = PricingDisplay.Factor(s.ColdMultiplier),
    };

    public UpdateTemperatureMultipliersCommand? ToCommand(string niche, ModelStateDictionary modelState, string prefix)
    {
        var errors = new FormErrors(modelState, prefix);
        var hot = errors.Factor(HotMultiplier, nameof(HotMultiplier));
        var warm = errors.Factor(WarmMultiplier, nameof(WarmMultiplier));
        var cold = errors.Factor(ColdMultiplier, nameof(ColdMultiplier));
        return errors.Ok ? new UpdateTemperatureMultipliersCommand(niche, hot!.Value, warm!.Value, cold!.Value) : null;
    }
}

public sealed class SeasonFormModel
{
    /// <summary>Twelve factors, January first.</summary>
    public List<string?> SeasonFactors { get; set; } = [];

    public static SeasonFormModel From(NichePricingDto s) => new() { SeasonFactors = s.SeasonFactors.Select(f => (string?)PricingDisplay.Factor(f)).ToList() };

    public UpdateSeasonCurveCommand? ToCommand(string niche, ModelStateDictionary modelState, string prefix)
    {
        var errors = new FormErrors(modelState, prefix);
        var factors = new List<decimal>();
        for (var i = 0; i < NichePriceSettings.Months; i++)
            if (errors.Factor(i < SeasonFactors.Count ? SeasonFactors[i] : null, $"{nameof(SeasonFactors)}[{i}]", "Enter a factor (1.0 = an average month).") is { } f)
                factors.Add(f);
        return errors.Ok ? new UpdateSeasonCurveCommand(niche, factors) : null;
    }
}

/// <summary>The admin page of one niche's prices: the three forms, the preview table and the niche's recent changes.</summary>
public sealed record NichePricingPage(
    NichePricingDto Settings, NichePricesFormModel Prices, MultipliersFormModel Multipliers, SeasonFormModel Season,
    PriceTableDto Preview, string? Country, IReadOnlyList<RegionDto> Countries, PagedResult<PricingChangeDto> Changes);

public sealed record PricingIndexPage(IReadOnlyList<NichePricingDto> Niches, PagedResult<PricingChangeDto> Changes, IReadOnlyList<DemandFactorDto> Demand);

public sealed class GeoFactorFormModel
{
    [Display(Name = "Region")]
    public string? Region { get; set; }

    [Display(Name = "Niche")]
    public string? Niche { get; set; }

    [Display(Name = "Factor")]
    public string? Factor { get; set; }

    public SetGeoFactorCommand? ToCommand(ModelStateDictionary modelState, string prefix)
    {
        var errors = new FormErrors(modelState, prefix);
        if (string.IsNullOrWhiteSpace(Region)) errors.Fail(nameof(Region), "Choose a region.");
        var factor = errors.Factor(Factor, nameof(Factor));
        return errors.Ok ? new SetGeoFactorCommand(Region!, Niche, factor!.Value) : null;
    }
}

public sealed record GeoFactorsPage(
    string? Niche, IReadOnlyList<GeoFactorDto> Factors, GeoFactorFormModel Form, IReadOnlyList<RegionDto> Regions, IReadOnlyList<NicheDto> Niches);

public sealed record PricingChangesPage(string? Niche, PagedResult<PricingChangeDto> Changes, IReadOnlyList<NicheDto> Niches);

/// <summary>The quote form (GET, so a quote is a link): empty niche = nothing asked yet.</summary>
public sealed class QuoteFormModel
{
    [Display(Name = "Niche")]
    public string? Niche { get; set; }

    [Display(Name = "Region")]
    public string? Region { get; set; }

    [Display(Name = "Lead temperature")]
    public string? Temperature { get; set; }

    [Display(Name = "Month")]
    public int? Month { get; set; }

    public bool Asked => !string.IsNullOrWhiteSpace(Niche) || !string.IsNullOrWhiteSpace(Region);
}

public sealed record QuotePage(QuoteFormModel Form, IReadOnlyList<NicheDto> Niches, IReadOnlyList<RegionDto> Regions, PriceQuoteDto? Quote);

/// <summary>The forecast form (GET). The budget is typed in major units of the niche's currency.</summary>
public sealed class ForecastFormModel
{
    [Display(Name = "Niche")]
    public string? Niche { get; set; }

    [Display(Name = "Regions")]
    public List<string> Regions { get; set; } = [];

    [Display(Name = "Monthly budget")]
    public string? Budget { get; set; }

    [Display(Name = "Month")]
    public int? Month { get; set; }

    [Display(Name = "Lead temperature")]
    public string? Temperature { get; set; }

    public bool Asked => !string.IsNullOrWhiteSpace(Niche) || Regions.Count > 0 || !string.IsNullOrWhiteSpace(Budget);

    public GetLeadForecastQuery? ToQuery(string currency, ModelStateDictionary modelState)
    {
        var errors = new FormErrors(modelState, "Form");
        var budget = errors.Money(Budget, currency, nameof(Budget));
        return errors.Ok ? new GetLeadForecastQuery(Niche, Regions, budget, Month, Temperature) : null;
    }

    /// <summary>The form field of an application error.</summary>
    public static string FieldName(string applicationField) => applicationField == nameof(GetLeadForecastQuery.MonthlyBudget) ? nameof(Budget) : applicationField;
}

/// <summary>The funnel form (GET): percents as typed (10 = 10%), money in major units.</summary>
public sealed class FunnelFormModel
{
    [Display(Name = "Visits per month")]
    public long? Visits { get; set; }

    [Display(Name = "Site conversion, %")]
    public string? SiteConversionPercent { get; set; }

    [Display(Name = "Close rate, %")]
    public string? CloseRatePercent { get; set; }

    [Display(Name = "Cost per lead")]
    public string? CostPerLead { get; set; }

    [Display(Name = "Margin per client")]
    public string? MarginPerClient { get; set; }

    public bool Asked => Visits is not null || !string.IsNullOrWhiteSpace(SiteConversionPercent) || !string.IsNullOrWhiteSpace(CostPerLead);

    /// <summary>The seeds' example: 50,000 visits x 10% -> 5,000 leads x 10% -> 500 clients; a client brings 2,000.</summary>
    public static FunnelFormModel SeedExample(long? costPerLead, string currency) => new()
    {
        Visits = 50_000,
        SiteConversionPercent = "10",
        CloseRatePercent = "10",
        CostPerLead = costPerLead is { } c ? Display.Major(c, currency) : null,
        MarginPerClient = Display.Major(2_000_00, currency),
    };

    public CalculateFunnelQuery? ToQuery(string currency, ModelStateDictionary modelState)
    {
        var errors = new FormErrors(modelState, "Funnel");
        if (Visits is null) errors.Fail(nameof(Visits), "Enter the visits per month.");
        var conversion = errors.Percent(SiteConversionPercent, nameof(SiteConversionPercent));
        var close = errors.Percent(CloseRatePercent, nameof(CloseRatePercent));
        var cost = errors.Money(CostPerLead, currency, nameof(CostPerLead));
        var margin = errors.Money(MarginPerClient, currency, nameof(MarginPerClient), required: false);
        return errors.Ok ? new CalculateFunnelQuery(Visits, conversion, close, cost, margin ?? 0) : null;
    }
}

public sealed record ForecastPage(
    ForecastFormModel Form, FunnelFormModel Funnel, string Currency, IReadOnlyList<NicheDto> Niches, IReadOnlyList<RegionDto> Regions,
    LeadForecastDto? Forecast, FunnelResult? FunnelResult);
