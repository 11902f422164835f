using LeadExchange.Application.Common.Interfaces;
using LeadExchange.Application.Common.Validation;
using LeadExchange.Domain.Pricing;
using MediatR;

namespace LeadExchange.Application.Pricing.Queries;

/// <summary>
/// The seeds' funnel: visits x site conversion -> leads x close rate -> clients, with lead spend, cost per client
/// and ROI against the margin a client brings. Percents as typed (10 = 10%); money in minor units.
/// </summary>
public sealed record CalculateFunnelQuery(long? Visits, decimal? SiteConversionPercent, decimal? CloseRatePercent, long? CostPerLead, long? MarginPerClient)
    : IRequest<FunnelResult>
{
    public FunnelInputs ToInputs() => new(Visits ?? 0, SiteConversionPercent ?? 0, CloseRatePercent ?? 0, CostPerLead ?? 0, MarginPerClient ?? 0);
}

public sealed class CalculateFunnelValidator : IValidator<CalculateFunnelQuery>
{
    public Task<IReadOnlyList<(string Field, string Message)>> ValidateAsync(CalculateFunnelQuery request, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        if (request.Visits is null) errors.Add(nameof(request.Visits), "Visits per month are required.");
        if (request.SiteConversionPercent is null) errors.Add(nameof(request.SiteConversionPercent), "Site conversion is required.");
        if (request.CloseRatePercent is null) errors.Add(nameof(request.CloseRatePercent), "Close rate is required.");
        if (request.CostPerLead is null) errors.Add(nameof(request.CostPerLead), "Cost per lead is required.");
        errors.AddRange(FunnelCalculator.Validate(request.ToInputs()).Where(e => errors.Errors.All(x => x.Field != e.Field)));
        return Task.FromResult(errors.Errors);
    }
}

public sealed class CalculateFunnelHandler(ICurrentUser user) : IRequestHandler<CalculateFunnelQuery, FunnelResult>
{
    public Task<FunnelResult> Handle(CalculateFunnelQuery request, CancellationToken cancellationToken)
    {
        user.RequireUserId();
        return Task.FromResult(FunnelCalculator.Calculate(request.ToInputs()));
    }
}
