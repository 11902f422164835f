using LeadExchange.Application.Common.Interfaces;
using LeadExchange.Application.Common.Validation;
using MediatR;

namespace LeadExchange.Application.Pricing.Queries;

/// <summary>"What would a lead of niche N in region R cost": temperature defaults to warm, month to the current UTC month.</summary>
public sealed record GetPriceQuoteQuery(string? Niche, string? Region, string? Temperature = null, int? Month = null) : IRequest<PriceQuoteDto>;

public sealed class GetPriceQuoteValidator(IAppDbContext db, PricingTablesCache cache) : IValidator<GetPriceQuoteQuery>
{
    public async Task<IReadOnlyList<(string Field, string Message)>> ValidateAsync(GetPriceQuoteQuery request, CancellationToken ct)
    {
        var tables = await cache.GetAsync(db, request.Niche, [request.Region], ct);
        return new ValidationErrors().CheckNiche(tables, request.Niche).CheckRegion(tables, request.Region)
            .CheckTemperature(request.Temperature).CheckMonth(request.Month).Errors;
    }
}

public sealed class GetPriceQuoteHandler(IAppDbContext db, PricingTablesCache cache, ICurrentUser user, IClock clock)
    : IRequestHandler<GetPriceQuoteQuery, PriceQuoteDto>
{
    public async Task<PriceQuoteDto> Handle(GetPriceQuoteQuery request, CancellationToken cancellationToken)
    {
        user.RequireUserId();
        var tables = await cache.GetAsync(db, request.Niche, [request.Region], cancellationToken);
        var quote = tables.Quote(tables.Niche(request.Niche)!, tables.Region(request.Region)!,
            PricingInput.TemperatureOrWarm(request.Temperature), request.Month ?? clock.UtcNow.Month);
        return PriceQuoteDto.From(quote);
    }
}
