using LeadExchange.Application.Buying;
using LeadExchange.Application.Common.Exceptions;
using LeadExchange.Application.Common.Models;
using LeadExchange.Web.Controllers;
using LeadExchange.Web.Models;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace LeadExchange.Web.Areas.Advertiser.Controllers;

/// <summary>The buyer webhook: URL and switch, the signing secret (copy, rotate), how to verify, and the delivery log.</summary>
public sealed class WebhookController(IMediator mediator) : AdvertiserController(mediator)
{
    private const string FormPrefix = "Form";

    [HttpGet]
    public async Task<IActionResult> Index(CancellationToken ct)
    {
        var saved = await Mediator.Send(new GetBuyerWebhookQuery(), ct);
        return View(new BuyerWebhookPage(BuyerWebhookFormModel.From(saved), saved));
    }

    [HttpPost]
    public async Task<IActionResult> Index([Bind(Prefix = FormPrefix)] BuyerWebhookFormModel form, CancellationToken ct)
    {
        try
        {
            var saved = await Mediator.Send(new UpdateBuyerWebhookCommand(form.Url, form.Enabled), ct);
            Notice(saved.Enabled ? "Webhook saved: every lead you buy from now on is delivered to it." : "Webhook saved, switched off: nothing is delivered.");
            return RedirectToAction(nameof(Index));
        }
        catch (ValidationException e)
        {
            ModelState.AddErrors(e, FormPrefix, BuyingDisplay.FormField);
        }
        return View(new BuyerWebhookPage(form, await Mediator.Send(new GetBuyerWebhookQuery(), ct)));
    }

    [HttpPost]
    public async Task<IActionResult> Rotate(CancellationToken ct)
    {
        await Mediator.Send(new RotateBuyerWebhookSecretCommand(), ct);
        Notice("New signing secret created: deliveries are signed with it from now on. Update your server.");
        return RedirectToAction(nameof(Index));
    }

    [HttpGet]
    public async Task<IActionResult> Deliveries(bool failed, int? page, CancellationToken ct) =>
        View(new WebhookDeliveriesPage(failed, await Mediator.Send(new ListWebhookDeliveriesQuery(Failed: failed ? true : null, Page: page), ct)));

    [HttpGet]
    public async Task<IActionResult> DeliveriesCsv(bool failed, CancellationToken ct)
    {
        var rows = await PagedExport.AllAsync(p => Mediator.Send(new ListWebhookDeliveriesQuery(Failed: failed ? true : null, Page: p, PageSize: Paging.MaxPageSize), ct));
        return CsvFile.Download("webhook-deliveries", rows, WebhookDeliveryCsv.Columns);
    }
}
