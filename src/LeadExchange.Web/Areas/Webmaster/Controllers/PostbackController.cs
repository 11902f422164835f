using LeadExchange.Application.Common.Exceptions;
using LeadExchange.Application.Common.Models;
using LeadExchange.Application.Conversions;
using LeadExchange.Web.Controllers;
using LeadExchange.Web.Models;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace LeadExchange.Web.Areas.Webmaster.Controllers;

/// <summary>
/// The webmaster's outbound postback: the URL template fired on every status change of their conversions
/// (Index), and the log of delivery attempts with CSV (Deliveries).
/// </summary>
public sealed class PostbackController(IMediator mediator) : WebmasterController(mediator)
{
    private const string FormPrefix = "Form";

    [HttpGet]
    public async Task<IActionResult> Index(CancellationToken ct)
    {
        var saved = await Mediator.Send(new GetWebmasterPostbackQuery(), ct);
        return View(new WebmasterPostbackPage(WebmasterPostbackFormModel.From(saved), saved));
    }

    /// <summary>Saves the template. Posts to the page's own URL so a re-render with errors keeps working links.</summary>
    [HttpPost]
    [ActionName(nameof(Index))]
    public async Task<IActionResult> Save([Bind(Prefix = FormPrefix)] WebmasterPostbackFormModel form, CancellationToken ct)
    {
        try
        {
            var saved = await Mediator.Send(new UpdateWebmasterPostbackCommand(form.UrlTemplate, form.Enabled), ct);
            Notice(saved.Enabled
                ? "Postback URL saved: it is called on every status change of your conversions."
                : saved.UrlTemplate.Length > 0 ? "Postback URL saved; sending is switched off." : "Postback removed; nothing is sent.");
            return RedirectToAction(nameof(Index));
        }
        catch (ValidationException e)
        {
            ModelState.AddErrors(e, FormPrefix);
        }
        return View("Index", new WebmasterPostbackPage(form, await Mediator.Send(new GetWebmasterPostbackQuery(), ct)));
    }

    [HttpGet]
    public async Task<IActionResult> Deliveries(bool failed, int? page, CancellationToken ct) =>
        View(new PostbackDeliveriesPage(failed, await Mediator.Send(new ListPostbackDeliveriesQuery(failed ? true : null, page), ct)));

    [HttpGet]
    public async Task<IActionResult> DeliveriesCsv(bool failed, CancellationToken ct)
    {
        var rows = await PagedExport.AllAsync(p => Mediator.Send(new ListPostbackDeliveriesQuery(failed ? true : null, p, Paging.MaxPageSize), ct));
        return CsvFile.Download("postback-deliveries", rows, PostbackDeliveryCsv.Columns);
    }
}
