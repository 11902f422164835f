using LeadExchange.Application.Disputes;
using LeadExchange.Application.Reference;
using LeadExchange.Web.Models;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace LeadExchange.Web.Areas.Webmaster.Controllers;

/// <summary>Disputes about the webmaster's sold leads: reason, comment, status and the decision; never who the buyer is.</summary>
public sealed class DisputesController(IMediator mediator) : WebmasterController(mediator)
{
    [HttpGet]
    public async Task<IActionResult> Index(int? page, CancellationToken ct) =>
        View(new SellerDisputesPage(await Mediator.Send(new ListDisputesQuery(Page: page), ct),
            await Mediator.Send(new ListNichesQuery(IncludeInactive: true), ct)));
}
