using LeadExchange.Application.Offers.Commands;
using LeadExchange.Application.Offers.Queries;
using LeadExchange.Application.Reference;
using LeadExchange.Web.Models;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace LeadExchange.Web.Areas.Webmaster.Controllers;

/// <summary>The offer catalog: browse, read an offer, join it and get its tracking link.</summary>
public sealed class OffersController(IMediator mediator) : WebmasterController(mediator)
{
    [HttpGet]
    public async Task<IActionResult> Index([FromQuery] CatalogFilter filter, CancellationToken ct)
    {
        // Payouts are compared in minor units; every supported currency has two decimals.
        if (!MajorUnits.TryParseMoney(filter.MinPayout, "RUB", out var minPayout, out var error))
            ModelState.AddModelError(nameof(CatalogFilter.MinPayout), error!);
        var offers = await Mediator.Send(new ListOffersQuery(filter.Niche, filter.Region, filter.Model, minPayout, Search: filter.Search,
            Sort: filter.Sort, Page: filter.Page), ct);
        return View(new CatalogPage(filter, offers, await Mediator.Send(new ListNichesQuery(), ct), await Mediator.Send(new ListRegionsQuery(), ct)));
    }

    [HttpGet]
    public async Task<IActionResult> Details(Guid id, CancellationToken ct) =>
        View(new OfferDetailsPage(await Mediator.Send(new GetOfferQuery(id), ct), await Mediator.Send(new ListRegionsQuery(IncludeInactive: true), ct)));

    [HttpPost]
    public async Task<IActionResult> Join(Guid id, CancellationToken ct)
    {
        var result = await Mediator.Send(new JoinOfferCommand(id), ct);
        Notice(result.TrackingUrl is not null
            ? "You are in: your tracking link is below."
            : "Request sent: the advertiser approves webmasters for this offer; your link appears here once approved.");
        return RedirectToAction(nameof(Details), new { id });
    }
}
