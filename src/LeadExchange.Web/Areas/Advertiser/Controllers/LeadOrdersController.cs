using LeadExchange.Application.Buying;
using LeadExchange.Application.Common.Exceptions;
using LeadExchange.Application.Reference;
using LeadExchange.Web.Controllers;
using LeadExchange.Web.Models;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace LeadExchange.Web.Areas.Advertiser.Controllers;

/// <summary>Lead orders (auto-buy): list with today / month counts and spend, create, edit, pause and resume.</summary>
public sealed class LeadOrdersController(IMediator mediator) : AdvertiserController(mediator)
{
    private const string FormPrefix = "Form";

    [HttpGet]
    public async Task<IActionResult> Index([FromQuery] LeadOrderFilter filter, CancellationToken ct) =>
        View(new LeadOrdersPage(filter, await Mediator.Send(filter.ToQuery(), ct), await Mediator.Send(new ListNichesQuery(IncludeInactive: true), ct)));

    [HttpGet]
    public Task<IActionResult> Create(CancellationToken ct) => FormView(null, LeadOrderFormModel.New(), ct);

    [HttpPost]
    public Task<IActionResult> Create([Bind(Prefix = FormPrefix)] LeadOrderFormModel form, CancellationToken ct) => Save(null, form, ct);

    [HttpGet]
    public async Task<IActionResult> Edit(Guid id, CancellationToken ct)
    {
        var saved = await Mediator.Send(new GetLeadOrderQuery(id), ct);
        return await FormView(saved, LeadOrderFormModel.From(saved), ct);
    }

    [HttpPost]
    public async Task<IActionResult> Edit(Guid id, [Bind(Prefix = FormPrefix)] LeadOrderFormModel form, CancellationToken ct) =>
        await Save(await Mediator.Send(new GetLeadOrderQuery(id), ct), form, ct);

    /// <summary>The pause / resume buttons; a refused resume (budget spent) comes back as an error notice.</summary>
    [HttpPost]
    public async Task<IActionResult> Active(Guid id, bool active, string? returnUrl, CancellationToken ct)
    {
        var order = await Mediator.Send(new SetLeadOrderActiveCommand(id, active), ct);
        Notice(order.Status == "active" ? $"\"{order.Name}\" is buying again." : $"\"{order.Name}\" is paused: it buys nothing until you resume it.");
        return Redirect(Url.LocalOr(returnUrl, Url.Action(nameof(Index))!));
    }

    private async Task<IActionResult> Save(LeadOrderDto? saved, LeadOrderFormModel form, CancellationToken ct)
    {
        var niches = await Mediator.Send(new ListNichesQuery(), ct);
        var currency = niches.FirstOrDefault(n => n.Code == form.Niche)?.Currency ?? saved?.Currency ?? "RUB";
        var input = form.ToInput(ModelState, FormPrefix, currency, create: saved is null);
        try
        {
            if (input is not null && ModelState.IsValid)
            {
                var order = saved is null
                    ? await Mediator.Send(new CreateLeadOrderCommand(input), ct)
                    : await Mediator.Send(new UpdateLeadOrderCommand(saved.Id, input), ct);
                Notice(saved is null
                    ? $"Lead order \"{order.Name}\" created. {(order.Status == "active" ? "New leads that match it are bought automatically." : "It is paused: resume it to start buying.")}"
                    : $"Lead order \"{order.Name}\" saved.");
                return RedirectToAction(nameof(Index));
            }
        }
        catch (ValidationException e)
        {
            ModelState.AddErrors(BuyingDisplay.ForPeople(e), FormPrefix, BuyingDisplay.FormField);
        }
        return await FormView(saved, form, ct, niches);
    }

    private async Task<IActionResult> FormView(LeadOrderDto? saved, LeadOrderFormModel form, CancellationToken ct, IReadOnlyList<NicheDto>? niches = null) =>
        View("Form", new LeadOrderFormPage(saved, form, niches ?? await Mediator.Send(new ListNichesQuery(), ct), await Mediator.Send(new ListRegionsQuery(), ct)));
}
