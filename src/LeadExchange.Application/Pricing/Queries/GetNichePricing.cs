using LeadExchange.Application.Common.Exceptions;
using LeadExchange.Application.Common.Interfaces;
using LeadExchange.Domain.Identity;
using MediatR;

namespace LeadExchange.Application.Pricing.Queries;

/// <summary>Every niche's price settings (defaults where none is saved), by name. Admin reads skip the cache: they must show the latest.</summary>
public sealed record ListNichePricingQuery : IRequest<IReadOnlyList<NichePricingDto>>;

public sealed class ListNichePricingHandler(IAppDbContext db, ICurrentUser user)
    : IRequestHandler<ListNichePricingQuery, IReadOnlyList<NichePricingDto>>
{
    public async Task<IReadOnlyList<NichePricingDto>> Handle(ListNichePricingQuery request, CancellationToken cancellationToken)
    {
        user.RequireRole(Roles.Admin);
        var tables = await PricingTables.LoadAsync(db, cancellationToken);
        return tables.Niches.Values.OrderBy(n => n.Name, StringComparer.CurrentCulture).Select(NichePricingDto.From).ToList();
    }
}

public sealed record GetNichePricingQuery(string Niche) : IRequest<NichePricingDto>;

public sealed class GetNichePricingHandler(IAppDbContext db, ICurrentUser user)
    : IRequestHandler<GetNichePricingQuery, NichePricingDto>
{
    public async Task<NichePricingDto> Handle(GetNichePricingQuery request, CancellationToken cancellationToken)
    {
        user.RequireRole(Roles.Admin);
        var tables = await PricingTables.LoadAsync(db, cancellationToken);
        return NichePricingDto.From(tables.Niche(request.Niche) ?? throw new NotFoundException("Niche"));
    }
}
