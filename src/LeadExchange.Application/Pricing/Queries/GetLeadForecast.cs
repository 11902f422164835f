using LeadExchange.Application.Common.Interfaces;
using LeadExchange.Application.Common.Validation;
using LeadExchange.Domain.Identity;
using LeadExchange.Domain.Pricing;
using MediatR;
using Microsoft.Extensions.Options;

namespace LeadExchange.Application.Pricing.Queries;

/// <summary>
/// "How many leads and what spend per month": the budget is split evenly between the regions; each share buys
/// leads at the region's quote (temperature default warm, month default the current UTC month), at most as many as
/// the region supplied in a recent month. Without supply data the share's leads are shown unbounded and flagged.
/// </summary>
public sealed record GetLeadForecastQuery(string? Niche, IReadOnlyList<string>? Regions, long? MonthlyBudget, int? Month = null, string? Temperature = null)
    : IRequest<LeadForecastDto>;

public sealed class GetLeadForecastValidator(IAppDbContext db, PricingTablesCache cache) : IValidator<GetLeadForecastQuery>
{
    public const int MaxRegions = 50;

    public async Task<IReadOnlyList<(string Field, string Message)>> ValidateAsync(GetLeadForecastQuery request, CancellationToken ct)
    {
        var tables = await cache.GetAsync(db, request.Niche, request.Regions ?? [], ct);
        var errors = new ValidationErrors().CheckNiche(tables, request.Niche).CheckTemperature(request.Temperature).CheckMonth(request.Month);
        var regions = request.Regions?.Where(r => !string.IsNullOrWhiteSpace(r)).ToList() ?? [];
        if (regions.Count == 0) errors.Add(nameof(GetLeadForecastQuery.Regions), "Choose at least one region.");
        else if (regions.Count > MaxRegions) errors.Add(nameof(GetLeadForecastQuery.Regions), $"Choose at most {MaxRegions} regions.");
        else foreach (var region in regions) errors.CheckRegion(tables, region, nameof(GetLeadForecastQuery.Regions));
        if (request.MonthlyBudget is null) errors.Add(nameof(GetLeadForecastQuery.MonthlyBudget), "Monthly budget is required.");
        else if (request.MonthlyBudget is < 1 or > 100 * NichePriceSettings.MaxPrice)
            errors.Add(nameof(GetLeadForecastQuery.MonthlyBudget), "Monthly budget must be above 0 and at most 100,000,000.00.");
        return errors.Errors;
    }
}

public sealed class GetLeadForecastHandler(
    IAppDbContext db, PricingTablesCache cache, IDemandSignalSource signals, ICurrentUser user, IClock clock, IOptions<PricingOptions> options)
    : IRequestHandler<GetLeadForecastQuery, LeadForecastDto>
{
    private const int DaysPerMonth = 30;

    public async Task<LeadForecastDto> Handle(GetLeadForecastQuery request, CancellationToken cancellationToken)
    {
        user.RequireRole(Roles.Advertiser, Roles.Admin);
        var tables = await cache.GetAsync(db, request.Niche, request.Regions ?? [], cancellationToken);
        var niche = tables.Niche(request.Niche)!;
        var regions = request.Regions!.Where(r => !string.IsNullOrWhiteSpace(r)).Select(r => tables.Region(r)!)
            .DistinctBy(r => r.Code).ToList();
        var month = request.Month ?? clock.UtcNow.Month;
        var temperature = PricingInput.TemperatureOrWarm(request.Temperature);
        var budget = request.MonthlyBudget!.Value;
        var windowDays = Math.Max(1, options.Value.SupplyWindowDays);
        var supply = await signals.RecentSupplyAsync(niche.Code, regions.Select(r => r.Code).ToList(),
            clock.UtcNow.AddDays(-windowDays), cancellationToken);

        var share = budget / regions.Count;
        var rows = regions.Select(region =>
        {
            var price = tables.Quote(niche, region, temperature, month).Breakdown.Price;
            var affordable = price > 0 ? share / price : 0;
            int? perMonth = supply.TryGetValue(region.Code, out var recent) && recent > 0
                ? (int)Math.Round(recent * (double)DaysPerMonth / windowDays, MidpointRounding.AwayFromZero)
                : null;
            var expected = perMonth is { } available ? Math.Min(affordable, available) : affordable;
            return new ForecastRowDto(region.Code, region.Name, price, share, affordable, perMonth, expected, expected * price,
                perMonth is { } cap && cap < affordable);
        }).ToList();
        var leads = rows.Sum(r => r.ExpectedLeads);
        var spend = rows.Sum(r => r.Spend);
        return new LeadForecastDto(niche.Code, niche.Name, niche.Currency, month, temperature, budget, rows, leads, spend,
            leads > 0 ? PriceCalculator.RoundToMinor(spend / (decimal)leads) : null, rows.Any(r => r.RecentSupplyPerMonth is not null));
    }
}
