using System.ComponentModel.DataAnnotations;
using LeadExchange.Application.Common.Interfaces;
using LeadExchange.Application.Common.Models;
using LeadExchange.Application.Reference;
using LeadExchange.Domain.Reference;

namespace LeadExchange.Web.Models;

/// <summary>One row of the niche fields editor; choices are typed comma-separated.</summary>
public sealed class NicheFieldFormModel
{
    public string? Key { get; set; }
    public string? Label { get; set; }
    public LeadFieldType Type { get; set; }
    public bool Required { get; set; }
    public string? Choices { get; set; }
}

public sealed class NicheFormModel
{
    [Display(Name = "Code")]
    public string? Code { get; set; }

    [Display(Name = "Name")]
    public string? Name { get; set; }

    [Display(Name = "Description")]
    public string? Description { get; set; }

    [Display(Name = "Currency")]
    public string? Currency { get; set; } = "RUB";

    [Display(Name = "Dedup window, days")]
    public int DedupWindowDays { get; set; } = 30;

    [Display(Name = "Dispute window, hours")]
    public int DisputeWindowHours { get; set; } = 72;

    [Display(Name = "Unsold leads expire after, days")]
    public int LeadExpiryDays { get; set; } = 14;

    [Display(Name = "Max buyers of a shared lead")]
    public int MaxSharedBuyers { get; set; } = 3;

    [Display(Name = "Hot from score")]
    public int HotThreshold { get; set; } = 70;

    [Display(Name = "Warm from score")]
    public int WarmThreshold { get; set; } = 40;

    [Display(Name = "Consent text")]
    public string? ConsentText { get; set; }

    [Display(Name = "Active")]
    public bool IsActive { get; set; } = true;

    public List<NicheFieldFormModel> Fields { get; set; } = [];

    /// <summary>Points each scoring signal gives in this niche.</summary>
    public LeadExchange.Domain.Leads.ScoringWeights Weights { get; set; } = LeadExchange.Domain.Leads.ScoringWeights.Default;

    public static string WeightLabel(string name) => name switch
    {
        "MobilePhone" => "Mobile phone",
        "LandlinePhone" => "Landline phone",
        "Email" => "Email given",
        "Completeness" => "Optional fields filled",
        "ConsentEvidence" => "Consent page and IP",
        "TimeframeNow" => "Timeframe: now",
        "TimeframeSoon" => "Timeframe: soon",
        "Budget" => "Budget given",
        "HumanFillTime" => "Human fill time",
        "SellerQuality" => "Seller quality",
        _ => name,
    };

    public static NicheFormModel From(NicheDto n) => new()
    {
        Code = n.Code, Name = n.Name, Description = n.Description, Currency = n.Currency, DedupWindowDays = n.DedupWindowDays,
        DisputeWindowHours = n.DisputeWindowHours, LeadExpiryDays = n.LeadExpiryDays, MaxSharedBuyers = n.MaxSharedBuyers,
        HotThreshold = n.HotThreshold, WarmThreshold = n.WarmThreshold, ConsentText = n.ConsentText, IsActive = n.IsActive,
        Weights = n.Weights ?? LeadExchange.Domain.Leads.ScoringWeights.Default,
        Fields = n.Fields.Select(f => new NicheFieldFormModel
        {
            Key = f.Key, Label = f.Label, Type = f.Type, Required = f.Required,
            Choices = f.Choices is null ? null : string.Join(", ", f.Choices),
        }).ToList(),
    };

    public NicheDto ToDto() => new(
        Code ?? "", Name ?? "", Description, Currency ?? "", DedupWindowDays, DisputeWindowHours, LeadExpiryDays, MaxSharedBuyers,
        HotThreshold, WarmThreshold, ConsentText ?? "",
        Fields.Select(f => new NicheField((f.Key ?? "").Trim(), (f.Label ?? "").Trim(), f.Type, f.Required,
            f.Choices?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) is { Length: > 0 } choices ? choices : null)).ToList(),
        IsActive, Weights: Weights);
}

public sealed record NicheFormPage(bool IsNew, NicheFormModel Form);

public sealed record NicheFieldRowView(string Index, NicheFieldFormModel Row, string Prefix = "Form");

public sealed class RegionFormModel
{
    [Display(Name = "Code")]
    public string? Code { get; set; }

    [Display(Name = "Name")]
    public string? Name { get; set; }

    [Display(Name = "Name in Russian")]
    public string? NameRu { get; set; }

    [Display(Name = "Country (for a subdivision)")]
    public string? ParentCode { get; set; }

    [Display(Name = "Active")]
    public bool IsActive { get; set; } = true;

    public static RegionFormModel From(RegionDto r) =>
        new() { Code = r.Code, Name = r.Name, NameRu = r.NameRu, ParentCode = r.ParentCode, IsActive = r.IsActive };
}

public sealed record RegionFormPage(bool IsNew, RegionFormModel Form, IReadOnlyList<RegionDto> Countries);

public sealed record RegionsPage(string? Country, IReadOnlyList<RegionDto> Regions, IReadOnlyList<RegionDto> Countries);

public sealed record UsersPage(string? Search, string? Role, PagedResult<UserSummary> Users);

public sealed record AdminDashboard(int Niches, int ActiveNiches, int Regions, int Users, DashboardPage Activity);
