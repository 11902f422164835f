using LeadExchange.Application.Common.Models;
using LeadExchange.Application.Pricing;
using LeadExchange.Application.Pricing.Commands;
using LeadExchange.Application.Pricing.Queries;
using LeadExchange.Domain.Identity;
using LeadExchange.Domain.Pricing;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace LeadExchange.Web.Api;

[Route("api/v1/pricing")]
public sealed class PricingController(IMediator mediator) : ApiControllerBase(mediator)
{
    /// <summary>What a lead of the niche in the region costs (temperature default warm, month default the current UTC month), with its breakdown.</summary>
    [HttpGet("quote")]
    public Task<PriceQuoteDto> Quote([FromQuery] string? niche, [FromQuery] string? region, [FromQuery] string? temperature,
        [FromQuery] int? month, CancellationToken ct) =>
        Mediator.Send(new GetPriceQuoteQuery(niche, region, temperature, month), ct);

    /// <summary>Expected leads and spend per month for a budget split across regions (repeat regions= or separate by commas).</summary>
    [HttpGet("forecast")]
    [Authorize(AuthenticationSchemes = Infrastructure.ApiKeyAuthenticationHandler.SchemeName, Roles = Roles.Advertiser + "," + Roles.Admin)]
    public Task<LeadForecastDto> Forecast([FromQuery] string? niche, [FromQuery] string[]? regions, [FromQuery] long? monthlyBudget,
        [FromQuery] int? month, [FromQuery] string? temperature, CancellationToken ct) =>
        Mediator.Send(new GetLeadForecastQuery(niche, SplitList(regions), monthlyBudget, month, temperature), ct);

    /// <summary>visits x site conversion -> leads x close rate -> clients, with cost per client and ROI.</summary>
    [HttpGet("funnel")]
    public Task<FunnelResult> Funnel([FromQuery] long? visits, [FromQuery] decimal? siteConversionPercent, [FromQuery] decimal? closeRatePercent,
        [FromQuery] long? costPerLead, [FromQuery] long? marginPerClient, CancellationToken ct) =>
        Mediator.Send(new CalculateFunnelQuery(visits, siteConversionPercent, closeRatePercent, costPerLead, marginPerClient), ct);

    internal static IReadOnlyList<string> SplitList(IEnumerable<string?>? values) =>
        (values ?? []).SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
}

public sealed record NichePricesRequest(long BasePrice, long FloorPrice, long CeilingPrice);

public sealed record SeasonCurveRequest(IReadOnlyList<decimal>? SeasonFactors);

public sealed record TemperatureMultipliersRequest(decimal HotMultiplier, decimal WarmMultiplier, decimal ColdMultiplier);

/// <summary><see cref="Niche"/> null or "*" = the factor for all niches without their own.</summary>
public sealed record GeoFactorRequest(string? Niche, decimal Factor);

/// <summary>Admin: the price tables, their preview, geo and demand factors and the audit of changes.</summary>
[Route("api/v1/admin/pricing")]
[Authorize(AuthenticationSchemes = Infrastructure.ApiKeyAuthenticationHandler.SchemeName, Roles = Roles.Admin)]
public sealed class AdminPricingController(IMediator mediator) : ApiControllerBase(mediator)
{
    [HttpGet("niches")]
    public Task<IReadOnlyList<NichePricingDto>> Niches(CancellationToken ct) => Mediator.Send(new ListNichePricingQuery(), ct);

    [HttpGet("niches/{niche}")]
    public Task<NichePricingDto> Niche(string niche, CancellationToken ct) => Mediator.Send(new GetNichePricingQuery(niche), ct);

    [HttpPut("niches/{niche}/prices")]
    public async Task<NichePricingDto> Prices(string niche, NichePricesRequest r, CancellationToken ct)
    {
        await Mediator.Send(new UpdateNichePricesCommand(niche, r.BasePrice, r.FloorPrice, r.CeilingPrice), ct);
        return await Mediator.Send(new GetNichePricingQuery(niche), ct);
    }

    [HttpPut("niches/{niche}/season")]
    public async Task<NichePricingDto> Season(string niche, SeasonCurveRequest r, CancellationToken ct)
    {
        await Mediator.Send(new UpdateSeasonCurveCommand(niche, r.SeasonFactors), ct);
        return await Mediator.Send(new GetNichePricingQuery(niche), ct);
    }

    [HttpPut("niches/{niche}/temperature")]
    public async Task<NichePricingDto> Temperature(string niche, TemperatureMultipliersRequest r, CancellationToken ct)
    {
        await Mediator.Send(new UpdateTemperatureMultipliersCommand(niche, r.HotMultiplier, r.WarmMultiplier, r.ColdMultiplier), ct);
        return await Mediator.Send(new GetNichePricingQuery(niche), ct);
    }

    /// <summary>The preview: every active region (of <paramref name="country"/>, or all) x hot/warm/cold for a month.</summary>
    [HttpGet("niches/{niche}/table")]
    public Task<PriceTableDto> Table(string niche, [FromQuery] int? month, [FromQuery] string? country, CancellationToken ct) =>
        Mediator.Send(new GetPriceTableQuery(niche, month, country), ct);

    [HttpGet("geo")]
    public Task<IReadOnlyList<GeoFactorDto>> Geo([FromQuery] string? niche, CancellationToken ct) => Mediator.Send(new ListGeoFactorsQuery(niche), ct);

    [HttpPut("geo/{region}")]
    public async Task<IActionResult> SetGeo(string region, GeoFactorRequest r, CancellationToken ct)
    {
        var changed = await Mediator.Send(new SetGeoFactorCommand(region, r.Niche, r.Factor), ct);
        return Ok(new { region = region.Trim().ToUpperInvariant(), niche = string.IsNullOrWhiteSpace(r.Niche) ? GeoFactor.AllNiches : r.Niche.Trim().ToLowerInvariant(), factor = r.Factor, changed });
    }

    /// <summary>Removes the region's own factor (for <paramref name="niche"/>, or the all-niches one): it inherits from its parent again.</summary>
    [HttpDelete("geo/{region}")]
    public async Task<IActionResult> RemoveGeo(string region, [FromQuery] string? niche, CancellationToken ct)
    {
        await Mediator.Send(new RemoveGeoFactorCommand(region, niche), ct);
        return NoContent();
    }

    [HttpGet("demand")]
    public Task<IReadOnlyList<DemandFactorDto>> Demand([FromQuery] string? niche, CancellationToken ct) => Mediator.Send(new ListDemandFactorsQuery(niche), ct);

    /// <summary>Recomputes the demand factors now (the background jobs also do, every Jobs:DemandRecomputeEveryMinutes).</summary>
    [HttpPost("demand/recompute")]
    public async Task<IActionResult> RecomputeDemand(CancellationToken ct) =>
        Ok(new { changed = await Mediator.Send(new RecomputeDemandCommand(), ct) });

    [HttpGet("changes")]
    public Task<PagedResult<PricingChangeDto>> Changes([FromQuery] string? niche, [FromQuery] int? page, [FromQuery] int? pageSize, CancellationToken ct) =>
        Mediator.Send(new ListPricingChangesQuery(niche, page, pageSize), ct);
}
