using LeadExchange.Application.Buying;
using LeadExchange.Application.Common.Exceptions;
using LeadExchange.Application.Common.Models;
using LeadExchange.Application.Reference;
using LeadExchange.Web.Controllers;
using LeadExchange.Web.Infrastructure;
using LeadExchange.Web.Models;
using LeadExchange.Domain.Common;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace LeadExchange.Web.Areas.Advertiser.Controllers;

/// <summary>
/// The inbox of bought leads (contacts revealed: they are the buyer's): filters, CSV, and one purchase with its
/// consent, price and score, the status form (in work, converted with the sale amount, refused, deferred), note,
/// assignee, and its webhook deliveries with a resend button.
/// </summary>
[NoStore]
public sealed class PurchasesController(IMediator mediator, IOptions<MoneyLimitsOptions> limits) : AdvertiserController(mediator)
{
    private const string FormPrefix = "Form";

    [HttpGet]
    public async Task<IActionResult> Index([FromQuery] PurchaseFilter filter, CancellationToken ct)
    {
        PagedResult<PurchaseDto> items;
        try
        {
            items = await Mediator.Send(filter.ToQuery(), ct);
        }
        catch (ValidationException e)
        {
            // Only a hand-edited status in the query string gets here; show the list unfiltered by it.
            ModelState.AddErrors(e);
            filter.Status = null;
            items = await Mediator.Send(filter.ToQuery(), ct);
        }
        return View(new PurchasesPage(filter, items, await Mediator.Send(new ListNichesQuery(IncludeInactive: true), ct)));
    }

    [HttpGet]
    public async Task<IActionResult> Csv([FromQuery] PurchaseFilter filter, CancellationToken ct)
    {
        var rows = await PagedExport.AllAsync(page => Mediator.Send(filter.ToQuery(page, Paging.MaxPageSize), ct));
        return CsvFile.Download("bought-leads", rows, PurchaseCsv.Columns);
    }

    [HttpGet]
    public async Task<IActionResult> Details(Guid id, CancellationToken ct)
    {
        var purchase = await Mediator.Send(new GetPurchaseQuery(id), ct);
        return await DetailsView(purchase, PurchaseFormModel.From(purchase), ct);
    }

    [HttpPost]
    public async Task<IActionResult> Details(Guid id, [Bind(Prefix = FormPrefix)] PurchaseFormModel form, CancellationToken ct)
    {
        var purchase = await Mediator.Send(new GetPurchaseQuery(id), ct);
        var input = form.ToInput(purchase, ModelState, FormPrefix);
        // Said here in the page's language; the command refuses it too (the API's answer).
        if (input?.SaleAmount > limits.Value.MaxSaleAmount)
            ModelState.AddModelError($"{FormPrefix}.{nameof(form.SaleAmount)}",
                L["The sale amount is at most {0}.", Display.Money(limits.Value.MaxSaleAmount, purchase.Currency)]);
        try
        {
            if (input is not null && ModelState.IsValid)
            {
                var updated = await Mediator.Send(new UpdatePurchaseCommand(id, input), ct);
                Notice(updated.Status == "converted" && purchase.Status != "converted"
                    ? $"Marked converted with a sale of {Display.Money(updated.SaleAmount ?? 0, updated.Currency)}."
                    : "Saved.");
                return RedirectToAction(nameof(Details), new { id });
            }
        }
        catch (ValidationException e)
        {
            ModelState.AddErrors(BuyingDisplay.ForPeople(e), FormPrefix, BuyingDisplay.FormField);
        }
        catch (ConflictException e)
        {
            // The CPS payout of a conversion was refused (cap, balance): nothing was saved; say why above the form.
            ModelState.AddModelError("", e.Message);
        }
        return await DetailsView(purchase, form, ct);
    }

    /// <summary>A new delivery of this purchase to the webhook (through the outbox); refused while the webhook is off.</summary>
    [HttpPost]
    public async Task<IActionResult> Resend(Guid id, CancellationToken ct)
    {
        var result = await Mediator.Send(new ResendWebhookCommand(id), ct);
        Notice(result.Queued
            ? "Queued for delivery: the attempt shows below in a few seconds (reload)."
            : "A delivery of this purchase is still pending: nothing new was queued.");
        return RedirectToAction(nameof(Details), new { id });
    }

    private async Task<IActionResult> DetailsView(PurchaseDto purchase, PurchaseFormModel form, CancellationToken ct)
    {
        var deliveries = await Mediator.Send(new ListWebhookDeliveriesQuery(purchase.SaleId, PageSize: 50), ct);
        var webhook = await Mediator.Send(new GetBuyerWebhookQuery(), ct);
        var niches = await Mediator.Send(new ListNichesQuery(IncludeInactive: true), ct);
        return View("Details", new PurchasePage(purchase, form, deliveries, webhook,
            niches.FirstOrDefault(n => n.Code == purchase.Niche)?.Name ?? purchase.Niche));
    }
}
