using LeadExchange.Application.Common.Models;
using LeadExchange.Application.Offers.Queries;
using LeadExchange.Web.Models;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace LeadExchange.Web.Areas.Webmaster.Controllers;

/// <summary>The webmaster's own conversions with their payout and sub-ids; filters and CSV.</summary>
public sealed class ConversionsController(IMediator mediator) : WebmasterController(mediator)
{
    [HttpGet]
    public async Task<IActionResult> Index([FromQuery] ConversionFilter filter, CancellationToken ct)
    {
        // Only advertisers and moderators review conversions; the filter does not apply here.
        filter.Review = false;
        var items = await Mediator.Send(filter.ToQuery(), ct);
        // Offers the webmaster is in, paused ones too (the catalog lists only active offers).
        var participations = await Mediator.Send(new ListParticipationsQuery(PageSize: Paging.MaxPageSize), ct);
        var offers = participations.Items.DistinctBy(p => p.OfferId).OrderBy(p => p.OfferTitle, StringComparer.CurrentCultureIgnoreCase)
            .Select(p => new OfferOption(p.OfferId, p.OfferTitle)).ToList();
        return View(new ConversionsView(filter, items, offers, "Webmaster", ForAdvertiser: false));
    }

    [HttpGet]
    public async Task<IActionResult> Csv([FromQuery] ConversionFilter filter, CancellationToken ct)
    {
        filter.Review = false;
        var rows = await PagedExport.AllAsync(page => Mediator.Send(filter.ToQuery(page, Paging.MaxPageSize), ct));
        return CsvFile.Download("my-conversions", rows, ConversionCsv.Columns(forAdvertiser: false, id => id));
    }
}
