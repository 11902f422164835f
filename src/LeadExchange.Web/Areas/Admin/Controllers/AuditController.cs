using LeadExchange.Application.Audit;
using LeadExchange.Application.Common.Models;
using LeadExchange.Web.Models;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace LeadExchange.Web.Areas.Admin.Controllers;

/// <summary>The audit log: privileged and money-moving actions, filterable and exportable; read-only (no action edits or deletes an entry).</summary>
public sealed class AuditController(IMediator mediator) : AdminController(mediator)
{
    /// <summary>The CSV export holds at most this many entries (newest first); narrow the filter for older ones.</summary>
    private const int CsvMaxRows = Paging.MaxPageSize;

    [HttpGet]
    public async Task<IActionResult> Index([FromQuery] AuditFilter filter, CancellationToken ct) =>
        View(new AuditPage(filter, await Mediator.Send(filter.ToQuery(filter.Page, null), ct)));

    [HttpGet]
    public async Task<IActionResult> Csv([FromQuery] AuditFilter filter, CancellationToken ct)
    {
        var entries = await Mediator.Send(filter.ToQuery(1, CsvMaxRows), ct);
        return CsvFile.Download("audit", entries.Items, AuditPage.CsvColumns);
    }
}
