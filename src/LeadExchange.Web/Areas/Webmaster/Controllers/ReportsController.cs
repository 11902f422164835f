using LeadExchange.Web.Models;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace LeadExchange.Web.Areas.Webmaster.Controllers;

/// <summary>Reports (the shared Views/Shared/Report.cshtml) from the webmaster's perspective, with CSV of all rows.</summary>
public sealed class ReportsController(IMediator mediator) : WebmasterController(mediator)
{
    private const string Perspective = "webmaster";

    [HttpGet]
    public async Task<IActionResult> Index([FromQuery] ReportForm form, CancellationToken ct) =>
        View("Report", await ReportPage.BuildAsync(Mediator, L, "Webmaster", Perspective, form, ModelState, ct));

    [HttpGet]
    public async Task<IActionResult> Csv([FromQuery] ReportForm form, CancellationToken ct) =>
        ReportCsv.Download(await Mediator.Send(form.ToQuery(Perspective, all: true), ct));
}
