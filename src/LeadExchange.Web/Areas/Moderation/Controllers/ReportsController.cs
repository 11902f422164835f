using LeadExchange.Web.Models;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace LeadExchange.Web.Areas.Moderation.Controllers;

/// <summary>Reports (the shared Views/Shared/Report.cshtml) from the platform's perspective, with CSV of all rows.</summary>
public sealed class ReportsController(IMediator mediator) : ModerationController(mediator)
{
    private const string Perspective = "platform";

    [HttpGet]
    public async Task<IActionResult> Index([FromQuery] ReportForm form, CancellationToken ct) =>
        View("Report", await ReportPage.BuildAsync(Mediator, L, "Moderation", Perspective, form, ModelState, ct));

    [HttpGet]
    public async Task<IActionResult> Csv([FromQuery] ReportForm form, CancellationToken ct) =>
        ReportCsv.Download(await Mediator.Send(form.ToQuery(Perspective, all: true), ct));
}
