using LeadExchange.Application.Buying;
using LeadExchange.Application.Common.Exceptions;
using LeadExchange.Application.Reference;
using LeadExchange.Web.Controllers;
using LeadExchange.Web.Models;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace LeadExchange.Web.Areas.Webmaster.Controllers;

/// <summary>
/// "I will sell leads": my seller offers with their stats, publish and edit one, pause / resume / close it, and its
/// anonymous subscriptions with Pause / Resume / End.
/// </summary>
public sealed class SellerOffersController(IMediator mediator) : WebmasterController(mediator)
{
    private const string FormPrefix = "Form";

    [HttpGet]
    public async Task<IActionResult> Index([FromQuery] SellerOfferFilter filter, CancellationToken ct) =>
        View(new SellerOffersPage(filter, await Mediator.Send(filter.ToQuery(), ct), await Mediator.Send(new ListNichesQuery(IncludeInactive: true), ct)));

    [HttpGet]
    public Task<IActionResult> Create(string? niche, CancellationToken ct)
    {
        var form = SellerOfferFormModel.New();
        form.Niche = niche;
        return FormView(null, form, ct);
    }

    [HttpPost]
    public Task<IActionResult> Create([Bind(Prefix = FormPrefix)] SellerOfferFormModel form, CancellationToken ct) => Save(null, form, ct);

    [HttpGet]
    public async Task<IActionResult> Edit(Guid id, CancellationToken ct)
    {
        var saved = await Mediator.Send(new GetSellerOfferQuery(id), ct);
        return await FormView(saved, SellerOfferFormModel.From(saved), ct);
    }

    [HttpPost]
    public async Task<IActionResult> Edit(Guid id, [Bind(Prefix = FormPrefix)] SellerOfferFormModel form, CancellationToken ct)
    {
        var saved = await Mediator.Send(new GetSellerOfferQuery(id), ct);
        form.Niche = saved.Niche; // the niche of an offer never changes
        return await Save(saved, form, ct);
    }

    [HttpGet]
    public async Task<IActionResult> Details(Guid id, CancellationToken ct)
    {
        var offer = await Mediator.Send(new GetSellerOfferQuery(id), ct);
        var niches = await Mediator.Send(new ListNichesQuery(IncludeInactive: true), ct);
        return View(new SellerOfferDetailsPage(offer, await Mediator.Send(new ListOfferSubscriptionsQuery(id), ct), niches.FirstOrDefault(n => n.Code == offer.Niche),
            await Mediator.Send(new ListRegionsQuery(), ct)));
    }

    /// <summary>Pause / Resume / Close (the form asks first) of an offer; back to the page the button was on.</summary>
    [HttpPost]
    public async Task<IActionResult> Status(Guid id, string? change, string? returnUrl, CancellationToken ct)
    {
        var offer = await Mediator.Send(new SetSellerOfferStatusCommand(id, change), ct);
        Notice(offer.Status switch
        {
            "active" => $"\"{offer.Title}\" is active: subscribers get your leads again.",
            "paused" => $"\"{offer.Title}\" is paused: it takes no new subscribers and your leads go to the open exchange.",
            _ => $"\"{offer.Title}\" is closed; its subscriptions have ended and the subscribers have been told.",
        });
        return Redirect(Url.LocalOr(returnUrl, Url.Action(nameof(Index))!));
    }

    /// <summary>Pause / Resume / End of one subscription to my offer; the subscriber is told.</summary>
    [HttpPost]
    public async Task<IActionResult> Subscription(Guid id, string? change, string? returnUrl, CancellationToken ct)
    {
        var sub = await Mediator.Send(new ChangeSubscriptionCommand(id, change), ct);
        Notice(change switch
        {
            "pause" => $"{sub.Subscriber} is paused: your leads skip this subscription until you resume it.",
            "resume" => $"{sub.Subscriber} gets your leads again.",
            _ => $"The subscription of {sub.Subscriber} has ended.",
        });
        return Redirect(Url.LocalOr(returnUrl, Url.Action(nameof(Index))!));
    }

    private async Task<IActionResult> Save(SellerOfferDto? saved, SellerOfferFormModel form, CancellationToken ct)
    {
        var niches = await Mediator.Send(new ListNichesQuery(), ct);
        var niche = niches.FirstOrDefault(n => n.Code == form.Niche);
        var input = form.ToInput(ModelState, FormPrefix, niche?.Currency ?? saved?.Currency ?? "RUB", niche);
        try
        {
            if (input is not null && ModelState.IsValid)
            {
                var offer = saved is null
                    ? await Mediator.Send(new CreateSellerOfferCommand(input), ct)
                    : await Mediator.Send(new UpdateSellerOfferCommand(saved.Id, input), ct);
                Notice(saved is null
                    ? $"Seller offer \"{offer.Title}\" published: advertisers can find it and subscribe."
                    : $"Seller offer \"{offer.Title}\" saved.");
                return RedirectToAction(nameof(Details), new { id = offer.Id });
            }
        }
        catch (ValidationException e)
        {
            ModelState.AddErrors(BuyingDisplay.ForPeople(e), FormPrefix, BuyingDisplay.FormField);
        }
        catch (ForbiddenException e)
        {
            // A suspended seller: the reason above the form, not an access-denied page.
            ModelState.AddModelError("", e.Message);
        }
        return await FormView(saved, form, ct, niches);
    }

    private async Task<IActionResult> FormView(SellerOfferDto? saved, SellerOfferFormModel form, CancellationToken ct, IReadOnlyList<NicheDto>? niches = null) =>
        View("Form", new SellerOfferFormPage(saved, form, niches ?? await Mediator.Send(new ListNichesQuery(), ct), await Mediator.Send(new ListRegionsQuery(), ct)));
}
