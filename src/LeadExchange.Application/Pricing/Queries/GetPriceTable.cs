using LeadExchange.Application.Common.Exceptions;
using LeadExchange.Application.Common.Interfaces;
using LeadExchange.Application.Common.Validation;
using LeadExchange.Domain.Reference;
using MediatR;

namespace LeadExchange.Application.Pricing.Queries;

/// <summary>
/// The preview of a niche's price list: every active region (of one country, or all) x hot/warm/cold for a month
/// (default: the current UTC month), with the geo factor used and whether it was inherited. Read from the
/// database, not the cache: the admin previews what was just saved.
/// </summary>
public sealed record GetPriceTableQuery(string Niche, int? Month = null, string? Country = null) : IRequest<PriceTableDto>;

public sealed class GetPriceTableValidator : IValidator<GetPriceTableQuery>
{
    public Task<IReadOnlyList<(string Field, string Message)>> ValidateAsync(GetPriceTableQuery request, CancellationToken ct) =>
        Task.FromResult(new ValidationErrors().CheckMonth(request.Month).Errors);
}

public sealed class GetPriceTableHandler(IAppDbContext db, ICurrentUser user, IClock clock)
    : IRequestHandler<GetPriceTableQuery, PriceTableDto>
{
    public async Task<PriceTableDto> Handle(GetPriceTableQuery request, CancellationToken cancellationToken)
    {
        user.RequireUserId();
        var tables = await PricingTables.LoadAsync(db, cancellationToken);
        var niche = tables.Niche(request.Niche) ?? throw new NotFoundException("Niche");
        var month = request.Month ?? clock.UtcNow.Month;
        var country = string.IsNullOrWhiteSpace(request.Country) ? null : request.Country.Trim().ToUpperInvariant();
        var rows = tables.Regions.Values
            .Where(r => r.IsActive && (country is null || r.CountryCode == country))
            // Countries first, each followed by its subdivisions (as the region lists elsewhere).
            .OrderBy(r => r.CountryCode, StringComparer.Ordinal).ThenBy(r => r.ParentCode is null ? 0 : 1).ThenBy(r => r.Name, StringComparer.CurrentCulture)
            .Select(region =>
            {
                var hot = tables.Quote(niche, region, Temperature.Hot, month);
                var warm = tables.Quote(niche, region, Temperature.Warm, month);
                var cold = tables.Quote(niche, region, Temperature.Cold, month);
                return new PriceTableRowDto(region.Code, region.Name, region.ParentCode, warm.Geo.Factor, warm.Geo.RegionCode,
                    warm.Geo.Inherited(region.Code), warm.Breakdown.Demand, hot.Breakdown.Price, warm.Breakdown.Price, cold.Breakdown.Price,
                    hot.Breakdown.Clamped || warm.Breakdown.Clamped || cold.Breakdown.Clamped);
            })
            .ToList();
        return new PriceTableDto(niche.Code, niche.Name, niche.Currency, month, niche.HasOwnSettings, rows);
    }
}
