using LeadExchange.Application.Common.Exceptions;
using LeadExchange.Application.Pricing;
using LeadExchange.Application.Reference;
using LeadExchange.Domain.Pricing;
using LeadExchange.Web.Controllers;
using LeadExchange.Web.Models;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace LeadExchange.Web.Areas.Advertiser.Controllers;

/// <summary>
/// "How many leads and what spend per month" for a niche, regions and budget, and the funnel calculator from the
/// seeds (one GET form, so a forecast is a link). The funnel's cost per lead defaults to the forecast's average price.
/// </summary>
public sealed class ForecastController(IMediator mediator) : AdvertiserController(mediator)
{
    [HttpGet]
    public async Task<IActionResult> Index([FromQuery] ForecastFormModel form, [FromQuery] FunnelFormModel funnel, CancellationToken ct)
    {
        var niches = await Mediator.Send(new ListNichesQuery(), ct);
        var currency = niches.FirstOrDefault(n => n.Code == form.Niche)?.Currency ?? "RUB";
        LeadForecastDto? forecast = null;
        FunnelResult? funnelResult = null;
        if (form.Asked && form.ToQuery(currency, ModelState) is { } query)
        {
            try
            {
                forecast = await Mediator.Send(query, ct);
            }
            catch (ValidationException e)
            {
                ModelState.AddErrors(e, "Form", ForecastFormModel.FieldName);
            }
        }
        if (funnel.Asked)
        {
            if (string.IsNullOrWhiteSpace(funnel.CostPerLead) && forecast?.AveragePrice is { } average)
                funnel.CostPerLead = Display.Major(average, currency);
            if (funnel.ToQuery(currency, ModelState) is { } funnelQuery)
            {
                try
                {
                    funnelResult = await Mediator.Send(funnelQuery, ct);
                }
                catch (ValidationException e)
                {
                    ModelState.AddErrors(e, "Funnel");
                }
            }
        }
        else
        {
            funnel = FunnelFormModel.SeedExample(forecast?.AveragePrice, currency);
        }
        form.Month ??= UtcNow.Month;
        form.Temperature ??= "warm";
        return View(new ForecastPage(form, funnel, currency, niches, await Mediator.Send(new ListRegionsQuery(), ct), forecast, funnelResult));
    }
}
