using LeadExchange.Application.Common.Models;
using LeadExchange.Application.Leads;
using LeadExchange.Application.Reference;
using LeadExchange.Web.Models;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace LeadExchange.Web.Areas.Webmaster.Controllers;

/// <summary>The leads the webmaster submitted (API or hosted forms), accepted and rejected, contact masked; filters and CSV.</summary>
public sealed class LeadsController(IMediator mediator) : WebmasterController(mediator)
{
    [HttpGet]
    public async Task<IActionResult> Index([FromQuery] MyLeadsFilter filter, CancellationToken ct)
    {
        var items = await Mediator.Send(filter.ToQuery(), ct);
        var hasForms = items.Total == 0 && (await Mediator.Send(new ListLeadFormsQuery(), ct)).Count > 0;
        return View(new MyLeadsPage(filter, items, await Mediator.Send(new ListNichesQuery(IncludeInactive: true), ct), hasForms));
    }

    [HttpGet]
    public async Task<IActionResult> Csv([FromQuery] MyLeadsFilter filter, CancellationToken ct)
    {
        var rows = await PagedExport.AllAsync(page => Mediator.Send(filter.ToQuery(page, Paging.MaxPageSize), ct));
        return CsvFile.Download("my-leads", rows, MyLeadsCsv.Columns);
    }
}
