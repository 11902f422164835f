using LeadExchange.Domain.Pricing;
using MediatR;

namespace LeadExchange.Application.Pricing.Commands;

/// <summary>Base, floor and ceiling in minor units of the niche's currency. Answers whether anything changed.</summary>
public sealed record UpdateNichePricesCommand(string Niche, long BasePrice, long FloorPrice, long CeilingPrice) : IRequest<bool>;

public sealed class UpdateNichePricesHandler(PricingAdmin admin) : IRequestHandler<UpdateNichePricesCommand, bool>
{
    public Task<bool> Handle(UpdateNichePricesCommand request, CancellationToken cancellationToken) =>
        admin.EditNicheAsync(request.Niche, PricingChangeKind.Prices,
            s => new { basePrice = s.BasePrice, floorPrice = s.FloorPrice, ceilingPrice = s.CeilingPrice },
            s =>
            {
                s.BasePrice = request.BasePrice;
                s.FloorPrice = request.FloorPrice;
                s.CeilingPrice = request.CeilingPrice;
            },
            s => s.ValidatePrices(), cancellationToken);
}

/// <summary>The 12 monthly factors, January first.</summary>
public sealed record UpdateSeasonCurveCommand(string Niche, IReadOnlyList<decimal>? SeasonFactors) : IRequest<bool>;

public sealed class UpdateSeasonCurveHandler(PricingAdmin admin) : IRequestHandler<UpdateSeasonCurveCommand, bool>
{
    public Task<bool> Handle(UpdateSeasonCurveCommand request, CancellationToken cancellationToken) =>
        admin.EditNicheAsync(request.Niche, PricingChangeKind.Season,
            s => new { seasonFactors = s.SeasonFactors.ToList() },
            s => s.SeasonFactors = (request.SeasonFactors ?? []).Select(NichePriceSettings.Normalize).ToList(),
            s => s.ValidateSeason(), cancellationToken);
}

public sealed record UpdateTemperatureMultipliersCommand(string Niche, decimal HotMultiplier, decimal WarmMultiplier, decimal ColdMultiplier) : IRequest<bool>;

public sealed class UpdateTemperatureMultipliersHandler(PricingAdmin admin) : IRequestHandler<UpdateTemperatureMultipliersCommand, bool>
{
    public Task<bool> Handle(UpdateTemperatureMultipliersCommand request, CancellationToken cancellationToken) =>
        admin.EditNicheAsync(request.Niche, PricingChangeKind.Temperature,
            s => new { hotMultiplier = s.HotMultiplier, warmMultiplier = s.WarmMultiplier, coldMultiplier = s.ColdMultiplier },
            s =>
            {
                s.HotMultiplier = NichePriceSettings.Normalize(request.HotMultiplier);
                s.WarmMultiplier = NichePriceSettings.Normalize(request.WarmMultiplier);
                s.ColdMultiplier = NichePriceSettings.Normalize(request.ColdMultiplier);
            },
            s => s.ValidateMultipliers(), cancellationToken);
}

/// <summary>Sets a region's geo factor for one niche, or for all niches when <see cref="Niche"/> is empty or "*".</summary>
public sealed record SetGeoFactorCommand(string Region, string? Niche, decimal Factor) : IRequest<bool>;

public sealed class SetGeoFactorHandler(PricingAdmin admin) : IRequestHandler<SetGeoFactorCommand, bool>
{
    public Task<bool> Handle(SetGeoFactorCommand request, CancellationToken cancellationToken) =>
        admin.SetGeoFactorAsync(request.Region, request.Niche, request.Factor, cancellationToken);
}

/// <summary>Removes a region's own factor: it inherits from its parent again.</summary>
public sealed record RemoveGeoFactorCommand(string Region, string? Niche) : IRequest<bool>;

public sealed class RemoveGeoFactorHandler(PricingAdmin admin) : IRequestHandler<RemoveGeoFactorCommand, bool>
{
    public Task<bool> Handle(RemoveGeoFactorCommand request, CancellationToken cancellationToken) =>
        admin.SetGeoFactorAsync(request.Region, request.Niche, null, cancellationToken);
}
