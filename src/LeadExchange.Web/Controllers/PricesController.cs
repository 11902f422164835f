using LeadExchange.Application.Common.Exceptions;
using LeadExchange.Application.Pricing.Queries;
using LeadExchange.Application.Reference;
using LeadExchange.Web.Models;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace LeadExchange.Web.Controllers;

/// <summary>The price quote page for everyone signed in: what a lead of a niche in a region costs, and why.</summary>
[Authorize]
public sealed class PricesController(IMediator mediator) : UiController(mediator)
{
    [HttpGet]
    public async Task<IActionResult> Index([FromQuery] QuoteFormModel form, CancellationToken ct)
    {
        Application.Pricing.PriceQuoteDto? quote = null;
        if (form.Asked && ModelState.IsValid)
        {
            try
            {
                quote = await Mediator.Send(new GetPriceQuoteQuery(form.Niche, form.Region, form.Temperature, form.Month), ct);
            }
            catch (ValidationException e)
            {
                ModelState.AddErrors(e, "Form");
            }
        }
        form.Month ??= UtcNow.Month;
        form.Temperature ??= "warm";
        return View(new QuotePage(form, await Mediator.Send(new ListNichesQuery(), ct), await Mediator.Send(new ListRegionsQuery(), ct), quote));
    }
}
