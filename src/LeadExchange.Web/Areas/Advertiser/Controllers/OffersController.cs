using LeadExchange.Application.Common.Exceptions;
using LeadExchange.Application.Offers.Commands;
using LeadExchange.Application.Offers.Queries;
using LeadExchange.Application.Reference;
using LeadExchange.Web.Controllers;
using LeadExchange.Web.Models;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace LeadExchange.Web.Areas.Advertiser.Controllers;

/// <summary>The advertiser's own offers: list, create, edit, details and status changes.</summary>
public sealed class OffersController(IMediator mediator) : AdvertiserController(mediator)
{
    private const string FormPrefix = "Form";

    [HttpGet]
    public async Task<IActionResult> Index([FromQuery] OfferListFilter filter, CancellationToken ct)
    {
        var offers = await Mediator.Send(new ListOffersQuery(Niche: filter.Niche, Status: filter.Status, Search: filter.Search, Page: filter.Page), ct);
        return View(new OfferListPage(filter, offers, await Mediator.Send(new ListNichesQuery(), ct)));
    }

    [HttpGet]
    public async Task<IActionResult> Details(Guid id, CancellationToken ct)
    {
        var offer = await Mediator.Send(new GetOfferQuery(id), ct);
        var participants = await Mediator.Send(new ListParticipationsQuery(OfferId: id, PageSize: 100), ct);
        return View(new OfferDetailsPage(offer, await Mediator.Send(new ListRegionsQuery(IncludeInactive: true), ct), participants));
    }

    [HttpGet]
    public Task<IActionResult> Create(CancellationToken ct) => FormView(null, OfferFormModel.New(), ct);

    [HttpPost]
    public Task<IActionResult> Create([Bind(Prefix = FormPrefix)] OfferFormModel form, CancellationToken ct) => Save(null, form, ct);

    [HttpGet]
    public async Task<IActionResult> Edit(Guid id, CancellationToken ct) =>
        await FormView(id, OfferFormModel.From(await Mediator.Send(new GetOfferQuery(id), ct)), ct);

    [HttpPost]
    public Task<IActionResult> Edit(Guid id, [Bind(Prefix = FormPrefix)] OfferFormModel form, CancellationToken ct) => Save(id, form, ct);

    /// <summary>Pause, activate or archive.</summary>
    [HttpPost]
    public async Task<IActionResult> Status(Guid id, OfferStatusAction change, CancellationToken ct)
    {
        var status = await Mediator.Send(new ChangeOfferStatusCommand(id, change), ct);
        Notice($"The offer is now {status.ToString().ToLowerInvariant()}.");
        return RedirectToAction(nameof(Details), new { id });
    }

    private async Task<IActionResult> Save(Guid? id, OfferFormModel form, CancellationToken ct)
    {
        var input = form.ToInput(ModelState, FormPrefix);
        try
        {
            if (input is not null && ModelState.IsValid)
            {
                if (id is { } existing)
                    await Mediator.Send(new UpdateOfferCommand(existing, input), ct);
                else
                    id = await Mediator.Send(new CreateOfferCommand(input), ct);
                Notice(L["Offer \"{0}\" saved.", input.Title.Trim()]);
                return RedirectToAction(nameof(Details), new { id });
            }
        }
        catch (ValidationException e)
        {
            ModelState.AddErrors(e, FormPrefix, OfferFormModel.FieldName);
        }
        return await FormView(id, form, ct);
    }

    private async Task<IActionResult> FormView(Guid? id, OfferFormModel form, CancellationToken ct) =>
        View("Form", new OfferFormPage(id, form, await Mediator.Send(new ListNichesQuery(), ct), await Mediator.Send(new ListRegionsQuery(), ct)));
}
