using LeadExchange.Application.Buying;
using LeadExchange.Application.Common.Exceptions;
using LeadExchange.Application.Common.Models;
using LeadExchange.Application.Reference;
using LeadExchange.Web.Controllers;
using LeadExchange.Web.Models;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace LeadExchange.Web.Areas.Advertiser.Controllers;

/// <summary>
/// Webmasters' seller offers: browse with filters and seller quality, open one, subscribe with a lead order bound to
/// it (caps, budget, schedule, regions), and pause, resume or end a subscription.
/// </summary>
public sealed class SellerOffersController(IMediator mediator) : AdvertiserController(mediator)
{
    private const string FormPrefix = "Form";

    [HttpGet]
    public async Task<IActionResult> Index([FromQuery] SellerOfferBrowseFilter filter, CancellationToken ct)
    {
        var niches = await Mediator.Send(new ListNichesQuery(), ct);
        var (query, error) = filter.ToQuery(niches.FirstOrDefault(n => n.Code == filter.Niche)?.Currency ?? "RUB");
        var items = query is null ? new PagedResult<SellerOfferDto>([], 1, Paging.DefaultPageSize, 0) : await Mediator.Send(query, ct);
        return View(new SellerOfferBrowsePage(filter, items, niches, await Mediator.Send(new ListRegionsQuery(), ct), error));
    }

    [HttpGet]
    public async Task<IActionResult> Details(Guid id, CancellationToken ct) =>
        await DetailsView(await Mediator.Send(new GetSellerOfferQuery(id), ct), LeadOrderFormModel.New(), ct);

    [HttpPost]
    public async Task<IActionResult> Subscribe(Guid id, [Bind(Prefix = FormPrefix)] LeadOrderFormModel form, CancellationToken ct)
    {
        var offer = await Mediator.Send(new GetSellerOfferQuery(id), ct);
        var input = form.ToInput(ModelState, FormPrefix, offer.Currency, create: true);
        try
        {
            if (input is not null && ModelState.IsValid)
            {
                // No regions chosen: the offer's own regions (an empty list would mean every region).
                var order = await Mediator.Send(new SubscribeToSellerOfferCommand(id, input with { Regions = input.Regions is { Count: > 0 } ? input.Regions : null }), ct);
                Notice($"Subscribed to \"{offer.Title}\". {(order.Status == "active" ? "The seller's new leads come to you first." : "The subscription is paused: resume it to start buying.")}");
                return RedirectToAction(nameof(Details), new { id });
            }
        }
        catch (ValidationException e)
        {
            ModelState.AddErrors(BuyingDisplay.ForPeople(e), FormPrefix, BuyingDisplay.FormField);
        }
        return await DetailsView(offer, form, ct);
    }

    /// <summary>Pause / Resume / End of one of my subscriptions; back to the page the button was on.</summary>
    [HttpPost]
    public async Task<IActionResult> Subscription(Guid id, string? change, string? returnUrl, CancellationToken ct)
    {
        await Mediator.Send(new ChangeSubscriptionCommand(id, change), ct);
        Notice(change switch
        {
            "pause" => "The subscription is paused: it buys nothing until you resume it.",
            "resume" => "The subscription is buying again.",
            _ => "The subscription has ended; the seller has been told.",
        });
        return Redirect(Url.LocalOr(returnUrl, Url.Action(nameof(LeadOrdersController.Index), "LeadOrders")!));
    }

    private async Task<IActionResult> DetailsView(SellerOfferDto offer, LeadOrderFormModel form, CancellationToken ct)
    {
        var niches = await Mediator.Send(new ListNichesQuery(IncludeInactive: true), ct);
        var regions = await Mediator.Send(new ListRegionsQuery(), ct);
        var subscription = offer.MySubscriptionId is { } mine ? await Mediator.Send(new GetLeadOrderQuery(mine), ct) : null;
        return View("Details", new SellerOfferBuyerPage(offer, niches.FirstOrDefault(n => n.Code == offer.Niche),
            new LeadOrderFormPage(null, form, niches, regions, offer), subscription));
    }
}
